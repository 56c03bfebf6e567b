"""Tells when entries come and go in one folder (the recipe library), at most twice a second.

``QFileSystemWatcher`` fires for every file written in the folder, including the app's own
atomic writes; the receiver decides (off the UI thread) whether anything it cares about changed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal


class FolderWatcher(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None, delay_ms: int = 500) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.changed)
        self._watcher.directoryChanged.connect(lambda _path: self._timer.start())

    def watch(self, folder: Path) -> bool:
        """Start watching an existing folder; False when it cannot be watched."""
        path = str(folder)
        if path in self._watcher.directories():
            return True
        return self._watcher.addPath(path)

    def watched(self) -> list[str]:
        return list(self._watcher.directories())

    def stop(self) -> None:
        self._timer.stop()
        directories = self._watcher.directories()
        if directories:
            self._watcher.removePaths(directories)
