"""Shared helpers of the GUI benchmarks: a data folder with N stored items (written straight
through the store, as a long-used app would have them), process memory, and running a
coroutine on a qasync loop the way the app does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any

from instarecipe_desktop.core.items import (
    ItemStatus,
    PhaseStatus,
    QueueItem,
    utcnow,
)
from instarecipe_desktop.core.store import Store, item_row


def stored_item(n: int) -> QueueItem:
    code = f"STORED{n:06d}"
    item = QueueItem(
        url=f"https://www.instagram.com/p/{code}/", shortcode=code, status=ItemStatus.SUCCESS
    )
    start = utcnow() - timedelta(minutes=20_000 - n)
    item.created_at = item.updated_at = start
    for phase in item.phases:
        phase.status = PhaseStatus.COMPLETED
        phase.started_at = start
        phase.completed_at = start + timedelta(seconds=3)
    item.results.recipe = {
        "name": f"Stored recipe {n}",
        "servings": 4,
        "steps": [
            {
                "instruction": "Mix and bake for 20 minutes.",
                "ingredients": [
                    {"amount": 200, "unit": "g", "food": "flour"},
                    {"amount": 2, "unit": None, "food": "eggs"},
                ],
            }
        ],
    }
    item.results.extracted_text = "A caption of a few lines.\n200 g flour\n2 eggs\nBake 20 min."
    item.results.tandoor_url = f"https://recipes.example.org/recipe/{n}"
    item.destination = "tandoor"
    item.post = {"author": f"cook_{n % 97}"}
    return item


def populate(data_dir: Path, count: int) -> None:
    """Write ``count`` finished items into the app's database in ``data_dir``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    opened = Store.open(data_dir / "queue.sqlite3")
    rows = [item_row(stored_item(n)) for n in range(count)]
    for start in range(0, len(rows), 1000):
        opened.store.write(rows[start : start + 1000], [])
    opened.store.close()


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_on_qt_loop(main: Callable[[Any], Coroutine[Any, Any, Any]]) -> Any:
    """Create the QApplication and a qasync loop, run ``main(application)`` to the end."""
    import qasync
    from PySide6.QtWidgets import QApplication

    application = QApplication([])
    loop = qasync.QEventLoop(application)
    asyncio.set_event_loop(loop)
    with loop:
        return loop.run_until_complete(main(application))
