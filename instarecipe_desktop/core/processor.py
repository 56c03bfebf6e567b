"""The workers: run items through extraction -> parsing -> uploading.

One dispatcher task owns an ``asyncio.TaskGroup`` with one task per running item, never more
than ``QUEUE_CONCURRENCY`` at once. Each phase runs under its own timeout; a ``PhaseError``
decides what happens next (recoverable: ``unhealthy`` and an automatic retry after a backoff,
until ``QUEUE_RETRY_ATTEMPTS`` is used up; permanent: ``error``). A phase that raises anything
else is a bug: it is logged with its traceback and the item fails with a short message.

Outputs of a finished phase are stored on the item at once, so a retry or a restart resumes
at the first unfinished phase. Cancelling the dispatcher (shutdown) cancels the running items
and puts them back to ``pending`` at the phase they were in.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from instarecipe_desktop.core.backoff import Backoff, describe_delay
from instarecipe_desktop.core.errors import (
    WAITING_FOR_SETTINGS,
    PermanentError,
    PhaseError,
    RecoverableError,
    SettingsNeeded,
)
from instarecipe_desktop.core.items import (
    PHASE_ORDER,
    ErrorKind,
    ItemError,
    ItemStatus,
    PhaseName,
    PhaseStatus,
    QueueItem,
    utcnow,
)
from instarecipe_desktop.core.phases import (
    Extraction,
    ParseOutcome,
    Phases,
    UploadOutcome,
)
from instarecipe_desktop.core.queue_state import QueueState, dedupe_key
from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.core.review import review_reason
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.core.store import StoreError

log = logging.getLogger(__name__)

PROGRESS_EVENT_INTERVAL = 0.1  # seconds between two progress events of one item
CLOSE_GRACE_S = 10.0  # how long close() waits for cancelled phases to end
PHASE_VERB = {
    PhaseName.EXTRACTION: "reading the post",
    PhaseName.PARSING: "parsing",
    PhaseName.UPLOADING: "uploading",
}

# why a running item's task was cancelled
CANCEL_USER = "user"  # the person cancelled: error "Cancelled"
CANCEL_SHUTDOWN = "shutdown"  # the app stops: back to pending, resumes next time
CANCEL_DETACH = "detach"  # removed or reset by the manager: leave the item alone
MANUAL_ATTEMPT = "manualAttempt"  # item option: asked for by the person, not counted


@dataclass(frozen=True)
class EngineTuning:
    """Knobs for tests and benchmarks; the app uses the defaults and the settings."""

    backoff: Backoff = field(default_factory=Backoff.from_env)
    timeout_s: float | None = None  # overrides QUEUE_TIMEOUT_MS / QUEUE_PARSE_TIMEOUT_MS


class _Context:
    """The ``PhaseContext`` handed to an adapter while one phase of one item runs."""

    def __init__(self, processor: Processor, item: QueueItem, phase: PhaseName) -> None:
        self._processor = processor
        self._live = item
        self._snapshot = item.clone()
        self._phase = phase
        self._last_event = 0.0

    @property
    def item(self) -> QueueItem:
        return self._snapshot

    @property
    def phase(self) -> PhaseName:
        return self._phase

    @property
    def data_dir(self) -> Path:
        return self._processor.data_dir

    def progress(self, percent: int, message: str | None = None) -> None:
        state = self._live.phase(self._phase)
        if state.status is not PhaseStatus.IN_PROGRESS:
            return  # the phase was cancelled or timed out meanwhile
        percent = max(0, min(100, int(percent)))
        if state.progress == percent and (message is None or message == state.message):
            return
        message_changed = message is not None and message != state.message
        state.progress = percent
        if message is not None:
            state.message = message
        now = time.monotonic()
        if message_changed or now - self._last_event >= PROGRESS_EVENT_INTERVAL:
            self._last_event = now
            self._processor.state.changed(self._live, persist=False)

    def log(self, message: str, level: str = "info") -> None:
        if self._live.phase(self._phase).status is not PhaseStatus.IN_PROGRESS:
            return
        QueueState.add_log(self._live, message, self._phase, level)
        self._processor.state.changed(self._live)


class Processor:
    def __init__(
        self,
        state: QueueState,
        phases: Phases | None,
        settings: Settings,
        data_dir: Path,
        tuning: EngineTuning | None = None,
    ) -> None:
        self.state = state
        self.phases = phases
        self.settings = settings
        self.data_dir = data_dir
        self.tuning = tuning or EngineTuning()
        self.paused = False
        self.held: set[str] = set()  # pending items not to start (a paused import)
        self.stop_reason: str | None = None  # why processing stopped itself (see stop_queue)
        self.stopped = asyncio.Event()
        self._wake = asyncio.Event()
        self._dispatcher: asyncio.Task[None] | None = None
        self._running: dict[str, asyncio.Task[None]] = {}
        self._cancel_reason: dict[str, str] = {}
        self.max_running_seen = 0

    # -- control -----------------------------------------------------------------------------
    @property
    def started(self) -> bool:
        return self._dispatcher is not None and not self._dispatcher.done()

    def start(self) -> None:
        if self.started:
            return
        self._dispatcher = asyncio.create_task(self._dispatch_loop(), name="queue-dispatcher")

    def wake(self) -> None:
        self._wake.set()

    def is_running(self, item_id: str) -> bool:
        return item_id in self._running

    @property
    def running_count(self) -> int:
        return len(self._running)

    async def stop_item(self, item_id: str, reason: str) -> bool:
        """Cancel the running task of an item and wait for it; False when none runs."""
        task = self._running.get(item_id)
        if task is None:
            return False
        self._cancel_reason[item_id] = reason
        task.cancel()
        await asyncio.wait([task])
        return True

    async def close(self) -> None:
        """Cancel everything running (items go back to pending) and wait for it."""
        dispatcher, self._dispatcher = self._dispatcher, None
        if dispatcher is None:
            return
        dispatcher.cancel()
        done, _ = await asyncio.wait([dispatcher], timeout=CLOSE_GRACE_S)
        if not done:  # an adapter that ignores cancellation must not hang the app's exit
            log.error(
                "Phases still running %.0f s after cancelling them; not waiting longer",
                CLOSE_GRACE_S,
            )
            return
        if not dispatcher.cancelled() and dispatcher.exception() is not None:
            log.error("The queue dispatcher stopped with an error", exc_info=dispatcher.exception())

    # -- dispatching -------------------------------------------------------------------------
    def _concurrency(self) -> int:
        return int(self.settings.get("QUEUE_CONCURRENCY"))

    def _enabled(self) -> bool:
        return bool(self.settings.get("QUEUE_PROCESSING_ENABLED")) and not self.paused

    async def _dispatch_loop(self) -> None:
        async with asyncio.TaskGroup() as group:
            while True:
                self._wake.clear()
                delay = self._start_ready(group)
                if delay is None:
                    await self._wake.wait()
                else:
                    try:
                        async with asyncio.timeout(delay):
                            await self._wake.wait()
                    except TimeoutError:
                        pass

    def _start_ready(self, group: asyncio.TaskGroup) -> float | None:
        """Start what may start; return seconds until the next scheduled retry (or None)."""
        if not self._enabled():
            return None
        self._promote_due_retries()
        limit = self._concurrency()
        while len(self._running) < limit:
            item_id = self.state.first_ready(self.held)
            if item_id is None:
                break
            item = self.state.get(item_id)
            assert item is not None
            self._begin(item)
            task = group.create_task(self._run_item(item), name=f"queue-item-{item_id}")
            self._running[item_id] = task
            task.add_done_callback(functools.partial(self._task_done, item_id))
            self.max_running_seen = max(self.max_running_seen, len(self._running))
        return self._seconds_to_next_retry()

    def _task_done(self, item_id: str, _task: asyncio.Task[None]) -> None:
        self._finished(item_id)

    def _finished(self, item_id: str) -> None:
        self._running.pop(item_id, None)
        self._cancel_reason.pop(item_id, None)
        self._wake.set()

    def _promote_due_retries(self) -> None:
        now = utcnow()
        for item_id in self.state.ids_with_status(ItemStatus.UNHEALTHY):
            item = self.state.get(item_id)
            if item is None or (item.next_retry_at is not None and item.next_retry_at > now):
                continue
            if item.waiting_for_settings:
                continue  # goes on when the settings change (QueueManager.settings_changed)
            item.status = ItemStatus.PENDING
            item.next_retry_at = None
            self.state.changed(item)

    def _seconds_to_next_retry(self) -> float | None:
        times = [
            item.next_retry_at
            for item_id in self.state.ids_with_status(ItemStatus.UNHEALTHY)
            if (item := self.state.get(item_id)) is not None and item.next_retry_at is not None
        ]
        if not times:
            return None
        return max(0.0, (min(times) - utcnow()).total_seconds())

    def _begin(self, item: QueueItem) -> None:
        item.status = ItemStatus.IN_PROGRESS
        item.next_retry_at = None
        self.state.changed(item)

    # -- one item ----------------------------------------------------------------------------
    async def _run_item(self, item: QueueItem) -> None:
        phase: PhaseName | None = None
        try:
            while (phase := item.next_phase()) is not None:
                error = await self._run_phase(item, phase)
                if error is not None and error.stops_queue:
                    self._stop_queue(item, phase, error)
                    return
                if error is not None:
                    self._fail(item, phase, error)
                    return
                if item.status is not ItemStatus.IN_PROGRESS:
                    return  # ended by the phase's output (e.g. a duplicate post)
                if phase is PhaseName.PARSING and self._hold_for_review(item):
                    return
            item.status = ItemStatus.SUCCESS
            item.error = None
            item.attempts = 0
            QueueState.add_log(item, "Done.")
            self.state.changed(item)
            log.info("Saved %s -> %s", item.url, item.results.tandoor_url)
        except asyncio.CancelledError:
            self._on_cancelled(item, phase)
            raise
        except Exception as exc:  # a bug in the engine itself; never kill the task group
            log.exception("Unexpected problem while processing %s", item.url)
            where = phase.value if phase else "the queue"
            self._fail(
                item,
                phase,
                PermanentError(
                    f"Unexpected problem in {where}: {type(exc).__name__}",
                    suggestion="This is a bug; the log file has the details.",
                    code="internal",
                ),
            )

    def _hold_for_review(self, item: QueueItem) -> bool:
        """After parsing: keep the recipe for the person when REVIEW_BEFORE_SAVING asks for it
        (the item stays pending, not picked up, until ``QueueManager.approve``)."""
        recipe = Recipe.from_json(item.results.recipe or {})
        policy = str(self.settings.get("REVIEW_BEFORE_SAVING"))
        reason = review_reason(recipe, item.results.extracted_text or "", policy)
        if reason is None:
            return False
        item.status = ItemStatus.PENDING
        item.awaiting_review = True
        item.review_reason = reason
        QueueState.add_log(item, f"Ready for review. {reason}", PhaseName.PARSING)
        self.state.changed(item)
        log.info("Holding %s for review: %s", item.url, reason)
        return True

    def _timeout_for(self, phase: PhaseName) -> float:
        if self.tuning.timeout_s is not None:
            return self.tuning.timeout_s
        if phase is PhaseName.PARSING:
            return int(self.settings.get("QUEUE_PARSE_TIMEOUT_MS")) / 1000.0
        timeout_ms = int(self.settings.get("QUEUE_TIMEOUT_MS"))
        if phase is PhaseName.EXTRACTION and self.settings.get("TRANSCRIBE_AUDIO"):
            # downloading a video and transcribing it runs on the same (possibly slow, local)
            # server as parsing: it gets the parsing limit when that is longer
            timeout_ms = max(timeout_ms, int(self.settings.get("QUEUE_PARSE_TIMEOUT_MS")))
        return timeout_ms / 1000.0

    async def _run_phase(self, item: QueueItem, phase: PhaseName) -> PhaseError | None:
        state = item.phase(phase)
        state.status = PhaseStatus.IN_PROGRESS
        state.started_at = utcnow()
        state.completed_at = None
        state.progress = 0
        state.message = None
        attempt = item.attempts + 1
        if item.options.get(MANUAL_ATTEMPT):
            note = " (tried now, not counted)."
        else:
            note = f" (attempt {attempt})." if attempt > 1 else "."
        QueueState.add_log(item, f"Started {PHASE_VERB[phase]}{note}", phase)
        self.state.changed(item)
        ctx = _Context(self, item, phase)
        timeout = self._timeout_for(phase)
        try:
            async with asyncio.timeout(timeout):
                outcome = await self._call(phase, ctx, item)
        except TimeoutError:
            return RecoverableError(
                f"Timed out after {describe_delay(timeout)} while {PHASE_VERB[phase]}.",
                suggestion="It will be retried automatically.",
                code="timeout",
            )
        except PhaseError as exc:
            return exc
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("Unexpected problem in %s of %s", phase.value, item.url)
            return PermanentError(
                f"Unexpected problem in {phase.value}: {type(exc).__name__}",
                suggestion="This is a bug; the log file has the details.",
                code="internal",
            )
        self._store_outcome(item, phase, outcome)
        if item.status is ItemStatus.IN_PROGRESS:
            state.status = PhaseStatus.COMPLETED
            state.completed_at = utcnow()
            state.progress = 100
            state.message = None
            attempts, item.attempts = item.attempts, 0
            manual = item.options.pop(MANUAL_ATTEMPT, None)
            self.state.changed(item)
            try:
                await self.state.writer.flush()  # a finished phase is on disk before the next
            except StoreError as exc:  # full disk, read-only folder: said in words, retried
                item.attempts = attempts  # not finished after all: the retry limit still holds
                if manual:
                    item.options[MANUAL_ATTEMPT] = manual
                return RecoverableError(
                    str(exc),
                    code="storage",
                    suggestion=("It is retried automatically; nothing saved before is lost."),
                )
        return None

    async def _call(self, phase: PhaseName, ctx: _Context, item: QueueItem) -> Any:
        assert self.phases is not None, "started without phases"
        if phase is PhaseName.EXTRACTION:
            return await self.phases.extractor.extract(ctx)
        extraction = Extraction.from_item(item)
        if phase is PhaseName.PARSING:
            return await self.phases.parser.parse(ctx, extraction)
        recipe = Recipe.from_json(item.results.recipe or {})
        return await self.phases.uploader.upload(ctx, recipe, extraction)

    def _store_outcome(self, item: QueueItem, phase: PhaseName, outcome: Any) -> None:
        if phase is PhaseName.EXTRACTION:
            assert isinstance(outcome, Extraction), f"extractor returned {type(outcome).__name__}"
            item.results.extracted_text = outcome.text
            item.results.thumbnail = outcome.thumbnail
            item.post = dict(outcome.post)
            self._adopt_shortcode(item, outcome.post)
        elif phase is PhaseName.PARSING:
            assert isinstance(outcome, ParseOutcome), f"parser returned {type(outcome).__name__}"
            item.results.recipe = outcome.recipe.to_json()
            item.usage = outcome.usage
        else:
            assert isinstance(outcome, UploadOutcome), f"uploader returned {type(outcome).__name__}"
            item.results.tandoor_url = outcome.url
            item.destination = outcome.destination
            if outcome.linked_existing:
                QueueState.add_log(item, "Linked to a recipe that already existed.", phase)
            for warning in outcome.warnings:
                QueueState.add_log(item, warning, phase, "warning")
        QueueState.add_log(item, f"Finished {PHASE_VERB[phase]}.", phase)

    def _adopt_shortcode(self, item: QueueItem, post: dict[str, Any]) -> None:
        """A share link learns its post's shortcode: the same post may already be queued."""
        shortcode = post.get("shortcode")
        if item.shortcode or not shortcode:
            return
        other = self.state.by_key(f"sc:{shortcode}")
        if other is not None and other.id != item.id:
            item.shortcode = str(shortcode)
            item.url = str(post.get("canonicalUrl") or item.url)
            self._fail(
                item,
                PhaseName.EXTRACTION,
                PermanentError(
                    "This is the same post as an item already queued.",
                    suggestion=f"See the other item ({other.url}); this one can be removed.",
                    code="duplicate",
                    details=other.id,
                ),
            )
            return
        old_key = dedupe_key(item)
        item.shortcode = str(shortcode)
        item.url = str(post.get("canonicalUrl") or item.url)
        self.state.rekey(item, old_key)

    def _fail(self, item: QueueItem, phase: PhaseName | None, error: PhaseError) -> None:
        if isinstance(error, SettingsNeeded):
            self._wait_for_settings(item, phase, error)
            return
        manual = bool(item.options.pop(MANUAL_ATTEMPT, False))
        if not manual or item.attempts == 0:  # Try now uses up no automatic retry
            item.attempts += 1
        if phase is not None:
            state = item.phase(phase)
            state.status = PhaseStatus.ERROR
            state.message = None
        limit = int(self.settings.get("QUEUE_RETRY_ATTEMPTS"))
        retry = error.recoverable and item.attempts <= limit
        suggestion = error.suggestion
        if retry:
            delay = self.tuning.backoff.delay(item.attempts, error.retry_after)
            item.status = ItemStatus.UNHEALTHY
            item.next_retry_at = utcnow() + timedelta(seconds=delay)
            when = describe_delay(delay)
            if manual:
                note = f"Not counted: retry {item.attempts} of {limit} still comes, in {when}."
            else:
                note = f"Retry {item.attempts} of {limit} in {when}."
            QueueState.add_log(item, f"{error.message} {note}", phase, "warning")
            log.info(
                "%s failed in %s (%s); retry %d of %d in %.1f s",
                item.url,
                phase.value if phase else "-",
                error.message,
                item.attempts,
                limit,
                delay,
            )
        else:
            item.status = ItemStatus.ERROR
            item.next_retry_at = None
            if error.recoverable:
                suggestion = (
                    f"Tried {item.attempts} times without success; use Retry once "
                    "the problem is solved."
                )
            QueueState.add_log(item, error.message, phase, "error")
            log.info("%s failed in %s: %s", item.url, phase.value if phase else "-", error.message)
        item.error = ItemError(
            message=error.message,
            kind=ErrorKind.RECOVERABLE if retry else ErrorKind.PERMANENT,
            phase=phase,
            suggestion=suggestion,
            code=error.code,
            details=error.details,
        )
        self.state.changed(item)

    def _wait_for_settings(
        self, item: QueueItem, phase: PhaseName | None, error: SettingsNeeded
    ) -> None:
        """Park the item until the settings change; it uses up no retry."""
        item.options.pop(MANUAL_ATTEMPT, None)
        if phase is not None:
            state = item.phase(phase)
            state.status = PhaseStatus.PENDING
            state.progress = None
            state.message = None
        item.status = ItemStatus.UNHEALTHY
        item.next_retry_at = None
        item.error = ItemError(
            message=error.message,
            kind=ErrorKind.RECOVERABLE,
            phase=phase,
            suggestion=error.suggestion,
            code=WAITING_FOR_SETTINGS,
            details=error.details,
        )
        QueueState.add_log(item, str(error), phase, "warning")
        log.info("%s waits for the settings: %s", item.url, error.message)
        self.state.changed(item)

    def _stop_queue(self, item: QueueItem, phase: PhaseName, error: PhaseError) -> None:
        """A failure every item would meet: this one waits at its phase (no attempt used up),
        no new item starts, and the reason is said once until the person resumes."""
        state = item.phase(phase)
        state.status = PhaseStatus.PENDING
        state.progress = None
        state.message = None
        item.options.pop(MANUAL_ATTEMPT, None)
        item.status = ItemStatus.PENDING
        item.error = None
        item.next_retry_at = None
        QueueState.add_log(
            item,
            f"{error.message} Processing stopped; this waits until it is resumed.",
            phase,
            "warning",
        )
        self.state.changed(item)
        self.paused = True
        if self.stop_reason is None:
            self.stop_reason = (
                f"Processing stopped: {error.message}"
                + (f" {error.suggestion}" if error.suggestion else "")
                + " The other links wait; nothing is lost. Resume processing once it is fixed."
            )
            log.warning("Processing stopped: %s", self.stop_reason)
        self.stopped.set()

    def resume(self) -> None:
        self.paused = False
        self.stop_reason = None
        self.stopped.clear()
        self.wake()

    def _on_cancelled(self, item: QueueItem, phase: PhaseName | None) -> None:
        reason = self._cancel_reason.pop(item.id, CANCEL_SHUTDOWN)
        running = phase if phase is not None else PHASE_ORDER[0]
        state = item.phase(running)
        if reason == CANCEL_DETACH:  # the manager rewrites the item right after
            if state.status is PhaseStatus.IN_PROGRESS:
                state.status = PhaseStatus.PENDING
                state.progress = None
                state.message = None
            return
        if state.status is PhaseStatus.IN_PROGRESS:
            state.status = PhaseStatus.PENDING if reason == CANCEL_SHUTDOWN else PhaseStatus.ERROR
            state.progress = None
            state.message = None
        if reason == CANCEL_SHUTDOWN:
            item.status = ItemStatus.PENDING
            QueueState.add_log(item, "Stopped because the app was closing; it will resume.", phase)
        else:
            item.status = ItemStatus.ERROR
            item.error = ItemError(
                message="Cancelled",
                kind=ErrorKind.PERMANENT,
                phase=phase,
                suggestion="Use Retry to process it again.",
                code="cancelled",
            )
            QueueState.add_log(item, "Cancelled.", phase, "warning")
        self.state.changed(item)
