"""Install the app's menu entry and icons for the current user (XDG, Linux and other Unixes).

``instarecipe-desktop --install-desktop-entry`` writes
``$XDG_DATA_HOME/applications/<APP_ID>.desktop`` whose ``Exec`` starts this installation, and the
icon into ``$XDG_DATA_HOME/icons/hicolor/`` (the SVG as ``scalable``, plus the PNG sizes when the
package carries them: the PyInstaller bundle and the .deb do, they are rendered at build time).
``--uninstall-desktop-entry`` removes exactly those files. The .deb installs the same files
system-wide instead, with ``Exec=instarecipe-desktop``.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from instarecipe_desktop import APP_ID
from instarecipe_desktop.core.files import write_atomically
from instarecipe_desktop.integration import xdg
from instarecipe_desktop.integration.launch import COMMAND_NAME, launch_command

RESOURCES = "instarecipe_desktop.resources"
DESKTOP_FILE = f"{APP_ID}.desktop"


@dataclass
class DesktopEntryResult:
    """What an install or uninstall changed, for the message to the person."""

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def desktop_template() -> str:
    """The shipped ``.desktop`` file, as the .deb installs it (``Exec=instarecipe-desktop``)."""
    return (resources.files(RESOURCES) / "linux" / DESKTOP_FILE).read_text(encoding="utf-8")


def render_desktop_entry(template: str, command: Sequence[str]) -> str:
    """The template with every ``Exec=``/``TryExec=`` that names the app pointing at ``command``.

    Arguments after the program name (``%U``, ``--add-from-clipboard``) are kept.
    """
    lines = []
    for line in template.splitlines():
        key, sep, value = line.partition("=")
        names_app = value == COMMAND_NAME or value.startswith(COMMAND_NAME + " ")
        if sep and key == "Exec" and names_app:
            rest = value[len(COMMAND_NAME) :].strip()
            line = f"Exec={xdg.exec_line(command, rest)}"
        elif sep and key == "TryExec" and value == COMMAND_NAME:
            line = f"TryExec={command[0]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def shipped_icons() -> dict[str, Traversable]:
    """Icon files to install, keyed by their path below ``hicolor/``."""
    icons_dir = resources.files(RESOURCES) / "icons"
    icons = {f"scalable/apps/{APP_ID}.svg": icons_dir / "app.svg"}
    hicolor = icons_dir / "hicolor"
    if hicolor.is_dir():
        for size_dir in hicolor.iterdir():
            png = size_dir / "apps" / f"{APP_ID}.png"
            if png.is_file():
                icons[f"{size_dir.name}/apps/{APP_ID}.png"] = png
    return icons


def install(
    data_home: Path | None = None, command: Sequence[str] | None = None
) -> DesktopEntryResult:
    """Write the menu entry and the icons for the current user; replaces an older install."""
    base = data_home or xdg.data_home()
    result = DesktopEntryResult()
    entry = base / "applications" / DESKTOP_FILE
    entry.parent.mkdir(parents=True, exist_ok=True)
    text = render_desktop_entry(desktop_template(), list(command or launch_command()))
    write_atomically(entry, text.encode("utf-8"), mode=0o644)
    result.written.append(entry)
    for relative, source in sorted(shipped_icons().items()):
        target = base / "icons" / "hicolor" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, source.read_bytes(), mode=0o644)
        result.written.append(target)
    _refresh_caches(base)
    return result


def uninstall(data_home: Path | None = None) -> DesktopEntryResult:
    """Remove what ``install`` wrote (the entry and every size of the icon); missing is fine."""
    base = data_home or xdg.data_home()
    result = DesktopEntryResult()
    candidates = [base / "applications" / DESKTOP_FILE]
    hicolor = base / "icons" / "hicolor"
    if hicolor.is_dir():
        for suffix in ("png", "svg"):
            candidates += sorted(hicolor.glob(f"*/apps/{APP_ID}.{suffix}"))
    for path in candidates:
        if path.is_file():
            path.unlink()
            result.removed.append(path)
    _refresh_caches(base)
    return result


def _refresh_caches(base: Path) -> None:
    """Tell the desktop about the change when its tools are installed (best effort)."""
    commands = [
        ["update-desktop-database", "-q", str(base / "applications")],
        ["gtk-update-icon-cache", "-q", "-t", "-f", str(base / "icons" / "hicolor")],
    ]
    for argv in commands:
        if shutil.which(argv[0]) and Path(argv[-1]).is_dir():
            subprocess.run(argv, check=False, capture_output=True, timeout=30)
