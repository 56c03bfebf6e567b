"""The processor with scripted fake phases: timeouts, retries, backoff, concurrency, bugs."""

from __future__ import annotations

import asyncio
import random

from instarecipe_desktop.core.backoff import Backoff
from instarecipe_desktop.core.items import (
    ErrorKind,
    ItemStatus,
    PhaseName,
    PhaseStatus,
    QueueEvent,
    utcnow,
)
from instarecipe_desktop.core.processor import EngineTuning
from tests.core.conftest import FAST, code, post_url
from tests.support.fake_phases import FakePhases


def test_backoff_schedule_grows_exponentially_with_bounded_jitter() -> None:
    backoff = Backoff(base=5, factor=2, cap=60, jitter=0.2)
    assert backoff.schedule(6) == [5, 10, 20, 40, 60, 60]
    rng = random.Random(7)
    for attempt, nominal in enumerate(backoff.schedule(6), start=1):
        delays = [backoff.delay(attempt, rng=rng) for _ in range(200)]
        assert all(nominal * 0.8 <= d <= nominal * 1.2 for d in delays)
        assert max(delays) - min(delays) > nominal * 0.2  # jitter actually spreads them


def test_backoff_honours_a_longer_retry_after() -> None:
    backoff = Backoff(base=5, jitter=0)
    assert backoff.delay(1, retry_after=600) == 600
    assert backoff.delay(3, retry_after=1) == 20  # never shorter than the backoff


async def test_retry_after_sets_next_retry_time(manager_factory) -> None:
    fake = FakePhases(
        outcomes={
            "extraction": [
                {
                    "kind": "recoverable",
                    "message": "Instagram is rate limiting.",
                    "suggestion": "Waiting 10 minutes.",
                    "retry_after": 600,
                }
            ]
        }
    )
    async with manager_factory(fake) as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await fake.wait_for_call("extraction")
        while manager.get(item_id).status is not ItemStatus.UNHEALTHY:
            await asyncio.sleep(0)
        item = manager.get(item_id)
        assert item.error.kind is ErrorKind.RECOVERABLE
        assert item.error.suggestion == "Waiting 10 minutes."
        wait = (item.next_retry_at - utcnow()).total_seconds()
        assert 590 < wait <= 600
        assert manager.counts()[ItemStatus.UNHEALTHY] == 1


async def test_retries_exhausted_turn_unhealthy_into_error(manager_factory) -> None:
    fake = FakePhases(outcomes={"uploading": ["recoverable"] * 10})
    seen: list[ItemStatus] = []
    async with manager_factory(fake, QUEUE_RETRY_ATTEMPTS="2") as manager:
        manager.subscribe(lambda e: seen.append(e.item.status))
        item_id = (await manager.enqueue(post_url(1))).item.id
        await manager.wait_until_idle()
        item = manager.get(item_id)
    assert fake.count("uploading") == 3  # the first try and two automatic retries
    assert seen.count(ItemStatus.UNHEALTHY) == 2
    assert item.status is ItemStatus.ERROR
    assert item.error.kind is ErrorKind.PERMANENT
    assert "Tried 3 times" in item.error.suggestion
    assert item.attempts == 3


async def test_phase_timeout_is_a_recoverable_failure(manager_factory) -> None:
    fake = FakePhases(outcomes={"parsing": ["hang", "ok"]})
    tuning = EngineTuning(backoff=FAST.backoff, timeout_s=0.05)
    async with manager_factory(fake, tuning=tuning) as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await manager.wait_until_idle()
        item = manager.get(item_id)
    assert item.status is ItemStatus.SUCCESS
    assert fake.count("parsing") == 2
    timeout_logs = [e.message for e in item.log if "Timed out" in e.message]
    assert timeout_logs and timeout_logs[0].startswith("Timed out after 0.1 s while parsing.")


async def test_parsing_uses_its_own_longer_timeout(manager_factory) -> None:
    async with manager_factory(
        start=False, QUEUE_TIMEOUT_MS="2000", QUEUE_PARSE_TIMEOUT_MS="90000"
    ) as manager:
        processor = manager._processor
        assert processor._timeout_for(PhaseName.EXTRACTION) == 2.0
        assert processor._timeout_for(PhaseName.PARSING) == 90.0
        assert processor._timeout_for(PhaseName.UPLOADING) == 2.0


