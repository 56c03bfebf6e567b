"""Trust: never silent about where recipes go (a Tandoor address whose token is gone after a
restart without a keyring), and a layout that does not move under the cursor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtWidgets import QApplication

from instarecipe_desktop.core.items import ItemStatus
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.phases import Phases
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.uploading import create_uploader
from instarecipe_desktop.ui.queue_model import Column
from instarecipe_desktop.wiring.app import DesktopApp
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.fakes.fake_tandoor import TOKEN, FakeTandoor
from tests.support.fake_phases import FakePhases
from tests.ui.conftest import FAST, Runner, post_url


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_after_a_restart_without_the_token_a_banner_asks_for_it_and_recipes_wait(
    qapp: QApplication, qtbot: Any, paths: AppPaths, run: Runner, no_keyring: None
) -> None:
    with FakeTandoor() as tandoor:
        settings = Settings(paths.settings_file, environ={})
        settings.set("TANDOOR_BASE_URL", tandoor.base_url)
        settings.save()
        # the app starts again: the address is in the settings file, the token was in memory
        secrets = open_secret_store(config_dir=paths.config_dir)
        fakes = FakePhases()
        uploader = create_uploader(settings, secrets, paths)
        phases = Phases(
            extractor=fakes,
            parser=fakes,
            uploader=uploader,
            closers=[uploader.aclose, fakes.aclose],
        )
        manager = run(QueueManager.open(paths, settings, phases, tuning=FAST))
        run(manager.start())
        app = DesktopApp(qapp, paths, settings, secrets, manager, None)
        app.start([], minimized=False)
        try:
            bar = app.window.message_bar
            qtbot.waitUntil(lambda: bar.showing_banner)
            assert "wait for its API token" in bar.label.text()
            assert "until the app quits" in bar.label.text()
            assert bar.action_button.text() == "Enter token…"
            assert not bar.close_button.isVisible()  # resolved, not dismissed

            run(app.controller.add_text(post_url(1)))
            item_id = manager.all_items()[0].id
            qtbot.waitUntil(lambda: manager.get(item_id).waiting_for_settings, timeout=10_000)
            assert tandoor.recipes == {}
            assert not any(paths.library_dir.glob("*/recipe.json"))  # no silent fallback
            row = app.model.row_of(item_id)
            status = app.model.index(row, Column.STATUS).data()
            assert status == "Waiting for the token"

            app.window.show_message("info", "Link copied.")  # a short message over it
            assert not bar.showing_banner and bar.label.text() == "Link copied."
            bar.close_button.click()
            assert bar.showing_banner and "API token" in bar.label.text()

            bar.action_button.click()  # Enter token…
            dialog = app._settings_dialog
            assert dialog is not None and dialog.tabs.currentIndex() == 0
            qtbot.waitUntil(lambda: not dialog._tasks)
            qtbot.keyClicks(dialog.fields["TANDOOR_API_TOKEN"], TOKEN)
            with qtbot.waitSignal(dialog.saved, timeout=5000):
                dialog.save()
            qtbot.waitUntil(
                lambda: manager.get(item_id).status is ItemStatus.SUCCESS, timeout=10_000
            )
            item = manager.get(item_id)
            assert item.destination == "tandoor" and len(tandoor.recipes) == 1
            qtbot.waitUntil(lambda: bar.banner is None)
            assert not bar.showing_banner
        finally:
            run(app.shutdown())


def test_the_table_does_not_move_when_messages_and_banners_come_and_go(
    qtbot: Any, window: Any
) -> None:
    window.resize(1000, 600)
    qtbot.waitExposed(window)
    bar = window.message_bar
    assert not bar.isVisible()
    before = (window.table.mapTo(window, window.table.rect().topLeft()), window.table.size())
    height = bar.height()
    window.show_message("error", "A message long enough to wrap onto a second line. " * 6)
    assert bar.isVisible()
    qtbot.wait(50)
    assert (
        window.table.mapTo(window, window.table.rect().topLeft()),
        window.table.size(),
    ) == before
    bar.set_banner("warning", "Recipes for your Tandoor wait for its API token.", "Enter…", print)
    bar.dismiss()
    assert bar.showing_banner
    qtbot.wait(50)
    assert (
        window.table.mapTo(window, window.table.rect().topLeft()),
        window.table.size(),
    ) == before
    bar.clear_banner()
    assert not bar.isVisible()
    qtbot.wait(50)
    assert (
        window.table.mapTo(window, window.table.rect().topLeft()),
        window.table.size(),
    ) == before
    assert bar.height() == height
