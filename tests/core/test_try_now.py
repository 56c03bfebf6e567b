"""A link that waits for its next automatic try: adding it again or Retry must not use up a
retry (issue 17: two pastes and one Retry made an item Failed within 42 s)."""

from __future__ import annotations

import asyncio

from instarecipe_desktop.core.items import ItemStatus
from tests.core.conftest import post_url
from tests.support.fake_phases import FakePhases

WAIT = {"kind": "recoverable", "message": "Instagram is rate limiting.", "retry_after": 600}


async def _until_waiting(manager, item_id: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(500):
        if manager.get(item_id).status is ItemStatus.UNHEALTHY:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"not waiting for a retry: {manager.get(item_id).status}")


async def _waiting(manager, fake: FakePhases) -> str:  # type: ignore[no-untyped-def]
    item_id = (await manager.enqueue(post_url(1))).item.id
    await fake.wait_for_call("extraction")
    await _until_waiting(manager, item_id)
    return item_id


async def test_adding_a_waiting_link_again_leaves_it_waiting_and_runs_nothing(
    manager_factory,
) -> None:
    fake = FakePhases(outcomes={"extraction": [WAIT]})
    async with manager_factory(fake, QUEUE_RETRY_ATTEMPTS="2") as manager:
        item_id = await _waiting(manager, fake)
        before = manager.get(item_id)
        assert before.attempts == 1 and before.next_retry_at is not None
        for _ in range(2):
            again = await manager.enqueue(post_url(1))
            assert not again.created and not again.requeued
            assert again.item.status is ItemStatus.UNHEALTHY
        after = manager.get(item_id)
        assert after.attempts == 1 and after.next_retry_at == before.next_retry_at
    assert fake.count("extraction") == 1


async def test_try_now_runs_at_once_and_a_failure_uses_up_no_retry(manager_factory) -> None:
    fake = FakePhases(outcomes={"extraction": [WAIT, WAIT, WAIT, WAIT]})
    async with manager_factory(fake, QUEUE_RETRY_ATTEMPTS="1") as manager:
        item_id = await _waiting(manager, fake)
        for number in (2, 3):  # with one automatic retry, a counted failure would end it
            result = await manager.try_now(item_id)
            assert result.success and "not count" in result.message
            await fake.wait_for_call("extraction", count=number)
            await _until_waiting(manager, item_id)
            item = manager.get(item_id)
            assert item.status is ItemStatus.UNHEALTHY and item.attempts == 1
            assert item.next_retry_at is not None
            assert "manualAttempt" not in item.options
            assert "Not counted" in item.log[-1].message
        retry = await manager.retry(item_id)  # Retry on a waiting item is a Try now too
        assert retry.success and "does not count" in retry.message
        await fake.wait_for_call("extraction", count=4)
        await _until_waiting(manager, item_id)
        assert manager.get(item_id).status is ItemStatus.UNHEALTHY
        assert manager.get(item_id).attempts == 1


async def test_try_now_that_works_finishes_the_item(manager_factory) -> None:
    fake = FakePhases(outcomes={"extraction": [WAIT]})
    async with manager_factory(fake) as manager:
        item_id = await _waiting(manager, fake)
        assert (await manager.try_now(item_id)).success
        await manager.wait_until_idle()
        item = manager.get(item_id)
        assert item.status is ItemStatus.SUCCESS and "manualAttempt" not in item.options
        refused = await manager.try_now(item_id)
        assert not refused.success and "not waiting" in refused.message
        assert not (await manager.try_now("no-such-id")).success