async def test_extraction_with_transcription_gets_the_longer_parsing_timeout(
    manager_factory,
) -> None:
    async with manager_factory(
        start=False,
        QUEUE_TIMEOUT_MS="2000",
        QUEUE_PARSE_TIMEOUT_MS="90000",
        TRANSCRIBE_AUDIO="true",
    ) as manager:
        processor = manager._processor
        assert processor._timeout_for(PhaseName.EXTRACTION) == 90.0
        assert processor._timeout_for(PhaseName.UPLOADING) == 2.0


async def test_concurrency_limit_is_never_exceeded(manager_factory) -> None:
    fake = FakePhases(latency={"extraction": 0.01, "parsing": 0.02, "uploading": 0.01})
    async with manager_factory(fake, QUEUE_CONCURRENCY="3") as manager:
        for n in range(12):
            await manager.enqueue(post_url(n))
        await manager.wait_until_idle()
        assert manager.counts()[ItemStatus.SUCCESS] == 12
        assert manager._processor.max_running_seen == 3
    assert fake.max_active_items == 3


async def test_a_bug_in_a_phase_fails_the_item_without_a_traceback(manager_factory, paths) -> None:
    from instarecipe_desktop.core.logging_setup import configure_logging, remove_handlers

    configure_logging(paths)
    fake = FakePhases(items={code(1): {"outcomes": {"parsing": ["crash"]}}})
    async with manager_factory(fake) as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await manager.wait_until_idle()
        item = manager.get(item_id)
        ok_id = (await manager.enqueue(post_url(2))).item.id
        await manager.wait_until_idle()
        assert manager.get(ok_id).status is ItemStatus.SUCCESS  # the engine kept going
    remove_handlers()
    assert item.status is ItemStatus.ERROR
    assert item.error.message == "Unexpected problem in parsing: RuntimeError"
    assert "Traceback" not in str(item.to_json())
    assert fake.count("parsing", code(1)) == 1  # a bug is not retried
    text = paths.log_file.read_text()
    assert "Traceback" in text and "scripted crash in parsing" in text


async def test_retry_resumes_at_the_failed_phase(manager_factory) -> None:
    fake = FakePhases(outcomes={"uploading": ["permanent"]})
    async with manager_factory(fake) as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await manager.wait_until_idle()
        assert manager.get(item_id).status is ItemStatus.ERROR
        result = await manager.retry(item_id)
        assert result.success and "uploading" in result.message
        await manager.wait_until_idle()
        item = manager.get(item_id)
    assert item.status is ItemStatus.SUCCESS
    assert (fake.count("extraction"), fake.count("parsing"), fake.count("uploading")) == (1, 1, 2)


async def test_cancel_a_running_item(manager_factory) -> None:
    fake = FakePhases(outcomes={"parsing": ["hang"]})
    async with manager_factory(fake) as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await fake.wait_for_call("parsing")
        result = await manager.cancel(item_id)
        assert result.success
        item = manager.get(item_id)
        assert item.status is ItemStatus.ERROR and item.error.message == "Cancelled"
        assert item.phase(PhaseName.PARSING).status is PhaseStatus.ERROR
        assert item.phase(PhaseName.EXTRACTION).status is PhaseStatus.COMPLETED
        assert manager.running_count == 0
        assert not (await manager.cancel(item_id)).success


async def test_close_mid_phase_puts_the_item_back_and_it_resumes(manager_factory) -> None:
    fake = FakePhases(outcomes={"parsing": ["hang"]})
    async with manager_factory(fake) as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await fake.wait_for_call("parsing")
    assert fake.active == 0  # nothing left running
    async with manager_factory(start=False) as manager:
        item = manager.get(item_id)
        assert item.status is ItemStatus.PENDING
        assert item.phase(PhaseName.EXTRACTION).status is PhaseStatus.COMPLETED
        assert item.phase(PhaseName.PARSING).status is PhaseStatus.PENDING
        assert item.results.extracted_text
    second = FakePhases()
    async with manager_factory(second) as manager:
        await manager.wait_until_idle()
        assert manager.get(item_id).status is ItemStatus.SUCCESS
    assert second.count("extraction") == 0 and second.count("parsing") == 1


