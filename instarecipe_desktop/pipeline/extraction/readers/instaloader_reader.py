"""Reader 1: instaloader, with the person's session or anonymous (Instagram's web API)."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import TypeVar

from instaloader import Instaloader, Post

from instarecipe_desktop.core.errors import PhaseError
from instarecipe_desktop.pipeline.extraction.errors import classify
from instarecipe_desktop.pipeline.extraction.loader import REQUEST_TIMEOUT_S, make_loader
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.post_data import (
    PostFacts,
    author_comments,
    describe_post,
)
from instarecipe_desktop.pipeline.extraction.readers.base import (
    InstagramThread,
    ReadRequest,
    paced_wait,
)
from instarecipe_desktop.pipeline.extraction.session import InstagramSession

T = TypeVar("T")


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


class InstaloaderReader:
    name = "instaloader"

    def __init__(
        self,
        pacer: RequestPacer,
        thread: InstagramThread,
        *,
        request_timeout: float = REQUEST_TIMEOUT_S,
    ) -> None:
        self._pacer = pacer
        self._thread = thread
        self._request_timeout = request_timeout
        self._loader: Instaloader | None = None
        self._loader_key: str | None = None

    def version(self) -> str:
        return package_version("instaloader")

    async def read(self, request: ReadRequest) -> PostFacts:
        def fetch(loader: Instaloader) -> PostFacts:
            post = Post.from_shortcode(loader.context, request.shortcode)
            kind = "reel" if request.kind == "reel" else "p"
            return describe_post(post, f"https://www.instagram.com/{kind}/{post.shortcode}/")

        return await self.call(request.session, fetch)

    async def comments(self, session: InstagramSession | None, post: Post) -> list[str]:
        """The author's comments under ``post`` (needs a session; paced like every request)."""
        return await self.call(session, lambda _loader: author_comments(post))

    async def call(self, session: InstagramSession | None, func: Callable[[Instaloader], T]) -> T:
        """Run ``func(loader)`` on the Instagram thread, paced; errors come out classified."""
        loader = self._loader_for(session)
        async with self._thread.turn:
            await paced_wait(self._pacer, logged_in=session is not None)
            try:
                return await self._thread.run(func, loader)
            except PhaseError:
                raise
            except Exception as exc:
                problem = classify(exc, logged_in=session is not None)
                if problem.code == "instagram_rate_limited" and _is_too_many_requests(problem):
                    self._pacer.rate_limited(problem.retry_after)
                raise problem from None

    def close(self) -> None:
        if self._loader is not None:
            self._loader.close()

    def _loader_for(self, session: InstagramSession | None) -> Instaloader:
        key = session.fingerprint() if session else ""
        if self._loader is None or key != self._loader_key:
            if self._loader is not None:
                self._loader.close()
                self._pacer.reset_cooldown()  # a new session deserves a fresh try
            self._loader = make_loader(
                self._pacer,
                request_timeout=self._request_timeout,
                username=session.username if session else None,
                cookies=session.cookies if session else None,
            )
            self._loader_key = key
        return self._loader


def _is_too_many_requests(problem: PhaseError) -> bool:
    """A 429 (or our own pacer's refusal) limits this computer, whichever reader asks next; the
    API's 401 'Please wait a few minutes' refuses this reader only (the chain rests it)."""
    details = problem.details or ""
    return "429" in details or "InstagramRateLimited" in details or "TooManyRequests" in details
