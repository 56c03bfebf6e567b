from __future__ import annotations

import pytest

from instarecipe_desktop.core.items import ItemStatus, PhaseName, PhaseStatus
from instarecipe_desktop.core.links import LinkRejected
from tests.core.conftest import post_url
from tests.support.fake_phases import FakePhases


async def test_three_phase_run_stores_every_output(manager_factory) -> None:
    fake = FakePhases()
    async with manager_factory(fake) as manager:
        result = await manager.enqueue(post_url(1))
        assert result.created and result.item.status is ItemStatus.PENDING
        await manager.wait_until_idle()
        item = manager.get(result.item.id)
    assert item is not None
    assert item.status is ItemStatus.SUCCESS
    assert [p.status for p in item.phases] == [PhaseStatus.COMPLETED] * 3
    assert item.results.extracted_text.startswith("Fake caption of CODE1xyz")
    assert item.results.recipe["name"] == "Recipe from CODE1xyz"
    assert item.results.tandoor_url == "http://tandoor.invalid/recipe/1/"
    assert item.destination == "tandoor"
    assert item.usage == {"model": "fake", "totalTokens": 42}
    assert fake.count("extraction") == fake.count("parsing") == fake.count("uploading") == 1
    assert fake.closed


async def test_non_post_link_is_rejected_with_reason(manager_factory) -> None:
    async with manager_factory(start=False) as manager:
        with pytest.raises(LinkRejected) as info:
            await manager.enqueue("https://example.org/p/ABCDEF/")
        assert "not an Instagram link" in info.value.reason
        assert manager.counts()[ItemStatus.PENDING] == 0


async def test_recoverable_failure_retries_then_succeeds(manager_factory) -> None:
    fake = FakePhases(outcomes={"parsing": ["recoverable", "recoverable"]})
    async with manager_factory(fake) as manager:
        item_id = (await manager.enqueue(post_url(2))).item.id
        await manager.wait_until_idle()
        item = manager.get(item_id)
    assert item.status is ItemStatus.SUCCESS
    assert fake.count("parsing") == 3
    assert fake.count("extraction") == 1  # retries resume at the failed phase
    assert item.attempts == 0 and item.error is None


async def test_permanent_failure_goes_straight_to_error(manager_factory) -> None:
    fake = FakePhases(
        outcomes={
            "uploading": [
                {
                    "kind": "permanent",
                    "message": "Tandoor rejected the token.",
                    "suggestion": "Check Settings.",
                    "code": "tandoor_auth",
                }
            ]
        }
    )
    async with manager_factory(fake) as manager:
        item_id = (await manager.enqueue(post_url(3))).item.id
        await manager.wait_until_idle()
        item = manager.get(item_id)
    assert item.status is ItemStatus.ERROR
    assert item.error.message == "Tandoor rejected the token."
    assert item.error.suggestion == "Check Settings."
    assert item.error.phase is PhaseName.UPLOADING
    assert item.error.code == "tandoor_auth"
    assert item.phase(PhaseName.UPLOADING).status is PhaseStatus.ERROR
    assert fake.count("uploading") == 1
