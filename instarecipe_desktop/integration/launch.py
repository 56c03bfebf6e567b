"""How to start this very installation of the app again (for menu entries and autostart)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

COMMAND_NAME = "instarecipe-desktop"


def launch_command() -> list[str]:
    """The argv that starts the app as it is installed now.

    A PyInstaller bundle is its own executable; a pip/pipx install has the ``instarecipe-desktop``
    script beside its Python; otherwise (a source checkout) ``python -m instarecipe_desktop``.
    """
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    beside_python = Path(sys.executable).parent
    for name in (COMMAND_NAME, f"{COMMAND_NAME}.exe"):
        script = beside_python / name
        if script.is_file():
            return [str(script)]
    on_path = shutil.which(COMMAND_NAME)
    if on_path:
        return [on_path]
    return [sys.executable, "-m", "instarecipe_desktop"]
