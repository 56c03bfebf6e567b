"""--install-desktop-entry / --uninstall-desktop-entry for the current user (XDG folders)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from instarecipe_desktop import APP_ID
from instarecipe_desktop.integration import desktop_entry, xdg
from tests.packaging.conftest import REPO, require_tool
from tests.packaging.test_desktop_files import read_desktop


def run_cli(*args: str, data_home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "instarecipe_desktop", *args],
        env={**os.environ, "XDG_DATA_HOME": str(data_home)},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_install_writes_a_valid_entry_and_the_icon_then_uninstall_removes_them(
    tmp_path: Path,
) -> None:
    data_home = tmp_path / "share"
    apps_48 = data_home / "icons" / "hicolor" / "48x48" / "apps"
    apps_48.mkdir(parents=True)
    other_icon = apps_48 / "org.example.Other.png"
    other_icon.write_bytes(b"not ours")
    # another app whose id starts with ours keeps its icon too
    (apps_48 / f"{APP_ID}.Helper.png").write_bytes(b"not ours either")

    done = run_cli("--install-desktop-entry", data_home=data_home)
    assert done.returncode == 0, done.stderr
    entry_file = data_home / "applications" / f"{APP_ID}.desktop"
    icon = data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert f"installed {entry_file}" in done.stdout
    assert icon.read_bytes() == (REPO / "resources" / "icons" / "app.svg").read_bytes()
    validate = subprocess.run(
        [require_tool("desktop-file-validate"), str(entry_file)], capture_output=True, text=True
    )
    assert validate.returncode == 0, validate.stdout
    desktop = read_desktop(entry_file)
    # Exec starts this installation: here the venv's instarecipe-desktop script
    exec_argv = desktop["Desktop Entry"]["Exec"].split(" ")
    assert exec_argv[-1] == "%U"
    assert Path(exec_argv[0]).is_file()
    assert desktop["Desktop Action add-from-clipboard"]["Exec"].endswith("--add-from-clipboard")
    version = subprocess.run([*exec_argv[:-1], "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("instarecipe-desktop ")

    done = run_cli("--uninstall-desktop-entry", data_home=data_home)
    assert done.returncode == 0, done.stderr
    assert not entry_file.exists() and not icon.exists()
    assert other_icon.read_bytes() == b"not ours"
    assert (apps_48 / f"{APP_ID}.Helper.png").read_bytes() == b"not ours either"
    again = run_cli("--uninstall-desktop-entry", data_home=data_home)
    assert again.returncode == 0 and "No desktop entry was installed" in again.stdout


def test_exec_of_a_path_with_spaces_and_quotes_is_quoted_for_the_desktop_spec(
    tmp_path: Path,
) -> None:
    program = '/opt/My Apps/it\'s "here"/instarecipe-desktop'
    result = desktop_entry.install(tmp_path, command=[program])
    entry_file = result.written[0]
    validate = subprocess.run(
        [require_tool("desktop-file-validate"), str(entry_file)], capture_output=True, text=True
    )
    assert validate.returncode == 0, validate.stdout
    exec_value = read_desktop(entry_file)["Desktop Entry"]["Exec"]
    # quoted, with the spec's escapes, then the string-level escape of the backslashes
    assert exec_value == '"/opt/My Apps/it\'s \\\\"here\\\\"/instarecipe-desktop" %U'


def test_exec_line_leaves_plain_arguments_bare_and_doubles_percent() -> None:
    assert xdg.exec_line(["/usr/bin/app", "--minimized"], "%U") == "/usr/bin/app --minimized %U"
    assert xdg.exec_line(["/a b/app", "100%"]) == '"/a b/app" "100%%"'
