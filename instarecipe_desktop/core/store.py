"""The queue's SQLite file: WAL mode, a versioned schema with migrations, one writer thread.

Each item is one row: indexed columns (id, shortcode, status, times, next retry) plus the JSON of
``QueueItem.to_json()``. ``Store`` is synchronous and only ever used from one thread (the
writer); ``StoreWriter`` is its asyncio face: the event loop hands it serialized rows, and it
writes them in batches on that thread, so the GUI never waits for the disk.

A file that is not a database or is damaged is renamed aside (``queue.sqlite3.corrupt-<time>``,
WAL and SHM files with it), never deleted, and a new empty queue is started; the reason is
returned as a human-readable problem.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from instarecipe_desktop.core.items import QueueItem

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
LOW_SPACE_BYTES = 256 * 1024  # below this, a failed write is reported as a full disk
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB (primary result codes)


class StoreError(Exception):
    """The store cannot be used at all (e.g. written by a newer version, or not writable)."""


def _create_v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE items ("
        " id TEXT PRIMARY KEY,"
        " shortcode TEXT,"
        " status TEXT NOT NULL,"
        " created_at TEXT NOT NULL,"
        " updated_at TEXT NOT NULL,"
        " next_retry_at TEXT,"
        " data TEXT NOT NULL)"
    )
    conn.execute("CREATE INDEX items_shortcode ON items(shortcode)")
    conn.execute("CREATE INDEX items_status ON items(status)")
    conn.execute("CREATE INDEX items_created ON items(created_at)")


# version -> function bringing the schema from version - 1 to version
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _create_v1}

Row = tuple[str, str | None, str, str, str, str | None, str]


def item_row(item: QueueItem) -> Row:
    """The row of an item (computed on the event loop thread: a consistent snapshot)."""
    data = item.to_json()
    return (
        item.id,
        item.shortcode,
        item.status.value,
        data["createdAt"],
        data["updatedAt"],
        data.get("nextRetryAt"),
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
    )


@dataclass
class OpenedStore:
    store: Store
    items: list[QueueItem]
    problems: list[str] = field(default_factory=list)  # for the person, e.g. a file moved aside


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _CORRUPT_CODES
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def _read_only(folder: Path) -> bool:
    with contextlib.suppress(OSError, AttributeError):
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    return not os.access(folder, os.W_OK)


def storage_problem(path: Path, exc: BaseException | str) -> str:
    """A sentence for a failed open or write of ``path``: says so when the folder is read-only
    or the disk is full (SQLite itself only says "disk I/O error" for a WAL it cannot grow)."""
    folder = path.parent
    if _read_only(folder):
        return (
            f"The data folder {folder} is read-only, so the queue cannot be saved ({exc}). "
            "Make it writable, or choose another one with --data-dir."
        )
    with contextlib.suppress(OSError):
        if shutil.disk_usage(folder).free < LOW_SPACE_BYTES:
            return (
                f"The disk holding {folder} is full, so the queue cannot be saved ({exc}). "
                "Free some space and try again; what was saved before is kept."
            )
    return f"The queue database {path} cannot be saved: {exc}."


def writable_problem(path: Path) -> str | None:
    """Why the queue database cannot be written right now (read-only folder, full disk, a
    read-only file), in words; None when it can. Lets ``run`` refuse before doing any work."""
    folder = path.parent
    if _read_only(folder):
        return storage_problem(path, "read-only file system")
    with contextlib.suppress(OSError):
        if shutil.disk_usage(folder).free < LOW_SPACE_BYTES:
            return storage_problem(path, "no space left on the device")
    if not path.exists():
        return None
    conn = sqlite3.connect(path, isolation_level=None, timeout=5)
    try:
        conn.execute("BEGIN IMMEDIATE")  # takes the write lock: fails on a read-only file
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return None  # another process writes: it is writable
        return storage_problem(path, exc)
    finally:
        conn.close()
    return None


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def move_aside(path: Path, label: str = "corrupt") -> Path:
    """Rename the database (and its -wal / -shm files) out of the way; return the new name."""
    target = path.with_name(f"{path.name}.{label}-{_timestamp()}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{label}-{_timestamp()}-{n}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(path) + suffix)
        if source.exists():
            source.rename(Path(str(target) + suffix))
    return target


def _set_wal(conn: sqlite3.Connection, attempts: int = 50) -> None:
    """``PRAGMA journal_mode = WAL``. Switching a fresh file needs an exclusive lock and SQLite
    does not wait for it (no busy handler): when another process opens the same new queue at
    the same moment (two `add`s), try again shortly."""
    for attempt in range(attempts):
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.02 + 0.01 * attempt)  # at most ~13 s in all


class Store:
    """Synchronous SQLite access. Use from a single thread only (``StoreWriter`` does)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._data_version: int | None = None

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path) -> OpenedStore:
        problems: list[str] = []
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            store = cls._open_checked(path)
            items, bad = store._load()
        except sqlite3.DatabaseError as exc:
            if not _is_corruption(exc):
                raise StoreError(
                    storage_problem(path, exc).replace("cannot be saved", "cannot be opened")
                ) from exc
            moved = move_aside(path)
            message = (
                f"The queue database was damaged and could not be read ({exc}). It was moved "
                f"to {moved} (nothing was deleted) and a new, empty queue was started."
            )
            log.error(message)
            problems.append(message)
            store = cls._open_checked(path)
            items, bad = [], []
        problems.extend(bad)
        return OpenedStore(store=store, items=items, problems=problems)

    @classmethod
    def _open_checked(cls, path: Path) -> Store:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            _set_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            result = conn.execute("PRAGMA quick_check").fetchone()
            if result is None or result[0] != "ok":
                detail = result[0] if result else "no answer"
                raise sqlite3.DatabaseError(f"database disk image is malformed: {detail}")
            store = cls(conn, path)
            store._migrate()
            store.data_version_changed()  # the baseline for noticing other processes' writes
            return store
        except BaseException:
            conn.close()
            raise

    def _migrate(self) -> None:
        version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The queue database {self.path} was written by a newer InstaRecipe Desktop "
                f"(schema {version}, this version knows {SCHEMA_VERSION}). Update the app, or "
                "start with another data folder (--data-dir)."
            )
        if version == SCHEMA_VERSION:
            return
        if version > 0:
            backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
            self._conn.execute("PRAGMA wal_checkpoint(FULL)")
            shutil.copy2(self.path, backup)
            log.info("Backed up the queue database to %s before migrating", backup)
        for target in range(version + 1, SCHEMA_VERSION + 1):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                # another process (two `add`s on a fresh folder) may have migrated since the
                # version was read: decide again under the write lock
                now = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
                if now >= target:
                    self._conn.execute("COMMIT")
                    continue
                MIGRATIONS[target](self._conn)
                self._conn.execute(f"PRAGMA user_version = {target}")
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            log.info("Queue database migrated to schema %d", target)

    def _load(self) -> tuple[list[QueueItem], list[str]]:
        items: list[QueueItem] = []
        problems: list[str] = []
        cursor = self._conn.execute("SELECT id, data FROM items ORDER BY created_at, rowid")
        for item_id, data in cursor:
            try:
                items.append(QueueItem.from_json(json.loads(data)))
            except (ValueError, KeyError, TypeError) as exc:
                problems.append(
                    f"Queue item {item_id} could not be read ({type(exc).__name__}: {exc}); it "
                    "was left in the database and is not shown."
                )
        return items, problems

    # -- writing -----------------------------------------------------------------------------
    def write(self, rows: list[Row], deletes: list[str]) -> None:
        """Upsert rows and delete ids in one transaction."""
        if not rows and not deletes:
            return
        self._conn.execute("BEGIN")
        try:
            if rows:
                self._conn.executemany(
                    "INSERT INTO items (id, shortcode, status, created_at, updated_at,"
                    " next_retry_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(id) DO UPDATE SET shortcode = excluded.shortcode,"
                    " status = excluded.status, updated_at = excluded.updated_at,"
                    " next_retry_at = excluded.next_retry_at, data = excluded.data",
                    rows,
                )
            if deletes:
                self._conn.executemany("DELETE FROM items WHERE id = ?", [(d,) for d in deletes])
            self._conn.execute("COMMIT")
        except BaseException:
            # SQLite may have rolled back already (e.g. SQLITE_FULL on COMMIT): a second
            # ROLLBACK would raise "no transaction is active" and hide the real error
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    # -- other processes' changes -----------------------------------------------------------
    def data_version_changed(self) -> bool:
        """True when another connection (process) committed since the last call."""
        version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        changed = self._data_version is not None and version != self._data_version
        self._data_version = version
        return changed

    def read_index(self) -> dict[str, str]:
        """id -> updated_at of every row."""
        return dict(self._conn.execute("SELECT id, updated_at FROM items"))

    def read_items(self, ids: list[str]) -> list[QueueItem]:
        """These rows as items (oldest first); unreadable rows are skipped with a warning."""
        items: list[QueueItem] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            cursor = self._conn.execute(
                f"SELECT id, data FROM items WHERE id IN ({marks}) ORDER BY created_at, rowid",
                chunk,
            )
            for item_id, data in cursor:
                try:
                    items.append(QueueItem.from_json(json.loads(data)))
                except (ValueError, KeyError, TypeError) as exc:
                    log.warning("Queue item %s could not be read: %s", item_id, exc)
        return items

    def count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM items").fetchone()[0])

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("PRAGMA optimize")
        self._conn.close()


