"""Recipes ready for review are announced once per batch, and the click shows them: the real
app around the window (no tray offscreen: the notification is in the window's message bar)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from instarecipe_desktop.core.items import QueueEvent, QueueEventType, QueueItem
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.ui.notifications import Notification, Notifier
from instarecipe_desktop.ui.queue_filter import QueueFilter
from instarecipe_desktop.wiring.app import DesktopApp
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.ui.conftest import Runner, post_url


@pytest.fixture
def settings(paths: AppPaths) -> Settings:
    return Settings(paths.settings_file, environ={"REVIEW_BEFORE_SAVING": "always"})


@pytest.fixture
def desktop(
    qapp: QApplication, paths: AppPaths, settings: Settings, manager: QueueManager, run: Runner
) -> Iterator[DesktopApp]:
    app = DesktopApp(qapp, paths, settings, open_secret_store(), manager, None)
    app.clipboard.set_enabled(False)
    app.start([], minimized=False)
    yield app
    run(app.shutdown())


def held_count(manager: QueueManager) -> int:
    return sum(1 for item in manager.all_items() if item.waiting_for_review)


def test_three_held_recipes_make_one_notification_whose_click_shows_them(
    qtbot: Any, desktop: DesktopApp, manager: QueueManager, run: Runner
) -> None:
    seen: list[Notification] = []
    desktop.notifier.notify.connect(seen.append)
    manager.pause()
    for n in range(3):
        run(manager.enqueue(post_url(n)))
    run(manager.enqueue("https://www.instagram.com/p/OTHERxyz/"))
    run(manager.cancel(manager.find_by_shortcode("OTHERxyz").id))  # not held: not counted
    manager.resume()
    qtbot.waitUntil(lambda: held_count(manager) == 3, timeout=10_000)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=10_000)
    qtbot.wait(300)
    assert [(n.title, n.review) for n in seen] == [("3 recipes ready for review", True)]
    bar = desktop.window.message_bar
    assert bar.label.text() == (
        "3 recipes ready for review — Click to check them before they are saved."
    )
    desktop.window.set_filter(QueueFilter.ALL)
    bar.action_button.click()
    assert desktop.window.proxy.queue_filter == QueueFilter.REVIEW
    assert desktop.window.proxy.rowCount() == 3

    run(manager.enqueue(post_url(9)))  # a later one is a batch of its own
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    assert seen[1].title == "Ready for review: Recipe from CODE9xyz"
    assert seen[1].item_id == manager.find_by_shortcode("CODE9xyz").id


def test_review_notifications_can_be_switched_off(
    qtbot: Any, desktop: DesktopApp, manager: QueueManager, settings: Settings, run: Runner
) -> None:
    settings.set("NOTIFY_REVIEW", False)
    seen: list[Notification] = []
    desktop.notifier.notify.connect(seen.append)
    run(manager.enqueue(post_url(1)))
    qtbot.waitUntil(lambda: held_count(manager) == 1, timeout=10_000)
    desktop.notifier.flush_review_batch()
    assert seen == []


def held_item(n: int, waiting: bool = True) -> QueueItem:
    item = QueueItem(url=post_url(n), shortcode=f"CODE{n}xyz")
    item.awaiting_review = waiting
    return item


def test_a_recipe_approved_before_the_batch_ends_is_not_announced(qapp: QApplication) -> None:
    known, first, second = (held_item(n) for n in range(3))
    notifier = Notifier(lambda _name: True, [known], batch_ms=60_000)
    seen: list[Notification] = []
    notifier.notify.connect(seen.append)
    for item in (known, first, second):  # the known one is no news
        notifier.on_event(QueueEvent.of(QueueEventType.UPDATED, item))
    second.awaiting_review = False  # approved at once
    notifier.on_event(QueueEvent.of(QueueEventType.UPDATED, second))
    notifier.flush_review_batch()
    assert [n.title for n in seen] == [f"Ready for review: {post_url(1)}"]
    assert seen[0].item_id == first.id
    notifier.flush_review_batch()
    assert len(seen) == 1  # a batch is announced once


def test_a_steady_stream_is_still_announced_now_and_then(qapp: QApplication) -> None:
    notifier = Notifier(lambda _name: True, batch_ms=60_000, batch_max_ms=0)
    seen: list[Notification] = []
    notifier.notify.connect(seen.append)
    notifier.on_event(QueueEvent.of(QueueEventType.UPDATED, held_item(1)))
    assert len(seen) == 1  # the batch was already as old as allowed
