"""Changes other processes made to the queue file: ``instarecipe-desktop add`` while the app
(or ``run``) is processing, ``retry``/``remove`` from a script, another engine's progress.

SQLite's ``PRAGMA data_version`` tells cheaply whether another connection committed since the
last look; only then are the rows compared with memory (by ``updated_at``) and the differences
adopted. Items this process is running are left alone, except when removed elsewhere.
"""

from __future__ import annotations

import logging
from datetime import datetime

from instarecipe_desktop.core.items import QueueItem, utcnow
from instarecipe_desktop.core.processor import CANCEL_DETACH, Processor
from instarecipe_desktop.core.queue_state import QueueState
from instarecipe_desktop.core.store import Store

log = logging.getLogger(__name__)


def _parse(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


class ExternalSync:
    def __init__(self, state: QueueState, store: Store, processor: Processor) -> None:
        self._state = state
        self._store = store
        self._processor = processor

    async def poll(self) -> int:
        """Adopt what other processes changed; returns how many items were affected."""
        writer = self._state.writer
        changed = await writer.run(self._store.data_version_changed)
        if not changed:
            return 0
        cutoff = utcnow()
        await writer.flush()  # our own changes are in the file: they are not "external"
        index: dict[str, str] = await writer.run(self._store.read_index)  # type: ignore[assignment]
        wanted: list[str] = []
        for item_id, updated in index.items():
            mine = self._state.get(item_id)
            theirs = _parse(updated)
            if mine is None or (
                theirs is not None
                and theirs > mine.updated_at
                and not self._processor.is_running(item_id)
            ):
                wanted.append(item_id)
        gone = [
            item.id for item in self._state if item.id not in index and item.updated_at <= cutoff
        ]
        rows: list[QueueItem] = []
        if wanted:
            rows = await writer.run(lambda: self._store.read_items(wanted))  # type: ignore[assignment]
        count = 0
        for item in rows:
            count += self._adopt(item)
        for item_id in gone:
            if self._state.get(item_id) is None:
                continue
            await self._processor.stop_item(item_id, CANCEL_DETACH)
            self._state.remove(item_id, persist=False)
            log.info("Item %s was removed by another process", item_id)
            count += 1
        if count:
            self._processor.wake()
        return count

    def _adopt(self, item: QueueItem) -> int:
        mine = self._state.get(item.id)
        if mine is None:
            self._state.add(item, persist=False)
            log.info("Adopted %s queued by another process", item.url)
            return 1
        if self._processor.is_running(item.id) or item.updated_at <= mine.updated_at:
            return 0  # we changed it meanwhile: ours is newer
        self._state.replace(item)
        return 1
