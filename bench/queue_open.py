"""Opening a store of 10,000 items and resuming: time and memory.

    python bench/queue_open.py [--items 10000] [--interrupted 100]

The store holds finished items with recipes and logs, plus some caught ``in_progress`` by a
"crash"; opening loads everything into memory and puts those back to pending.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import time
import tracemalloc
from pathlib import Path

from _common import fill_store, finished_item, temp_paths

from instarecipe_desktop.core.items import ItemStatus, PhaseStatus, QueueItem
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.settings import Settings
from tests.support.fake_phases import FakePhases


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_factory(interrupted: int):
    def make(n: int) -> QueueItem:
        item = finished_item(n)
        if n < interrupted:  # caught in the middle of parsing
            item.status = ItemStatus.IN_PROGRESS
            item.phases[1].status = PhaseStatus.IN_PROGRESS
            item.phases[2].status = PhaseStatus.PENDING
            item.results.recipe = None
            item.results.tandoor_url = None
        return item

    return make


async def measure(paths, interrupted: int) -> dict[str, float]:
    settings = Settings(None, environ={"QUEUE_CONCURRENCY": "4"})
    fake = FakePhases()
    gc.collect()
    rss0 = rss_mb()
    start = time.perf_counter()
    manager = await QueueManager.open(paths, settings, fake.phases())
    opened = time.perf_counter() - start
    rss1 = rss_mb()
    pending = manager.counts()[ItemStatus.PENDING]
    start = time.perf_counter()
    await manager.start()
    await fake.wait_for_call("parsing")
    first = time.perf_counter() - start
    await manager.wait_until_idle()
    resumed_all = time.perf_counter() - start
    page_start = time.perf_counter()
    for _ in range(20):
        manager.page(limit=50)
    list_ms = (time.perf_counter() - page_start) / 20 * 1000
    await manager.close()
    assert fake.count("extraction") == 0 and fake.count("parsing") == interrupted
    return {
        "open": opened,
        "rss": rss1 - rss0,
        "pending": pending,
        "first": first,
        "resumed": resumed_all,
        "list_ms": list_ms,
    }


async def heap(paths) -> float:
    tracemalloc.start()
    manager = await QueueManager.open(paths, Settings(None, environ={}), None)
    size, _peak = tracemalloc.get_traced_memory()
    await manager.close()
    tracemalloc.stop()
    return size / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--interrupted", type=int, default=100)
    args = parser.parse_args()
    tmp, paths = temp_paths()
    with tmp:
        start = time.perf_counter()
        fill_store(paths, args.items, make_factory(args.interrupted))
        fill = time.perf_counter() - start
        size = paths.database.stat().st_size / 1e6
        r = asyncio.run(measure(paths, args.interrupted))
        heap_mb = asyncio.run(heap(paths))
    print(
        f"store: {args.items} items ({args.interrupted} interrupted mid-parsing), "
        f"{size:.1f} MB file, written in {fill:.2f} s"
    )
    print(f"open + load + recover: {r['open'] * 1000:.0f} ms, {r['pending']} back to pending")
    print(f"memory: RSS +{r['rss']:.1f} MB, Python heap of the loaded queue {heap_mb:.1f} MB")
    print(
        f"resume: first interrupted item in parsing after {r['first'] * 1000:.1f} ms; "
        f"all {args.interrupted} done in {r['resumed']:.2f} s (extraction not repeated)"
    )
    print(f"list(limit=50) over {args.items} items: {r['list_ms']:.2f} ms")


if __name__ == "__main__":
    main()
