"""Security properties that a change could silently break: no shell with outside text, TLS
verified by default (Tandoor and the LLM server), the single-instance socket only for this
user, private folders and files."""

from __future__ import annotations

import ast
import os
import socket
import ssl
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.fakes.fake_tandoor import TOKEN
from tests.reliability.conftest import assert_clear_failure, process_texts
from tests.reliability.hostile_server import Answer, HostileServer

PACKAGE = Path(__file__).resolve().parents[2] / "instarecipe_desktop"
CAPTION = "Pancakes\n\n200 g flour\n2 eggs\n300 ml milk\n\nWhisk and fry in butter."


# -- no shell -------------------------------------------------------------------------------


def _calls(tree: ast.AST) -> list[tuple[str, ast.Call]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            found.append((ast.unparse(node.func), node))
    return found


def test_no_shell_is_ever_invoked() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, call in _calls(tree):
            where = f"{path.relative_to(PACKAGE.parent)}:{call.lineno} {name}"
            if name in (
                "os.system",
                "os.popen",
                "asyncio.create_subprocess_shell",
                "pty.spawn",
                "commands.getoutput",
            ) or name.startswith("os.exec"):
                problems.append(where)
            for keyword in call.keywords:
                if keyword.arg == "shell" and not (
                    isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                ):
                    problems.append(f"{where} shell=")
            if (
                name.startswith("subprocess.")
                and name != "subprocess.list2cmdline"
                and (
                    call.args and isinstance(call.args[0], ast.Constant | ast.JoinedStr | ast.BinOp)
                )
            ):
                problems.append(f"{where}: a command line as one string")
    assert problems == []


# -- TLS ------------------------------------------------------------------------------------


def self_signed_context(tmp_path: Path) -> ssl.SSLContext:
    """A server context with a certificate for 127.0.0.1 from a CA that nobody trusts."""
    import trustme

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(context)
    return context


def test_tls_verification_is_on_by_default() -> None:
    assert Settings(None, environ={}).get("TANDOOR_VERIFY_TLS") is True


async def test_tandoor_with_an_untrusted_certificate_is_refused(
    tmp_path: Path, data_dir: Path
) -> None:
    with HostileServer(
        lambda r: Answer(200, {"version": "2.6.12"}), tls=self_signed_context(tmp_path)
    ) as server:
        items = await process_texts(
            data_dir,
            {"TANDOOR_BASE_URL": server.url()},
            {"TLSTAND01": CAPTION},
            secrets=open_secret_store(environ={"TANDOOR_API_TOKEN": TOKEN}),
        )
    assert server.requests == []  # not one request (so not the token) went over it
    assert_clear_failure(items[0])
    assert items[0].error.code == "tandoor_tls"


async def test_llm_server_with_an_untrusted_certificate_is_refused(
    tmp_path: Path, data_dir: Path
) -> None:
    with HostileServer(
        lambda r: Answer(200, {"object": "list", "data": []}), tls=self_signed_context(tmp_path)
    ) as server:
        items = await process_texts(
            data_dir,
            {"LLM_API_BASE_URL": server.url() + "/v1", "LLM_MODEL": "gpt-4o-mini"},
            {"TLSLLM001": CAPTION},
            secrets=open_secret_store(environ={"LLM_API_KEY": "sk-tls-key"}),
        )
    assert server.requests == []
    assert_clear_failure(items[0])
    assert items[0].error.code == "llm_tls"
    assert "certificate" in items[0].error.message


# -- single instance ------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="Unix domain socket permissions")
def test_single_instance_socket_is_for_this_user_only(qtbot: object, data_dir: Path) -> None:
    from instarecipe_desktop.ui.single_instance import InstanceServer, server_name

    server = InstanceServer(server_name(data_dir))
    assert server.listen()
    path = server._server.fullServerName()
    mode = stat.S_IMODE(os.stat(path).st_mode)
    assert mode & 0o077 == 0, oct(mode)
    if os.geteuid() == 0 and Path("/usr/bin/python3").exists():  # another user cannot connect
        probe = (
            "import socket, sys\ns = socket.socket(socket.AF_UNIX)\n"
            "try:\n    s.connect(sys.argv[1])\nexcept PermissionError:\n    sys.exit(3)\n"
        )
        done = subprocess.run(
            ["/usr/bin/python3", "-c", probe, path], user=65534, capture_output=True, timeout=30
        )
        assert done.returncode == 3, done.stderr
    own = socket.socket(socket.AF_UNIX)
    own.connect(path)  # the user itself can
    own.close()


# -- private files --------------------------------------------------------------------------


def test_folders_and_settings_file_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)  # a usual desktop umask: new files readable by everyone
    try:
        paths = resolve_paths(tmp_path / "data").ensure()
        settings = Settings(paths.settings_file)
        settings.set("TANDOOR_BASE_URL", "https://recipes.example.org")
        settings.save()
    finally:
        os.umask(old)
    for folder in (paths.data_dir, paths.config_dir, paths.log_dir, paths.media_dir):
        assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0, folder
    assert stat.S_IMODE(paths.settings_file.stat().st_mode) == 0o600
    leftovers = [p.name for p in paths.config_dir.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # the temporary file of the atomic write is gone


def test_temporary_files_are_made_safely() -> None:
    """Temporary files come from mkstemp (0600, O_EXCL) in the app's own folders; never the
    racy ``tempfile.mktemp``, never a fixed name in a shared temp folder."""
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, call in _calls(tree):
            where = f"{path.relative_to(PACKAGE.parent)}:{call.lineno}"
            if name in ("tempfile.mktemp", "os.tempnam", "os.tmpnam"):
                problems.append(f"{where} {name}")
            if (
                name.startswith("tempfile.")
                and name != "tempfile.gettempdir"
                and not any(k.arg == "dir" for k in call.keywords)
            ):
                problems.append(f"{where} {name} without dir= (shared /tmp)")
            if (
                name == "open"
                and call.args
                and isinstance(call.args[0], ast.Constant)
                and str(call.args[0].value).startswith("/tmp")
            ):
                problems.append(f"{where} fixed path in /tmp")
    assert problems == []


def test_without_a_keyring_secrets_stay_in_memory_and_it_says_so(tmp_path: Path) -> None:
    """No Secret Service (keyring's ``fail`` backend): explicit, and no plaintext file."""
    import keyring
    from keyring.backends import fail

    from instarecipe_desktop.core.secrets import TANDOOR_API_TOKEN
    from tests.reliability.soak import scan_for_secrets

    secret = "tda_0nly1n_mem0ry_4c4c_8d8d_n0keyring0001"
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        store = open_secret_store(environ={})
        assert not store.status.usable
        assert "memory" in store.status.message and "forgotten" in store.status.message
        store.set(TANDOOR_API_TOKEN, secret)
        assert store.get(TANDOOR_API_TOKEN) == secret
        assert open_secret_store(environ={}).get(TANDOOR_API_TOKEN) is None  # not kept anywhere
    finally:
        keyring.set_keyring(previous)
    assert scan_for_secrets(tmp_path, [secret]) == []  # data dir, settings, test keyring file
