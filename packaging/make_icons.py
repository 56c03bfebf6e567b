"""Render the app icon's hicolor PNG sizes from the one SVG, with Qt's SVG renderer.

Used at build time by the PyInstaller spec and ``build-linux.sh``; never edit the PNGs by hand.

    python packaging/make_icons.py OUT_DIR        # writes OUT_DIR/<size>x<size>/apps/<APP_ID>.png
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_SVG = ROOT / "resources" / "icons" / "app.svg"
# the hicolor sizes desktops ask for (512 also feeds the Windows .ico and macOS .icns)
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def render_png(svg: Path, size: int, target: Path) -> None:
    """Render ``svg`` as a square ``size`` PNG with a transparent background."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])  # QPainter wants a Gui app
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target), "PNG"):
        raise OSError(f"could not write {target}")


def render_hicolor(
    out_dir: Path, icon_name: str, svg: Path = SOURCE_SVG, sizes: tuple[int, ...] = HICOLOR_SIZES
) -> list[Path]:
    """Write ``out_dir/<n>x<n>/apps/<icon_name>.png`` for each size and the SVG as scalable."""
    written = []
    for size in sizes:
        target = out_dir / f"{size}x{size}" / "apps" / f"{icon_name}.png"
        render_png(svg, size, target)
        written.append(target)
    scalable = out_dir / "scalable" / "apps" / f"{icon_name}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(svg.read_bytes())
    written.append(scalable)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from instarecipe_desktop import APP_ID

    for path in render_hicolor(Path(argv[0]), APP_ID):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
