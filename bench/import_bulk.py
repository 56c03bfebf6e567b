"""An export with 5,000 saved posts in 20 collections: time to list the collections (read the
zip and plan), time to queue all of them, resident memory, and the worst event-loop stall while
they are queued (a ticker on the same loop; headless: without the window).

    python bench/import_bulk.py [--posts 5000] [--collections 20]

Goals: list and queue within 2 s; worst stall under 16 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.support.memory_keyring.MemoryKeyring")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def main(args: argparse.Namespace) -> None:
    from instarecipe_desktop.core.bulk_import import plan_import
    from instarecipe_desktop.core.export_files import read_export
    from instarecipe_desktop.core.manager import QueueManager
    from instarecipe_desktop.core.paths import resolve_paths
    from instarecipe_desktop.core.settings import Settings
    from tests.bulk_import.exports import big_export

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["INSTARECIPE_DATA_DIR"] = str(Path(tmp) / "data")
        archive = big_export(args.posts, args.collections).write_zip(Path(tmp) / "export.zip")
        print(f"export zip: {archive.stat().st_size / 1024:.0f} KB, RSS {rss_mb():.0f} MB")
        start = time.perf_counter()
        reading = read_export(archive)
        plan = plan_import(reading)
        listed = time.perf_counter() - start
        print(
            f"list: {len(plan.collections)} collections, {len(plan.links)} posts in {listed * 1000:.0f} ms"
        )
        manager = await QueueManager.open(resolve_paths(), Settings(None, environ={}), None)
        gaps: list[float] = []
        done = asyncio.Event()

        async def ticker() -> None:
            last = time.perf_counter()
            while not done.is_set():
                await asyncio.sleep(0.001)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now

        tick = asyncio.ensure_future(ticker())
        await asyncio.sleep(0.01)
        start = time.perf_counter()
        result = await manager.enqueue_links(plan.links)
        await manager.flush()
        queued = time.perf_counter() - start
        done.set()
        await tick
        print(
            f"queue: {result.created} new in {queued * 1000:.0f} ms (list + queue {(listed + queued):.2f} s)"
        )
        print(f"worst loop stall while queueing: {max(gaps) * 1000:.1f} ms (ticks every 1 ms)")
        print(f"RSS after: {rss_mb():.0f} MB")
        await manager.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--collections", type=int, default=20)
    asyncio.run(main(parser.parse_args()))
