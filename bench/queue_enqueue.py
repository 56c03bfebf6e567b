"""Enqueue latency, p50/p99, with 0 and 10,000 items already stored.

    python bench/queue_enqueue.py [--count 2000] [--stored 10000]

"enqueue" is what the GUI waits for (the item is in memory, the event sent, the row handed to
the store thread); "enqueue+flush" also waits until the row is committed to SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from _common import fill_store, percentile, temp_paths

from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.settings import Settings


async def measure(stored: int, count: int) -> dict[str, float]:
    tmp, paths = temp_paths()
    with tmp:
        fill_store(paths, stored)
        manager = await QueueManager.open(paths, Settings(None, environ={}), None)
        events = []
        manager.subscribe(events.append)  # like the GUI's table model
        plain: list[float] = []
        durable: list[float] = []
        for n in range(count):
            url = f"https://www.instagram.com/p/NEW{n:07d}/"
            start = time.perf_counter()
            await manager.enqueue(url)
            plain.append(time.perf_counter() - start)
            if n % 10 == 0:  # every 10th also waits for the commit
                start = time.perf_counter()
                await manager.enqueue(f"https://www.instagram.com/p/DUR{n:07d}/")
                await manager.flush()
                durable.append(time.perf_counter() - start)
        await manager.close()
        assert len(events) == count + len(durable)
    return {
        "p50": percentile(plain, 50) * 1000,
        "p99": percentile(plain, 99) * 1000,
        "max": max(plain) * 1000,
        "durable_p50": percentile(durable, 50) * 1000,
        "durable_p99": percentile(durable, 99) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--stored", type=int, default=10_000)
    args = parser.parse_args()
    print(f"enqueue latency over {args.count} enqueues (ms)")
    print(f"{'stored':>8} {'p50':>7} {'p99':>7} {'max':>7} {'+flush p50':>11} {'+flush p99':>11}")
    for stored in (0, args.stored):
        r = asyncio.run(measure(stored, args.count))
        print(
            f"{stored:>8} {r['p50']:7.3f} {r['p99']:7.3f} {r['max']:7.3f} "
            f"{r['durable_p50']:11.3f} {r['durable_p99']:11.3f}"
        )


if __name__ == "__main__":
    main()
