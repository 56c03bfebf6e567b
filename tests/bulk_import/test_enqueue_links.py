"""One import = one store transaction: all its items on disk, or none and nothing in memory."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from instarecipe_desktop.core.links import parse_post_link
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.core.store import Store, StoreError


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
