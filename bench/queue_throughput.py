"""500 items through three fake phases with fixed latencies at concurrency 1, 2, 4, 8.

    python bench/queue_throughput.py [--items 500] [--phase-ms 10]

Prints the makespan against the ideal ``ceil(n / concurrency) * per-item latency`` and the
engine's CPU time per item (process CPU, store thread included, fake phases only sleep).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time

from _common import temp_paths

from instarecipe_desktop.core.items import ItemStatus
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.settings import Settings
from tests.support.fake_phases import FakePhases


class TimedFakePhases(FakePhases):
    """Also measures how long the fake phases really took (sleep overshoots on a busy box)."""

    busy = 0.0

    async def _run(self, phase: str, ctx) -> None:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            await super()._run(phase, ctx)
        finally:
            self.busy += time.perf_counter() - start


async def run(items: int, concurrency: int, phase_s: float) -> dict[str, float]:
    tmp, paths = temp_paths()
    with tmp:
        fake = TimedFakePhases(
            latency={"extraction": phase_s, "parsing": phase_s, "uploading": phase_s}
        )
        settings = Settings(None, environ={"QUEUE_CONCURRENCY": str(concurrency)})
        manager = await QueueManager.open(paths, settings, fake.phases())
        events = 0

        def count(_event: object) -> None:
            nonlocal events
            events += 1

        manager.subscribe(count)  # like the GUI
        for n in range(items):
            await manager.enqueue(f"https://www.instagram.com/p/TP{n:07d}/")
        await manager.flush()
        cpu0, wall0 = time.process_time(), time.perf_counter()
        await manager.start()
        await manager.wait_until_idle()
        await manager.flush()
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        done = manager.counts()[ItemStatus.SUCCESS]
        peak = manager._processor.max_running_seen
        await manager.close()
    assert done == items, f"{done} of {items} succeeded"
    assert peak <= concurrency
    ideal = math.ceil(items / concurrency) * 3 * phase_s
    actual_item = fake.busy / items  # what the fakes really took per item
    return {
        "wall": wall,
        "ideal": ideal,
        "cpu_ms": cpu / items * 1000,
        "peak": peak,
        "events": events / items,
        "fake_ms": actual_item * 1000,
        "ideal_actual": math.ceil(items / concurrency) * actual_item,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--phase-ms", type=float, default=10.0)
    args = parser.parse_args()
    phase_s = args.phase_ms / 1000
    print(f"{args.items} items, 3 phases x {args.phase_ms:g} ms")
    print(
        f"{'conc':>4} {'makespan s':>10} {'ideal s':>8} {'overhead':>8} {'CPU ms/item':>11} "
        f"{'peak':>4} {'events/item':>11} {'fakes ms/item':>13} {'vs fakes':>8}"
    )
    for concurrency in (1, 2, 4, 8):
        r = asyncio.run(run(args.items, concurrency, phase_s))
        print(
            f"{concurrency:>4} {r['wall']:10.2f} {r['ideal']:8.2f} "
            f"{(r['wall'] / r['ideal'] - 1) * 100:7.1f}% {r['cpu_ms']:11.2f} "
            f"{r['peak']:>4} {r['events']:11.1f} {r['fake_ms']:13.1f} "
            f"{(r['wall'] / r['ideal_actual'] - 1) * 100:7.1f}%"
        )
    print(
        "overhead: makespan vs the ideal; 'vs fakes': vs the ideal computed with the time the "
        "fake phases really took (asyncio.sleep overshoots on a loaded machine)"
    )


if __name__ == "__main__":
    main()
