"""The main window over a real QueueManager (real SQLite, fake phases), offscreen."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QColor, QDropEvent, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from instarecipe_desktop.core.items import ItemStatus, PhaseName, PhaseStatus
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.ui.caption_dialog import CaptionDialog
from instarecipe_desktop.ui.main_window import MainWindow, open_result
from instarecipe_desktop.ui.queue_filter import QueueFilter
from instarecipe_desktop.ui.queue_model import Column, ItemRole
from tests.support.fake_phases import FakePhases
from tests.ui.conftest import Runner, post_url


def rows(window: MainWindow) -> list[Any]:
    return [window.proxy.index(r, 0).data(ItemRole) for r in range(window.proxy.rowCount())]


def wait_status(qtbot: Any, manager: QueueManager, shortcode: str, status: ItemStatus) -> None:
    def check() -> None:
        item = manager.find_by_shortcode(shortcode)
        assert item is not None and item.status == status

    qtbot.waitUntil(check, timeout=10_000)


def test_a_typed_link_becomes_a_row_that_finishes(
    qtbot: Any, window: MainWindow, manager: QueueManager
) -> None:
    qtbot.keyClicks(window.add_field, f"look at this {post_url(1)}?igsh=abc")
    qtbot.keyClick(window.add_field, Qt.Key.Key_Return)
    wait_status(qtbot, manager, "CODE1xyz", ItemStatus.SUCCESS)
    qtbot.waitUntil(lambda: len(rows(window)) == 1 and rows(window)[0].status == ItemStatus.SUCCESS)
    index = window.proxy.index(0, Column.TITLE)
    assert index.data() == "Recipe from CODE1xyz"
    assert window.proxy.index(0, Column.DESTINATION).data() == "Tandoor"
    qtbot.waitUntil(lambda: "1 saved" in window.counts_label.text())
    assert "100% success" in window.counts_label.text()
    assert window.message_bar.label.text() == "Added 1 recipe link"


def test_double_click_on_finished_row_opens_exactly_the_recipe(
    qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner, opened_urls: list[str]
) -> None:
    run(manager.enqueue(post_url(1)))
    run(manager.enqueue(post_url(2)))
    wait_status(qtbot, manager, "CODE1xyz", ItemStatus.SUCCESS)
    wait_status(qtbot, manager, "CODE2xyz", ItemStatus.SUCCESS)
    qtbot.waitUntil(
        lambda: all(i.status == ItemStatus.SUCCESS for i in rows(window)) and len(rows(window)) == 2
    )
    wanted = manager.find_by_shortcode("CODE1xyz")
    assert wanted is not None
    row = next(r for r, item in enumerate(rows(window)) if item.id == wanted.id)
    rect = window.table.visualRect(window.proxy.index(row, Column.TITLE))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened_urls == [wanted.results.tandoor_url]
    # Enter on the selected row does the same
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert opened_urls == [wanted.results.tandoor_url] * 2


def test_double_click_on_an_unfinished_row_opens_nothing(
    qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner, opened_urls: list[str]
) -> None:
    manager.pause()
    run(manager.enqueue(post_url(1)))
    qtbot.waitUntil(lambda: len(rows(window)) == 1)
    rect = window.table.visualRect(window.proxy.index(0, Column.TITLE))
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened_urls == []


def test_a_link_already_queued_is_highlighted_not_added(
    qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner
) -> None:
    manager.pause()
    for n in range(3):
        run(manager.enqueue(post_url(n)))
    qtbot.waitUntil(lambda: len(rows(window)) == 3)
    window.set_filter(QueueFilter.DONE)  # the duplicate is filtered out: the filter gives way
    window.add_text("https://instagram.com/reel/CODE1xyz/?utm_source=ig")
    existing = manager.find_by_shortcode("CODE1xyz")
    assert existing is not None
    qtbot.waitUntil(lambda: window.selected_ids() == [existing.id])
    assert len(manager.all_items()) == 3
    assert window.proxy.queue_filter == QueueFilter.ALL
    row = window.model.row_of(existing.id)
    assert window.model.index(row, 1).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert window.details.item is not None and window.details.item.id == existing.id
    assert "already in the queue" in window.message_bar.label.text()


def test_ctrl_v_anywhere_and_dropping_text_queue_links(
    qtbot: Any, window: MainWindow, manager: QueueManager
) -> None:
    manager.pause()
    QGuiApplication.clipboard().setText(f"{post_url(1)} and {post_url(2)}")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(manager.all_items()) == 2)
    assert window.message_bar.label.text() == "Added 2 recipe links"

    mime = QMimeData()
    mime.setText(f"dropped: {post_url(3)}")
    drop = QDropEvent(
        QPoint(10, 10).toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: manager.find_by_shortcode("CODE3xyz") is not None)


def test_junk_text_is_refused_with_a_reason(
    qtbot: Any, window: MainWindow, manager: QueueManager
) -> None:
    window.add_text("https://example.com/recipe")
    qtbot.waitUntil(lambda: window.message_bar.isVisible())
    assert window.message_bar.label.text() == "This is not an Instagram link."
    window.add_text("https://www.instagram.com/stories/someone/123/")
    qtbot.waitUntil(lambda: "stories are not posts" in window.message_bar.label.text())
    assert manager.all_items() == []


def test_delete_removes_every_selected_row(
    qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner
) -> None:
    manager.pause()
    for n in range(4):
        run(manager.enqueue(post_url(n)))
    qtbot.waitUntil(lambda: len(rows(window)) == 4)
    window.table.setFocus()
    window.table.selectRow(0)
    window.table.selectionModel().select(
        window.proxy.index(2, 0),
        window.table.selectionModel().SelectionFlag.Select
        | window.table.selectionModel().SelectionFlag.Rows,
    )
    doomed = set(window.selected_ids())
    assert len(doomed) == 2
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(rows(window)) == 2)
    assert {item.id for item in manager.all_items()}.isdisjoint(doomed)


@pytest.fixture
def fake() -> FakePhases:
    # CODE9xyz: Instagram blocks it (permanent extraction failure)
    # CODE8xyz: read, but the caption holds no recipe (it is in a comment)
    return FakePhases(
        items={
            "CODE9xyz": {
                "outcomes": {
                    "extraction": [
                        {
                            "kind": "permanent",
                            "message": "Instagram refused to show this post.",
                            "suggestion": "Paste the caption yourself.",
                            "code": "instagram_blocked",
                        }
                    ]
                }
            },
            "CODE8xyz": {
                "text": "Recipe in the comments!",
                "outcomes": {
                    "parsing": [
                        {
                            "kind": "permanent",
                            "message": "No recipe found in this post.",
                            "code": "no_recipe",
                        },
                        "ok",
                    ]
                },
            },
        }
    )


def test_paste_caption_continues_a_blocked_item_to_parsing(
    qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner, fake: FakePhases
) -> None:
    run(manager.enqueue(post_url(9)))
    wait_status(qtbot, manager, "CODE9xyz", ItemStatus.ERROR)
    qtbot.waitUntil(lambda: bool(rows(window)) and rows(window)[0].status == ItemStatus.ERROR)
    window.table.selectRow(0)
    # the details pane explains the failure, with the fix
    assert window.details.error_message.text() == "Instagram refused to show this post."
    assert window.details.error_suggestion.text() == "Paste the caption yourself."
    assert window.details.fix_buttons["paste_caption"].isVisibleTo(window.details)
    assert window.app_actions.paste_caption.isEnabled()
    window.app_actions.paste_caption.trigger()
    dialog = window.findChild(CaptionDialog)
    assert dialog is not None
    caption = "<b>Lemon pasta</b>\n200 g pasta\nBoil it."
    dialog.editor.setPlainText(caption)
    dialog.accept()
    wait_status(qtbot, manager, "CODE9xyz", ItemStatus.SUCCESS)
    item = manager.find_by_shortcode("CODE9xyz")
    assert item is not None
    assert item.results.extracted_text == caption
    assert item.phase(PhaseName.PARSING).status == PhaseStatus.COMPLETED
    assert fake.count("extraction", "CODE9xyz") == 1  # Instagram was not asked again
    assert fake.count("parsing", "CODE9xyz") == 1
    # the caption is shown as plain text, never as rich text
    qtbot.waitUntil(
        lambda: window.details.item is not None and window.details.item.status == ItemStatus.SUCCESS
    )
    assert window.details.text_view.toPlainText() == caption
    assert not window.details.error_box.isVisibleTo(window.details)


def test_retry_and_pause_from_the_toolbar(
    qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner, fake: FakePhases
) -> None:
    fake.items["CODE5xyz"] = {"outcomes": {"uploading": ["permanent"]}}
    run(manager.enqueue(post_url(5)))
    wait_status(qtbot, manager, "CODE5xyz", ItemStatus.ERROR)
    qtbot.waitUntil(lambda: bool(rows(window)) and rows(window)[0].status == ItemStatus.ERROR)
    qtbot.waitUntil(lambda: "1 failed" in window.counts_label.text())
    window.table.selectRow(0)
    assert window.app_actions.retry.isEnabled()
    window.app_actions.retry.trigger()
    wait_status(qtbot, manager, "CODE5xyz", ItemStatus.SUCCESS)
    assert fake.count("extraction", "CODE5xyz") == 1  # resumed at the failed phase
    assert fake.count("uploading", "CODE5xyz") == 2

    window.app_actions.pause.trigger()
    assert manager.paused
    qtbot.waitUntil(lambda: window.processing_label.text() == "Paused")
    window.app_actions.pause.trigger()
    assert not manager.paused


def test_the_app_actions_leave_qt_own_actions_list_alone(window: MainWindow) -> None:
    """``QWidget.actions()`` is Qt's list of a widget's actions; the app's commands live beside
    it under their own name (a shadowing attribute broke ``actions()`` for Qt and type checks)."""
    assert isinstance(window.actions(), list)
    assert isinstance(window.details.actions(), list)
    assert window.app_actions.retry is window.details.app_actions.retry


def test_search_box_filters_rows(
    qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner
) -> None:
    manager.pause()
    for n in range(3):
        run(manager.enqueue(post_url(n)))
    qtbot.waitUntil(lambda: len(rows(window)) == 3)
    qtbot.keyClicks(window.search_field, "code2")
    assert [item.shortcode for item in rows(window)] == ["CODE2xyz"]


def test_window_state_persists(qtbot: Any, window: MainWindow) -> None:
    window.set_filter(QueueFilter.FAILED)
    window.table.horizontalHeader().resizeSection(Column.AUTHOR, 177)
    window.save_state()
    again = MainWindow(
        window.controller,
        window.model,
        window.app_actions,
        window.state,
        window.setting,
        lambda: False,
    )
    qtbot.addWidget(again)
    assert again.proxy.queue_filter == QueueFilter.FAILED
    assert again.filter_buttons[QueueFilter.FAILED].isChecked()
    assert again.table.horizontalHeader().sectionSize(Column.AUTHOR) == 177
    again.quitting = True


def test_closing_without_a_tray_asks_to_quit(qtbot: Any, window: MainWindow) -> None:
    with qtbot.waitSignal(window.quitRequested, timeout=2000):
        window.close()


def test_app_is_a_qapplication(qapp: QApplication) -> None:
    assert isinstance(qapp, QApplication)


def test_a_local_library_page_opens_as_a_file(opened_urls: list[str], tmp_path: Any) -> None:
    page = tmp_path / "library" / "lemon-pasta" / "index.html"
    assert open_result(page.as_uri())
    assert open_result(str(page))  # a plain path too
    assert opened_urls == [page.as_uri(), page.as_uri()]


def test_details_log_shows_token_usage_and_the_raw_answer_of_a_failure(window: MainWindow) -> None:
    from instarecipe_desktop.core.items import ErrorKind, ItemError, QueueItem

    item = QueueItem(url=post_url(3), shortcode="CODE3xyz", status=ItemStatus.ERROR)
    item.usage = {"model": "llama3.1", "totalTokens": 812}
    item.error = ItemError(
        "The LLM's answer was not a recipe.",
        kind=ErrorKind.PERMANENT,
        phase=PhaseName.PARSING,
        details='{"name": 42, "steps": "soup"}',
    )
    window.details.show_item(item)
    log_text = window.details.log_view.toPlainText()
    assert "totalTokens: 812" in log_text
    assert '{"name": 42, "steps": "soup"}' in log_text
    assert window.details.fix_buttons["parse_again"].isVisibleTo(window.details)


def test_status_bar_says_when_processing_is_switched_off(
    window: MainWindow, manager: QueueManager
) -> None:
    window.update_status()
    assert window.processing_label.text() == "Processing"
    manager.settings.set("QUEUE_PROCESSING_ENABLED", False)
    window.update_status()
    assert window.processing_label.text().startswith("Processing off")


def test_paste_text_is_offered_when_the_caption_held_no_recipe(
    qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner, fake: FakePhases
) -> None:
    run(manager.enqueue(post_url(8)))
    wait_status(qtbot, manager, "CODE8xyz", ItemStatus.ERROR)
    qtbot.waitUntil(lambda: bool(rows(window)) and rows(window)[0].status == ItemStatus.ERROR)
    window.table.selectRow(0)
    assert window.details.fix_buttons["paste_caption"].isVisibleTo(window.details)
    assert window.app_actions.paste_caption.isEnabled()
    dialog = window.ask_caption()
    assert dialog is not None
    # to add to, not retype: typing goes on a new line after it
    assert dialog.editor.toPlainText() == "Recipe in the comments!\n"
    dialog.editor.insertPlainText("200 g pasta\nBoil it.")
    dialog.accept()
    wait_status(qtbot, manager, "CODE8xyz", ItemStatus.SUCCESS)
    item = manager.find_by_shortcode("CODE8xyz")
    assert item is not None
    assert item.results.extracted_text == "Recipe in the comments!\n200 g pasta\nBoil it."
    assert fake.count("extraction", "CODE8xyz") == 1


def test_without_a_browser_opening_a_recipe_says_so_and_copies_the_address(
    qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner
) -> None:
    # no URL handler and no desktop browser (offscreen): QDesktopServices.openUrl fails
    run(manager.enqueue(post_url(1)))
    wait_status(qtbot, manager, "CODE1xyz", ItemStatus.SUCCESS)
    qtbot.waitUntil(lambda: len(rows(window)) == 1 and rows(window)[0].status == ItemStatus.SUCCESS)
    item = rows(window)[0]
    rect = window.table.visualRect(window.proxy.index(0, Column.TITLE))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    message = window.message_bar.label.text()
    assert "No web browser could be opened" in message
    assert item.results.tandoor_url in message
    assert QGuiApplication.clipboard().text() == item.results.tandoor_url


def test_what_is_pasted_into_a_read_caption_goes_after_it(qtbot: Any) -> None:
    dialog = CaptionDialog(post_url(8), None, "Recipe in the comments!")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QGuiApplication.clipboard().setText("200 g pasta\nBoil it.")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert dialog.text() == "Recipe in the comments!\n200 g pasta\nBoil it."


def test_one_link_is_counted_in_the_singular(
    qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner, fake: FakePhases
) -> None:
    fake.outcomes["extraction"] = ["permanent"]
    run(manager.enqueue(post_url(1)))
    wait_status(qtbot, manager, "CODE1xyz", ItemStatus.ERROR)
    qtbot.waitUntil(lambda: window.counts_label.text().startswith("1 link · "))
    manager.pause()
    window.app_actions.retry_all_failed.trigger()
    qtbot.waitUntil(lambda: window.message_bar.label.text() == "Retrying 1 failed link")


def test_a_failed_phase_is_red_in_the_details_not_a_full_bar(
    qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner, fake: FakePhases
) -> None:
    fake.outcomes["parsing"] = ["permanent"]
    run(manager.enqueue(post_url(1)))
    wait_status(qtbot, manager, "CODE1xyz", ItemStatus.ERROR)
    qtbot.waitUntil(lambda: bool(rows(window)) and rows(window)[0].status == ItemStatus.ERROR)
    window.table.selectRow(0)
    bars = window.details.phase_bars
    highlight = QPalette.ColorRole.Highlight
    assert bars[PhaseName.PARSING].palette().color(highlight) == QColor("#d93025")
    assert bars[PhaseName.EXTRACTION].palette().color(highlight) == QColor("#1e8e3e")


def test_send_again_on_a_saved_recipe_updates_it_or_makes_a_copy(
    qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner, fake: FakePhases
) -> None:
    run(manager.enqueue(post_url(1)))
    wait_status(qtbot, manager, "CODE1xyz", ItemStatus.SUCCESS)
    qtbot.waitUntil(lambda: bool(rows(window)) and rows(window)[0].status == ItemStatus.SUCCESS)
    window.table.selectRow(0)
    a = window.app_actions
    assert a.send_again.isEnabled() and a.upload_again.isEnabled()
    assert window.details.saved_buttons["send_again"].isVisibleTo(window.details)
    assert window.details.saved_buttons["upload_again"].isVisibleTo(window.details)

    window.details.saved_buttons["send_again"].click()
    qtbot.waitUntil(lambda: fake.count("uploading") == 2, timeout=10_000)
    wait_status(qtbot, manager, "CODE1xyz", ItemStatus.SUCCESS)
    item = manager.find_by_shortcode("CODE1xyz")
    assert item is not None and item.options == {"updateInPlace": True}
    assert "updated in place" in window.message_bar.label.text()

    qtbot.waitUntil(lambda: a.upload_again.isEnabled())
    a.upload_again.trigger()
    qtbot.waitUntil(lambda: fake.count("uploading") == 3, timeout=10_000)
    wait_status(qtbot, manager, "CODE1xyz", ItemStatus.SUCCESS)
    item = manager.find_by_shortcode("CODE1xyz")
    assert item is not None and item.options == {"forceNewRecipe": True}


def test_send_again_is_not_offered_for_an_unsaved_item(
    qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner
) -> None:
    manager.pause()
    run(manager.enqueue(post_url(1)))
    qtbot.waitUntil(lambda: len(rows(window)) == 1)
    window.table.selectRow(0)
    assert not window.app_actions.send_again.isEnabled()
    assert not window.details.saved_buttons["send_again"].isVisibleTo(window.details)


def test_processing_that_stops_itself_says_so_once_and_resume_goes_on(
    qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner, fake: FakePhases
) -> None:
    refused = {
        "kind": "permanent",
        "message": "Tandoor rejected the token: it lacks write scope (it is read-only).",
        "stops_queue": True,
    }
    fake.outcomes = {"uploading": [refused]}
    run(manager.enqueue(post_url(1)))
    qtbot.waitUntil(lambda: manager.stop_reason is not None, timeout=10_000)
    qtbot.waitUntil(lambda: "lacks write scope" in window.message_bar.label.text())
    window.update_status()
    assert window.processing_label.text() == "Stopped: see the message"
    assert "lacks write scope" in window.processing_label.toolTip()
    assert window.app_actions.pause.isChecked()
    item = manager.find_by_shortcode("CODE1xyz")
    assert item is not None and item.status == ItemStatus.PENDING and item.error is None
    window.message_bar.show_message("info", "something else")
    window.update_status()  # the same stop is not said again at every event
    assert window.message_bar.label.text() == "something else"
    window.app_actions.pause.trigger()  # Resume
    wait_status(qtbot, manager, "CODE1xyz", ItemStatus.SUCCESS)
    assert manager.stop_reason is None
