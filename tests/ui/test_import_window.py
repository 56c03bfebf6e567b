"""Importing saved posts in the real window (offscreen): the menu and toolbar action, dropping
the export or a text file, the dialog's collections and estimate, progress, pause and resume."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from instarecipe_desktop.core.items import ItemStatus
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.ui.import_dialog import ImportDialog
from instarecipe_desktop.ui.main_window import MainWindow
from tests.bulk_import.exports import recipes_export


def drop_files(window: MainWindow, *paths: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    window.dropEvent(
        QDropEvent(
            QPoint(10, 10).toPointF(),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    )


def open_dialog(qtbot: Any, window: MainWindow, path: Path) -> ImportDialog:
    drop_files(window, path)
    qtbot.waitUntil(lambda: window.import_flow.dialog is not None)
    dialog = window.import_flow.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def ok_button(dialog: ImportDialog) -> Any:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def codes(manager: QueueManager) -> list[str]:
    return sorted(item.shortcode or "" for item in manager.all_items())


def test_the_action_is_in_the_menu_and_the_toolbar_and_asks_for_a_file(
    qtbot: Any, window: MainWindow
) -> None:
    action = window.app_actions.import_saved
    assert action.text() == "Import saved posts…"
    assert action in window.toolbar.actions()
    assert action in window.file_menu.actions()
    action.trigger()
    picker = window.findChild(QFileDialog, "importFilePicker")
    assert picker is not None and picker.isVisible()
    assert "*.zip" in picker.nameFilters()[0]
    picker.reject()


def test_dropping_the_export_lists_collections_and_queues_only_the_chosen(
    qtbot: Any, window: MainWindow, manager: QueueManager, tmp_path: Path
) -> None:
    manager.pause()
    archive = recipes_export().write_zip(tmp_path / "instagram-chef.zip")
    dialog = open_dialog(qtbot, window, archive)
    labels = [row.text() for row in dialog.rows()]
    assert labels[0] == "All saved posts (6)"
    assert labels[1].startswith("Recipes 🍝 — 4 posts (chef.anna, ")
    assert "café.bob" in labels[1]
    assert labels[2:] == ["Desserts — 1 post (chef.anna…)", "Travel — 1 post (eve.travels…)"]
    assert dialog.heading.text() == "instagram-chef.zip holds 6 posts in 3 collections."
    assert ok_button(dialog).text() == "Queue 6 posts"
    assert "about 0" not in dialog.summary_label.text()

    dialog.check("Desserts")
    dialog.check("Travel")
    assert dialog.chosen_collections() == ["Desserts", "Travel"]
    assert dialog.summary_label.text() == (
        "2 new posts to queue, under a minute at one post every 4 s."
    )
    ok_button(dialog).click()
    qtbot.waitUntil(lambda: len(manager.all_items()) == 2)
    assert codes(manager) == ["CxDDDD00004", "CxEEEE00005"]
    qtbot.waitUntil(lambda: window.import_progress.isVisible())
    assert window.import_progress.label.text() == "0 of 2 read · processing is paused"

    # a second import of the whole export: the counts say what is already queued
    dialog = open_dialog(qtbot, window, archive)
    assert dialog.summary_label.text().startswith("4 new posts to queue")
    assert dialog.summary_label.text().endswith("2 are already in the queue.")
    dialog.check("Desserts")  # only posts already queued: nothing to do
    assert dialog.summary_label.text() == "Nothing new to queue. 1 is already in the queue."
    assert not ok_button(dialog).isEnabled()
    dialog.reject()


def test_progress_follows_the_batch_and_its_own_pause_holds_only_the_import(
    qtbot: Any, window: MainWindow, manager: QueueManager, tmp_path: Path
) -> None:
    window.app_actions.pause.setChecked(True)  # processing paused: nothing starts yet
    archive = recipes_export().write_zip(tmp_path / "e.zip")
    dialog = open_dialog(qtbot, window, archive)
    dialog.check("Recipes 🍝")
    ok_button(dialog).click()
    qtbot.waitUntil(lambda: len(manager.all_items()) == 4)
    qtbot.waitUntil(lambda: window.message_bar.label.text() == "Queued 4 posts.")
    progress = window.import_progress
    assert progress.label.text() == "0 of 4 read · processing is paused"
    pause = window.app_actions.pause_import
    assert progress.pause_button.defaultAction() is pause and pause.isEnabled()

    progress.pause_button.click()  # pause the import from its progress line
    assert pause.isChecked() and pause.text() == "Resume import"
    qtbot.waitUntil(lambda: progress.label.text() == "0 of 4 read · paused")
    window.app_actions.pause.setChecked(False)  # the rest of the queue goes on
    assert not manager.paused
    window.add_text("https://www.instagram.com/p/CxOTHER0001/")
    qtbot.waitUntil(
        lambda: (
            (other := manager.find_by_shortcode("CxOTHER0001")) is not None
            and other.status is ItemStatus.SUCCESS
        )
    )
    imported = [i for i in manager.all_items() if i.shortcode != "CxOTHER0001"]
    assert [i.status for i in imported] == [ItemStatus.PENDING] * 4  # held
    assert progress.label.text() == "0 of 4 read · paused"

    progress.pause_button.click()  # resume
    assert not pause.isChecked() and pause.text() == "Pause import"
    qtbot.waitUntil(lambda: not progress.isVisible(), timeout=10_000)
    assert window.message_bar.label.text() == "Import finished: 4 of 4 read."
    assert all(i.status is ItemStatus.SUCCESS for i in manager.all_items())
    assert not pause.isEnabled()


def test_liked_posts_are_offered_apart_and_off(
    qtbot: Any, window: MainWindow, manager: QueueManager, tmp_path: Path
) -> None:
    manager.pause()
    export = recipes_export()
    export.liked = [("gina", "CxLIKE00001"), ("chef.anna", "CxAAAA00001")]  # one is saved too
    dialog = open_dialog(qtbot, window, export.write_zip(tmp_path / "likes.zip"))
    liked = dialog.liked_row()
    assert liked is not None and liked.checkState() == Qt.CheckState.Unchecked
    assert liked.text().startswith("Liked posts (1)")
    assert ok_button(dialog).text() == "Queue 6 posts"
    dialog.include_liked()
    assert ok_button(dialog).text() == "Queue 7 posts"
    assert dialog.chosen_collections() is None  # checking likes leaves "all saved" checked
    dialog.check("Travel")
    dialog.include_liked()
    ok_button(dialog).click()
    qtbot.waitUntil(lambda: len(manager.all_items()) == 2)
    assert codes(manager) == ["CxEEEE00005", "CxLIKE00001"]


def test_a_dropped_text_file_goes_through_the_same_import(
    qtbot: Any, window: MainWindow, manager: QueueManager, tmp_path: Path
) -> None:
    manager.pause()
    notes = tmp_path / "dinner.txt"
    notes.write_text(
        "https://www.instagram.com/p/CxWT000001/ and instagram.com/reel/CxWT000002/\n"
        "https://www.instagram.com/chef.anna/",
        encoding="utf-8",
    )
    dialog = open_dialog(qtbot, window, notes)
    assert not dialog.list.isVisibleTo(dialog)  # no collections in a text file
    assert dialog.rejected_label.text() == "1 link is not a post and is left out."
    assert "profile" in dialog.rejected_label.toolTip()
    ok_button(dialog).click()
    qtbot.waitUntil(lambda: len(manager.all_items()) == 2)
    assert codes(manager) == ["CxWT000001", "CxWT000002"]


def test_bad_files_are_said_in_the_window(
    qtbot: Any, window: MainWindow, manager: QueueManager, tmp_path: Path
) -> None:
    holiday = tmp_path / "holiday.zip"
    with zipfile.ZipFile(holiday, "w") as z:
        z.writestr("IMG_0001.jpg", b"\xff\xd8" * 10)
    drop_files(window, holiday)
    qtbot.waitUntil(
        lambda: "No saved posts were found in holiday.zip" in window.message_bar.label.text()
    )
    assert "saved_posts.json" in window.message_bar.label.text()
    broken = tmp_path / "export.zip"
    broken.write_bytes(b"PK\x03\x04 half a download")
    drop_files(window, broken)
    qtbot.waitUntil(lambda: "is not a zip file" in window.message_bar.label.text())
    page = tmp_path / "page.html"
    page.write_text("<html><body>soup</body></html>", encoding="utf-8")
    drop_files(window, page)
    qtbot.waitUntil(
        lambda: (
            window.message_bar.label.text() == "No Instagram post links were found in page.html."
        )
    )
    assert window.import_flow.dialog is None and manager.all_items() == []
