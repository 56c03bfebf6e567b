"""The SQLite store: a real file, WAL, schema versions, corrupt files moved aside."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from instarecipe_desktop.core import store as store_module
from instarecipe_desktop.core.items import ErrorKind, ItemError, ItemStatus, PhaseName, QueueItem
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.core.store import SCHEMA_VERSION, Store, StoreError, item_row


def _item(n: int) -> QueueItem:
    return QueueItem(url=f"https://www.instagram.com/p/CODE{n}x/", shortcode=f"CODE{n}x")


def test_new_store_uses_wal_and_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    opened = Store.open(path)
    opened.store.write([item_row(_item(1))], [])
    opened.store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    row = conn.execute("SELECT shortcode, status, data FROM items").fetchone()
    assert row[0] == "CODE1x" and row[1] == "pending"
    assert json.loads(row[2])["url"] == "https://www.instagram.com/p/CODE1x/"


def test_items_survive_reopen_in_creation_order(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    opened = Store.open(path)
    items = [_item(n) for n in range(3)]
    opened.store.write([item_row(i) for i in items], [])
    opened.store.write([], [items[1].id])
    opened.store.close()
    again = Store.open(path)
    assert [i.id for i in again.items] == [items[0].id, items[2].id]
    assert again.items[0] == items[0]
    assert again.problems == []
    again.store.close()


def test_a_failed_item_is_stored_with_the_message_as_error_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    item = _item(1)
    item.status = ItemStatus.ERROR
    item.error = ItemError(
        "This post is private.",
        ErrorKind.PERMANENT,
        PhaseName.EXTRACTION,
        suggestion="Log in to Instagram in Settings.",
        code="instagram_private",
    )
    opened = Store.open(path)
    opened.store.write([item_row(item)], [])
    opened.store.close()
    (data,) = sqlite3.connect(path).execute("SELECT data FROM items").fetchone()
    stored = json.loads(data)
    assert stored["error"] == "This post is private."
    assert stored["errorDetail"] == {
        "kind": "permanent",
        "phase": "extraction",
        "suggestion": "Log in to Instagram in Settings.",
        "code": "instagram_private",
    }
    again = Store.open(path)
    assert again.items[0].error == item.error
    again.store.close()


def test_a_row_stored_with_error_as_an_object_still_reads(tmp_path: Path) -> None:
    """Rows written before ``error`` became the web app's string carry everything in it."""
    path = tmp_path / "q.sqlite3"
    opened = Store.open(path)
    item = _item(1)
    opened.store.write([item_row(item)], [])
    opened.store.close()
    conn = sqlite3.connect(path)
    (data,) = conn.execute("SELECT data FROM items").fetchone()
    old = json.loads(data)
    old["status"] = "unhealthy"
    old["error"] = {
        "message": "Instagram is limiting requests.",
        "kind": "recoverable",
        "phase": "extraction",
        "code": "instagram_rate_limited",
    }
    conn.execute("UPDATE items SET data = ?", (json.dumps(old),))
    conn.commit()
    conn.close()
    again = Store.open(path)
    error = again.items[0].error
    again.store.close()
    assert again.problems == []
    assert error == ItemError(
        "Instagram is limiting requests.",
        ErrorKind.RECOVERABLE,
        PhaseName.EXTRACTION,
        code="instagram_rate_limited",
    )
    assert again.items[0].to_json()["error"] == "Instagram is limiting requests."


def test_garbage_file_is_moved_aside_not_deleted(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    garbage = b"this is not a database at all" * 100
    path.write_bytes(garbage)
    opened = Store.open(path)
    assert opened.items == []
    assert len(opened.problems) == 1
    message = opened.problems[0]
    assert "moved to" in message and "nothing was deleted" in message
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("q.sqlite3.corrupt-")]
    assert len(aside) == 1 and aside[0].read_bytes() == garbage
    assert str(aside[0]) in message
    opened.store.write([item_row(_item(1))], [])  # the new store works
    opened.store.close()


def test_damaged_pages_are_detected_and_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    opened = Store.open(path)
    opened.store.write([item_row(_item(n)) for n in range(300)], [])
    opened.store.close()
    raw = bytearray(path.read_bytes())
    assert len(raw) > 8 * 4096
    for offset in range(2 * 4096, 6 * 4096):  # overwrite a few b-tree pages
        raw[offset] = 0x5A
    path.write_bytes(bytes(raw))
    reopened = Store.open(path)
    assert reopened.items == []
    assert "damaged" in reopened.problems[0]
    assert any(p.name.startswith("q.sqlite3.corrupt-") for p in tmp_path.iterdir())
    reopened.store.close()


def test_database_of_a_newer_version_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    Store.open(path).store.close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer InstaRecipe Desktop"):
        Store.open(path)
    assert path.exists()
    assert not any("corrupt" in p.name for p in tmp_path.iterdir())


def test_migration_backs_up_and_upgrades(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "q.sqlite3"
    opened = Store.open(path)
    opened.store.write([item_row(_item(1))], [])
    opened.store.close()

    def add_note_column(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE items ADD COLUMN note TEXT")

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(store_module.MIGRATIONS, SCHEMA_VERSION + 1, add_note_column)
    upgraded = Store.open(path)
    assert len(upgraded.items) == 1
    upgraded.store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert "note" in [row[1] for row in conn.execute("PRAGMA table_info(items)")]
    backup = tmp_path / f"q.sqlite3.v{SCHEMA_VERSION}.bak"
    assert backup.is_file()
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert old.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 1


def test_unreadable_row_is_reported_and_left_in_place(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    opened = Store.open(path)
    opened.store.write([item_row(_item(1))], [])
    opened.store.close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO items VALUES ('bad-id', NULL, 'pending', 'x', 'x', NULL, '{oops')")
    conn.commit()
    conn.close()
    again = Store.open(path)
    assert len(again.items) == 1
    assert "bad-id" in again.problems[0]
    again.store.close()
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM items").fetchone()[0] == 2


async def test_manager_reports_a_moved_aside_database(paths: AppPaths) -> None:
    paths.ensure()
    paths.database.write_bytes(b"\x00garbage" * 512)
    manager = await QueueManager.open(paths, Settings(None, environ={}), None)
    try:
        assert manager.problems and "moved to" in manager.problems[0]
        result = await manager.enqueue("https://www.instagram.com/p/AAAAA1/")
        assert result.created
    finally:
        await manager.close()
    manager = await QueueManager.open(paths, Settings(None, environ={}), None)
    try:
        assert manager.problems == []
        assert manager.counts()[ItemStatus.PENDING] == 1
    finally:
        await manager.close()
