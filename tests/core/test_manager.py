"""QueueManager API: CRUD, dedupe, filters, pagination, events, reprocessing."""

from __future__ import annotations

import logging

import pytest

from instarecipe_desktop.core.items import (
    ItemStatus,
    PhaseName,
    PhaseStatus,
    QueueEvent,
    QueueEventType,
)
from tests.core.conftest import code, post_url
from tests.support.fake_phases import FakePhases


async def test_get_returns_snapshots(manager_factory) -> None:
    async with manager_factory(start=False) as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        snapshot = manager.get(item_id)
        snapshot.status = ItemStatus.SUCCESS
        snapshot.results.extracted_text = "changed"
        assert manager.get(item_id).status is ItemStatus.PENDING
        assert manager.get(item_id).results.extracted_text is None
        assert manager.get("no-such-id") is None
        assert manager.find_by_shortcode(code(1)).id == item_id
        assert manager.find_by_shortcode("nothere") is None


async def test_same_post_in_another_link_form_is_not_duplicated(manager_factory) -> None:
    async with manager_factory(start=False) as manager:
        first = await manager.enqueue(f"https://www.instagram.com/reel/{code(1)}/?igsh=abc")
        second = await manager.enqueue(f"instagram.com/someone/p/{code(1)}")
        assert first.created and not second.created and not second.requeued
        assert second.item.id == first.item.id
        assert len(manager.all_items()) == 1


async def test_enqueueing_a_failed_post_again_requeues_it(manager_factory) -> None:
    fake = FakePhases(outcomes={"parsing": ["permanent"]})
    async with manager_factory(fake) as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await manager.wait_until_idle()
        assert manager.get(item_id).status is ItemStatus.ERROR
        again = await manager.enqueue(post_url(1))
        assert not again.created and again.requeued
        assert again.item.status is ItemStatus.PENDING and again.item.error is None
        await manager.wait_until_idle()
        assert manager.get(item_id).status is ItemStatus.SUCCESS
        done = await manager.enqueue(post_url(1))
        assert not done.created and not done.requeued
    assert fake.count("extraction") == 1


async def test_list_filters_paginates_newest_first(manager_factory) -> None:
    fake = FakePhases(items={code(n): {"outcomes": {"parsing": ["permanent"]}} for n in (1, 3)})
    async with manager_factory(fake) as manager:
        ids = [(await manager.enqueue(post_url(n))).item.id for n in range(5)]
        await manager.wait_until_idle()
        page = manager.page(limit=2)
        assert [i.id for i in page.items] == [ids[4], ids[3]]
        assert page.total == 5 and page.has_more
        last = manager.page(limit=2, offset=4)
        assert [i.id for i in last.items] == [ids[0]] and not last.has_more
        errors = manager.page(ItemStatus.ERROR)
        assert [i.id for i in errors.items] == [ids[3], ids[1]] and errors.total == 2
        both = manager.page([ItemStatus.ERROR, ItemStatus.SUCCESS], limit=10)
        assert both.total == 5
        assert manager.page("success").total == 3
        assert manager.page(limit=0).items == [] and manager.page(limit=0).has_more
        assert manager.page(offset=10).items == []
        counts = manager.counts()
        assert counts[ItemStatus.SUCCESS] == 3 and counts[ItemStatus.ERROR] == 2
        assert counts[ItemStatus.PENDING] == 0
        assert manager.page(limit=1).to_json()["items"][0]["id"] == ids[4]
        assert [i.id for i in manager.all_items()] == ids


async def test_events_follow_an_item_and_unsubscribe_stops_them(manager_factory) -> None:
    fake = FakePhases()
    events: list[QueueEvent] = []
    async with manager_factory(fake) as manager:
        unsubscribe = manager.subscribe(events.append)
        item_id = (await manager.enqueue(post_url(1))).item.id
        await manager.wait_until_idle()
        assert events[0].type is QueueEventType.ADDED
        assert events[0].update.item_id == item_id
        assert events[0].update.status is ItemStatus.PENDING
        statuses = [e.update.status for e in events]
        assert ItemStatus.IN_PROGRESS in statuses and statuses[-1] is ItemStatus.SUCCESS
        final = events[-1].update.to_json()
        assert final["progress"] == 100
        assert final["results"]["tandoorUrl"].startswith("http://tandoor.invalid/")
        assert set(final) >= {"itemId", "status", "timestamp", "progress", "results"}
        events[-1].item.status = ItemStatus.ERROR  # a snapshot: the engine is not affected
        assert manager.get(item_id).status is ItemStatus.SUCCESS
        unsubscribe()
        unsubscribe()  # twice is harmless
        seen = len(events)
        await manager.remove(item_id)
        await manager.enqueue(post_url(2))
        await manager.wait_until_idle()
        assert len(events) == seen


