"""One import = one store transaction: all its items on disk, or none and nothing in memory."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from instarecipe_desktop.core.links import parse_post_link
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.core.store import Store, StoreError
from tests.support.fake_phases import FakePhases


def links(n: int, start: int = 0) -> list:  # type: ignore[type-arg]
    return [parse_post_link(f"https://www.instagram.com/p/CxTR{i:06d}/") for i in range(start, n)]


async def open_manager() -> QueueManager:
    return await QueueManager.open(resolve_paths(), Settings(None, environ={}), None)


async def test_an_import_is_one_transaction_and_dedupes(data_dir: Path) -> None:
    manager = await open_manager()
    try:
        await manager.enqueue("https://www.instagram.com/p/CxTR000003/")
        writes: list[int] = []
        real = Store.write

        def counting(self: Store, rows: list, deletes: list) -> None:  # type: ignore[type-arg]
            writes.append(len(rows))
            real(self, rows, deletes)

        await manager.flush()
        Store.write = counting  # type: ignore[method-assign]
        try:
            result = await manager.enqueue_links(links(600) + links(10))
            await manager.flush()
        finally:
            Store.write = real  # type: ignore[method-assign]
        assert (result.created, result.already_queued) == (599, 1)
        assert writes == [599]  # one transaction with every new row, nothing written after
        assert len(manager.all_items()) == 600
    finally:
        await manager.close()
    with sqlite3.connect(data_dir / "queue.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 600


async def test_a_refused_write_queues_nothing(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager = await open_manager()
    events: list[object] = []
    manager.subscribe(events.append)

    def full_disk(self: Store, rows: list, deletes: list) -> None:  # type: ignore[type-arg]
        raise sqlite3.OperationalError("database or disk is full")

    try:
        monkeypatch.setattr(Store, "write", full_disk)
        with pytest.raises(StoreError, match="cannot be saved"):
            await manager.enqueue_links(links(50))
        assert manager.all_items() == [] and events == []
        monkeypatch.undo()
    finally:
        await manager.close()
    with sqlite3.connect(data_dir / "queue.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 0


async def test_an_import_gives_the_loop_back_between_chunks(data_dir: Path) -> None:
    """Others on the loop (a window) run while the items are made and while they join the
    queue, and the rows are written off the loop (the bench measures the stall)."""
    manager = await open_manager()
    seen: list[int] = []
    write_threads: list[str] = []
    real = Store.write

    def recording(self: Store, rows: list, deletes: list) -> None:  # type: ignore[type-arg]
        write_threads.append(threading.current_thread().name)
        real(self, rows, deletes)

    Store.write = recording  # type: ignore[method-assign]
    try:
        done = asyncio.Event()

        async def watch() -> None:
            while not done.is_set():
                seen.append(len(manager.all_items()))
                await asyncio.sleep(0)

        watcher = asyncio.ensure_future(watch())
        result = await manager.enqueue_links(links(1000), chunk=100)
        done.set()
        await watcher
    finally:
        Store.write = real  # type: ignore[method-assign]
        await manager.close()
    assert result.created == 1000 and len(result.item_ids) == 1000
    assert seen.count(0) >= 10  # turns while the 1,000 items were made (10 chunks)
    assert len({count for count in seen if 0 < count < 1000}) >= 5  # and while they joined
    assert write_threads and all(name.startswith("queue-store") for name in write_threads)


async def test_held_items_wait_and_the_others_go_on(data_dir: Path) -> None:
    fake = FakePhases()
    manager = await QueueManager.open(resolve_paths(), Settings(None, environ={}), fake.phases())
    try:
        await manager.start()
        result = await manager.enqueue_links(links(3), hold=True)
        other = await manager.enqueue("https://www.instagram.com/p/CxOTHER0001/")
        for _ in range(200):
            if manager.get(other.item.id).status.value == "success":  # type: ignore[union-attr]
                break
            await asyncio.sleep(0.02)
        statuses = [manager.get(i).status.value for i in result.item_ids]  # type: ignore[union-attr]
        assert statuses == ["pending"] * 3
        assert all(manager.is_held(i) for i in result.item_ids)
        manager.release(result.item_ids[:1])
        await asyncio.wait_for(_until(manager, result.item_ids[0]), 5)
        assert [manager.get(i).status.value for i in result.item_ids[1:]] == ["pending"] * 2  # type: ignore[union-attr]
    finally:
        await manager.close()


async def _until(manager: QueueManager, item_id: str) -> None:
    while manager.get(item_id).status.value != "success":  # type: ignore[union-attr]
        await asyncio.sleep(0.02)
