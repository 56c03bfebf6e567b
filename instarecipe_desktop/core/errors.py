"""Failures of a phase, classified for the queue: recoverable (retry later) or permanent.

Adapters translate every library exception into a ``PhaseError`` with a sentence a person
understands and a suggestion; the engine never shows a traceback.
"""

from __future__ import annotations

from instarecipe_desktop.core.items import ErrorKind


class PhaseError(Exception):
    """A classified phase failure.

    ``retry_after`` (seconds) lets an adapter ask for a longer wait than the default backoff,
    e.g. Instagram rate limiting ("waiting 10 minutes") or an HTTP Retry-After header.
    ``stops_queue``: every other item would fail the same way (a token that lost its write
    permission): the item waits at its phase instead of failing, and processing stops with
    this one message until the person resumes it.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: ErrorKind,
        suggestion: str | None = None,
        code: str | None = None,
        retry_after: float | None = None,
        details: str | None = None,
        stops_queue: bool = False,
    ) -> None:
        super().__init__(message)
        self.stops_queue = stops_queue
        self.message = message
        self.kind = kind
        self.suggestion = suggestion
        self.code = code
        self.retry_after = retry_after
        self.details = details

    @property
    def recoverable(self) -> bool:
        return self.kind == ErrorKind.RECOVERABLE

    def __str__(self) -> str:
        return self.message if not self.suggestion else f"{self.message} {self.suggestion}"


class RecoverableError(PhaseError):
    """Network trouble, timeouts, rate limits, 5xx: try again later."""

    def __init__(self, message: str, **kwargs: object) -> None:
        super().__init__(message, kind=ErrorKind.RECOVERABLE, **kwargs)  # type: ignore[arg-type]


class PermanentError(PhaseError):
    """Bad link, private post, no recipe, wrong token: retrying will not help."""

    def __init__(self, message: str, **kwargs: object) -> None:
        super().__init__(message, kind=ErrorKind.PERMANENT, **kwargs)  # type: ignore[arg-type]


WAITING_FOR_SETTINGS = "waiting_for_settings"


class SettingsNeeded(PhaseError):
    """The phase cannot run until the person changes a setting (a Tandoor address is set but
    its token is gone, say after a restart without a keyring). The item waits instead of
    falling back to somewhere else: no retry is used up, and ``QueueManager.settings_changed``
    lets it go on."""

    def __init__(self, message: str, **kwargs: object) -> None:
        kwargs.setdefault("code", WAITING_FOR_SETTINGS)
        super().__init__(message, kind=ErrorKind.RECOVERABLE, **kwargs)  # type: ignore[arg-type]
