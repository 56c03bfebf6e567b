"""What deserves a notification: a recipe saved, a link failed, recipes ready for review (each
switchable in settings). Recipes held for review are announced once per batch ("3 recipes ready
for review"): a run of a bulk import must not pop up one notification per post.

The ``Notifier`` only decides; the tray shows the notification when a tray exists, otherwise the
window shows it in its message bar. Clicking opens the recipe, or shows the failed item.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from instarecipe_desktop.core.items import ItemStatus, QueueEvent, QueueEventType, QueueItem

CANCELLED = "cancelled"  # error code of an item the person stopped: not news to them
REVIEW_BATCH_MS = 2000  # held items this close together make one notification
REVIEW_BATCH_MAX_MS = 15_000  # a steady stream still gets its notification this often


@dataclass(frozen=True)
class Notification:
    title: str
    body: str
    level: str  # "info" | "error"
    item_id: str | None = None
    url: str | None = None  # opened on click (a saved recipe)
    review: bool = False  # recipes ready for review: a click shows them (the window's filter)


class Notifier(QObject):
    notify = Signal(object)  # Notification

    def __init__(
        self,
        setting: Callable[[str], bool],
        items: Iterable[QueueItem] = (),
        parent: QObject | None = None,
        *,
        batch_ms: int = REVIEW_BATCH_MS,
        batch_max_ms: int = REVIEW_BATCH_MAX_MS,
    ) -> None:
        super().__init__(parent)
        self._setting = setting
        self._status: dict[str, ItemStatus] = {}
        self._held: set[str] = set()  # ids waiting for review (already known, not news)
        self._batch: dict[str, str] = {}  # newly held since the last notification: id -> title
        self._batch_started = 0.0
        self._batch_max_s = batch_max_ms / 1000
        self._batch_timer = QTimer(self)
        self._batch_timer.setSingleShot(True)
        self._batch_timer.setInterval(batch_ms)
        self._batch_timer.timeout.connect(self.flush_review_batch)
        self.know(items)

    def know(self, items: Iterable[QueueItem]) -> None:
        """Items loaded later (their current status is not news)."""
        for item in items:
            self._status.setdefault(item.id, item.status)
            if item.waiting_for_review:
                self._held.add(item.id)

    def on_event(self, event: QueueEvent) -> None:
        item = event.item
        if event.type == QueueEventType.REMOVED:
            self._status.pop(item.id, None)
            self._held.discard(item.id)
            self._batch.pop(item.id, None)
            return
        self._review_event(item)
        before = self._status.get(item.id)
        self._status[item.id] = item.status
        if item.status == before:
            return
        if item.status == ItemStatus.SUCCESS and self._setting("NOTIFY_SUCCESS"):
            self.notify.emit(
                Notification(
                    title=self.tr("Saved: %1").replace("%1", item.title),
                    body=self.tr("Click to open the recipe."),
                    level="info",
                    item_id=item.id,
                    url=item.results.tandoor_url,
                )
            )
        elif (
            item.status == ItemStatus.ERROR
            and self._setting("NOTIFY_FAILURE")
            and not (item.error and item.error.code == CANCELLED)
        ):  # the person stopped it
            self.notify.emit(
                Notification(
                    title=self.tr("Could not save a recipe"),
                    body=item.error.message if item.error else item.url,
                    level="error",
                    item_id=item.id,
                )
            )

    # ---- recipes ready for review, once per batch ------------------------------------------
    def _review_event(self, item: QueueItem) -> None:
        if not item.waiting_for_review:
            self._held.discard(item.id)
            self._batch.pop(item.id, None)  # approved or stopped before it was announced
            return
        if item.id in self._held:
            return
        self._held.add(item.id)
        if not self._batch:
            self._batch_started = time.monotonic()
        self._batch[item.id] = item.title
        if time.monotonic() - self._batch_started >= self._batch_max_s:
            self.flush_review_batch()
        else:
            self._batch_timer.start()  # a quiet moment after the last one ends the batch

    def flush_review_batch(self) -> None:
        """One notification for the recipes held since the last one."""
        self._batch_timer.stop()
        batch, self._batch = self._batch, {}
        if not batch or not self._setting("NOTIFY_REVIEW"):
            return
        if len(batch) == 1:
            [(item_id, title)] = batch.items()
            title_text = self.tr("Ready for review: %1").replace("%1", title)
            body = self.tr("Click to check it before it is saved.")
        else:
            item_id = None
            title_text = self.tr("%n recipes ready for review").replace("%n", str(len(batch)))
            body = self.tr("Click to check them before they are saved.")
        self.notify.emit(
            Notification(title=title_text, body=body, level="info", item_id=item_id, review=True)
        )
