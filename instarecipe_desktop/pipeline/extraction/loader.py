"""The one shared ``Instaloader``, configured for an app that must never block for minutes.

``sleep=False`` (no random pauses: we pace ourselves), a short ``request_timeout``,
``max_connection_attempts=1`` (the queue retries, with backoff), ``iphone_support=False`` (no
extra requests for high-resolution variants), and a rate controller that asks our pacer before
every request and raises instead of sleeping: instaloader's own controller blocks the thread for
about 11 minutes after a 429.
"""

from __future__ import annotations

import logging
from typing import Any

from instaloader import Instaloader, InstaloaderContext, RateController

from instarecipe_desktop.pipeline.extraction.errors import InstagramRateLimited
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer

log = logging.getLogger(__name__)

REQUEST_TIMEOUT_S = 10.0


class PacedRateController(RateController):
    """Every request waits for its turn at the pacer; a wait of minutes raises instead."""

    def __init__(self, context: InstaloaderContext, pacer: RequestPacer) -> None:
        super().__init__(context)
        self._pacer = pacer

    def wait_before_query(self, query_type: str) -> None:
        self._pacer.before_request()
        super().wait_before_query(query_type)  # keeps instaloader's sliding-window counts

    def sleep(self, secs: float) -> None:
        # instaloader's sliding window is full: do not block the thread, let the queue retry
        raise InstagramRateLimited(self._pacer.rate_limited(secs))

    def handle_429(self, query_type: str) -> None:
        raise InstagramRateLimited(self._pacer.rate_limited())


def _log_instaloader_error(msg: Any, repeat_at_end: bool = True) -> None:
    log.debug("instaloader: %s", msg)


def make_loader(
    pacer: RequestPacer,
    *,
    request_timeout: float = REQUEST_TIMEOUT_S,
    username: str | None = None,
    cookies: dict[str, str] | None = None,
) -> Instaloader:
    """A new loader (no network); with ``cookies``, logged in as ``username``."""
    loader = Instaloader(
        sleep=False,
        quiet=True,
        max_connection_attempts=1,
        request_timeout=request_timeout,
        rate_controller=lambda ctx: PacedRateController(ctx, pacer),
        iphone_support=False,
        download_pictures=False,
        download_videos=False,
        download_video_thumbnails=False,
        save_metadata=False,
        compress_json=False,
    )
    # instaloader prints its warnings to stderr even when quiet: send them to our log instead
    loader.context.error = _log_instaloader_error  # type: ignore[method-assign]
    if cookies:
        session_cookies = {"csrftoken": "", **cookies}  # load_session needs a csrftoken key
        loader.load_session(
            username or f"user-{cookies.get('ds_user_id', 'unknown')}", session_cookies
        )
    return loader
