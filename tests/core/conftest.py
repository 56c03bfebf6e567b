"""Fixtures of the queue engine tests: a manager over a real SQLite file and fake phases."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from instarecipe_desktop.core.backoff import Backoff
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import AppPaths, resolve_paths
from instarecipe_desktop.core.processor import EngineTuning
from instarecipe_desktop.core.settings import Settings
from tests.support.fake_phases import FakePhases

FAST = EngineTuning(backoff=Backoff(base=0.01, factor=2.0, jitter=0.0))


def post_url(n: int | str) -> str:
    return f"https://www.instagram.com/p/CODE{n}xyz/"


def code(n: int | str) -> str:
    return f"CODE{n}xyz"


@pytest.fixture
def paths() -> AppPaths:
    return resolve_paths()


ManagerFactory = Callable[..., Any]


@pytest.fixture
def manager_factory(paths: AppPaths) -> ManagerFactory:
    """``async with manager_factory(fake, QUEUE_CONCURRENCY="4") as manager: ...``"""

    @asynccontextmanager
    async def factory(
        fake: FakePhases | None = None,
        *,
        start: bool = True,
        tuning: EngineTuning = FAST,
        **env: str,
    ) -> AsyncIterator[QueueManager]:
        settings = Settings(None, environ=dict(env))
        manager = await QueueManager.open(
            paths, settings, (fake or FakePhases()).phases(), tuning=tuning
        )
        try:
            if start:
                await manager.start()
            yield manager
        finally:
            await manager.close()

    return factory
