"""Pacing of requests to Instagram, so a batch of 50 links does not get the person's IP blocked.

One ``RequestPacer`` is shared by everything that talks to Instagram. Requests are serialised
and spaced by at least ``min_interval`` seconds. After a rate-limit answer a cooldown starts:
until it ends, ``check_cooldown`` raises at once (no request is sent, the item is retried
later), which is the "longer interval after a rate-limit answer".

Waiting is done on the asyncio side (``wait_async``, cancellable) before a blocking call is
handed to the executor; inside that call instaloader may make several requests, which our rate
controller spaces with ``before_request`` (a thread-side wait that ``close`` interrupts).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable

from instarecipe_desktop.pipeline.extraction.errors import InstagramRateLimited

Clock = Callable[[], float]
ThreadWait = Callable[[float], bool]  # waits up to n seconds; True when interrupted
AsyncSleep = Callable[[float], Awaitable[None]]


class PacerClosed(Exception):
    """The app is shutting down: no more requests."""


class RequestPacer:
    def __init__(
        self,
        min_interval: float,
        *,
        clock: Clock = time.monotonic,
        cooldown_s: float = 15 * 60.0,
        thread_wait: ThreadWait | None = None,
        async_sleep: AsyncSleep = asyncio.sleep,
    ) -> None:
        """``clock``, ``thread_wait`` and ``async_sleep`` are replaceable so that tests can
        drive time without sleeping."""
        self.min_interval = max(0.0, float(min_interval))
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()  # serialises requests across executor threads
        self._wake = threading.Event()  # set by close(): interrupts a thread-side wait
        self._thread_wait = thread_wait or self._wake.wait
        self._async_sleep = async_sleep
        self._next_allowed = 0.0
        self._cooldown_until = 0.0
        self.requests = 0  # how many requests were let through (for tests and the bench)
        self.waited_s = 0.0  # total time spent waiting for a turn

    # -- queries -------------------------------------------------------------------------------
    def delay(self) -> float:
        """Seconds until the next request may be sent (0 when it may go now)."""
        return max(0.0, self._next_allowed - self._clock())

    def cooldown_remaining(self) -> float:
        return max(0.0, self._cooldown_until - self._clock())

    def check_cooldown(self) -> None:
        remaining = self.cooldown_remaining()
        if remaining > 0:
            raise InstagramRateLimited(remaining)

    # -- waiting -------------------------------------------------------------------------------
    async def wait_async(self) -> None:
        """Wait (cancellably) until a request may be sent; raises during a cooldown."""
        while True:
            self._raise_if_closed()
            self.check_cooldown()
            delay = self.delay()
            if delay <= 0:
                return
            self.waited_s += delay
            await self._async_sleep(delay)

    def before_request(self) -> None:
        """Called (in an executor thread) right before each HTTP request to Instagram."""
        with self._lock:
            self._raise_if_closed()
            self.check_cooldown()
            delay = self.delay()
            if delay > 0:
                self.waited_s += delay
                if self._thread_wait(delay):
                    raise PacerClosed()
            now = self._clock()
            self._next_allowed = now + self.min_interval
            self.requests += 1

    def mark_request(self) -> None:
        """Record a request sent right after ``wait_async`` (from the event loop, no waiting)."""
        self._next_allowed = self._clock() + self.min_interval
        self.requests += 1

    # -- feedback ------------------------------------------------------------------------------
    def rate_limited(self, wait_s: float | None = None) -> float:
        """Instagram said "too many requests": no request for a while. Returns the wait."""
        wait = max(self.cooldown_s, wait_s or 0.0)
        until = self._clock() + wait
        self._cooldown_until = max(self._cooldown_until, until)
        self._next_allowed = max(self._next_allowed, self._cooldown_until)
        return wait

    def reset_cooldown(self) -> None:
        """A new session was imported: try again at once."""
        self._cooldown_until = 0.0
        self._next_allowed = min(self._next_allowed, self._clock() + self.min_interval)

    def close(self) -> None:
        self._wake.set()

    def _raise_if_closed(self) -> None:
        if self._wake.is_set():
            raise PacerClosed()
