"""Fixtures of the packaging tests: the Linux build and the wheel, each made once per session.

The build runs ``packaging/build-linux.sh`` exactly as a release does; the built programs run
as subprocesses in an environment without the test suite's helpers (no PYTHONPATH into the
repository, no test keyring backend), as they would on a person's machine.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
NAME = "instarecipe-desktop"
CAPTION = """Creamy Tomato Pasta 🍝

Serves 2

Ingredients:
- 200 g spaghetti
- 1 can (400 g) chopped tomatoes
- 2 cloves garlic, minced
- 100 ml cream
- salt to taste

Instructions:
1. Cook the spaghetti in salted water.
2. Fry the garlic, add the tomatoes and simmer for 10 minutes.
3. Stir in the cream and toss with the spaghetti.
"""


@dataclass(frozen=True)
class LinuxBuild:
    bundle: Path  # the one-folder bundle
    tarball: Path
    deb: Path
    log: str


@pytest.fixture(scope="session")
def linux_build(tmp_path_factory: pytest.TempPathFactory) -> LinuxBuild:
    """``packaging/build-linux.sh`` run once for the whole session."""
    out = tmp_path_factory.mktemp("linux-build")
    env = {**os.environ, "PYTHON": sys.executable, "DEB_XZ_LEVEL": "1"}
    done = subprocess.run(
        ["bash", str(REPO / "packaging" / "build-linux.sh"), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (tarball,) = out.glob(f"{NAME}-*-linux-*.tar.gz")
    (deb,) = out.glob(f"{NAME}_*.deb")
    return LinuxBuild(out / NAME, tarball, deb, done.stdout + done.stderr)


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built the way pip builds it for ``pip install .`` / ``pipx install .``."""
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = out.glob("instarecipe_desktop-*.whl")
    return wheel


def user_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a person's session: their own folders, no test helpers, no display."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHON_KEYRING_BACKEND", "INSTARECIPE_TEST_KEYRING_FILE"}
    }
    env.update(
        {
            "HOME": str(tmp_path / "home"),
            "XDG_DATA_HOME": str(tmp_path / "home" / ".local" / "share"),
            "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config"),
            "INSTARECIPE_DATA_DIR": str(tmp_path / "appdata"),
            "QT_QPA_PLATFORM": "offscreen",
            # queue links but do not process them: the app must not reach for Instagram here
            "QUEUE_PROCESSING_ENABLED": "false",
        }
    )
    env.update(extra)
    (tmp_path / "home").mkdir(exist_ok=True)
    return env


def queued_shortcodes(data_dir: Path) -> set[str]:
    """Shortcodes in the app's queue database, read-only."""
    database = data_dir / "queue.sqlite3"
    if not database.exists():
        return set()
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as conn:
            return {str(row[0]) for row in conn.execute("SELECT shortcode FROM items")}
    except sqlite3.OperationalError:  # not created yet
        return set()


def is_listening(data_dir: Path) -> bool:
    """True once the running app accepts links from a second start (its event loop runs)."""
    from PySide6.QtNetwork import QLocalSocket

    from instarecipe_desktop.ui.single_instance import server_name

    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir.resolve()))
    connected = socket.waitForConnected(200)
    socket.abort()
    return connected


# Qt's offscreen platform says so when asked to raise or resize a window it cannot show; the
# app asks when a second start brings it to the front. Nothing else may be printed.
OFFSCREEN_NOTICE = re.compile(r"^This plugin does not support \w+\(\)$")


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not OFFSCREEN_NOTICE.match(line)]


RunApp = Callable[..., None]


@pytest.fixture
def run_gui_offscreen(qtbot, tmp_path: Path) -> RunApp:  # type: ignore[no-untyped-def]
    """Start ``argv`` as the desktop app (offscreen unless ``env`` says otherwise), hand it a
    link as a second start would, see the link queued, quit it with SIGTERM; fail on a crash or
    on any output."""

    def run(argv: list[str], workdir: Path, **extra_env: str) -> None:
        env = user_env(tmp_path, **extra_env)
        data_dir = Path(env["INSTARECIPE_DATA_DIR"])
        out, err = tmp_path / "gui.out", tmp_path / "gui.err"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            app = subprocess.Popen(argv, env=env, cwd=workdir, stdout=stdout, stderr=stderr)
        try:
            qtbot.waitUntil(
                lambda: app.poll() is not None or is_listening(data_dir), timeout=60_000
            )
            assert app.poll() is None, err.read_text()
            link = "https://www.instagram.com/p/PACKAGED1/"
            second = subprocess.run(
                [*argv, link], env=env, cwd=workdir, capture_output=True, text=True, timeout=60
            )
            assert second.returncode == 0, second.stderr
            assert "handed it 1 link" in second.stdout
            qtbot.waitUntil(lambda: "PACKAGED1" in queued_shortcodes(data_dir), timeout=30_000)
        finally:
            app.terminate()  # SIGTERM: the app quits cleanly
            code = app.wait(timeout=60)
        assert code == 0, err.read_text()
        assert error_lines(err.read_text()) == []
        assert out.read_text() == ""

    return run


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: scripts/test.sh installs it with apt-get")
    return path


def load_script(name: str) -> ModuleType:
    """Import ``packaging/<name>.py`` (the packaging folder is scripts, not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "packaging" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def xvfb_display() -> Iterator[str]:
    """A private Xvfb server, for the real X11 (xcb) platform plugin of the bundle."""
    xvfb = require_tool("Xvfb")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()  # Xvfb writes the display number it took
    assert number, "Xvfb did not start"
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)