class StoreWriter:
    """Write-behind from the event loop to the store's thread, coalescing repeated updates.

    ``put``/``delete`` are synchronous and cheap (they only record the row); a drain job on the
    single store thread writes everything recorded so far in one transaction. ``flush`` waits
    until all that was recorded before it is on disk.
    """

    def __init__(self, store: Store, executor: Executor) -> None:
        self._store = store
        self._executor = executor
        self._lock = threading.Lock()
        self._pending: dict[str, Row | None] = {}  # id -> row, or None to delete
        self._queued = False  # a drain job is waiting in the executor
        self._jobs: set[asyncio.Future[None]] = set()
        self.failures = 0

    def put(self, item: QueueItem) -> None:
        self._record(item.id, item_row(item))

    def delete(self, item_id: str) -> None:
        self._record(item_id, None)

    def _record(self, item_id: str, row: Row | None) -> None:
        with self._lock:
            self._pending[item_id] = row
            if self._queued:
                return
            self._queued = True
        job = asyncio.get_running_loop().run_in_executor(self._executor, self._drain)
        self._jobs.add(job)
        job.add_done_callback(self._job_done)

    def _job_done(self, job: asyncio.Future[None]) -> None:
        self._jobs.discard(job)
        if not job.cancelled() and job.exception() is not None:
            self.failures += 1
            log.error("Saving the queue failed: %s", job.exception())

    def _drain(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, {}
            self._queued = False
        if not batch:
            return
        rows = [row for row in batch.values() if row is not None]
        deletes = [item_id for item_id, row in batch.items() if row is None]
        try:
            self._store.write(rows, deletes)
        except BaseException as exc:
            with self._lock:  # keep what was not superseded, for the next drain
                for item_id, row in batch.items():
                    self._pending.setdefault(item_id, row)
            if isinstance(exc, sqlite3.Error):
                raise StoreError(storage_problem(self._store.path, exc)) from exc
            raise

    async def flush(self) -> None:
        """Write everything recorded so far; raises if the disk refuses."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._drain)
        if self._jobs:
            await asyncio.gather(*list(self._jobs), return_exceptions=True)

    async def run(self, func: Callable[[], object]) -> object:
        """Run something else on the store's thread (after pending writes)."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, func)
