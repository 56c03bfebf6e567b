"""Start at login: XDG autostart (Linux, tested end to end) and the macOS LaunchAgent file."""

from __future__ import annotations

import plistlib
import subprocess
import sys
from pathlib import Path

import pytest

from instarecipe_desktop import APP_ID
from instarecipe_desktop.integration import autostart
from tests.packaging.conftest import require_tool
from tests.packaging.test_desktop_files import read_desktop


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(autostart.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config"


def test_xdg_autostart_entry_is_written_valid_and_removed(config_home: Path) -> None:
    assert not autostart.is_autostart_enabled()
    autostart.set_autostart(True, ["/opt/Insta Recipe/instarecipe-desktop", "--minimized"])
    entry = config_home / "autostart" / f"{APP_ID}.desktop"
    assert autostart.is_autostart_enabled()
    validate = subprocess.run(
        [require_tool("desktop-file-validate"), str(entry)], capture_output=True, text=True
    )
    assert validate.returncode == 0, validate.stdout
    fields = read_desktop(entry)["Desktop Entry"]
    assert fields["Exec"] == '"/opt/Insta Recipe/instarecipe-desktop" --minimized'
    assert fields["Icon"] == APP_ID

    autostart.set_autostart(False)
    assert not entry.exists()
    assert not autostart.is_autostart_enabled()
    autostart.set_autostart(False)  # already off: nothing to do, no error


def test_turned_off_by_the_desktop_counts_as_off(config_home: Path) -> None:
    autostart.set_autostart(True, ["/usr/bin/instarecipe-desktop"])
    entry = config_home / "autostart" / f"{APP_ID}.desktop"
    # GNOME's "Startup Applications" switches an entry off by adding this key
    entry.write_text(entry.read_text() + "Hidden=true\n")
    assert not autostart.is_autostart_enabled()


def test_default_command_starts_this_installation(config_home: Path) -> None:
    autostart.set_autostart(True)
    exec_value = read_desktop(config_home / "autostart" / f"{APP_ID}.desktop")["Desktop Entry"][
        "Exec"
    ]
    program = exec_value.split(" ")[0].strip('"')
    done = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("instarecipe-desktop ")


def test_macos_launch_agent_runs_the_app_at_login(tmp_path: Path) -> None:
    agent = autostart.MacLaunchAgent(home=tmp_path)
    agent.enable(["/Applications/InstaRecipe Desktop.app/Contents/MacOS/instarecipe-desktop"])
    path = tmp_path / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    data = plistlib.loads(path.read_bytes())
    assert data == {
        "Label": APP_ID,
        "ProgramArguments": [
            "/Applications/InstaRecipe Desktop.app/Contents/MacOS/instarecipe-desktop"
        ],
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    }
    assert agent.is_enabled()
    agent.disable()
    assert not agent.is_enabled()


def test_each_system_gets_its_own_mechanism() -> None:
    assert isinstance(autostart.backend_for("linux"), autostart.XdgAutostart)
    assert isinstance(autostart.backend_for("freebsd13"), autostart.XdgAutostart)
    assert isinstance(autostart.backend_for("darwin"), autostart.MacLaunchAgent)
    assert isinstance(autostart.backend_for("win32"), autostart.WindowsRunKey)


@pytest.mark.skipif(sys.platform == "win32", reason="the registry is there on Windows")
def test_the_windows_run_key_elsewhere_is_an_os_error_in_words() -> None:
    """set_autostart promises OSError on failure; the registry's absence is one, not ImportError."""
    for call in (
        lambda: autostart.WindowsRunKey().enable(["app"]),
        autostart.WindowsRunKey().disable,
        autostart.WindowsRunKey().is_enabled,
    ):
        with pytest.raises(OSError, match="only there on Windows"):
            call()
