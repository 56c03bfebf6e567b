"""What deserves a notification: a recipe saved, a link failed (each switchable in settings).

The ``Notifier`` only decides; the tray shows the notification when a tray exists, otherwise the
window shows it in its message bar. Clicking opens the recipe, or shows the failed item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from instarecipe_desktop.core.items import ItemStatus, QueueEvent, QueueEventType, QueueItem

CANCELLED = "cancelled"  # error code of an item the person stopped: not news to them


@dataclass(frozen=True)
class Notification:
    title: str
    body: str
    level: str  # "info" | "error"
    item_id: str | None = None
    url: str | None = None  # opened on click (a saved recipe)


class Notifier(QObject):
    notify = Signal(object)  # Notification

    def __init__(
        self,
        setting: Callable[[str], bool],
        items: Iterable[QueueItem] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._setting = setting
        self._status: dict[str, ItemStatus] = {item.id: item.status for item in items}

    def know(self, items: Iterable[QueueItem]) -> None:
        """Items loaded later (their current status is not news)."""
        for item in items:
            self._status.setdefault(item.id, item.status)

    def on_event(self, event: QueueEvent) -> None:
        item = event.item
        if event.type == QueueEventType.REMOVED:
            self._status.pop(item.id, None)
            return
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
