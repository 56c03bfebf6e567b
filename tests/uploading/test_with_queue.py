"""The real uploader inside the real queue engine: library first, "Send to Tandoor" later,
"upload again as a new recipe", a lost answer, a rejected token."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from instarecipe_desktop.core import secrets as secret_names
from instarecipe_desktop.core.backoff import Backoff
from instarecipe_desktop.core.items import ItemStatus, PhaseName, QueueEvent, QueueItem
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.phases import Phases
from instarecipe_desktop.core.processor import EngineTuning
from instarecipe_desktop.core.secrets import SecretStore
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.uploading import create_uploader
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.fakes.fake_tandoor import READ_ONLY_TOKEN, TOKEN, FakeTandoor
from tests.support.fake_phases import FakePhases

FAST = EngineTuning(backoff=Backoff(base=0.01, factor=2.0, jitter=0.0))
URL = "https://www.instagram.com/p/UPLq1xyz/"
CANONICAL = "https://www.instagram.com/p/UPLq1xyz/"


@asynccontextmanager
async def engine(
    settings: Settings, secrets: SecretStore
) -> AsyncIterator[tuple[QueueManager, FakePhases]]:
    """Fake extraction and parsing, the real uploader."""
    paths = resolve_paths()
    fakes = FakePhases()
    uploader = create_uploader(settings, secrets, paths)
    phases = Phases(
        extractor=fakes, parser=fakes, uploader=uploader, closers=[uploader.aclose, fakes.aclose]
    )
    manager = await QueueManager.open(paths, settings, phases, tuning=FAST)
    try:
        await manager.start()
        yield manager, fakes
    finally:
        await manager.close()


async def _run(manager: QueueManager, item_id: str) -> QueueItem:
    await manager.wait_until_idle()
    item = manager.get(item_id)
    assert item is not None
    return item


async def test_library_then_send_to_tandoor_then_copy(tandoor: FakeTandoor) -> None:
    settings = Settings(None, environ={})
    secrets = open_secret_store()
    async with engine(settings, secrets) as (manager, fakes):
        item_id = (await manager.enqueue(URL)).item.id
        item = await _run(manager, item_id)
        assert item.status is ItemStatus.SUCCESS, item.error
        assert item.destination == "library"
        assert item.results.tandoor_url and item.results.tandoor_url.startswith("file://")

        # the person sets up Tandoor, then "Send to Tandoor"
        settings.set("TANDOOR_BASE_URL", tandoor.base_url)
        secrets.set(secret_names.TANDOOR_API_TOKEN, TOKEN)
        assert (await manager.reprocess(item_id, PhaseName.UPLOADING)).success
        item = await _run(manager, item_id)
        assert item.status is ItemStatus.SUCCESS, item.error
        assert item.destination == "tandoor"
        (recipe,) = tandoor.recipes.values()
        view = "view/recipe" if tandoor.legacy else "recipe"
        assert item.results.tandoor_url == f"{tandoor.base_url}/{view}/{recipe['id']}"
        assert recipe["source_url"] == CANONICAL and recipe["internal"] is True
        # extraction and parsing were not repeated
        assert fakes.count("extraction") == 1 and fakes.count("parsing") == 1

        # "Send to Tandoor" again: linked, still one recipe
        await manager.reprocess(item_id, PhaseName.UPLOADING)
        item = await _run(manager, item_id)
        assert len(tandoor.recipes) == 1
        assert any("already existed" in entry.message for entry in item.log)

        # "Upload again as a new recipe": a copy
        await manager.reprocess(item_id, PhaseName.UPLOADING, {"forceNewRecipe": True})
        item = await _run(manager, item_id)
        assert item.status is ItemStatus.SUCCESS
        assert len(tandoor.recipes_with_source(CANONICAL)) == 2


async def test_lost_answer_in_the_queue_ends_with_one_recipe(tandoor: FakeTandoor) -> None:
    settings = Settings(None, environ={"TANDOOR_BASE_URL": tandoor.base_url})
    secrets = open_secret_store()
    secrets.set(secret_names.TANDOOR_API_TOKEN, TOKEN)
    tandoor.add_fault("lose_response", "POST", "/api/recipe/")
    tandoor.add_fault("reset", "GET", "/api/recipe/")  # the immediate check fails as well
    async with engine(settings, secrets) as (manager, _):
        item = await _run(manager, (await manager.enqueue(URL)).item.id)
    assert item.status is ItemStatus.SUCCESS, item.error
    assert len(tandoor.recipes) == 1
    assert item.attempts == 0 and any("did not confirm" in e.message for e in item.log)


async def test_a_rejected_token_stops_processing_with_one_message(tandoor: FakeTandoor) -> None:
    settings = Settings(
        None, environ={"TANDOOR_BASE_URL": tandoor.base_url, "QUEUE_RETRY_ATTEMPTS": "3"}
    )
    secrets = open_secret_store()
    secrets.set(secret_names.TANDOOR_API_TOKEN, READ_ONLY_TOKEN)
    async with engine(settings, secrets) as (manager, _):
        item_id = (await manager.enqueue(URL)).item.id
        await manager.wait_until_stopped()
        item = manager.get(item_id)
        reason = manager.stop_reason
    assert item is not None and item.status is ItemStatus.PENDING and item.error is None
    assert item.attempts == 0  # waiting is not a failed attempt
    assert reason is not None and "write scope" in reason and "resume" in reason.lower()
    # the first write (the duplicate check) was refused; no create
    assert len(tandoor.requests_to("POST", "/api/")) == 1
    assert tandoor.recipes == {}
    assert READ_ONLY_TOKEN not in str(item.to_json()) + reason


async def test_address_without_token_waits_then_goes_to_tandoor(tandoor: FakeTandoor) -> None:
    """After a restart without a keyring the token is gone: the item waits for it (uses up no
    retry, does not keep the queue busy), and goes to Tandoor once the token is entered."""
    settings = Settings(None, environ={"TANDOOR_BASE_URL": tandoor.base_url})
    secrets = open_secret_store()
    async with engine(settings, secrets) as (manager, fakes):
        item_id = (await manager.enqueue(URL)).item.id
        item = await _run(manager, item_id)  # idle: waiting for the person is not busy
        assert item.status is ItemStatus.UNHEALTHY and item.waiting_for_settings
        assert item.attempts == 0 and item.next_retry_at is None
        assert item.error is not None and "token" in item.error.message
        assert item.destination is None and tandoor.recipes == {}
        assert manager.waiting_for_settings == 1
        library = resolve_paths().library_dir
        assert not library.exists() or not any(library.glob("*/recipe.json"))

        secrets.set(secret_names.TANDOOR_API_TOKEN, TOKEN)
        manager.settings_changed()
        item = await _run(manager, item_id)
        assert item.status is ItemStatus.SUCCESS, item.error
        assert item.destination == "tandoor" and len(tandoor.recipes) == 1
        assert fakes.count("extraction") == 1 and fakes.count("parsing") == 1
        assert manager.waiting_for_settings == 0


async def test_a_token_losing_write_scope_mid_batch_stops_it_and_nothing_is_lost(
    tandoor: FakeTandoor,
) -> None:
    settings = Settings(
        None, environ={"TANDOOR_BASE_URL": tandoor.base_url, "QUEUE_CONCURRENCY": "3"}
    )
    secrets = open_secret_store()
    secrets.set(secret_names.TANDOOR_API_TOKEN, TOKEN)
    urls = [f"https://www.instagram.com/p/BATCHpost{n}/" for n in range(8)]

    def revoke_after_two(event: QueueEvent) -> None:
        saved = [i for i in manager.all_items() if i.status is ItemStatus.SUCCESS]
        if len(saved) >= 2:
            tandoor.tokens[TOKEN]["scope"] = "read"  # the person edits the token in Tandoor

    async with engine(settings, secrets) as (manager, _):
        unsubscribe = manager.subscribe(revoke_after_two)
        ids = [(await manager.enqueue(url)).item.id for url in urls]
        await manager.wait_until_stopped()
        unsubscribe()
        # every running item has come back (none is left running); none failed
        for _ in range(200):
            if manager.running_count == 0:
                break
            await asyncio.sleep(0.02)
        items = [manager.get(i) for i in ids]
        statuses = [i.status for i in items if i is not None]
        assert ItemStatus.ERROR not in statuses and ItemStatus.UNHEALTHY not in statuses
        assert statuses.count(ItemStatus.SUCCESS) >= 2
        assert ItemStatus.PENDING in statuses
        assert manager.stop_reason and "write scope" in manager.stop_reason
        saved_before = len(tandoor.recipes)
        # fixed: resume, and every post ends as exactly one complete recipe
        tandoor.tokens[TOKEN]["scope"] = "read write"
        manager.resume()
        assert manager.stop_reason is None
        await manager.wait_until_idle()
        final = [manager.get(i) for i in ids]
    assert all(i is not None and i.status is ItemStatus.SUCCESS for i in final)
    assert saved_before >= 2 and len(tandoor.recipes) == len(urls)
    for url in urls:
        (recipe,) = tandoor.recipes_with_source(url)
        assert recipe["steps"] and recipe["steps"][0]["ingredients"]
