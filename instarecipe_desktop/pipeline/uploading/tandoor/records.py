"""The app's own record of what it uploaded: (Tandoor base URL, source URL) -> recipe id.

Tandoor cannot filter recipes by ``source_url`` and its duplicate check is throttled, so this
small SQLite table (``tandoor_uploads.sqlite3`` in the data dir) is the first place the
uploader looks. A row is written as ``pending`` *before* the create request and turned into
``created`` right after the answer, before the photo is uploaded: a pending row means "a
create may have reached Tandoor without us hearing back", so the next attempt searches
Tandoor before creating again. ``verified`` turns 1 once the recipe was read back and held
everything that was sent; a ``created`` row that is not verified is the app's own unfinished
recipe, which the next attempt completes (the person's recipes are never touched). Rows from
before that column have ``verified`` NULL.

The methods block (SQLite): the uploader calls them through ``asyncio.to_thread``.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS tandoor_uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    base_url TEXT NOT NULL,
    source_url TEXT NOT NULL,
    item_id TEXT,
    recipe_id INTEGER,
    name TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'created', 'linked')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tandoor_uploads_source ON tandoor_uploads (base_url, source_url);
"""
_ADD_VERIFIED = "ALTER TABLE tandoor_uploads ADD COLUMN verified INTEGER"


@dataclass(frozen=True)
class PendingCreate:
    row_id: int
    item_id: str | None
    name: str | None
    created_at: str = ""


@dataclass(frozen=True)
class OwnRecipe:
    """The app's record of one recipe id: ``state`` created or linked; ``verified`` None for
    rows written before read-back existed."""

    state: str
    verified: bool | None


def _now() -> str:
    return datetime.now(UTC).isoformat()


class UploadRecords:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=10)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)
            columns = {row[1] for row in conn.execute("PRAGMA table_info(tandoor_uploads)")}
            if "verified" not in columns:
                conn.execute(_ADD_VERIFIED)
            self._conn = conn
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def known_recipe(self, base_url: str, source_url: str) -> int | None:
        """The most recent recipe id uploaded or linked for this post on this Tandoor."""
        with self._lock:
            row = (
                self._db()
                .execute(
                    "SELECT recipe_id FROM tandoor_uploads WHERE base_url = ? AND source_url = ? "
                    "AND recipe_id IS NOT NULL ORDER BY id DESC LIMIT 1",
                    (base_url, source_url),
                )
                .fetchone()
            )
        return int(row[0]) if row else None

    def known_ids(self, base_url: str, source_url: str) -> set[int]:
        with self._lock:
            rows = (
                self._db()
                .execute(
                    "SELECT recipe_id FROM tandoor_uploads WHERE base_url = ? AND source_url = ? "
                    "AND recipe_id IS NOT NULL",
                    (base_url, source_url),
                )
                .fetchall()
            )
        return {int(r[0]) for r in rows}

    def pending(
        self, base_url: str, source_url: str, item_id: str | None = None
    ) -> PendingCreate | None:
        """An unconfirmed create for this post (only this item's when ``item_id`` is given)."""
        query = (
            "SELECT id, item_id, name, created_at FROM tandoor_uploads WHERE base_url = ? "
            "AND source_url = ? AND state = 'pending'"
        )
        params: tuple[str, ...] = (base_url, source_url)
        if item_id is not None:
            query += " AND item_id = ?"
            params += (item_id,)
        with self._lock:
            row = self._db().execute(query + " ORDER BY id DESC LIMIT 1", params).fetchone()
        return PendingCreate(int(row[0]), row[1], row[2], row[3] or "") if row else None

    def first_pending_at(self, base_url: str, source_url: str) -> str | None:
        """When the oldest unconfirmed create for this post was sent (ISO, UTC)."""
        with self._lock:
            row = (
                self._db()
                .execute(
                    "SELECT MIN(created_at) FROM tandoor_uploads WHERE base_url = ? "
                    "AND source_url = ? AND state = 'pending'",
                    (base_url, source_url),
                )
                .fetchone()
            )
        return str(row[0]) if row and row[0] else None

    def own_recipe(self, base_url: str, recipe_id: int) -> OwnRecipe | None:
        """How the app knows this recipe: made by it (``created``) or only linked."""
        with self._lock:
            row = (
                self._db()
                .execute(
                    "SELECT state, verified FROM tandoor_uploads WHERE base_url = ? "
                    "AND recipe_id = ? ORDER BY (state = 'created') DESC, id DESC LIMIT 1",
                    (base_url, recipe_id),
                )
                .fetchone()
            )
        if row is None:
            return None
        return OwnRecipe(str(row[0]), None if row[1] is None else bool(row[1]))

    def mark_verified(self, base_url: str, recipe_id: int, verified: bool = True) -> None:
        with self._lock, self._db() as conn:
            conn.execute(
                "UPDATE tandoor_uploads SET verified = ?, updated_at = ? "
                "WHERE base_url = ? AND recipe_id = ? AND state = 'created'",
                (int(verified), _now(), base_url, recipe_id),
            )

    def mark_pending(self, base_url: str, source_url: str, item_id: str | None, name: str) -> int:
        now = _now()
        with self._lock, self._db() as conn:
            cursor = conn.execute(
                "INSERT INTO tandoor_uploads (base_url, source_url, item_id, name, state, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)",
                (base_url, source_url, item_id, name, now, now),
            )
            return int(cursor.lastrowid or 0)

    def mark_created(self, row_id: int, recipe_id: int) -> None:
        with self._lock, self._db() as conn:
            conn.execute(
                "UPDATE tandoor_uploads SET state = 'created', recipe_id = ?, verified = 0, "
                "updated_at = ? WHERE id = ?",
                (recipe_id, _now(), row_id),
            )

    def resolve_pending(self, base_url: str, source_url: str, recipe_id: int) -> None:
        """A lost create was found in Tandoor (or ruled out): no longer pending."""
        with self._lock, self._db() as conn:
            conn.execute(
                "UPDATE tandoor_uploads SET state = 'created', recipe_id = ?, verified = 0, "
                "updated_at = ? WHERE base_url = ? AND source_url = ? AND state = 'pending'",
                (recipe_id, _now(), base_url, source_url),
            )

    def record_link(
        self,
        base_url: str,
        source_url: str,
        item_id: str | None,
        recipe_id: int,
        name: str | None = None,
    ) -> None:
        now = _now()
        with self._lock, self._db() as conn:
            conn.execute(
                "INSERT INTO tandoor_uploads (base_url, source_url, item_id, recipe_id, name, "
                "state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'linked', ?, ?)",
                (base_url, source_url, item_id, recipe_id, name, now, now),
            )

    def forget(self, base_url: str, recipe_id: int) -> None:
        """The recipe was deleted in Tandoor: the post may be uploaded again."""
        with self._lock, self._db() as conn:
            conn.execute(
                "DELETE FROM tandoor_uploads WHERE base_url = ? AND recipe_id = ?",
                (base_url, recipe_id),
            )

    def count(self) -> int:
        with self._lock:
            return int(self._db().execute("SELECT COUNT(*) FROM tandoor_uploads").fetchone()[0])
