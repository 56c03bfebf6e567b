"""Two processes on one queue file: one engine processes, the other's changes are adopted."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

from instarecipe_desktop.core.items import ItemStatus, QueueEvent, QueueEventType
from tests.core.conftest import post_url
from tests.core.test_cli_queue import cli
from tests.support.fake_phases import FakePhases

POLL = 0.02


def waiter(manager, predicate) -> asyncio.Event:  # type: ignore[no-untyped-def]
    """An event set once a queue event matching ``predicate`` arrives."""
    seen = asyncio.Event()

    def on_event(event: QueueEvent) -> None:
        if predicate(event):
            seen.set()

    manager.subscribe(on_event)
    return seen


async def test_second_engine_waits_and_items_it_adds_are_processed_by_the_first(
    manager_factory,
) -> None:
    fake_a, fake_b = FakePhases(), FakePhases()
    async with manager_factory(fake_a, start=False) as a, manager_factory(fake_b, start=False) as b:
        a.external_poll_s = b.external_poll_s = POLL
        await a.start()
        await b.start()
        assert a.processing_blocked is None
        assert "Another InstaRecipe Desktop" in b.processing_blocked
        adopted = waiter(a, lambda e: e.type is QueueEventType.ADDED)
        b_sees_success = waiter(b, lambda e: e.item.status is ItemStatus.SUCCESS)
        item_id = (await b.enqueue(post_url(1))).item.id
        await b.flush()
        await asyncio.wait_for(adopted.wait(), 30)
        await a.wait_until_idle()
        assert a.get(item_id).status is ItemStatus.SUCCESS
        await asyncio.wait_for(b_sees_success.wait(), 30)  # b shows a's progress
        assert b.get(item_id).results.tandoor_url == a.get(item_id).results.tandoor_url
    assert fake_a.count("parsing") == 1 and fake_b.count("parsing") == 0


async def test_the_waiting_engine_takes_over_when_the_first_stops(manager_factory) -> None:
    fake_a, fake_b = FakePhases(), FakePhases()
    async with manager_factory(fake_b, start=False) as b:
        b.external_poll_s = POLL
        async with manager_factory(fake_a, start=False) as a:
            await a.start()
            a.pause()
            await b.start()
            assert b.processing_blocked
            item_id = (await b.enqueue(post_url(1))).item.id
        # a closed: b gets the lock on its next look and processes what waits
        await asyncio.wait_for(b.wait_until_idle(), 30)
        assert b.processing_blocked is None
        assert b.get(item_id).status is ItemStatus.SUCCESS
    assert fake_a.count("extraction") == 0 and fake_b.count("extraction") == 1


async def test_removal_and_retry_by_another_process_are_adopted(manager_factory) -> None:
    fake = FakePhases(
        items={
            "CODE1xyz": {"outcomes": {"extraction": ["hang"]}},
            "CODE2xyz": {"outcomes": {"parsing": ["permanent"]}},
        }
    )
    async with (
        manager_factory(fake, start=False) as engine,
        manager_factory(None, start=False) as other,
    ):
        engine.external_poll_s = POLL
        await engine.start()
        failed = waiter(engine, lambda e: e.item.status is ItemStatus.ERROR)
        hanging = (await engine.enqueue(post_url(1))).item.id
        failing = (await engine.enqueue(post_url(2))).item.id
        await fake.wait_for_call("extraction", "CODE1xyz")
        await asyncio.wait_for(failed.wait(), 30)
        await engine.flush()
        removed = waiter(engine, lambda e: e.type is QueueEventType.REMOVED)
        # "other" opened before these changes: it catches up first
        await other._sync.poll()
        assert other.get(hanging) is not None
        assert (await other.remove(hanging)).success
        assert (await other.retry(failing)).success
        await other.flush()
        await asyncio.wait_for(removed.wait(), 30)
        assert engine.get(hanging) is None and engine.running_count <= 1
        await asyncio.wait_for(engine.wait_until_idle(), 30)
        assert engine.get(failing).status is ItemStatus.SUCCESS
    assert fake.count("parsing", "CODE2xyz") == 2


async def test_cli_run_refuses_while_another_engine_processes(manager_factory) -> None:
    async with manager_factory(FakePhases()) as engine:
        assert engine.processing_blocked is None
        result = await asyncio.to_thread(cli, "run", "--until-idle")
    assert result.returncode == 1
    assert "Another InstaRecipe Desktop" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_add_while_the_queue_is_open_elsewhere_keeps_both() -> None:
    cli("add", "https://www.instagram.com/p/AAAAA1/")
    code = (
        "import asyncio, json, sys\n"
        "from instarecipe_desktop.core.manager import QueueManager\n"
        "from instarecipe_desktop.core.paths import resolve_paths\n"
        "from instarecipe_desktop.core.settings import Settings\n"
        "async def main():\n"
        "    m = await QueueManager.open(resolve_paths(), Settings(None, environ={}), None)\n"
        "    print('open', flush=True)\n"
        "    sys.stdin.readline()\n"
        "    await m._sync.poll()\n"
        "    print(json.dumps(sorted(i.shortcode for i in m.all_items())), flush=True)\n"
        "    await m.close()\n"
        "asyncio.run(main())\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.readline().strip() == "open"
    cli("add", "https://www.instagram.com/p/BBBBB2/")
    proc.stdin.write("\n")
    proc.stdin.flush()
    seen = json.loads(proc.stdout.readline())
    proc.wait(timeout=30)
    assert seen == ["AAAAA1", "BBBBB2"]
