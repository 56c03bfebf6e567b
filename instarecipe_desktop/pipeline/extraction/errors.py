"""Every instaloader / requests failure translated into a classified ``PhaseError``.

instaloader wraps the real cause: with ``max_connection_attempts=1`` a 429 arrives as
``ConnectionException("JSON Query to ...: 429 Too Many Requests ...")`` whose ``__cause__`` is
the ``TooManyRequestsException``. So the classifier walks the cause chain and also reads the
status in the message. Messages are plain sentences; the raw text goes to ``details`` only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import instaloader.exceptions as ie
import requests

from instarecipe_desktop.core.backoff import describe_delay
from instarecipe_desktop.core.errors import PermanentError, PhaseError, RecoverableError

RATE_LIMIT_RETRY_S = 15 * 60.0  # Instagram's blocks last minutes, not seconds
NETWORK_RETRY_S = 60.0
SETTINGS_HINT = (
    "log in to Instagram in Settings (or run: instarecipe-desktop instagram "
    "import-session --browser firefox)"
)
PASTE_HINT = "You can also paste the caption yourself."


class InstagramRateLimited(Exception):
    """Raised by our rate controller instead of sleeping for minutes, and by the cooldown."""

    def __init__(self, wait_s: float) -> None:
        super().__init__(f"Instagram asked us to wait {round(wait_s)} s")
        self.wait_s = wait_s


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _status_in(text: str) -> int | None:
    match = re.search(r"\b([45]\d\d) [A-Z][A-Za-z ]*", text)
    return int(match.group(1)) if match else None


def rate_limited(wait_s: float | None = None, details: str | None = None) -> RecoverableError:
    wait = max(wait_s or 0.0, RATE_LIMIT_RETRY_S)
    return RecoverableError(
        "Instagram is rate limiting requests from this computer.",
        suggestion=f"The link is tried again in about {describe_delay(wait)}; logging in to "
        f"Instagram in Settings makes this rarer. {PASTE_HINT}",
        code="instagram_rate_limited",
        retry_after=wait,
        details=details,
    )


def classify(exc: BaseException, *, logged_in: bool = False) -> PhaseError:
    """The ``PhaseError`` for any exception raised while talking to Instagram."""
    if isinstance(exc, PhaseError):
        return exc
    chain = list(_chain(exc))
    details = "; ".join(f"{type(e).__name__}: {e}" for e in chain)[:2000]
    text = " ".join(str(e) for e in chain)
    lowered = text.lower()

    for item in chain:
        if isinstance(item, InstagramRateLimited):
            return rate_limited(item.wait_s, details)
    if (
        any(isinstance(e, ie.TooManyRequestsException) for e in chain)
        or "please wait a few minutes" in lowered
        or _status_in(text) in {401, 429}
    ):
        return rate_limited(None, details)
    if any(isinstance(e, ie.TwoFactorAuthRequiredException) for e in chain):
        return PermanentError(
            "Instagram asks for a two-factor code.",
            suggestion="Run: instarecipe-desktop instagram login (it asks for the code), or "
            "import the session from your browser.",
            code="login_two_factor",
            details=details,
        )
    if any(isinstance(e, ie.BadCredentialsException) for e in chain):
        return PermanentError(
            "Instagram did not accept the username or password.",
            suggestion="Check them and log in again.",
            code="login_bad_credentials",
            details=details,
        )
    if "checkpoint" in lowered or "challenge_required" in lowered or "feedback_required" in lowered:
        return PermanentError(
            "Instagram wants to confirm it is really you (a security checkpoint).",
            suggestion="Open instagram.com in your browser, follow its instructions, then "
            f"{SETTINGS_HINT}.",
            code="instagram_checkpoint",
            details=details,
        )
    if any(isinstance(e, ie.LoginRequiredException) for e in chain) or (
        "redirected to login page" in lowered and not logged_in
    ):
        return PermanentError(
            "Instagram shows this post only to logged-in visitors.",
            suggestion=f"Please {SETTINGS_HINT}. {PASTE_HINT}",
            code="login_required",
            details=details,
        )
    if "redirected to login page" in lowered or any(
        isinstance(e, ie.AbortDownloadException) for e in chain
    ):
        return PermanentError(
            "Your Instagram session has expired or was logged out.",
            suggestion=f"Please {SETTINGS_HINT} again.",
            code="instagram_session_expired",
            details=details,
        )
    if any(isinstance(e, ie.LoginException) for e in chain):
        return PermanentError(
            "Logging in to Instagram failed.",
            suggestion="Import the session from your browser instead.",
            code="login_failed",
            details=details,
        )
    if (
        any(isinstance(e, ie.QueryReturnedNotFoundException) for e in chain)
        or "fetching post metadata failed" in lowered
        or any(
            isinstance(e, (ie.ProfileNotExistsException, ie.PrivateProfileNotFollowedException))
            for e in chain
        )
    ):
        return PermanentError(
            "The post is private or was deleted.",
            suggestion="Check the link in your browser. If you can see the post there, "
            f"{SETTINGS_HINT}, or paste the caption yourself.",
            code="post_unavailable",
            details=details,
        )
    if any(isinstance(e, ie.QueryReturnedForbiddenException) for e in chain):
        return RecoverableError(
            "Instagram refused to send the post's media.",
            suggestion="It is tried again later.",
            code="instagram_forbidden",
            retry_after=NETWORK_RETRY_S * 5,
            details=details,
        )
    status = _status_in(text)
    if status is not None and status >= 500:
        return RecoverableError(
            "Instagram is having trouble right now (server error).",
            suggestion="It is tried again in a minute.",
            code="instagram_unavailable",
            retry_after=NETWORK_RETRY_S,
            details=details,
        )
    if any(isinstance(e, json.JSONDecodeError) for e in chain):
        return RecoverableError(
            "Instagram sent an answer this app does not understand.",
            suggestion=f"It is tried again later. {PASTE_HINT}",
            code="instagram_unexpected",
            retry_after=NETWORK_RETRY_S * 5,
            details=details,
        )
    if (
        any(isinstance(e, (requests.Timeout, TimeoutError)) for e in chain)
        or "timed out" in lowered
    ):
        return RecoverableError(
            "Instagram did not answer in time.",
            suggestion="Check your internet connection; it is tried again.",
            code="network",
            retry_after=NETWORK_RETRY_S,
            details=details,
        )
    if any(isinstance(e, (requests.ConnectionError, ConnectionError, OSError)) for e in chain):
        return RecoverableError(
            "Instagram could not be reached.",
            suggestion="Check your internet connection; it is tried again.",
            code="network",
            retry_after=NETWORK_RETRY_S,
            details=details,
        )
    if any(isinstance(e, ie.InvalidArgumentException) for e in chain):
        return PermanentError(
            "This is not a valid Instagram post code.",
            suggestion="Copy the post's link again.",
            code="invalid_link",
            details=details,
        )
    if any(isinstance(e, ie.ConnectionException) for e in chain):
        return RecoverableError(
            "Instagram could not be reached.",
            suggestion="It is tried again in a minute.",
            code="network",
            retry_after=NETWORK_RETRY_S,
            details=details,
        )
    return RecoverableError(
        "Instagram sent an answer this app does not understand.",
        suggestion=f"It is tried again later. {PASTE_HINT}",
        code="instagram_unexpected",
        retry_after=NETWORK_RETRY_S * 5,
        details=details,
    )
