"""The app around the window: tray menu, notifications without a tray, clipboard watching."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from instarecipe_desktop.core.items import ItemStatus
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.ui.clipboard_watcher import copy_to_clipboard
from instarecipe_desktop.ui.settings_dialog import SettingsDialog
from instarecipe_desktop.ui.tray import tray_state
from instarecipe_desktop.wiring.app import DesktopApp
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.ui.conftest import Runner, post_url


@pytest.fixture
def desktop(
    qapp: QApplication,
    qtbot: Any,
    paths: AppPaths,
    settings: Settings,
    manager: QueueManager,
    run: Runner,
) -> Iterator[DesktopApp]:
    QGuiApplication.clipboard().clear()
    app = DesktopApp(qapp, paths, settings, open_secret_store(), manager, None)
    app.start([], minimized=False)
    yield app
    run(app.shutdown())


def test_offscreen_has_no_tray_and_the_window_works_alone(desktop: DesktopApp) -> None:
    assert not QSystemTrayIcon.isSystemTrayAvailable()
    assert not desktop.tray.available
    assert desktop.window.isVisible()


def test_start_minimised_without_a_tray_still_shows_the_window(
    qapp: QApplication,
    qtbot: Any,
    paths: AppPaths,
    settings: Settings,
    manager: QueueManager,
    run: Runner,
) -> None:
    app = DesktopApp(qapp, paths, settings, open_secret_store(), manager, None)
    app.start([], minimized=True)
    assert app.window.isVisible()
    run(app.shutdown())


def test_tray_menu_has_the_commands_and_they_act(
    qtbot: Any, desktop: DesktopApp, manager: QueueManager, paths: AppPaths, run: Runner
) -> None:
    menu = [a.text() for a in desktop.tray.menu.actions() if not a.isSeparator()]
    assert menu == [
        "Show window",
        "Add from clipboard",
        "Watch clipboard",
        "Pause processing",
        "Recipe library",
        "Settings…",
        "Quit",
    ]
    a = desktop.app_actions
    assert a.watch_clipboard.isCheckable() and a.watch_clipboard.isChecked()
    assert a.pause.isCheckable() and not a.pause.isChecked()

    a.pause.trigger()
    assert manager.paused
    a.pause.trigger()
    assert not manager.paused

    a.watch_clipboard.trigger()
    assert not desktop.clipboard.enabled
    qtbot.waitUntil(
        lambda: (
            paths.settings_file.exists()
            and json.loads(paths.settings_file.read_text()).get("WATCH_CLIPBOARD") is False
        )
    )

    manager.pause()
    QGuiApplication.clipboard().setText(post_url(7))
    a.add_from_clipboard.trigger()
    qtbot.waitUntil(lambda: manager.find_by_shortcode("CODE7xyz") is not None)

    a.settings.trigger()
    dialog = desktop.window.findChild(SettingsDialog) or desktop._settings_dialog
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    dialog.reject()
    qtbot.waitUntil(lambda: desktop.window.findChild(SettingsDialog) is None)  # deleted by Qt

    desktop.window.hide()  # from the tray, with the window hidden: still a visible dialog
    a.settings.trigger()
    dialog = desktop.window.findChild(SettingsDialog)
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    dialog.reject()
    qtbot.waitUntil(lambda: desktop.window.findChild(SettingsDialog) is None)  # deleted by Qt
    a.show_window.trigger()
    assert desktop.window.isVisible()

    a.quit.trigger()
    run(desktop.wait_for_quit(), timeout=2000)


def test_tray_icon_state_follows_the_queue() -> None:
    assert tray_state({}) == "idle"
    assert tray_state({ItemStatus.SUCCESS: 3}) == "idle"
    assert tray_state({ItemStatus.PENDING: 1, ItemStatus.ERROR: 1}) == "working"
    assert tray_state({ItemStatus.ERROR: 1, ItemStatus.SUCCESS: 2}) == "attention"
    assert tray_state({ItemStatus.UNHEALTHY: 1}) == "attention"


def test_tray_state_changes_with_processing(
    qtbot: Any, desktop: DesktopApp, manager: QueueManager, run: Runner
) -> None:
    manager.pause()
    run(manager.enqueue(post_url(1)))
    qtbot.waitUntil(lambda: desktop.tray.state == "working")
    manager.resume()
    qtbot.waitUntil(lambda: desktop.tray.state == "idle")


def test_without_a_tray_notifications_appear_in_the_window_and_open_the_recipe(
    qtbot: Any, desktop: DesktopApp, manager: QueueManager, run: Runner, opened_urls: list[str]
) -> None:
    run(manager.enqueue(post_url(1)))
    qtbot.waitUntil(lambda: desktop.window.message_bar.label.text().startswith("Saved: "))
    item = manager.find_by_shortcode("CODE1xyz")
    assert item is not None and item.status == ItemStatus.SUCCESS
    bar = desktop.window.message_bar
    assert bar.label.text() == "Saved: Recipe from CODE1xyz — Click to open the recipe."
    assert bar.action_button.text() == "Open recipe"
    bar.action_button.click()
    assert opened_urls == [item.results.tandoor_url]


def test_success_notifications_can_be_switched_off(
    qtbot: Any, desktop: DesktopApp, manager: QueueManager, settings: Settings, run: Runner
) -> None:
    settings.set("NOTIFY_SUCCESS", False)
    seen: list[Any] = []
    desktop.notifier.notify.connect(seen.append)
    run(manager.enqueue(post_url(1)))
    run(manager.wait_until_idle())
    qtbot.waitUntil(lambda: manager.find_by_shortcode("CODE1xyz").status == ItemStatus.SUCCESS)
    assert seen == []


def test_stopping_an_item_yourself_is_no_failure_notification(
    qtbot: Any, desktop: DesktopApp, manager: QueueManager, run: Runner
) -> None:
    seen: list[Any] = []
    desktop.notifier.notify.connect(seen.append)
    manager.pause()
    item = run(manager.enqueue(post_url(1))).item
    run(manager.cancel(item.id))
    qtbot.waitUntil(lambda: manager.find_by_shortcode("CODE1xyz").status == ItemStatus.ERROR)
    run(manager.enqueue(post_url(2)))
    run(manager.remove(item.id))  # an event after the cancel reached the notifier
    qtbot.waitUntil(lambda: manager.find_by_shortcode("CODE1xyz") is None)
    assert seen == []
    assert not desktop.window.message_bar.label.text().startswith("Could not save")


def test_links_from_another_start_are_queued(
    qtbot: Any, desktop: DesktopApp, manager: QueueManager
) -> None:
    manager.pause()
    desktop.window.hide()
    desktop.links_from_another_start([post_url(3)])
    assert desktop.window.isVisible()
    qtbot.waitUntil(lambda: manager.find_by_shortcode("CODE3xyz") is not None)


# ---- clipboard watcher, with the real QClipboard -----------------------------------------------


def test_clipboard_links_are_queued_and_junk_duplicates_and_own_copies_ignored(
    qtbot: Any, desktop: DesktopApp, manager: QueueManager
) -> None:
    manager.pause()
    clipboard = QGuiApplication.clipboard()
    assert desktop.clipboard.enabled
    found: list[list[str]] = []
    desktop.clipboard.linksFound.connect(found.append)

    clipboard.setText(f"so good!! {post_url(1)}?igsh=xyz")
    qtbot.waitUntil(lambda: manager.find_by_shortcode("CODE1xyz") is not None)
    qtbot.waitUntil(lambda: desktop.window.message_bar.label.text() == "Added 1 recipe link")
    assert found == [[post_url(1)]]

    clipboard.setText("my bank password is hunter2")  # not a link: ignored
    clipboard.setText("https://www.instagram.com/stories/someone/1/")
    clipboard.setText("https://instagram.com/reel/CODE1xyz/")  # already queued
    copy_to_clipboard(clipboard, post_url(2))  # the app's own copy
    clipboard.setText(post_url(4))  # a new one, to know the others were processed
    qtbot.waitUntil(lambda: manager.find_by_shortcode("CODE4xyz") is not None)
    assert found == [[post_url(1)], [post_url(4)]]
    assert manager.find_by_shortcode("CODE2xyz") is None
    assert len(manager.all_items()) == 2

    desktop.app_actions.watch_clipboard.setChecked(False)
    clipboard.setText(post_url(5))
    desktop.clipboard.check()
    assert manager.find_by_shortcode("CODE5xyz") is None
    assert found == [[post_url(1)], [post_url(4)]]


def test_copy_link_from_the_window_is_not_queued_again(
    qtbot: Any, desktop: DesktopApp, manager: QueueManager, run: Runner
) -> None:
    manager.pause()
    run(manager.enqueue(post_url(1)))
    run(manager.remove(manager.find_by_shortcode("CODE1xyz").id))
    run(manager.enqueue(post_url(2)))
    qtbot.waitUntil(lambda: desktop.window.model.rowCount() == 1)
    desktop.window.table.selectRow(0)
    desktop.app_actions.copy_link.trigger()
    assert QGuiApplication.clipboard().text() == post_url(2)
    assert desktop.clipboard.check() == []


def test_a_long_queue_is_shown_newest_first_then_filled_page_by_page(
    qapp: QApplication,
    qtbot: Any,
    paths: AppPaths,
    settings: Settings,
    manager: QueueManager,
    run: Runner,
) -> None:
    manager.pause()

    async def fill() -> None:
        for n in range(1100):
            await manager.enqueue(post_url(n))

    run(fill(), timeout=60_000)
    app = DesktopApp(qapp, paths, settings, open_secret_store(), manager, None)
    assert app.model.rowCount() == 300  # the first page, at once
    assert app.model.item_at(0).url == post_url(1099)
    app.start([], minimized=False)
    run(manager.enqueue(post_url("NEW")))
    qtbot.waitUntil(lambda: app.model.rowCount() == 1101 and not app.model.loading_older)
    shown = [app.model.item_at(r).id for r in range(app.model.rowCount())]
    assert shown == [item.id for item in manager.page(limit=2000).items]
    run(app.shutdown())


def _save_in_library(paths: AppPaths, folder: str, title: str) -> None:
    """A recipe folder as the library uploader leaves it (only what the home page reads)."""
    target = paths.library_dir / folder
    target.mkdir(parents=True)
    (target / "recipe.json").write_text(json.dumps({"name": title, "dateCreated": folder}))


def test_recipe_library_opens_its_home_page_from_window_and_tray(
    qtbot: Any, desktop: DesktopApp, paths: AppPaths, run: Runner, opened_urls: list[str]
) -> None:
    toolbar = [a.text() for a in desktop.window.toolbar.actions()]
    assert "Recipe library" in toolbar
    assert desktop.app_actions.open_library in desktop.tray.menu.actions()
    _save_in_library(paths, "2026-01-01-soup", "Soup")
    _save_in_library(paths, "2026-02-01-cake", "Cake")
    desktop.app_actions.open_library.trigger()
    home = paths.library_dir / "index.html"
    qtbot.waitUntil(lambda: len(opened_urls) == 1)
    assert opened_urls == [home.resolve().as_uri()]
    page = home.read_text()
    assert page.index("Cake") < page.index("Soup")  # newest first


def test_recipe_library_home_page_follows_folders_removed_by_hand(
    qtbot: Any, desktop: DesktopApp, paths: AppPaths, run: Runner
) -> None:
    qtbot.waitUntil(lambda: bool(desktop.library_watcher.watched()))
    _save_in_library(paths, "2026-01-01-soup", "Soup")
    _save_in_library(paths, "2026-02-01-cake", "Cake")
    home = paths.library_dir / "index.html"
    qtbot.waitUntil(lambda: home.exists() and "Soup" in home.read_text(), timeout=5000)
    for child in (paths.library_dir / "2026-01-01-soup").iterdir():
        child.unlink()
    (paths.library_dir / "2026-01-01-soup").rmdir()
    qtbot.waitUntil(lambda: "Soup" not in home.read_text(), timeout=5000)
    assert "Cake" in home.read_text()


def test_recipe_library_that_cannot_be_written_is_said_in_words(
    qtbot: Any, desktop: DesktopApp, paths: AppPaths, run: Runner, opened_urls: list[str]
) -> None:
    qtbot.waitUntil(lambda: bool(desktop.library_watcher.watched()))
    paths.library_dir.rmdir()
    paths.library_dir.write_text("a file where the folder should be")
    assert run(desktop.open_library()) is False
    assert opened_urls == []
    assert "could not be opened" in desktop.window.message_bar.label.text()
