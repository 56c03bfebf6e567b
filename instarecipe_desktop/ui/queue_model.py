"""The queue as a Qt table model, fed by QueueManager snapshots and events.

Events are collected and applied on a short timer (one frame), so a burst of progress updates
costs one ``dataChanged`` per changed row, not one per event. Rows are only ever inserted,
changed or removed: never a model reset on an update. Newest items are at the top; internally
the list is kept oldest-first so appending stays cheap: view row = count - 1 - index.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from enum import IntEnum
from typing import Any

from PySide6 import QtGui
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor

from instarecipe_desktop.core.items import QueueEvent, QueueEventType, QueueItem
from instarecipe_desktop.ui import formatting
from instarecipe_desktop.ui.thumbnails import ThumbnailCache

ItemRole = Qt.ItemDataRole.UserRole + 1  # the QueueItem snapshot
ItemIdRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.BackgroundRole,
        ItemRole,
        ItemIdRole,
    }
)


class Column(IntEnum):
    THUMBNAIL = 0
    TITLE = 1
    AUTHOR = 2
    STATUS = 3
    UPDATED = 4
    DESTINATION = 5


class QueueTableModel(QAbstractTableModel):
    #: the item of this id changed (emitted after the rows are updated); for the details pane
    itemChanged = Signal(str)
    itemRemoved = Signal(str)

    def __init__(
        self,
        thumbnails: ThumbnailCache | None = None,
        parent: QObject | None = None,
        flush_interval_ms: int = 16,
    ) -> None:
        super().__init__(parent)
        self._items: list[QueueItem] = []  # oldest first
        self._index: dict[str, int] = {}
        self._pending: list[QueueEvent] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(flush_interval_ms)
        self._timer.timeout.connect(self.flush)
        self._interval_s = flush_interval_ms / 1000
        self._last_flush = 0.0
        #: older items are still being loaded page by page (see ``append_older``): an update of
        #: an item not loaded yet is dropped, its page will carry its current state
        self.loading_older = False
        self._thumbnails = thumbnails
        self._flash_id: str | None = None
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(lambda: self.flash(None))
        if thumbnails is not None:
            thumbnails.loaded.connect(self._thumbnail_loaded)
        self._headers = {
            Column.THUMBNAIL: "",
            Column.TITLE: self.tr("Recipe"),
            Column.AUTHOR: self.tr("Author"),
            Column.STATUS: self.tr("Status"),
            Column.UPDATED: self.tr("Updated"),
            Column.DESTINATION: self.tr("Saved to"),
        }

    # ---- loading and events -------------------------------------------------------------
    def set_items(self, items: Iterable[QueueItem]) -> None:
        """Initial load (oldest first, as ``QueueManager.all_items`` returns them)."""
        self.beginResetModel()
        self._items = list(items)
        self._reindex(0)
        self._pending.clear()
        self.endResetModel()

    def append_older(self, items: Iterable[QueueItem]) -> int:
        """Add a page of older items (newest first, as ``QueueManager.list`` returns them)
        below the others; items already shown are skipped. Call ``flush`` first."""
        new = [item for item in items if item.id not in self._index]
        if not new:
            return 0
        count = len(self._items)
        self.beginInsertRows(QModelIndex(), count, count + len(new) - 1)
        self._items[0:0] = list(reversed(new))
        self._reindex(0)
        self.endInsertRows()
        return len(new)

    def apply_event(self, event: QueueEvent) -> None:
        """A QueueManager subscriber: queue the event, apply it on the next flush."""
        self._pending.append(event)
        if not self._timer.isActive():
            # the first event after a quiet moment is shown at the next turn of the loop (a
            # pasted link appears at once); a burst is collected for at most one frame
            quiet = time.monotonic() - self._last_flush >= self._interval_s
            self._timer.start(0 if quiet else self._timer.interval())

    def flush(self) -> None:
        """Apply all queued events now: removals, then changed rows, then new rows on top."""
        self._timer.stop()
        self._last_flush = time.monotonic()
        events, self._pending = self._pending, []
        if not events:
            return
        added: dict[str, QueueItem] = {}
        changed: dict[str, QueueItem] = {}
        removed: list[str] = []
        for event in events:
            item_id = event.item.id
            if event.type == QueueEventType.REMOVED:
                if added.pop(item_id, None) is None:
                    changed.pop(item_id, None)
                    removed.append(item_id)
            elif item_id in added:
                added[item_id] = event.item
            elif item_id in self._index:
                changed[item_id] = event.item
            elif event.type == QueueEventType.ADDED or not (
                self.loading_older or item_id in removed
            ):
                added[item_id] = event.item
        for item_id in removed:
            self._remove(item_id)
        last_column = self.columnCount() - 1
        for item_id, item in changed.items():
            position = self._index.get(item_id)
            if position is None:
                continue
            self._items[position] = item
            row = self._row_of(position)
            self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))
        if added:
            count = len(added)
            self.beginInsertRows(QModelIndex(), 0, count - 1)
            start = len(self._items)
            self._items.extend(added.values())
            self._reindex(start)
            self.endInsertRows()
        for item_id in changed:
            self.itemChanged.emit(item_id)
        for item_id in removed:
            self.itemRemoved.emit(item_id)

    def _remove(self, item_id: str) -> None:
        position = self._index.get(item_id)
        if position is None:
            return
        row = self._row_of(position)
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._items[position]
        del self._index[item_id]
        self._reindex(position)
        self.endRemoveRows()

    def _reindex(self, start: int) -> None:
        for position in range(start, len(self._items)):
            self._index[self._items[position].id] = position

    def _row_of(self, position: int) -> int:
        return len(self._items) - 1 - position

    def _thumbnail_loaded(self, item_id: str) -> None:
        position = self._index.get(item_id)
        if position is not None:
            index = self.index(self._row_of(position), Column.THUMBNAIL)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def flash(self, item_id: str | None, duration_ms: int = 1500) -> None:
        """Tint one row for a moment (a link pasted again shows where it already is)."""
        old, self._flash_id = self._flash_id, item_id
        for changed in (old, item_id):
            row = self.row_of(changed) if changed else None
            if row is not None:
                self.dataChanged.emit(
                    self.index(row, 0),
                    self.index(row, len(Column) - 1),
                    [Qt.ItemDataRole.BackgroundRole],
                )
        if item_id:
            self._flash_timer.start(duration_ms)

    # ---- lookups ------------------------------------------------------------------------
    def item_at(self, row: int) -> QueueItem:
        return self._items[len(self._items) - 1 - row]

    def item(self, item_id: str) -> QueueItem | None:
        position = self._index.get(item_id)
        return None if position is None else self._items[position]

    def row_of(self, item_id: str) -> int | None:
        position = self._index.get(item_id)
        return None if position is None else self._row_of(position)

    def items(self) -> list[QueueItem]:
        return list(self._items)

    # ---- QAbstractTableModel ------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers.get(Column(section)) if 0 <= section < len(Column) else None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not 0 <= index.row() < len(self._items):
            return None  # views ask for many roles per cell: answer the unused ones at once
        item = self.item_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == ItemRole:
            return item
        if role == ItemIdRole:
            return item.id
        if role == Qt.ItemDataRole.BackgroundRole and item.id == self._flash_id:
            return QColor(255, 200, 0, 110)
        if role == Qt.ItemDataRole.ToolTipRole:
            # tooltips auto-detect rich text, and an error may quote a server or the caption:
            # hand Qt the escaped form so markup shows as text
            if column == Column.STATUS and item.error:
                return QtGui.Qt.convertFromPlainText(item.error.message)
            if column == Column.TITLE:
                return QtGui.Qt.convertFromPlainText(item.url)
            return None
        if (
            role == Qt.ItemDataRole.DecorationRole
            and column == Column.THUMBNAIL
            and self._thumbnails is not None
            and item.results.thumbnail
        ):
            return self._thumbnails.get(item.id, item.results.thumbnail)
        return None

    def _display(self, item: QueueItem, column: int) -> str | None:
        if column == Column.TITLE:
            return item.title
        if column == Column.AUTHOR:
            return formatting.author(item)
        if column == Column.STATUS:
            return formatting.item_status_label(item)
        if column == Column.UPDATED:
            return formatting.relative_time(item.updated_at)
        if column == Column.DESTINATION:
            return formatting.destination_label(item)
        return None
