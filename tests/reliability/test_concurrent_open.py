"""Several processes start on a fresh data folder at once (two `add` commands, the window and
a script): each must open the queue; the schema is created once."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from instarecipe_desktop.core.store import SCHEMA_VERSION, Store


def test_many_openers_of_a_fresh_database(tmp_path: Path) -> None:
    failures: list[str] = []
    for round_ in range(20):
        path = tmp_path / f"round{round_}" / "queue.sqlite3"
        path.parent.mkdir()
        start = threading.Barrier(8)

        def opener(path: Path = path, start: threading.Barrier = start) -> None:
            start.wait()
            try:
                Store.open(path).store.close()
            except Exception as exc:  # collected and asserted below
                failures.append(f"{type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=opener) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    assert failures == []
