"""Start at login (the ``START_AT_LOGIN`` setting), the way each system expects it.

- Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/<APP_ID>.desktop`` (XDG Autostart
  specification); tested.
- Windows: a value named after the app under the per-user key
  ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`` holding the quoted command line;
  Windows starts it at login and lists it in Task Manager's "Startup apps", where the person can
  also turn it off. Written, not tested here (no Windows).
- macOS: a LaunchAgent ``~/Library/LaunchAgents/<APP_ID>.plist`` with ``RunAtLoad``; launchd reads
  it at the next login. The plist is tested on any system; that launchd starts it is not.

Each takes the command from ``launch_command()``: the bundle's executable or the installed script.
"""

from __future__ import annotations

import contextlib
import plistlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from instarecipe_desktop import APP_ID, APP_NAME
from instarecipe_desktop.integration import xdg
from instarecipe_desktop.integration.launch import launch_command

WINDOWS_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


class AutostartBackend(Protocol):
    def enable(self, command: Sequence[str]) -> None: ...
    def disable(self) -> None: ...
    def is_enabled(self) -> bool: ...


class XdgAutostart:
    """An autostart desktop entry in ``$XDG_CONFIG_HOME/autostart``."""

    def __init__(self, config_home: Path | None = None) -> None:
        self.path = (config_home or xdg.config_home()) / "autostart" / f"{APP_ID}.desktop"

    def enable(self, command: Sequence[str]) -> None:
        text = "\n".join(
            [
                "[Desktop Entry]",
                "Type=Application",
                f"Name={APP_NAME}",
                "Comment=Turn Instagram recipe posts into recipes in your Tandoor",
                f"Icon={APP_ID}",
                f"Exec={xdg.exec_line(command)}",
                "Terminal=false",
                "X-GNOME-Autostart-enabled=true",
                "",
            ]
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(text, encoding="utf-8")

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)

    def is_enabled(self) -> bool:
        """True when our entry exists and was not switched off by the desktop's own settings."""
        if not self.path.is_file():
            return False
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return not any(
            line.strip() in {"Hidden=true", "X-GNOME-Autostart-enabled=false"} for line in lines
        )


class MacLaunchAgent:
    """``~/Library/LaunchAgents/<APP_ID>.plist``: launchd runs ``ProgramArguments`` at login."""

    def __init__(self, home: Path | None = None) -> None:
        self.path = (home or Path.home()) / "Library" / "LaunchAgents" / f"{APP_ID}.plist"

    def enable(self, command: Sequence[str]) -> None:
        agent = {
            "Label": APP_ID,
            "ProgramArguments": list(command),
            "RunAtLoad": True,  # at login, once; no KeepAlive: quitting the app means quit
            "ProcessType": "Interactive",
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_bytes(plistlib.dumps(agent))

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)

    def is_enabled(self) -> bool:
        return self.path.is_file()


# the registry is only there on Windows; checked inline so that mypy on Linux knows it too
NOT_WINDOWS = "The Windows registry is only there on Windows."


class WindowsRunKey:
    """The per-user ``Run`` key: no administrator rights, only this user."""

    def enable(self, command: Sequence[str]) -> None:
        if sys.platform != "win32":
            raise OSError(NOT_WINDOWS)
        import winreg

        with winreg.OpenKey(
            winreg.HKEY_CURRENT_USER, WINDOWS_RUN_KEY, 0, winreg.KEY_SET_VALUE
        ) as key:
            winreg.SetValueEx(key, APP_NAME, 0, winreg.REG_SZ, subprocess.list2cmdline(command))

    def disable(self) -> None:
        if sys.platform != "win32":
            raise OSError(NOT_WINDOWS)
        import winreg

        with (
            winreg.OpenKey(
                winreg.HKEY_CURRENT_USER, WINDOWS_RUN_KEY, 0, winreg.KEY_SET_VALUE
            ) as key,
            contextlib.suppress(FileNotFoundError),
        ):  # already off is fine
            winreg.DeleteValue(key, APP_NAME)

    def is_enabled(self) -> bool:
        if sys.platform != "win32":
            raise OSError(NOT_WINDOWS)
        import winreg

        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, WINDOWS_RUN_KEY) as key:
            try:
                winreg.QueryValueEx(key, APP_NAME)
            except FileNotFoundError:
                return False
            return True


def backend_for(platform: str | None = None) -> AutostartBackend:
    """The mechanism of ``platform`` (default: this system's ``sys.platform``)."""
    platform = platform or sys.platform
    if platform == "win32":
        return WindowsRunKey()
    if platform == "darwin":
        return MacLaunchAgent()
    return XdgAutostart()


def set_autostart(enabled: bool, command: Sequence[str] | None = None) -> None:
    """Start the app at login (``True``) or no longer (``False``). Raises ``OSError`` on failure."""
    backend = backend_for()
    if enabled:
        backend.enable(list(command or launch_command()))
    else:
        backend.disable()


def is_autostart_enabled() -> bool:
    """Whether the system will start the app at the next login."""
    return backend_for().is_enabled()
