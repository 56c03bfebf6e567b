"""Small post images for the table, decoded off the UI thread and kept in a bounded cache."""

from __future__ import annotations

import functools
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap


def _decode(path: Path, size: QSize) -> QImage:
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    original = reader.size()
    if original.isValid():
        reader.setScaledSize(original.scaled(size, Qt.AspectRatioMode.KeepAspectRatioByExpanding))
    image = reader.read()
    if image.isNull():
        return image
    # centre crop to a square
    side = min(image.width(), image.height())
    return image.copy((image.width() - side) // 2, (image.height() - side) // 2, side, side)


class ThumbnailCache(QObject):
    """``get`` returns a pixmap when decoded, else starts decoding and returns None;
    ``loaded(item_id)`` is emitted (on the UI thread) when the image is ready."""

    loaded = Signal(str)
    _decoded = Signal(str, QImage)

    def __init__(
        self, data_dir: Path, size: int = 40, capacity: int = 600, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._size = QSize(size * 2, size * 2)  # decoded at 2x for HiDPI screens
        self._capacity = capacity
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._loading: set[str] = set()
        self._failed: set[str] = set()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="thumbnails")
        self._decoded.connect(self._store, Qt.ConnectionType.QueuedConnection)

    def get(self, item_id: str, relative_path: str) -> QPixmap | None:
        key = f"{item_id}:{relative_path}"
        pixmap = self._cache.get(key)
        if pixmap is not None:
            self._cache.move_to_end(key)
            return pixmap
        if key not in self._loading and key not in self._failed:
            self._loading.add(key)
            path = (self._data_dir / relative_path).resolve()
            future = self._executor.submit(_decode, path, self._size)
            future.add_done_callback(functools.partial(self._done, key))
        return None

    def _done(self, key: str, future: Future[QImage]) -> None:  # worker thread
        try:
            image = future.result()
        except Exception:
            image = QImage()
        self._decoded.emit(key, image)

    def _store(self, key: str, image: QImage) -> None:
        self._loading.discard(key)
        if image.isNull():
            self._failed.add(key)
            return
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(2.0)
        self._cache[key] = pixmap
        while len(self._cache) > self._capacity:
            self._cache.popitem(last=False)
        self.loaded.emit(key.split(":", 1)[0])

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
