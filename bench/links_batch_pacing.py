"""A batch of links through the extraction adapter against a fake Instagram on 127.0.0.1.

    python bench/links_batch_pacing.py [--links 50] [--interval 4]

Prints how many requests one post costs, how long the pacing keeps a batch waiting (simulated
clock: nothing actually sleeps) and the adapter's own wall time per post with pacing off.
The fake server and the request routing are the ones the tests use (tests/extraction).
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from instarecipe_desktop.core.items import QueueItem
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.extraction.extractor import InstagramExtractor
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.extraction.conftest import (
    INSTAGRAM_HOSTS,
    JPEG,
    FakeContext,
    FakeInstagram,
    LoopbackServer,
    Response,
    _RewriteAdapter,
)


class SimulatedClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def thread_wait(self, seconds: float) -> bool:
        self.now += seconds
        return False

    async def async_sleep(self, seconds: float) -> None:
        self.now += seconds


async def run_batch(
    fake: FakeInstagram, paths: AppPaths, codes: list[str], pacer: RequestPacer
) -> float:
    ext = InstagramExtractor(Settings(None, environ={}), open_secret_store(), paths, pacer=pacer)
    start = time.perf_counter()
    try:
        await asyncio.gather(
            *(
                ext.extract(
                    FakeContext(
                        QueueItem(url=f"https://www.instagram.com/p/{code}/"), paths.data_dir
                    )
                )
                for code in codes
            )
        )
    finally:
        await ext.aclose()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--links", type=int, default=50)
    parser.add_argument("--interval", type=float, default=4.0)
    args = parser.parse_args()

    import keyring
    from keyring.backends.null import Keyring

    keyring.set_keyring(Keyring())

    server = LoopbackServer()
    fake = FakeInstagram(server)
    template = fake.posts["C7photo0001"]
    codes = [f"BENCH{n:06d}" for n in range(args.links)]
    for code in codes:
        media: dict[str, Any] = copy.deepcopy(template)
        media["code"] = code
        media["image_versions2"]["candidates"][0]["url"] = f"{server.base_url}/img/{code}.jpg"
        fake.posts[code] = media
        server.route("GET", f"/img/{code}.jpg", Response(200, JPEG))
    real = requests.Session.get_adapter

    def get_adapter(self: requests.Session, url: str) -> Any:
        if (urlsplit(url).hostname or "") in INSTAGRAM_HOSTS:
            return _RewriteAdapter(server.base_url)
        return real(self, url)

    requests.Session.get_adapter = get_adapter  # type: ignore[method-assign]
    try:
        with tempfile.TemporaryDirectory(prefix="instarecipe-bench-") as tmp:
            base = Path(tmp)
            paths = AppPaths(base, base / "config", base / "logs").ensure()
            clock = SimulatedClock()
            paced = RequestPacer(
                args.interval,
                clock=clock,
                thread_wait=clock.thread_wait,
                async_sleep=clock.async_sleep,
            )
            asyncio.run(run_batch(fake, paths, codes, paced))
            instagram = [r for r in server.requests if not r.path.startswith("/img/")]
            server.requests.clear()
            unpaced_wall = asyncio.run(run_batch(fake, paths, codes, RequestPacer(0.0)))
    finally:
        requests.Session.get_adapter = real  # type: ignore[method-assign]
        server.close()
    print(f"links: {args.links}, minimum interval: {args.interval:g} s")
    print(
        f"requests to Instagram: {len(instagram)} "
        f"({len(instagram) / args.links:.2f} per post, all paced: {paced.requests})"
    )
    print(
        f"pacing wait for the batch (simulated): {clock.now:.0f} s = {clock.now / 60:.1f} minutes"
    )
    print(
        f"adapter wall time with pacing off: {unpaced_wall:.2f} s "
        f"({unpaced_wall / args.links * 1000:.1f} ms per post, thumbnails included)"
    )


if __name__ == "__main__":
    main()