async def test_remove_cancels_a_running_item(manager_factory) -> None:
    fake = FakePhases(outcomes={"extraction": ["hang"]})
    removed: list[str] = []
    async with manager_factory(fake) as manager:
        manager.subscribe(lambda e: removed.append(e.item.id) if e.type == "removed" else None)
        item_id = (await manager.enqueue(post_url(1))).item.id
        await fake.wait_for_call("extraction")
        assert (await manager.remove(item_id)).success
        assert manager.get(item_id) is None and manager.running_count == 0
        assert removed == [item_id]
        assert not (await manager.remove(item_id)).success
    async with manager_factory(start=False) as manager:
        assert manager.all_items() == []


async def test_pause_holds_new_items_and_resume_releases_them(manager_factory) -> None:
    fake = FakePhases()
    async with manager_factory(fake) as manager:
        manager.pause()
        assert manager.paused
        item_id = (await manager.enqueue(post_url(1))).item.id
        for _ in range(20):
            await asyncio.sleep(0)
        assert manager.get(item_id).status is ItemStatus.PENDING
        manager.resume()
        await manager.wait_until_idle()
        assert manager.get(item_id).status is ItemStatus.SUCCESS


async def test_processing_disabled_still_accepts_items(manager_factory) -> None:
    fake = FakePhases()
    async with manager_factory(fake, QUEUE_PROCESSING_ENABLED="false") as manager:
        assert not manager.processing_enabled
        item_id = (await manager.enqueue(post_url(1))).item.id
        for _ in range(20):
            await asyncio.sleep(0)
        assert manager.get(item_id).status is ItemStatus.PENDING
    assert fake.count("extraction") == 0


async def test_progress_reports_reach_subscribers(manager_factory) -> None:
    fake = FakePhases(latency={"parsing": 0.02})
    progress: list[tuple[str | None, int | None]] = []

    def on_event(event: QueueEvent) -> None:
        state = event.item.phase(PhaseName.PARSING)
        if state.status is PhaseStatus.IN_PROGRESS:
            progress.append((state.message, state.progress))

    async with manager_factory(fake) as manager:
        manager.subscribe(on_event)
        await manager.enqueue(post_url(1))
        await manager.wait_until_idle()
    assert ("fake parsing", 10) in progress


async def test_unhealthy_item_is_not_retried_before_its_time(manager_factory) -> None:
    fake = FakePhases(outcomes={"extraction": ["recoverable"]})
    tuning = EngineTuning(backoff=Backoff(base=0.05, jitter=0))
    async with manager_factory(fake, tuning=tuning) as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await fake.wait_for_call("extraction")
        while manager.get(item_id).status is not ItemStatus.UNHEALTHY:
            await asyncio.sleep(0)
        scheduled = manager.get(item_id).next_retry_at
        assert scheduled is not None
        await fake.wait_for_call("extraction", count=2)
        assert utcnow() >= scheduled  # the second attempt waited for its scheduled time
        await manager.wait_until_idle()
        assert manager.get(item_id).status is ItemStatus.SUCCESS


async def test_new_concurrency_applies_without_restart(manager_factory) -> None:
    fake = FakePhases(outcomes={"extraction": ["hang"]})
    async with manager_factory(fake) as manager:
        manager.settings.set("QUEUE_CONCURRENCY", 1)
        manager.settings_changed()
        for n in range(4):
            await manager.enqueue(post_url(n))
        await fake.wait_for_call("extraction")
        for _ in range(20):
            await asyncio.sleep(0)
        assert manager.running_count == 1
        manager.settings.set("QUEUE_CONCURRENCY", 3)
        manager.settings_changed()
        while fake.count("extraction") < 3:
            await asyncio.sleep(0)
        assert manager.running_count == 3
        assert manager.counts()[ItemStatus.PENDING] == 1
