"""Readers tried in order: the first that yields the caption wins; each try goes in the log.

A reader that keeps failing is rested (``ReaderHealth``) so a batch does not spend Instagram's
patience on it. A real rate limit (429) stops the whole chain: the pacer's cooldown is one
budget for all readers. When all fail, the message names what was tried and what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from instarecipe_desktop.core.backoff import describe_delay
from instarecipe_desktop.core.errors import PermanentError, PhaseError, RecoverableError
from instarecipe_desktop.pipeline.extraction.errors import PASTE_HINT, classify
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.post_data import PostFacts
from instarecipe_desktop.pipeline.extraction.readers import READER_LABELS
from instarecipe_desktop.pipeline.extraction.readers.base import PostReader, ReadRequest
from instarecipe_desktop.pipeline.extraction.readers.health import ReaderHealth

log = logging.getLogger(__name__)

Log = Callable[[str, str], None]  # message, level

# failures that say nothing about the reader: the post is gone, the link is bad, no internet
_NOT_THE_READERS_FAULT = {"post_unavailable", "invalid_link", "network"}
IMPORT_HINT = (
    "Import your browser's Instagram session (Settings, or run: instarecipe-desktop instagram "
    "import-session --browser firefox)"
)


@dataclass
class Attempt:
    reader: str
    error: PhaseError | None  # None: skipped because rested
    rested_for: float = 0.0


class ReaderChain:
    def __init__(
        self, readers: Sequence[PostReader], health: ReaderHealth, pacer: RequestPacer
    ) -> None:
        if not readers:
            raise ValueError("a reader chain needs at least one reader")
        self.readers = list(readers)
        self.health = health
        self._pacer = pacer

    async def read(self, request: ReadRequest, say: Log) -> PostFacts:
        attempts: list[Attempt] = []
        captionless: PostFacts | None = None
        for reader in self.readers:
            label = READER_LABELS.get(reader.name, reader.name)
            resting = self.health.rest_remaining(reader.name)
            if resting > 0:
                say(
                    f"Skipped {label}: it failed repeatedly and rests for another "
                    f"{describe_delay(resting)}.",
                    "info",
                )
                attempts.append(Attempt(reader.name, None, resting))
                continue
            try:
                facts = await reader.read(request)
            except PhaseError as exc:
                error = exc
            except Exception as exc:  # a reader's library broke in a way nobody foresaw
                log.warning("reader %s raised %s", reader.name, type(exc).__name__, exc_info=True)
                error = classify(exc, logged_in=request.session is not None)
            else:
                self.health.succeeded(reader.name)
                facts.post["reader"] = reader.name
                if facts.caption.strip():
                    say(f"Read the post with {label}.", "info")
                    return facts
                say(f"{label.capitalize()} read the post but found no caption.", "info")
                captionless = captionless or facts
                continue
            attempts.append(Attempt(reader.name, error))
            self._note_failure(reader.name, label, error, say)
            if error.code == "instagram_rate_limited" and self._pacer.cooldown_remaining() > 0:
                break  # Instagram limits this computer: no reader may ask for a while
        if captionless is not None:
            return captionless
        raise self._all_failed(attempts, request)

    def _note_failure(self, name: str, label: str, error: PhaseError, say: Log) -> None:
        api_refusal = (
            error.code == "instagram_rate_limited" and self._pacer.cooldown_remaining() <= 0
        )
        rested = self.health.failed(
            name,
            error.message,
            counts=error.code not in _NOT_THE_READERS_FAULT,
            rest_s=error.retry_after if api_refusal else None,
        )
        message = f"{label.capitalize()} failed: {error.message}"
        if rested:
            message += (
                f" It rests for {describe_delay(self.health.rest_remaining(name))}; the next "
                "reader is asked instead."
            )
        say(message, "warning")

    def _all_failed(self, attempts: list[Attempt], request: ReadRequest) -> PhaseError:
        failures = [a for a in attempts if a.error is not None]
        if len(attempts) == 1 and failures:
            return failures[0].error  # type: ignore[return-value]  # one reader: its own words
        parts = []
        for attempt in attempts:
            label = READER_LABELS.get(attempt.reader, attempt.reader)
            if attempt.error is None:
                parts.append(f"{label} (resting, {describe_delay(attempt.rested_for)} left)")
            else:
                parts.append(f"{label} ({attempt.error.message.rstrip('.')})")
        untried = len(attempts) < len(self.readers)
        message = "No reader could read the post. Tried: " + "; ".join(parts) + "."
        if untried:
            message += " The other readers were not asked: Instagram is rate limiting."
        hint = PASTE_HINT if request.session else f"{IMPORT_HINT}, or paste the caption yourself."
        codes = {a.error.code for a in failures if a.error is not None}
        code = codes.pop() if len(codes) == 1 else "all_readers_failed"
        details = " | ".join(
            f"{a.reader}: {a.error.details or a.error.message}" for a in failures if a.error
        )[:2000]
        recoverable = [a.error for a in failures if a.error is not None and a.error.recoverable]
        if recoverable or not failures:
            waits = [e.retry_after for e in recoverable if e.retry_after]
            rests = [a.rested_for for a in attempts if a.error is None]
            retry_after = min(waits + rests) if waits or rests else None
            return RecoverableError(
                message,
                suggestion=f"It is tried again later. {hint}",
                code=code,
                retry_after=retry_after,
                details=details,
            )
        return PermanentError(message, suggestion=hint, code=code, details=details)
