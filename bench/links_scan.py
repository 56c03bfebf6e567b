"""Link recognition speed: what the clipboard watcher pays per clipboard change.

    python bench/links_scan.py [--repeat 2000]

Prints p50 / p99 per call for a short clipboard sentence, a 10 KB note with 20 links, and a
1 MB adversarial text (thousands of Instagram-looking tokens that are not posts), to show the
recogniser has no pathological backtracking.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from instarecipe_desktop.core.links import find_post_links, parse_post_link


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(func: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return samples


def code(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits + "_-") for _ in range(11))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(7)
    sentence = f"Look at this! https://www.instagram.com/reel/{code(rng)}/?igsh=MWQ1ZGUx 😍"
    note = " ".join(
        f"recipe {n}: instagram.com/p/{code(rng)}/ and some words about dinner" * 1
        + " lorem ipsum dolor sit amet" * 12
        for n in range(20)
    )
    adversarial = " ".join(
        rng.choice(
            [
                "instagram.com/" + "a" * rng.randint(1, 60),
                "instagram.com.evil.net/p/" + code(rng),
                "https://www.instagram.com/stories/" + code(rng),
                "notinstagram.com/p/" + code(rng),
                "instagram.com/p/" + "/" * 40,
                "instagram.com" + "." * 30,
            ]
        )
        for _ in range(40_000)
    )[:1_000_000]
    single = f"https://m.instagram.com/chef.anna/p/{code(rng)}/?utm_source=ig_web_copy_link"
    cases = [
        ("parse_post_link (one link)", lambda: parse_post_link(single), args.repeat),
        (
            f"find_post_links, sentence ({len(sentence)} chars)",
            lambda: find_post_links(sentence),
            args.repeat,
        ),
        (
            f"find_post_links, note with 20 links ({len(note) // 1024} KB)",
            lambda: find_post_links(note),
            max(20, args.repeat // 20),
        ),
        (
            f"find_post_links, adversarial ({len(adversarial) // 1024} KB, 0 posts)",
            lambda: find_post_links(adversarial),
            5,
        ),
    ]
    assert len(find_post_links(note)) == 20 and find_post_links(adversarial) == []
    for name, func, repeat in cases:
        samples = timed(func, repeat)
        print(
            f"{name:58s} p50 {percentile(samples, 0.5) * 1e6:10.1f} us   "
            f"p99 {percentile(samples, 0.99) * 1e6:10.1f} us   (n={repeat})"
        )


if __name__ == "__main__":
    main()
