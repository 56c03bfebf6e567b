"""Retry delays: exponential backoff with jitter, honouring a phase's own ``retry_after``."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """Delay before automatic retry number ``attempt`` (1 = the first retry).

    ``base * factor ** (attempt - 1)``, capped at ``cap``, then spread by +/- ``jitter`` (a
    fraction) so that items failing together do not all come back at the same moment.
    """

    base: float = 5.0  # seconds
    factor: float = 2.0
    cap: float = 900.0  # 15 minutes
    jitter: float = 0.2

    def delay(
        self, attempt: int, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float:
        """Seconds to wait; never shorter than ``retry_after`` (e.g. an HTTP Retry-After)."""
        attempt = max(1, attempt)
        raw = min(self.cap, self.base * self.factor ** (attempt - 1))
        spread = raw * self.jitter
        value = raw + (rng or random).uniform(-spread, spread) if spread else raw
        value = max(0.0, value)
        if retry_after is not None and retry_after > value:
            return float(retry_after)
        return value

    def schedule(self, attempts: int) -> list[float]:
        """The delays without jitter, for display and tests."""
        return [min(self.cap, self.base * self.factor**i) for i in range(attempts)]

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Backoff:
        """``INSTARECIPE_BACKOFF_BASE_MS`` shortens the base delay (tests, soak runs)."""
        env = os.environ if environ is None else environ
        raw = env.get("INSTARECIPE_BACKOFF_BASE_MS")
        if not raw:
            return cls()
        try:
            return cls(base=max(0.0, float(raw) / 1000.0))
        except ValueError:
            return cls()


def describe_delay(seconds: float) -> str:
    """'0.5 s', '12 s', '4 minutes', '1 hour' — for messages."""
    if seconds < 9.95:
        return f"{seconds:.1f} s".replace(".0 s", " s")
    if seconds < 90:
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(seconds / 3600)
    return f"{hours} hour{'s' if hours != 1 else ''}"
