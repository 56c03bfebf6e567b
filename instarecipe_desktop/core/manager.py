"""QueueManager: the queue's API for the GUI and the CLI (see docs/cli.md for the JSON shapes).

All items live in memory (``QueueState``); reads are synchronous and return snapshots (copies).
Every change is written through to SQLite on the store's own thread and announced to
subscribers. The ``Processor`` runs the phases.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import sqlite3
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from instarecipe_desktop.core.engine_lock import EngineLock
from instarecipe_desktop.core.items import (
    FORCE_NEW_RECIPE,
    PHASE_ORDER,
    UPDATE_IN_PLACE,
    ErrorKind,
    ItemError,
    ItemStatus,
    PhaseName,
    PhaseState,
    PhaseStatus,
    QueueEvent,
    QueueItem,
    utcnow,
)
from instarecipe_desktop.core.links import PostLink, parse_post_link
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.phases import Phases
from instarecipe_desktop.core.processor import (
    CANCEL_DETACH,
    CANCEL_USER,
    MANUAL_ATTEMPT,
    EngineTuning,
    Processor,
)
from instarecipe_desktop.core.queue_state import QueueState, new_item_id
from instarecipe_desktop.core.queue_sync import ExternalSync
from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.core.store import Store, StoreError, StoreWriter, item_row, storage_problem

log = logging.getLogger(__name__)

_FAILED = frozenset({ItemStatus.ERROR, ItemStatus.UNHEALTHY})
GC_FREEZE_MIN_ITEMS = 1000


@dataclass
class EnqueueResult:
    item: QueueItem  # snapshot
    created: bool  # False: the same post (same shortcode) was already queued
    requeued: bool = False  # True: it had failed and was queued again


@dataclass
class BulkEnqueueResult:
    created: int  # new items
    already_queued: int  # the same post was in the queue (a failed one is not queued again)
    item_ids: list[str] = field(default_factory=list)  # the new items, in the links' order


@dataclass
class ActionResult:
    success: bool
    message: str
    tandoor_url: str | None = None  # resend: the recipe that is updated

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"success": self.success, "message": self.message}
        if self.tandoor_url is not None:
            data["tandoorUrl"] = self.tandoor_url
        return data


@dataclass
class ItemPage:
    items: list[QueueItem]
    total: int
    has_more: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "items": [item.to_json() for item in self.items],
            "total": self.total,
            "hasMore": self.has_more,
        }


def _downloaded_media(item: QueueItem) -> list[str]:
    """The photo and a carousel's other pictures (``post.pictures``), relative to the data dir."""
    found = [item.results.thumbnail] if item.results.thumbnail else []
    pictures = (item.post or {}).get("pictures")
    if isinstance(pictures, list):
        found += [p for p in pictures if isinstance(p, str) and p]
    return list(dict.fromkeys(found))


def _reset_phase(item: QueueItem, phase: PhaseName) -> None:
    """Forget a phase's state and output, so it runs again."""
    index = PHASE_ORDER.index(phase)
    item.phases[index] = PhaseState(name=phase)
    if phase is PhaseName.EXTRACTION:
        item.results.extracted_text = None
        item.results.thumbnail = None
        item.post = None
    elif phase is PhaseName.PARSING:
        item.results.recipe = None
        item.usage = None
        _clear_review(item)
    else:
        item.results.tandoor_url = None
        item.destination = None


def _state_words(item: QueueItem) -> str:
    if item.status is ItemStatus.SUCCESS:
        return "it has already been saved"
    if item.status is ItemStatus.IN_PROGRESS:
        return "it is being processed right now"
    if item.status in _FAILED:
        return "it failed" + (f" ({item.error.message})" if item.error else "")
    phase = item.next_phase()
    return f"it is waiting to be processed (next: {phase.value if phase else 'nothing'})"


def _clear_review(item: QueueItem) -> None:
    item.awaiting_review = False
    item.review_reason = None


def _complete_with_text(item: QueueItem, text: str) -> None:
    state = item.phase(PhaseName.EXTRACTION)
    now = utcnow()
    state.status = PhaseStatus.COMPLETED
    state.started_at = state.started_at or now
    state.completed_at = now
    state.progress = 100
    state.message = None
    item.results.extracted_text = text
    post = dict(item.post or {})
    post["textSource"] = "manual"
    item.post = post