async def test_failure_events_carry_the_error(manager_factory) -> None:
    fake = FakePhases(
        outcomes={
            "extraction": [
                {"kind": "permanent", "message": "This post is private.", "code": "private"}
            ]
        }
    )
    updates = []
    async with manager_factory(fake) as manager:
        manager.subscribe(lambda e: updates.append(e.update))
        await manager.enqueue(post_url(1))
        await manager.wait_until_idle()
    assert updates[-1].status is ItemStatus.ERROR
    assert updates[-1].error == "This post is private."
    assert updates[-1].error_detail["code"] == "private"
    sent = updates[-1].to_json()  # the web app's event: error?: string, the rest beside it
    assert sent["error"] == "This post is private."
    assert sent["errorDetail"] == {"kind": "permanent", "code": "private", "phase": "extraction"}


async def test_a_failing_subscriber_is_logged_and_others_still_called(
    manager_factory, caplog: pytest.LogCaptureFixture
) -> None:
    received: list[QueueEvent] = []

    def broken(event: QueueEvent) -> None:
        raise ValueError("subscriber bug")

    async with manager_factory() as manager:
        manager.subscribe(broken)
        manager.subscribe(received.append)
        with caplog.at_level(logging.ERROR):
            item_id = (await manager.enqueue(post_url(1))).item.id
            await manager.wait_until_idle()
        assert manager.get(item_id).status is ItemStatus.SUCCESS
    assert received and "subscriber failed" in caplog.text


async def test_retry_is_refused_with_a_reason(manager_factory) -> None:
    fake = FakePhases(outcomes={"parsing": ["hang"]})
    async with manager_factory(fake) as manager:
        running = (await manager.enqueue(post_url(1))).item.id
        await fake.wait_for_call("parsing")
        refused = await manager.retry(running)
        assert not refused.success and "processed right now" in refused.message
        assert not (await manager.retry("nope")).success
        manager.pause()
        pending = (await manager.enqueue(post_url(2))).item.id
        refused = await manager.retry(pending)
        assert not refused.success and "already waiting" in refused.message
        assert refused.to_json() == {"success": False, "message": refused.message}
    async with manager_factory(FakePhases()) as manager:
        await manager.wait_until_idle()
        refused = await manager.retry(running)
        assert not refused.success and "already been saved" in refused.message


async def test_retry_all_failed(manager_factory) -> None:
    fake = FakePhases(outcomes={"uploading": ["permanent"]})
    async with manager_factory(fake) as manager:
        await manager.enqueue(post_url(1))
        await manager.enqueue(post_url(2))
        await manager.wait_until_idle()
        assert manager.counts()[ItemStatus.ERROR] == 2
        assert await manager.retry_all_failed() == 2
        await manager.wait_until_idle()
        assert manager.counts()[ItemStatus.SUCCESS] == 2
        assert await manager.retry_all_failed() == 0


async def test_provide_text_completes_extraction_and_continues(manager_factory) -> None:
    fake = FakePhases(
        outcomes={"extraction": [{"kind": "permanent", "message": "Instagram asks to log in."}]}
    )
    async with manager_factory(fake) as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await manager.wait_until_idle()
        assert manager.get(item_id).status is ItemStatus.ERROR
        assert not (await manager.provide_text(item_id, "   ")).success
        result = await manager.provide_text(item_id, "Waffles\n2 eggs\nBake them.")
        assert result.success
        await manager.wait_until_idle()
        item = manager.get(item_id)
    assert item.status is ItemStatus.SUCCESS
    assert item.results.extracted_text == "Waffles\n2 eggs\nBake them."
    assert item.results.recipe["steps"][0]["instruction"] == "Bake them."
    assert fake.count("extraction") == 1


async def test_enqueue_with_text_never_calls_the_extractor(manager_factory) -> None:
    fake = FakePhases()
    async with manager_factory(fake) as manager:
        result = await manager.enqueue(post_url(1), text="Toast\nToast the bread.")
        assert result.item.phase(PhaseName.EXTRACTION).status is PhaseStatus.COMPLETED
        await manager.wait_until_idle()
        assert manager.get(result.item.id).status is ItemStatus.SUCCESS
    assert fake.count("extraction") == 0 and fake.count("parsing") == 1


