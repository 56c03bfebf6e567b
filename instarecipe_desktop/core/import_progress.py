"""How far a big import has got, and an honest estimate of the time left.

Every post costs at least one request to Instagram, and requests are paced
(``INSTAGRAM_MIN_INTERVAL_S``): the pacing is the floor of the estimate. Once a few posts are
read, the pace actually seen is used when it is slower (a slow reader, retries, a cooldown).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from instarecipe_desktop.core.items import (
    ItemStatus,
    PhaseName,
    PhaseStatus,
    QueueEvent,
    QueueEventType,
    QueueItem,
)

MEASURED_AFTER = 3  # posts read before the pace seen may replace the pacing alone
_FINAL = frozenset({ItemStatus.SUCCESS, ItemStatus.ERROR})


def describe_duration(seconds: float) -> str:
    """'under a minute', 'about 40 minutes', 'about 2 hours 10 minutes', 'about 3 days'."""
    if seconds < 60:
        return "under a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    hours, rest = _hours_minutes(minutes)
    if hours >= 48:
        return f"about {round(hours / 24)} days"
    text = f"about {hours} hour{'s' if hours != 1 else ''}"
    return text + (f" {rest} minutes" if rest else "")


def describe_duration_short(seconds: float) -> str:
    """The progress line's form: 'under a minute', 'about 40 min', 'about 2 h 10 min'."""
    if seconds < 60:
        return "under a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min"
    hours, rest = _hours_minutes(minutes)
    if hours >= 48:
        return f"about {round(hours / 24)} days"
    return f"about {hours} h" + (f" {rest} min" if rest else "")


def _hours_minutes(minutes: int) -> tuple[int, int]:
    """Hours and minutes rounded to ten (an estimate of hours is not good to the minute)."""
    hours, rest = divmod(minutes, 60)
    rest = int(round(rest / 10.0) * 10)
    if rest == 60:
        hours, rest = hours + 1, 0
    return hours, rest


def describe_pacing(interval_s: float) -> str:
    if interval_s <= 0:
        return "without pacing"
    return f"at one post every {interval_s:g} s"


def estimate_text(posts: int, interval_s: float) -> str:
    """Before anything ran: 'about 40 minutes at one post every 4 s'."""
    if interval_s <= 0:
        return "as fast as the phases go (no pacing set)"
    return f"{describe_duration(posts * interval_s)} {describe_pacing(interval_s)}"


def _was_read(item: QueueItem) -> bool:
    """Instagram has been asked about this post (read, or given up on)."""
    return item.status in _FINAL or item.phase(PhaseName.EXTRACTION).status is PhaseStatus.COMPLETED


class BatchProgress:
    """The posts of one import: counts them as they are read from Instagram (queue events).

    Reading is what the pacing spaces out, so the estimate is the posts left to read times
    the pacing interval, or the pace actually seen when that is slower (a slow reader,
    retries, a cooldown after a rate limit), once a few posts are read.
    """

    def __init__(
        self,
        item_ids: Iterable[str],
        interval_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._unread = set(item_ids)
        self.total = len(self._unread)
        self.read = 0
        self.failed = 0
        self.interval_s = max(0.0, interval_s)
        self._clock = clock
        self._first_read_at: float | None = None  # the pace is measured from the first read
        self._paused_since: float | None = None
        self._paused_s = 0.0

    @property
    def remaining(self) -> int:
        return len(self._unread)

    def unread_ids(self) -> list[str]:
        return list(self._unread)

    @property
    def finished(self) -> bool:
        return not self._unread

    def set_paused(self, paused: bool) -> None:
        """Time spent paused is not counted in the pace."""
        now = self._clock()
        if paused and self._paused_since is None:
            self._paused_since = now
        elif not paused and self._paused_since is not None:
            self._paused_s += now - self._paused_since
            self._paused_since = None

    def on_event(self, event: QueueEvent) -> bool:
        """Count ``event``; True when it changed the progress."""
        item_id = event.item.id
        if item_id not in self._unread:
            return False
        if event.type is QueueEventType.REMOVED:
            self._unread.discard(item_id)
            self.total -= 1
            return True
        if not _was_read(event.item):
            return False
        self._unread.discard(item_id)
        self.read += 1
        if self._first_read_at is None:
            self._first_read_at = self._clock()
            self._paused_s = 0.0
        if event.item.status is ItemStatus.ERROR:
            self.failed += 1
        return True

    def seconds_per_post(self) -> float:
        """The pacing, or the pace seen when slower (after ``MEASURED_AFTER`` posts)."""
        per_post = self.interval_s
        if self.measured() and self._first_read_at is not None:
            now = self._clock()
            paused = self._paused_s
            if self._paused_since is not None:
                paused += now - max(self._paused_since, self._first_read_at)
            per_post = max(per_post, (now - self._first_read_at - paused) / (self.read - 1))
        return per_post

    def measured(self) -> bool:
        return self.read > MEASURED_AFTER

    def seconds_left(self) -> float | None:
        """Time left; None when it cannot be said yet (no pacing and nothing read)."""
        per_post = self.seconds_per_post()
        if per_post <= 0:
            return None
        return self.remaining * per_post

    def text(self, *, paused: str | None = None) -> str:
        """'312 of 1,200 read · about 2 h 10 min left at the current pace'."""
        first = f"{self.read:,} of {self.total:,} read"
        if self.failed:
            first += f" ({self.failed:,} failed)"
        if self.finished:
            return first
        if paused:  # why nothing moves: "paused", "processing is paused"
            return f"{first} · {paused}"
        left = self.seconds_left()
        if left is None:
            return f"{first} · the time left is known after the first posts"
        pace = "at the current pace" if self.measured() else describe_pacing(self.interval_s)
        return f"{first} · {describe_duration_short(left)} left {pace}"
