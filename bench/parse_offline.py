#!/usr/bin/env python3
"""Speed of the offline recipe parser over the unlabelled pool of real captions.

    python bench/parse_offline.py [POOL.jsonl] [--repeat N]

Prints per-caption timings (median, p95, max), throughput, how many captions were taken for
recipes, and the start-up time of one ``instarecipe-desktop parse --offline`` process (what the
eval scorer pays per caption).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from instarecipe_desktop.core.errors import PermanentError  # noqa: E402
from instarecipe_desktop.pipeline.parsing.offline import parse_caption  # noqa: E402

DEFAULT_POOL = ROOT / "tests" / "data" / "eval" / "captions-pool.jsonl"


def load(pool: Path) -> list[str]:
    lines = pool.read_text(encoding="utf-8").split("\n")
    return [json.loads(line).get("caption") or "" for line in lines if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pool", nargs="?", type=Path, default=DEFAULT_POOL)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the pool")
    args = parser.parse_args()
    captions = load(args.pool)
    timings: list[float] = []
    accepted = 0
    for run in range(args.repeat):
        for caption in captions:
            start = time.perf_counter()
            try:
                parse_caption(caption)
                ok = True
            except PermanentError:
                ok = False
            timings.append(time.perf_counter() - start)
            accepted += ok and run == 0
    ms = sorted(t * 1000 for t in timings)
    total = sum(timings)
    chars = sum(len(c) for c in captions) * args.repeat
    print(
        f"captions: {len(captions)} x {args.repeat} passes, {chars / len(timings):.0f} chars "
        f"on average"
    )
    print(f"taken for recipes: {accepted} of {len(captions)}")
    print(
        f"per caption: median {statistics.median(ms):.2f} ms, p95 "
        f"{ms[int(0.95 * (len(ms) - 1))]:.2f} ms, max {ms[-1]:.2f} ms"
    )
    print(
        f"throughput: {len(timings) / total:.0f} captions/s ({chars / total / 1e6:.2f} MB/s "
        "of text)"
    )
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "instarecipe_desktop", "parse", "--offline", "-"],
        input=captions[0],
        capture_output=True,
        text=True,
        check=False,
    )
    print(f"one CLI process (start-up + parse): {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
