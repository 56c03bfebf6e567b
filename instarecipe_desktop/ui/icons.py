"""SVG icons shipped in ``instarecipe_desktop.resources/icons``.

Action icons are monochrome line drawings: they are recoloured with the palette's text colour so
they stay visible in light and dark themes, and rendered from the SVG at every requested size
(crisp on HiDPI). The desktop theme's icon of the same meaning is preferred when it has one.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

_ACTION_STROKE = "#5f6368"  # the colour the action SVGs are drawn with

# our icon name -> freedesktop theme name
THEME_NAMES: dict[str, str] = {
    "add": "list-add",
    "remove": "edit-delete",
    "retry": "view-refresh",
    "pause": "media-playback-pause",
    "resume": "media-playback-start",
    "settings": "preferences-system",
    "open": "document-open",
    "copy": "edit-copy",
    "paste": "edit-paste",
    "upload": "document-send",
    "quit": "application-exit",
}


@cache
def svg_text(name: str) -> str:
    return (files("instarecipe_desktop.resources") / "icons" / f"{name}.svg").read_text("utf-8")


class _SvgEngine(QIconEngine):
    """Renders SVG text at whatever size Qt asks for."""

    def __init__(self, svg: str, recolor: bool) -> None:
        super().__init__()
        self._svg = svg
        self._recolor = recolor

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        svg = self._svg
        if self._recolor:
            palette = QGuiApplication.palette()
            group = (
                palette.ColorGroup.Disabled
                if mode == QIcon.Mode.Disabled
                else palette.ColorGroup.Active
            )
            colour = palette.color(group, palette.ColorRole.WindowText).name()
            svg = svg.replace(_ACTION_STROKE, colour)
        return QSvgRenderer(QByteArray(svg.encode("utf-8")))

    def paint(self, painter: QPainter, rect, mode: QIcon.Mode, state: QIcon.State) -> None:
        self._renderer(mode).render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, pixmap.rect(), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _SvgEngine(self._svg, self._recolor)


def icon(name: str) -> QIcon:
    """An action icon: the theme's when it has one, else ours recoloured for the palette."""
    theme = THEME_NAMES.get(name)
    if theme and QIcon.hasThemeIcon(theme):
        return QIcon.fromTheme(theme)
    return QIcon(_SvgEngine(svg_text(name), recolor=True))


def app_icon() -> QIcon:
    return QIcon(_SvgEngine(svg_text("app"), recolor=False))


def tray_icon(state: str) -> QIcon:
    """``state``: idle | working | attention."""
    return QIcon(_SvgEngine(svg_text(f"tray-{state}"), recolor=False))
