"""Helpers shared by the queue benchmarks (not a test module)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from instarecipe_desktop.core.items import (  # noqa: E402
    ItemStatus,
    PhaseStatus,
    QueueItem,
)
from instarecipe_desktop.core.paths import AppPaths  # noqa: E402
from instarecipe_desktop.core.store import Store, item_row  # noqa: E402


def temp_paths() -> tuple[tempfile.TemporaryDirectory[str], AppPaths]:
    tmp = tempfile.TemporaryDirectory(prefix="instarecipe-bench-")
    base = Path(tmp.name)
    return tmp, AppPaths(data_dir=base, config_dir=base / "config", log_dir=base / "logs").ensure()


def finished_item(n: int) -> QueueItem:
    """A realistic stored item: three phases done, a recipe, a caption and a log."""
    item = QueueItem(url=f"https://www.instagram.com/p/BENCH{n:06d}/", shortcode=f"BENCH{n:06d}")
    item.status = ItemStatus.SUCCESS
    for state in item.phases:
        state.status = PhaseStatus.COMPLETED
        state.progress = 100
        state.started_at = state.completed_at = item.created_at
    item.results.extracted_text = ("A caption with a recipe. " * 20)[:480]
    item.results.tandoor_url = f"https://tandoor.example/recipe/{n}"
    item.results.recipe = {
        "name": f"Recipe {n}",
        "servings": 4,
        "keywords": ["dinner", "quick"],
        "steps": [
            {
                "instruction": f"Step {s} of the recipe, stirring well.",
                "ingredients": [
                    {
                        "amount": 100,
                        "unit": "g",
                        "food": f"food {s}-{i}",
                        "note": None,
                        "originalText": f"100 g food {s}-{i}",
                        "isHeader": False,
                        "noAmount": False,
                    }
                    for i in range(3)
                ],
            }
            for s in range(4)
        ],
    }
    item.post = {"author": "someone", "shortcode": item.shortcode}
    item.usage = {"model": "gpt-4o-mini", "totalTokens": 1500}
    return item


def fill_store(paths: AppPaths, count: int, make=finished_item) -> None:
    opened = Store.open(paths.database)
    batch = []
    for n in range(count):
        batch.append(item_row(make(n)))
        if len(batch) == 1000:
            opened.store.write(batch, [])
            batch = []
    opened.store.write(batch, [])
    opened.store.close()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]
