"""Queue Instagram post links the person copies anywhere.

Ignores text without a post link (never logged nor stored), links already queued, and the app's
own copies (marked with a private MIME type by ``copy_to_clipboard``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, QObject, Signal
from PySide6.QtGui import QClipboard

from instarecipe_desktop.core.links import find_post_links

OWN_COPY_MIME = "application/x-instarecipe-desktop-copy"


def copy_to_clipboard(clipboard: QClipboard, text: str) -> None:
    """Copy text so that our own watcher does not queue it again."""
    data = QMimeData()
    data.setText(text)
    data.setData(OWN_COPY_MIME, b"1")
    clipboard.setMimeData(data)


class ClipboardWatcher(QObject):
    #: canonical links of posts not yet queued
    linksFound = Signal(list)

    def __init__(
        self,
        clipboard: QClipboard,
        is_queued: Callable[[str | None], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clipboard = clipboard
        self._is_queued = is_queued
        self._enabled = False
        self._last_text: str | None = None

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        if enabled == self._enabled:
            return
        self._enabled = enabled
        if enabled:
            # what is on the clipboard already was copied before watching began: not a new copy
            self._last_text = self._clipboard.text(QClipboard.Mode.Clipboard)
            self._clipboard.dataChanged.connect(self.check)
        else:
            self._clipboard.dataChanged.disconnect(self.check)

    def check(self) -> list[str]:
        """Look at the clipboard now; emits and returns the new post links found."""
        if not self._enabled:
            return []
        mime = self._clipboard.mimeData(QClipboard.Mode.Clipboard)
        if mime is None or not mime.hasText() or mime.hasFormat(OWN_COPY_MIME):
            return []
        text = mime.text()
        if text == self._last_text:
            return []
        self._last_text = text
        if len(text) > 20_000:  # a whole document, not a copied link
            return []
        links = [
            link.url
            for link in find_post_links(text)
            if link.shortcode is None or not self._is_queued(link.shortcode)
        ]
        if links:
            self.linksFound.emit(links)
        return links
