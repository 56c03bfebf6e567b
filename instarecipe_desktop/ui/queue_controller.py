"""The window's door to the QueueManager.

Runs the manager's coroutines as tracked tasks (never fire-and-forget: every task is kept until
it finishes and its failure becomes a message), turns results into words, and reports a link
that is already queued as a highlight of its row (the web app's ``?highlight=<id>``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from instarecipe_desktop.core.backoff import describe_delay
from instarecipe_desktop.core.items import ItemStatus, PhaseName, QueueItem, utcnow
from instarecipe_desktop.core.links import LinkRejected, find_post_links, parse_post_link
from instarecipe_desktop.core.recipe import Recipe

if TYPE_CHECKING:
    from instarecipe_desktop.core.manager import QueueManager

log = logging.getLogger(__name__)

ENQUEUE_BATCH = 25  # links queued between two chances for the window to paint


@dataclass
class AddOutcome:
    added: list[QueueItem] = field(default_factory=list)  # new, or failed ones queued again
    duplicates: list[QueueItem] = field(default_factory=list)
    rejected: str | None = None  # why nothing in the text was a post link


class QueueController(QObject):
    message = Signal(str, str)  # level ("info" | "warning" | "error"), text
    highlight = Signal(str)  # id of an item to select and flash
    pausedChanged = Signal(bool)
    #: a link added again waits for its next automatic try: (item id, when, in words)
    tryNowOffered = Signal(str, str)

    def __init__(self, manager: QueueManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self._tasks: set[asyncio.Task[Any]] = set()

    # ---- tasks ----------------------------------------------------------------------------
    def run(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Schedule ``coro`` on the loop, keep a reference, report a failure as a message."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("A queue action failed", exc_info=exc)
            self.message.emit("error", self.tr("That did not work: %1").replace("%1", str(exc)))

    async def cancel_tasks(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # ---- lookups --------------------------------------------------------------------------
    def is_queued(self, shortcode: str | None) -> bool:
        if not shortcode:
            return False
        return self.manager.find_by_shortcode(shortcode) is not None

    # ---- actions --------------------------------------------------------------------------
    async def add_text(self, text: str, *, quiet_rejection: bool = False) -> AddOutcome:
        """Queue every Instagram post link in ``text`` (pasted, dropped, typed or forwarded)."""
        outcome = AddOutcome()
        links = find_post_links(text)
        if not links:
            try:
                parse_post_link(text.strip().split()[0] if text.strip() else "")
                outcome.rejected = self.tr("No Instagram post link found.")
            except LinkRejected as exc:
                outcome.rejected = exc.reason
            if not quiet_rejection:
                self.message.emit("warning", outcome.rejected)
            return outcome
        for number, link in enumerate(links):
            if number and number % ENQUEUE_BATCH == 0:
                await asyncio.sleep(0)  # let the window paint between batches of a big paste
            try:
                result = await self.manager.enqueue(link.url)
            except LinkRejected as exc:
                outcome.rejected = exc.reason
                if not quiet_rejection:
                    self.message.emit("warning", exc.reason)
                continue
            if result.created or result.requeued:
                outcome.added.append(result.item)
            else:
                outcome.duplicates.append(result.item)
        if outcome.added:
            count = len(outcome.added)
            text_ = (
                self.tr("Added 1 recipe link")
                if count == 1
                else self.tr("Added %n recipe links").replace("%n", str(count))
            )
            self.message.emit("info", text_)
        if outcome.duplicates:
            first = outcome.duplicates[0]
            self.highlight.emit(first.id)
            if first.status is ItemStatus.UNHEALTHY:
                self.tryNowOffered.emit(first.id, self.next_try_text(first))
            elif not outcome.added:
                self.message.emit("info", self.tr("This link is already in the queue."))
        return outcome

    def next_try_text(self, item: QueueItem) -> str:
        """When a waiting item tries again, in words: said instead of silently using a retry."""
        if item.next_retry_at is None:
            return self.tr("This link is waiting to be tried again.")
        seconds = max(0.0, (item.next_retry_at - utcnow()).total_seconds())
        return (
            self.tr(
                "This link is already queued and tries again at %1 (in %2). Try now does not "
                "use up one of its automatic retries."
            )
            .replace("%1", item.next_retry_at.astimezone().strftime("%H:%M:%S"))
            .replace("%2", describe_delay(seconds))
        )

    async def try_now(self, item_id: str) -> bool:
        result = await self.manager.try_now(item_id)
        self.message.emit("info" if result.success else "warning", result.message)
        return result.success

    async def add_caption(self, url: str, text: str) -> AddOutcome:
        """Queue a link with the person's own copy of the caption (no Instagram needed)."""
        outcome = AddOutcome()
        try:
            result = await self.manager.enqueue(url, text=text)
        except LinkRejected as exc:
            outcome.rejected = exc.reason
            self.message.emit("warning", exc.reason)
            return outcome
        (outcome.added if result.created else outcome.duplicates).append(result.item)
        return outcome

    async def retry(self, item_ids: Iterable[str]) -> int:
        done = 0
        for item_id in item_ids:
            result = await self.manager.retry(item_id)
            if result.success:
                done += 1
            else:
                self.message.emit("warning", result.message)
        return done

    async def retry_all_failed(self) -> int:
        count = await self.manager.retry_all_failed()
        if count == 1:
            self.message.emit("info", self.tr("Retrying 1 failed link"))
        else:
            self.message.emit(
                "info",
                self.tr("Retrying %n failed links").replace("%n", str(count))
                if count
                else self.tr("No failed links to retry."),
            )
        return count

    async def remove(self, item_ids: Iterable[str]) -> int:
        removed = 0
        for item_id in list(item_ids):
            result = await self.manager.remove(item_id)
            if result.success:
                removed += 1
            else:
                self.message.emit("warning", result.message)
        return removed

    async def cancel(self, item_id: str) -> bool:
        result = await self.manager.cancel(item_id)
        if not result.success:
            self.message.emit("warning", result.message)
        return result.success

    async def provide_text(self, item_id: str, text: str) -> bool:
        result = await self.manager.provide_text(item_id, text)
        if not result.success:
            self.message.emit("warning", result.message)
        return result.success

    async def resend(self, item_id: str, *, as_new: bool = False) -> bool:
        """Send a saved recipe again: into the same Tandoor recipe, or as a new one."""
        result = await self.manager.resend(item_id, as_new=as_new)
        self.message.emit("info" if result.success else "warning", result.message)
        return result.success

    async def reprocess(
        self, item_id: str, phase: PhaseName, options: dict[str, Any] | None = None
    ) -> bool:
        result = await self.manager.reprocess(item_id, phase, options)
        if not result.success:
            self.message.emit("warning", result.message)
        return result.success

    async def approve(self, item_id: str, recipe: Recipe | None) -> bool:
        """Save a recipe held for review, as parsed (None) or as the person edited it."""
        result = await self.manager.approve(item_id, recipe)
        self.message.emit("info" if result.success else "warning", result.message)
        return result.success

    def set_paused(self, paused: bool) -> None:
        if paused == self.manager.paused:
            return
        if paused:
            self.manager.pause()
        else:
            self.manager.resume()
        self.pausedChanged.emit(self.manager.paused)
