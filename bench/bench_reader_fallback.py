"""How long the extraction takes to fall back through the chain of readers, and what it asks.

    python bench/bench_reader_fallback.py [--posts 20] [--interval 4]

Against the fake Instagram of the tests (tests/extraction/conftest.py) on 127.0.0.1, for each
scenario (instaloader reads; instaloader broken -> yt-dlp, anonymous and logged in; both APIs
refusing -> the embed page; every reader failing; instaloader rested): the wall time per post
with pacing off (median and worst, thumbnails included; the worst includes loading yt-dlp
once), the requests per post by reader (a redirect followed to the login page counts apart), and
the pacing wait per post at ``--interval`` seconds between requests (simulated clock: nothing
sleeps), which is what dominates a real fallback.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from instarecipe_desktop.core.errors import PhaseError
from instarecipe_desktop.core.items import QueueItem
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.secrets import SecretStore
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.extraction.extractor import InstagramExtractor
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.readers.health import ReaderHealth
from instarecipe_desktop.pipeline.extraction.session import InstagramSession, SessionVault
from tests.extraction.conftest import (
    INSTAGRAM_HOSTS,
    JPEG,
    FakeContext,
    FakeInstagram,
    LoopbackServer,
    Response,
    _RewriteAdapter,
)

SESSION = InstagramSession(
    username="chef.anna",
    source="firefox",
    verified=True,
    cookies={"sessionid": "1001%3Abench-session", "csrftoken": "c", "ds_user_id": "1001"},
)
BROKEN = Response(200, "<html>surprise</html>")  # instaloader "broken for everyone"
LOGIN_WALL = Response(302, b"", {"Location": "https://www.instagram.com/accounts/login/"})
UNKNOWN_PAGE = Response(200, "<html>a page nobody knows</html>")


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


@dataclass
class Scenario:
    name: str
    prepare: Callable[[FakeInstagram], None]  # before each post
    logged_in: bool = False
    rest_first: bool = False  # instaloader is rested before the run


def reader_of(path: str) -> str:
    if path.startswith("/img/"):
        return "pictures"
    if path == "/":
        return "start page"
    if path in ("/api/graphql", "/graphql/query"):
        return "instaloader"
    if path.startswith("/accounts/login"):
        return "login redirect"
    if path.endswith("/embed/captioned/"):
        return "embed"
    return "yt-dlp"  # api/v1/media/{pk}/info/, get_ruling_for_content, /p/CODE


async def run(
    fake: FakeInstagram,
    paths: AppPaths,
    codes: list[str],
    scenario: Scenario,
    pacer: RequestPacer,
) -> tuple[list[float], Counter[str], Counter[str]]:
    secrets = SecretStore(environ={})
    if scenario.logged_in:
        SessionVault(secrets).save(SESSION)
    health = ReaderHealth(None, rest_after=10**6)
    if scenario.rest_first:
        health.failed("instaloader", "benchmark", counts=True, rest_s=3600)
    ext = InstagramExtractor(Settings(None, environ={}), secrets, paths, pacer=pacer, health=health)
    times: list[float] = []
    outcomes: Counter[str] = Counter()
    try:
        for code in codes:
            fake.instaloader_broken = None
            fake.ytdlp_faults.clear()
            fake.embed_faults.clear()
            scenario.prepare(fake)
            context = FakeContext(
                QueueItem(url=f"https://www.instagram.com/p/{code}/"), paths.data_dir
            )
            start = time.perf_counter()
            try:
                result = await ext.extract(context)
                outcomes[str(result.post.get("reader"))] += 1
            except PhaseError as exc:
                outcomes[f"failed ({exc.code})"] += 1
            times.append(time.perf_counter() - start)
    finally:
        await ext.aclose()
    asked = Counter(reader_of(r.path) for r in fake.server.requests)
    fake.server.requests.clear()
    return times, asked, outcomes


def scenarios() -> list[Scenario]:
    def nothing(fake: FakeInstagram) -> None:
        pass

    def instaloader_broken(fake: FakeInstagram) -> None:
        fake.instaloader_broken = BROKEN

    def both_apis_refuse(fake: FakeInstagram) -> None:
        fake.instaloader_broken = BROKEN
        fake.ytdlp_faults.append(LOGIN_WALL)

    def all_fail(fake: FakeInstagram) -> None:
        both_apis_refuse(fake)
        fake.embed_faults.append(UNKNOWN_PAGE)

    return [
        Scenario("instaloader reads (anonymous)", nothing),
        Scenario("instaloader broken -> yt-dlp (anonymous)", instaloader_broken),
        Scenario("instaloader broken -> yt-dlp (logged in)", instaloader_broken, logged_in=True),
        Scenario("both APIs refuse -> embed page", both_apis_refuse),
        Scenario("every reader fails", all_fail),
        Scenario("instaloader rested -> yt-dlp (anonymous)", instaloader_broken, rest_first=True),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=20, help="posts per scenario")
    parser.add_argument("--interval", type=float, default=4.0, help="INSTAGRAM_MIN_INTERVAL_S")
    args = parser.parse_args()

    server = LoopbackServer()
    fake = FakeInstagram(server)
    template = fake.posts["C7photo0001"]
    codes = [f"BENCH{n:06d}" for n in range(args.posts)]
    for code in codes:
        media: dict[str, Any] = copy.deepcopy(template)
        media["code"] = code
        media["image_versions2"]["candidates"][0]["url"] = f"{server.base_url}/img/{code}.jpg"
        fake.posts[code] = media
        fake.add_routes(code)
        server.route("GET", f"/img/{code}.jpg", Response(200, JPEG))
    real = requests.Session.get_adapter

    def get_adapter(self: requests.Session, url: str) -> Any:
        if (urlsplit(url).hostname or "") in INSTAGRAM_HOSTS:
            return _RewriteAdapter(server.base_url)
        return real(self, url)

    requests.Session.get_adapter = get_adapter  # type: ignore[method-assign]
    print(
        f"posts per scenario: {args.posts}; pacing interval for the wait column: {args.interval:g} s"
    )
    print(
        f"{'scenario':44} {'wall median':>11} {'worst':>8} {'paced wait':>10}  "
        "requests per post by reader; outcome"
    )
    try:
        with tempfile.TemporaryDirectory(prefix="instarecipe-bench-") as tmp:
            base = Path(tmp)
            paths = AppPaths(base, base / "config", base / "logs").ensure()
            for scenario in scenarios():
                times, asked, outcomes = asyncio.run(
                    run(fake, paths, codes, scenario, RequestPacer(0.0))
                )
                clock = SimulatedClock()
                paced = RequestPacer(
                    args.interval,
                    clock=clock,
                    thread_wait=clock.thread_wait,
                    async_sleep=clock.async_sleep,
                )
                asyncio.run(run(fake, paths, codes, scenario, paced))
                per_post = ", ".join(
                    f"{name} {count / args.posts:.2f}" for name, count in sorted(asked.items())
                )
                outcome = ", ".join(f"{name} {count}" for name, count in outcomes.items())
                print(
                    f"{scenario.name:44} {statistics.median(times) * 1000:9.1f} ms "
                    f"{max(times) * 1000:5.0f} ms {clock.now / args.posts:8.1f} s  "
                    f"{per_post}; {outcome}"
                )
    finally:
        requests.Session.get_adapter = real  # type: ignore[method-assign]
        server.close()


if __name__ == "__main__":
    main()
