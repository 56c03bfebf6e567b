"""Filter (All / Active / Ready for review / Done / Failed) and search over the queue table."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel

from instarecipe_desktop.core.items import ItemStatus, QueueItem
from instarecipe_desktop.ui import formatting
from instarecipe_desktop.ui.queue_model import QueueTableModel


class QueueFilter(StrEnum):
    ALL = "all"
    ACTIVE = "active"
    DONE = "done"
    FAILED = "failed"
    REVIEW = "review"  # held for the person's review (pending, with awaiting_review)


FILTER_STATUSES: dict[QueueFilter, frozenset[ItemStatus] | None] = {
    QueueFilter.ALL: None,
    QueueFilter.ACTIVE: frozenset(
        {ItemStatus.PENDING, ItemStatus.IN_PROGRESS, ItemStatus.UNHEALTHY}
    ),
    QueueFilter.DONE: frozenset({ItemStatus.SUCCESS}),
    QueueFilter.FAILED: frozenset({ItemStatus.ERROR, ItemStatus.UNHEALTHY}),
    QueueFilter.REVIEW: frozenset({ItemStatus.PENDING}),
}


def matches(item: QueueItem, words: list[str]) -> bool:
    """Every word appears in the title, link, author, shortcode or error."""
    if not words:
        return True
    haystack = " ".join(
        (
            item.title,
            item.url,
            formatting.author(item),
            item.shortcode or "",
            item.error.message if item.error else "",
        )
    ).casefold()
    return all(word in haystack for word in words)


class QueueFilterProxy(QSortFilterProxyModel):
    """Keeps the source order (newest first); sorting 10,000 rows in Python would stall."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = QueueFilter.ALL
        self._words: list[str] = []

    @property
    def queue_filter(self) -> QueueFilter:
        return self._filter

    def set_queue_filter(self, value: QueueFilter) -> None:
        if value != self._filter:
            self.beginFilterChange()
            self._filter = value
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search_text(self, text: str) -> None:
        words = text.casefold().split()
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        if not isinstance(model, QueueTableModel):
            return True
        item = model.item_at(source_row)
        statuses = FILTER_STATUSES[self._filter]
        if statuses is not None and item.status not in statuses:
            return False
        if self._filter is QueueFilter.REVIEW and not item.waiting_for_review:
            return False
        return matches(item, self._words)
