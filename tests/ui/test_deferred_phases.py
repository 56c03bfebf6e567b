"""The engine opens before the adapters are built; phases wait for them (or say why not)."""

from __future__ import annotations

import asyncio
from typing import Any

from instarecipe_desktop.core.items import ItemStatus
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.wiring.deferred_phases import deferred
from tests.support.fake_phases import FakePhases
from tests.ui.conftest import FAST, Runner, post_url


def test_items_wait_for_the_adapters_then_finish(
    qtbot: Any, qloop: Any, run: Runner, paths: AppPaths, settings: Settings
) -> None:
    building: asyncio.Future[Any] = qloop.create_future()
    manager = run(QueueManager.open(paths, settings, deferred(building), tuning=FAST))
    try:
        run(manager.start())
        run(manager.enqueue(post_url(1)))
        qtbot.waitUntil(lambda: manager.all_items()[0].status == ItemStatus.IN_PROGRESS)
        fake = FakePhases()
        building.set_result(fake.phases())
        qtbot.waitUntil(lambda: manager.all_items()[0].status == ItemStatus.SUCCESS)
        assert fake.count("extraction") == 1
    finally:
        run(manager.close())
    assert fake.closed


def test_adapters_that_cannot_be_built_fail_items_with_the_reason(
    qtbot: Any, qloop: Any, run: Runner, paths: AppPaths, settings: Settings
) -> None:
    building: asyncio.Future[Any] = qloop.create_future()
    building.set_exception(RuntimeError("the LLM settings are incomplete"))
    manager = run(QueueManager.open(paths, settings, deferred(building), tuning=FAST))
    try:
        run(manager.start())
        run(manager.enqueue(post_url(1)))
        qtbot.waitUntil(lambda: manager.all_items()[0].status == ItemStatus.ERROR)
        error = manager.all_items()[0].error
        assert error is not None
        assert "the LLM settings are incomplete" in error.message
    finally:
        run(manager.close())
