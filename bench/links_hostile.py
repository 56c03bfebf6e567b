"""Speed of the link recogniser on hostile input (figures, not assertions).

python bench/links_hostile.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from instarecipe_desktop.core.links import (
    LinkRejected,
    find_post_links,
    parse_post_link,
)


def timed(label: str, func: Callable[[], object]) -> None:
    start = time.perf_counter()
    result = func()
    elapsed = (time.perf_counter() - start) * 1000
    shown = len(result) if isinstance(result, list) else result
    print(f"{label:<62} {elapsed:9.1f} ms  -> {shown}")


def parse(text: str) -> str:
    try:
        return parse_post_link(text).url
    except LinkRejected:
        return "rejected"


def main() -> None:
    links = "\n".join(f"https://www.instagram.com/reel/Code{n:05d}/?igsh=x{n}" for n in range(5000))
    timed("find: 5,000 links in one paste (~250 KB)", lambda: find_post_links(links))
    timed(
        "find: 1,000 links glued without separators",
        lambda: find_post_links(
            "".join(f"https://www.instagram.com/p/Glue{n:05d}/" for n in range(1000))
        ),
    )
    timed(
        "find: 5 MB of near-misses ('instagram. com / p /')",
        lambda: find_post_links("lorem ipsum instagram. com / p / " * 150_000),
    )
    timed("find: 'a.' x 1,000,000", lambda: find_post_links("a." * 1_000_000))
    timed("find: 'instagram.com' x 200,000", lambda: find_post_links("instagram.com" * 200_000))
    timed(
        "find: 'www.instagram.com/' x 100,000 (hosts without posts)",
        lambda: find_post_links("www.instagram.com/ " * 100_000),
    )
    timed("find: 'https://' x 300,000", lambda: find_post_links("https://" * 300_000))
    timed("find: 10 MB without any link", lambda: find_post_links("x" * 10_000_000))
    timed("parse: 1 MB post code", lambda: parse("https://www.instagram.com/p/" + "A" * 10**6))
    timed(
        "parse: 500,000 subdomain labels",
        lambda: parse("https://" + "a." * 500_000 + "instagram.com/p/ABCDEF1/"),
    )
    timed("parse: 5 MB of 'x'", lambda: parse("x" * 5_000_000))


if __name__ == "__main__":
    main()
