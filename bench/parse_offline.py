#!/usr/bin/env python3
"""Speed of the offline recipe parser over the unlabelled pool of real captions.

    python bench/parse_offline.py [POOL.jsonl] [--repeat N]

Prints per-caption timings (median, p95, worst and which caption it was), throughput, how many
captions were taken for recipes (and how many of those are marked uncertain), the time of
hostile texts at 10k, 20k and 40k characters (linear growth: twice the text, about twice the
time), and the start-up time of one ``instarecipe-desktop parse --offline`` process (what the
eval scorer pays per caption).
"""

from __future__ import annotations

import argparse
import contextlib
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


# texts built to be slow: long lines, thousands of amount lines, entities, bold letters
HOSTILE = {
    "one long line": "x",
    "amount lines": "2 eggs\n",
    "distinct amounts": "".join(f"{n} g flour {n}\n" for n in range(1, 400)),
    "entities": "&#x1f363;&amp;&#xe9;",
    "bold letters": "𝗟𝗲𝗺𝗼𝗻 𝟐 ",
    "zero-width": "1\u200b lb\u2060 ",
    "food leaders": "Flour ....... 1 cup\n",
    "bare lines": "Onion\nCarrot\nSalt\n",
}


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
    accepted = uncertain = 0
    worst = (0.0, 0)
    for run in range(args.repeat):
        for index, caption in enumerate(captions):
            start = time.perf_counter()
            try:
                recipe = parse_caption(caption)
                ok, unsure = True, recipe.uncertain
            except PermanentError:
                ok, unsure = False, False
            elapsed = time.perf_counter() - start
            timings.append(elapsed)
            worst = max(worst, (elapsed, index))
            accepted += ok and run == 0
            uncertain += unsure and run == 0
    ms = sorted(t * 1000 for t in timings)
    total = sum(timings)
    chars = sum(len(c) for c in captions) * args.repeat
    print(
        f"captions: {len(captions)} x {args.repeat} passes, {chars / len(timings):.0f} chars "
        f"on average"
    )
    print(f"taken for recipes: {accepted} of {len(captions)} ({uncertain} marked uncertain)")
    print(
        f"per caption: median {statistics.median(ms):.2f} ms, p95 "
        f"{ms[int(0.95 * (len(ms) - 1))]:.2f} ms, max {ms[-1]:.2f} ms "
        f"(worst: pool line {worst[1] + 1}, {len(captions[worst[1]])} chars)"
    )
    print(
        f"throughput: {len(timings) / total:.0f} captions/s ({chars / total / 1e6:.2f} MB/s "
        "of text)"
    )
    for name, unit in HOSTILE.items():
        figures = []
        for size in (10_000, 20_000, 40_000):
            text = (unit * (size // len(unit) + 1))[:size]
            start = time.perf_counter()
            with contextlib.suppress(PermanentError):
                parse_caption(text)
            figures.append(f"{size // 1000}k {1000 * (time.perf_counter() - start):.0f} ms")
        print(f"hostile {name}: {', '.join(figures)}")
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