async def test_reprocess_from_parsing_and_upload_as_new(manager_factory) -> None:
    fake = FakePhases()
    async with manager_factory(fake) as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await manager.wait_until_idle()
        first_url = manager.get(item_id).results.tandoor_url
        result = await manager.reprocess(item_id, PhaseName.PARSING)
        assert result.success
        await manager.wait_until_idle()
        assert (fake.count("extraction"), fake.count("parsing"), fake.count("uploading")) == (
            1,
            2,
            2,
        )
        await manager.reprocess(item_id, PhaseName.UPLOADING, {"forceNewRecipe": True})
        await manager.wait_until_idle()
        item = manager.get(item_id)
    assert fake.count("parsing") == 2 and fake.count("uploading") == 3
    assert item.options == {"forceNewRecipe": True}
    assert item.results.tandoor_url != first_url
    assert any(e.message == "forced a new recipe" for e in item.log)


async def test_share_link_learns_its_shortcode_and_duplicates_are_caught(manager_factory) -> None:
    share_a = "https://www.instagram.com/share/reel/BAabc123/"
    share_b = "https://www.instagram.com/share/p/BAxyz789/"
    fake = FakePhases(
        items={share_a: {"shortcode": "REALCODE1"}, share_b: {"shortcode": "REALCODE1"}}
    )
    async with manager_factory(fake, QUEUE_CONCURRENCY="1") as manager:
        first = await manager.enqueue(share_a)
        assert first.item.shortcode is None
        await manager.wait_until_idle()
        item = manager.get(first.item.id)
        assert item.shortcode == "REALCODE1"
        assert item.url == "https://www.instagram.com/p/REALCODE1/"
        assert manager.find_by_shortcode("REALCODE1").id == item.id
        again = await manager.enqueue("https://www.instagram.com/p/REALCODE1/")
        assert not again.created and again.item.id == item.id
        second = await manager.enqueue(share_b)
        await manager.wait_until_idle()
        duplicate = manager.get(second.item.id)
    assert duplicate.status is ItemStatus.ERROR
    assert duplicate.error.code == "duplicate"
    assert "same post as an item already queued" in duplicate.error.message
    assert fake.count("parsing") == 1


async def test_cancel_a_pending_item(manager_factory) -> None:
    async with manager_factory(start=False) as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        assert (await manager.cancel(item_id)).success
        item = manager.get(item_id)
        assert item.status is ItemStatus.ERROR and item.error.message == "Cancelled"
        assert not (await manager.cancel(item_id)).success
        assert (await manager.retry(item_id)).success


async def test_wait_until_idle_returns_at_once_for_an_empty_queue(manager_factory) -> None:
    async with manager_factory() as manager:
        await manager.wait_until_idle()
        assert manager.counts()[ItemStatus.PENDING] == 0


def test_clone_is_an_equal_independent_copy() -> None:
    from instarecipe_desktop.core.items import ItemError, LogEntry, QueueItem, utcnow

    item = QueueItem(
        url=post_url(1),
        shortcode=code(1),
        post={"tags": ["a"]},
        options={"forceNewRecipe": True},
        next_retry_at=utcnow(),
        error=ItemError("Broken.", suggestion="Fix it."),
    )
    item.results.recipe = {"name": "Soup", "steps": [{"ingredients": [{"food": "salt"}]}]}
    item.log.append(LogEntry(at=utcnow(), message="hello", phase=PhaseName.PARSING))
    copy = item.clone()
    assert copy == item and copy.to_json() == item.to_json()
    copy.results.recipe["steps"][0]["ingredients"][0]["food"] = "pepper"
    copy.post["tags"].append("b")
    copy.phases[0].status = PhaseStatus.COMPLETED
    copy.error.message = "changed"
    copy.log[0].message = "changed"
    assert item.results.recipe["steps"][0]["ingredients"][0]["food"] == "salt"
    assert item.post == {"tags": ["a"]}
    assert item.phases[0].status is PhaseStatus.PENDING
    assert item.error.message == "Broken." and item.log[0].message == "hello"


async def test_remove_deletes_the_items_downloaded_image_and_nothing_else(
    manager_factory, data_dir
) -> None:
    async with manager_factory(start=False) as manager:
        kept = data_dir / "keep.jpg"
        kept.write_bytes(b"not ours to delete")
        ids = [(await manager.enqueue(post_url(n))).item.id for n in (1, 2)]
        image = manager.paths.media_dir / f"{code(1)}.jpg"
        image.parent.mkdir(parents=True, exist_ok=True)
        image.write_bytes(b"\xff\xd8\xff")
        manager._state.get(ids[0]).results.thumbnail = f"media/{code(1)}.jpg"
        manager._state.get(ids[1]).results.thumbnail = "keep.jpg"  # outside media/: left alone
        assert (await manager.remove(ids[0])).success
        assert (await manager.remove(ids[1])).success
    assert not image.exists()
    assert kept.read_bytes() == b"not ours to delete"