class QueueManager:
    external_poll_s = 1.0  # how often changes by other processes are looked for

    def __init__(
        self,
        paths: AppPaths,
        settings: Settings,
        phases: Phases | None,
        state: QueueState,
        store: Store,
        executor: ThreadPoolExecutor,
        problems: list[str],
        tuning: EngineTuning | None,
    ) -> None:
        self.paths = paths
        self.settings = settings
        self.phases = phases
        self.problems = problems  # human-readable, e.g. "the database was moved aside"
        self._state = state
        self._store = store
        self._executor = executor
        self._processor = Processor(state, phases, settings, paths.data_dir, tuning)
        self._sync = ExternalSync(state, store, self._processor)
        self._lock = EngineLock(paths.data_dir / "queue.lock")
        self._watcher: asyncio.Task[None] | None = None
        self._blocked: str | None = None
        self._closed = False

    # -- life cycle --------------------------------------------------------------------------
    @classmethod
    async def open(
        cls,
        paths: AppPaths,
        settings: Settings,
        phases: Phases | None,
        *,
        tuning: EngineTuning | None = None,
    ) -> QueueManager:
        """Open (or create) the store, load every item, and recover items a crash interrupted.

        ``phases`` may be None for a manager that only reads and edits the queue (CLI verbs);
        ``start`` then refuses.
        Raises ``core.store.StoreError`` when the database cannot be used at all.
        """
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, paths.ensure)
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="queue-store")
        try:
            opened = await loop.run_in_executor(executor, Store.open, paths.database)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        for problem in opened.problems:
            log.warning("%s", problem)
        state = QueueState(opened.items, StoreWriter(opened.store, executor))
        manager = cls(
            paths, settings, phases, state, opened.store, executor, list(opened.problems), tuning
        )
        manager._recover()
        if len(opened.items) >= GC_FREEZE_MIN_ITEMS:
            # the loaded items live long and hold no reference cycles: keep them out of the
            # cyclic GC's full collections, which otherwise stall the event loop (about 400 ms
            # with 10,000 items, see bench/queue_enqueue.py); refcounting still frees them
            gc.freeze()
        return manager

    def _recover(self, *, emit: bool = False) -> None:
        """Items caught in_progress by a crash go back to pending at their unfinished phase."""
        for item_id in self._state.ids_with_status(ItemStatus.IN_PROGRESS):
            item = self._state.get(item_id)
            assert item is not None
            if self._processor.is_running(item_id):
                continue
            phase = item.next_phase()
            if phase is not None:
                state = item.phase(phase)
                if state.status is PhaseStatus.IN_PROGRESS:
                    state.status = PhaseStatus.PENDING
                    state.progress = None
                    state.message = None
            item.status = ItemStatus.PENDING
            QueueState.add_log(
                item,
                "The app stopped while this was running; resuming"
                + (f" at {phase.value}." if phase else "."),
                phase,
                "warning",
            )
            self._state.changed(item, emit=emit)
            log.info("Resuming %s at %s after an interrupted run", item.url, phase)

    async def start(self) -> None:
        """Start processing (it idles while QUEUE_PROCESSING_ENABLED is false or paused)."""
        if self.phases is None:
            raise RuntimeError("This QueueManager was opened without phases; it cannot process.")
        if self._watcher is not None:
            return
        loop = asyncio.get_running_loop()
        if await loop.run_in_executor(None, self._lock.acquire):
            self._processor.start()
        else:
            owner = await loop.run_in_executor(None, self._lock.owner)
            self._blocked = (
                f"Another InstaRecipe Desktop (process {owner or '?'}) is already processing "
                "this queue; links added here are processed by it."
            )
            log.info("%s", self._blocked)
        self._watcher = asyncio.create_task(self._watch(), name="queue-watch")

    async def _watch(self) -> None:
        """Adopt other processes' changes; take over processing when the other engine stops."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.external_poll_s)
            try:
                await self._sync.poll()
                if not self._lock.held and await loop.run_in_executor(None, self._lock.acquire):
                    await self._sync.poll()
                    self._recover(emit=True)
                    self._blocked = None
                    log.info("Processing this queue now (the other engine stopped)")
                    self._processor.start()
            except Exception:
                log.exception("Reading the queue's changes from other processes failed")

    @property
    def processing_blocked(self) -> str | None:
        """Why this manager does not process (another engine holds the folder), or None."""
        return self._blocked

    async def close(self) -> None:
        """Stop running phases (items resume next time), close the adapters, persist all."""
        if self._closed:
            return
        self._closed = True
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.cancel()
            await asyncio.gather(watcher, return_exceptions=True)
        await self._processor.close()
        try:
            if self.phases is not None:
                await self.phases.aclose()
        except Exception:
            log.exception("Closing the phase adapters failed")
        try:
            await self._state.writer.flush()
        finally:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self._executor, self._store.close)
            self._executor.shutdown(wait=True)
            self._lock.release()

    async def __aenter__(self) -> QueueManager:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def flush(self) -> None:
        """Wait until every change so far is on disk."""
        await self._state.writer.flush()

    # -- adding ------------------------------------------------------------------------------
    async def enqueue(self, url: str, *, text: str | None = None) -> EnqueueResult:
        """Queue a post link; raises ``LinkRejected`` (with ``.reason``) for anything else."""
        link = parse_post_link(url)
        key = f"sc:{link.shortcode}" if link.shortcode else f"url:{link.url}"
        existing = self._state.by_key(key)
        if existing is not None:
            requeued = False
            if text and existing.phase(PhaseName.EXTRACTION).status is not PhaseStatus.COMPLETED:
                await self._apply_text(existing, text)
                requeued = True
            elif existing.status is ItemStatus.ERROR:
                self._requeue(existing, "Queued again.")
                requeued = True
            # waiting for its next automatic try: left alone (adding it again must not use up
            # a retry); the caller offers Try now
            return EnqueueResult(item=existing.clone(), created=False, requeued=requeued)
        item = QueueItem(url=link.url, shortcode=link.shortcode, id=new_item_id())
        if text:
            _complete_with_text(item, text)
            QueueState.add_log(item, "Queued with the text you provided.")
        else:
            QueueState.add_log(item, "Queued.")
        self._state.add(item)
        self._processor.wake()
        return EnqueueResult(item=item.clone(), created=True)

    async def enqueue_links(
        self, links: list[PostLink], *, chunk: int = 250, hold: bool = False
    ) -> BulkEnqueueResult:
        """Queue many posts (an import) in one store transaction: all or nothing on disk.

        The items are made ``chunk`` at a time with the event loop free in between, their rows
        are built and written in one transaction on the store's thread (they are not shared
        yet), and only then do they join the queue, again ``chunk`` at a time: a window stays
        responsive (bench/import_bulk.py measures the worst stall). ``hold``: the new items
        wait until ``release`` (an import paused before it starts). Raises ``StoreError``
        (nothing queued) when the disk refuses.
        """
        items: list[QueueItem] = []
        keys: set[str] = set()
        already = 0
        for start in range(0, len(links), chunk):
            for link in links[start : start + chunk]:
                key = f"sc:{link.shortcode}" if link.shortcode else f"url:{link.url}"
                if key in keys:
                    continue
                keys.add(key)
                if self._state.by_key(key) is not None:
                    already += 1
                    continue
                item = QueueItem(url=link.url, shortcode=link.shortcode, id=new_item_id())
                QueueState.add_log(item, "Queued by an import.")
                items.append(item)
            await asyncio.sleep(0)
        if not items:
            return BulkEnqueueResult(created=0, already_queued=already)
        try:
            await self._state.writer.run(
                lambda: self._store.write([item_row(item) for item in items], [])
            )
        except sqlite3.Error as exc:
            raise StoreError(storage_problem(self._store.path, exc)) from exc
        if hold:
            self._processor.held.update(item.id for item in items)
        created: list[str] = []
        for start in range(0, len(items), chunk):
            for item in items[start : start + chunk]:
                key = f"sc:{item.shortcode}" if item.shortcode else f"url:{item.url}"
                existing = self._state.by_key(key)
                if existing is not None and existing.id == item.id:
                    created.append(item.id)  # our row, adopted by the sync with other processes
                    continue
                if existing is not None:  # the same post was added meanwhile
                    self._state.writer.delete(item.id)
                    self._processor.held.discard(item.id)
                    already += 1
                    continue
                self._state.add(item, persist=False)
                created.append(item.id)
            self._processor.wake()
            await asyncio.sleep(0)
        return BulkEnqueueResult(created=len(created), already_queued=already, item_ids=created)

    def hold(self, item_ids: Collection[str]) -> int:
        """Keep these items from starting (a paused import); running ones finish. Not kept
        across restarts. Returns how many are held now."""
        self._processor.held.update(i for i in item_ids if self._state.get(i) is not None)
        return len(self._processor.held)

    def release(self, item_ids: Collection[str]) -> None:
        """Let held items start again."""
        self._processor.held.difference_update(item_ids)
        self._processor.wake()

    def is_held(self, item_id: str) -> bool:
        return item_id in self._processor.held

    # -- reading -----------------------------------------------------------------------------
    def get(self, item_id: str) -> QueueItem | None:
        item = self._state.get(item_id)
        return item.clone() if item else None

    def has_post_key(self, key: str) -> bool:
        """Whether the post of this dedupe key (``core.bulk_import.post_key``) is queued."""
        return self._state.by_key(key) is not None

    def find_by_shortcode(self, shortcode: str) -> QueueItem | None:
        item = self._state.by_key(f"sc:{shortcode}")
        return item.clone() if item else None

    def page(
        self,
        status: ItemStatus | Collection[ItemStatus] | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        awaiting_review: bool = False,
    ) -> ItemPage:
        """Newest first, optionally only some statuses (or only items held for review)."""
        if status is None:
            wanted = None
        elif isinstance(status, ItemStatus | str):
            wanted = {ItemStatus(status)}
        else:
            wanted = {ItemStatus(s) for s in status}
        limit = max(0, limit)
        offset = max(0, offset)
        matching = [
            item
            for item in reversed(list(self._state))
            if (wanted is None or item.status in wanted)
            and (not awaiting_review or item.waiting_for_review)
        ]
        page = matching[offset : offset + limit]
        return ItemPage(
            items=[item.clone() for item in page],
            total=len(matching),
            has_more=offset + len(page) < len(matching),
        )

    def all_items(self) -> list[QueueItem]:
        return [item.clone() for item in self._state]

    def counts(self) -> dict[ItemStatus, int]:
        return self._state.counts()

    # -- actions -----------------------------------------------------------------------------
    async def retry(self, item_id: str) -> ActionResult:
        item = self._state.get(item_id)
        if item is None:
            return ActionResult(False, "No such item.")
        if item.waiting_for_review:
            return ActionResult(False, "It is waiting for your review; approve it to save it.")
        if item.status is ItemStatus.PENDING:
            return ActionResult(False, "It is already waiting to be processed.")
        if item.status is ItemStatus.IN_PROGRESS:
            return ActionResult(False, "It is being processed right now.")
        if item.status is ItemStatus.SUCCESS:
            return ActionResult(False, "It has already been saved; use reprocess to redo a step.")
        phase = item.next_phase()
        where = phase.value if phase else "the end"
        if item.status is ItemStatus.UNHEALTHY:
            self._try_now(item)
            return ActionResult(
                True, f"Trying now at {where}; this try does not count against the retries."
            )
        self._requeue(item, "Retry requested.")
        return ActionResult(True, f"Queued again; it resumes at {where}.")

    async def try_now(self, item_id: str) -> ActionResult:
        """Start an item that waits for its next automatic try at once, without using up one
        of its automatic retries (a failure schedules the same retry again)."""
        item = self._state.get(item_id)
        if item is None:
            return ActionResult(False, "No such item.")
        if item.status is not ItemStatus.UNHEALTHY:
            return ActionResult(False, "It is not waiting for a retry.")
        self._try_now(item)
        return ActionResult(True, "Trying now; this try does not count against the retries.")

    def _try_now(self, item: QueueItem) -> None:
        item.options[MANUAL_ATTEMPT] = True
        self._requeue(item, "Try now requested (not counted against the automatic retries).")

    async def retry_all_failed(self) -> int:
        count = 0
        for item_id in self._state.ids_with_status(ItemStatus.ERROR) + self._state.ids_with_status(
            ItemStatus.UNHEALTHY
        ):
            item = self._state.get(item_id)
            if item is None:
                continue
            if item.status is ItemStatus.UNHEALTHY:
                self._try_now(item)
            else:
                self._requeue(item, "Retry requested.")
            count += 1
        return count

    def _requeue(self, item: QueueItem, note: str) -> None:
        if item.status is ItemStatus.ERROR:
            item.attempts = 0  # a fresh round of automatic retries
        phase = item.next_phase()
        if phase is not None and item.phase(phase).status is PhaseStatus.ERROR:
            item.phase(phase).status = PhaseStatus.PENDING
            item.phase(phase).progress = None
        item.status = ItemStatus.PENDING
        item.error = None
        item.next_retry_at = None
        QueueState.add_log(item, note, phase)
        self._state.changed(item)
        self._processor.wake()

    async def approve(self, item_id: str, recipe: Recipe | None = None) -> ActionResult:
        """Let an item held for review go on to uploading, as parsed or with ``recipe`` (the
        person's edit, already validated) in place of the parsed one."""
        item = self._state.get(item_id)
        if item is None:
            return ActionResult(False, "No such item.")
        if not item.waiting_for_review:
            return ActionResult(False, f"It is not waiting for review: {_state_words(item)}.")
        if recipe is not None:
            item.results.recipe = recipe.to_json()
        item.awaiting_review = False
        item.review_reason = None
        QueueState.add_log(
            item,
            "Approved with your changes." if recipe is not None else "Approved.",
            PhaseName.UPLOADING,
        )
        self._state.changed(item)
        self._processor.wake()
        return ActionResult(True, "Approved; it is being saved.")

    @property
    def review_count(self) -> int:
        """Items held for the person's review."""
        return self._state.review_count

    async def remove(self, item_id: str) -> ActionResult:
        item = self._state.get(item_id)
        if item is None:
            return ActionResult(False, "No such item.")
        await self._processor.stop_item(item_id, CANCEL_DETACH)
        self._state.remove(item_id)
        downloaded = _downloaded_media(item)
        if downloaded:
            await asyncio.get_running_loop().run_in_executor(None, self._delete_media, downloaded)
        return ActionResult(True, "Removed.")

    def _delete_media(self, relatives: list[str]) -> None:
        """Delete a removed item's downloaded pictures (Tandoor and the local library keep their
        own copies); only ever files inside the app's media folder."""
        media_dir = self.paths.media_dir.resolve()
        for relative in relatives:
            path = (self.paths.data_dir / relative).resolve()
            if media_dir not in path.parents:
                continue
            with contextlib.suppress(OSError):
                path.unlink()

    async def cancel(self, item_id: str) -> ActionResult:
        item = self._state.get(item_id)
        if item is None:
            return ActionResult(False, "No such item.")
        if await self._processor.stop_item(item_id, CANCEL_USER):
            return ActionResult(True, "Cancelled.")
        if item.status not in (ItemStatus.PENDING, ItemStatus.UNHEALTHY):
            return ActionResult(False, "It is not waiting or running.")
        _clear_review(item)
        item.status = ItemStatus.ERROR
        item.next_retry_at = None
        item.error = ItemError(
            message="Cancelled",
            kind=ErrorKind.PERMANENT,
            phase=item.next_phase(),
            code="cancelled",
            suggestion="Use Retry to process it again.",
        )
        QueueState.add_log(item, "Cancelled.", item.next_phase(), "warning")
        self._state.changed(item)
        return ActionResult(True, "Cancelled.")

    async def provide_text(self, item_id: str, text: str) -> ActionResult:
        item = self._state.get(item_id)
        if item is None:
            return ActionResult(False, "No such item.")
        if not text.strip():
            return ActionResult(False, "The text is empty.")
        await self._apply_text(item, text)
        return ActionResult(True, "Thanks; the recipe will be read from your text.")

    async def _apply_text(self, item: QueueItem, text: str) -> None:
        await self._processor.stop_item(item.id, CANCEL_DETACH)
        for phase in (PhaseName.PARSING, PhaseName.UPLOADING):
            _reset_phase(item, phase)
        _complete_with_text(item, text)
        item.status = ItemStatus.PENDING
        item.error = None
        item.next_retry_at = None
        item.attempts = 0
        QueueState.add_log(
            item, "Text provided by you; reading the recipe from it.", PhaseName.EXTRACTION
        )
        self._state.changed(item)
        self._processor.wake()

    async def reprocess(
        self, item_id: str, from_phase: PhaseName, options: dict[str, Any] | None = None
    ) -> ActionResult:
        """Run ``from_phase`` and the later phases again (e.g. parse again, upload again)."""
        item = self._state.get(item_id)
        if item is None:
            return ActionResult(False, "No such item.")
        from_phase = PhaseName(from_phase)
        await self._processor.stop_item(item_id, CANCEL_DETACH)
        for phase in PHASE_ORDER[PHASE_ORDER.index(from_phase) :]:
            _reset_phase(item, phase)
        item.options = dict(options or {})
        item.status = ItemStatus.PENDING
        item.error = None
        item.next_retry_at = None
        item.attempts = 0
        start = item.next_phase()
        QueueState.add_log(
            item, f"Processing again from {start.value if start else 'the end'}.", start
        )
        self._state.changed(item)
        self._processor.wake()
        return ActionResult(True, f"Queued again from {from_phase.value}.")

    async def resend(
        self, item_id: str, as_new: bool = False, recipe: Recipe | None = None
    ) -> ActionResult:
        """Send a saved item's recipe again (``recipe``, already validated, replaces it first):
        into the Tandoor recipe the app made or linked for it (updated in place: steps,
        ingredients, keywords and photo replaced, then read back), or with ``as_new`` as a
        separate new recipe. Only the uploading phase runs again."""
        item = self._state.get(item_id)
        if item is None:
            return ActionResult(False, "No such item.")
        if item.status is not ItemStatus.SUCCESS or not item.results.recipe:
            return ActionResult(
                False, f"Only a saved recipe can be sent again: {_state_words(item)}."
            )
        previous_url = item.results.tandoor_url
        in_tandoor = item.destination == "tandoor"
        _reset_phase(item, PhaseName.UPLOADING)
        if recipe is not None:
            item.results.recipe = recipe.to_json()
        item.options = {FORCE_NEW_RECIPE: True} if as_new else {UPDATE_IN_PLACE: True}
        item.status = ItemStatus.PENDING
        item.error = None
        item.next_retry_at = None
        item.attempts = 0
        if as_new:
            note = "Sending again as a new recipe."
        elif in_tandoor:
            note = "Sending again into the same recipe (it is updated in place)."
        else:
            note = "Sending again."
        if recipe is not None:
            note = "With your changes: " + note[0].lower() + note[1:]
        QueueState.add_log(item, note, PhaseName.UPLOADING)
        self._state.changed(item)
        self._processor.wake()
        if as_new or not in_tandoor:
            return ActionResult(True, note)
        return ActionResult(True, note, tandoor_url=previous_url)

    # -- processing control ------------------------------------------------------------------
    def pause(self) -> None:
        """Start no new items (running ones finish)."""
        self._processor.paused = True

    def resume(self) -> None:
        """Start items again (also after processing stopped itself, see ``stop_reason``)."""
        self._processor.resume()

    @property
    def stop_reason(self) -> str | None:
        """Why processing stopped by itself (e.g. Tandoor refuses the token for every item):
        the items wait, nothing failed; ``resume`` once it is fixed. None otherwise."""
        return self._processor.stop_reason

    async def wait_until_stopped(self) -> None:
        """Return once processing stopped by itself (see ``stop_reason``)."""
        await self._processor.stopped.wait()

    @property
    def paused(self) -> bool:
        return self._processor.paused

    @property
    def processing_enabled(self) -> bool:
        return bool(self.settings.get("QUEUE_PROCESSING_ENABLED"))

    def settings_changed(self) -> None:
        """Call after changing settings: concurrency and on/off apply at once, and items that
        waited for a setting (the Tandoor token) go on."""
        for item_id in self._state.ids_with_status(ItemStatus.UNHEALTHY):
            item = self._state.get(item_id)
            if item is not None and item.waiting_for_settings:
                self._requeue(item, "The settings changed; going on.")
        self._processor.wake()

    @property
    def waiting_for_settings(self) -> int:
        """Items parked until the person changes a setting (see ``core.errors.SettingsNeeded``)."""
        return sum(
            1
            for item_id in self._state.ids_with_status(ItemStatus.UNHEALTHY)
            if (item := self._state.get(item_id)) is not None and item.waiting_for_settings
        )

    @property
    def running_count(self) -> int:
        return self._processor.running_count

    def subscribe(self, callback: Callable[[QueueEvent], None]) -> Callable[[], None]:
        return self._state.subscribe(callback)

    async def wait_until_idle(self) -> None:
        """Return once nothing is pending, running or waiting for a retry."""
        await self._state.idle.wait()
