"""The queue in memory: items, indexes, write-through to the store, and change events.

Shared by ``QueueManager`` (the API) and ``Processor`` (the workers). Everything here runs on
the event loop thread and is synchronous; persistence is handed to the ``StoreWriter``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import Callable, Container, Iterator

from instarecipe_desktop.core.items import (
    ItemStatus,
    LogEntry,
    PhaseName,
    QueueEvent,
    QueueEventType,
    QueueItem,
    utcnow,
)
from instarecipe_desktop.core.store import StoreWriter

log = logging.getLogger(__name__)

MAX_LOG_ENTRIES = 200

Subscriber = Callable[[QueueEvent], None]


_ids = random.Random()  # seeded from os.urandom once


def new_item_id() -> str:
    """A random UUID4 without a system call per id (os.urandom releases the GIL, and taking it
    back behind the store thread is what made enqueue's p99 slow)."""
    return str(uuid.UUID(int=_ids.getrandbits(128), version=4))


def dedupe_key(item: QueueItem) -> str:
    """Same post = same shortcode; a share link whose post is not known yet: same link."""
    return f"sc:{item.shortcode}" if item.shortcode else f"url:{item.url}"


class QueueState:
    def __init__(self, items: list[QueueItem], writer: StoreWriter) -> None:
        self.writer = writer
        self._items: dict[str, QueueItem] = {}  # insertion order = oldest first
        self._by_key: dict[str, str] = {}
        # ordered sets of ids by status; PENDING is in the order items became pending (FIFO)
        self._by_status: dict[ItemStatus, dict[str, None]] = {s: {} for s in ItemStatus}
        self._status_of: dict[str, ItemStatus] = {}
        self._in_review: dict[str, None] = {}  # pending items held for review (not picked up)
        self._subscribers: list[Subscriber] = []
        self._idle = asyncio.Event()
        for item in items:
            self._index(item)
        self._update_idle()

    # -- reading -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[QueueItem]:
        return iter(self._items.values())

    def get(self, item_id: str) -> QueueItem | None:
        return self._items.get(item_id)

    def by_key(self, key: str) -> QueueItem | None:
        item_id = self._by_key.get(key)
        return self._items.get(item_id) if item_id else None

    def ids_with_status(self, status: ItemStatus) -> list[str]:
        return list(self._by_status[status])

    def first_with_status(self, status: ItemStatus) -> str | None:
        return next(iter(self._by_status[status]), None)

    def first_ready(self, held: Container[str] = ()) -> str | None:
        """The oldest pending item the engine may start (not one held for review, nor one
        of ``held``)."""
        review = self._in_review
        return next(
            (i for i in self._by_status[ItemStatus.PENDING] if i not in review and i not in held),
            None,
        )

    def ids_in_review(self) -> list[str]:
        return list(self._in_review)

    @property
    def review_count(self) -> int:
        return len(self._in_review)

    def count(self, status: ItemStatus) -> int:
        return len(self._by_status[status])

    def counts(self) -> dict[ItemStatus, int]:
        return {status: len(ids) for status, ids in self._by_status.items()}

    @property
    def idle(self) -> asyncio.Event:
        """Set when nothing is pending, running or waiting for a retry (items held for review
        or waiting for a setting do not count: they wait for the person, not for the engine)."""
        return self._idle

    # -- changing ----------------------------------------------------------------------------
    def add(self, item: QueueItem, *, persist: bool = True) -> None:
        self._index(item)
        if persist:
            self.writer.put(item)
        self._update_idle()
        self.emit(QueueEventType.ADDED, item)

    def replace(self, item: QueueItem) -> None:
        """Swap in a newer version of an item read from the file (another process's change)."""
        old = self._items.get(item.id)
        if old is None:
            self.add(item, persist=False)
            return
        self.rekey(item, dedupe_key(old))
        self._items[item.id] = item  # same key: keeps its place in the order
        status = self._status_of.get(item.id)
        if status is not item.status:
            if status is not None:
                self._by_status[status].pop(item.id, None)
            self._by_status[item.status][item.id] = None
            self._status_of[item.id] = item.status
        self._index_review(item)
        self._update_idle()
        self.emit(QueueEventType.UPDATED, item)

    def changed(self, item: QueueItem, *, persist: bool = True, emit: bool = True) -> None:
        """Record a change of ``item`` (already mutated): timestamps, indexes, disk, events."""
        item.updated_at = utcnow()
        old = self._status_of.get(item.id)
        if old is not item.status:
            if old is not None:
                self._by_status[old].pop(item.id, None)
            self._by_status[item.status][item.id] = None
            self._status_of[item.id] = item.status
            self._index_review(item)
            self._update_idle()
        elif self._index_review(item):
            self._update_idle()
        if persist:
            self.writer.put(item)
        if emit:
            self.emit(QueueEventType.UPDATED, item)

    def rekey(self, item: QueueItem, old_key: str) -> None:
        if self._by_key.get(old_key) == item.id:
            del self._by_key[old_key]
        self._by_key.setdefault(dedupe_key(item), item.id)

    def remove(self, item_id: str, *, persist: bool = True) -> QueueItem | None:
        item = self._items.pop(item_id, None)
        if item is None:
            return None
        key = dedupe_key(item)
        if self._by_key.get(key) == item_id:
            del self._by_key[key]
        status = self._status_of.pop(item_id, None)
        if status is not None:
            self._by_status[status].pop(item_id, None)
        self._in_review.pop(item_id, None)
        if persist:
            self.writer.delete(item_id)
        self._update_idle()
        self.emit(QueueEventType.REMOVED, item)
        return item

    @staticmethod
    def add_log(
        item: QueueItem, message: str, phase: PhaseName | None = None, level: str = "info"
    ) -> None:
        item.log.append(LogEntry(at=utcnow(), message=message, phase=phase, level=level))
        if len(item.log) > MAX_LOG_ENTRIES:
            del item.log[: len(item.log) - MAX_LOG_ENTRIES]

    def _index(self, item: QueueItem) -> None:
        self._items[item.id] = item
        self._by_key.setdefault(dedupe_key(item), item.id)
        self._by_status[item.status][item.id] = None
        self._status_of[item.id] = item.status
        self._index_review(item)

    def _index_review(self, item: QueueItem) -> bool:
        """Keep the held-for-review index in step; True when it changed."""
        held = item.waiting_for_review
        if held == (item.id in self._in_review):
            return False
        if held:
            self._in_review[item.id] = None
        else:
            del self._in_review[item.id]
        return True

    def _update_idle(self) -> None:
        busy = (
            bool(self._by_status[ItemStatus.IN_PROGRESS])
            or len(self._by_status[ItemStatus.PENDING]) > len(self._in_review)
            or any(
                not self._items[i].waiting_for_settings
                for i in self._by_status[ItemStatus.UNHEALTHY]
            )
        )
        if busy:
            self._idle.clear()
        else:
            self._idle.set()

    # -- events ------------------------------------------------------------------------------
    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def emit(self, type_: QueueEventType, item: QueueItem) -> None:
        if not self._subscribers:
            return
        event = QueueEvent.of(type_, item)
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:
                log.exception("A queue event subscriber failed (%r)", callback)
