"""What every reader gets and gives, and the one thread all blocking Instagram calls share."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from instarecipe_desktop.pipeline.extraction.errors import classify
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.post_data import PostFacts
from instarecipe_desktop.pipeline.extraction.session import InstagramSession

T = TypeVar("T")


@dataclass(frozen=True)
class ReadRequest:
    shortcode: str
    kind: str  # "p" or "reel", as the link said
    session: InstagramSession | None

    @property
    def canonical_url(self) -> str:
        return f"https://www.instagram.com/{self.kind}/{self.shortcode}/"


class PostReader(Protocol):
    name: str  # one of READER_NAMES

    def version(self) -> str: ...

    async def read(self, request: ReadRequest) -> PostFacts:
        """The post's facts; raises ``PhaseError`` (anything else is classified by the chain)."""
        ...

    def close(self) -> None: ...


class InstagramThread:
    """One worker thread for every blocking call to Instagram, one operation at a time:
    requests from all readers are serialised by construction and share one pacer."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="instagram")
        self.turn = asyncio.Lock()

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, func, *args)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


async def paced_wait(pacer: RequestPacer, *, logged_in: bool) -> None:
    """Wait for the pacer's turn; during a cooldown (or shutdown) raise a classified error."""
    try:
        await pacer.wait_async()
    except Exception as exc:
        raise classify(exc, logged_in=logged_in) from None
