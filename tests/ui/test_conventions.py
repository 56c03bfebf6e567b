"""Issue 17: what a person must be able to trust, and what their hands expect (pytest-qt over the
real window, a real QueueManager on real SQLite and fake phases)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from instarecipe_desktop.core.items import ItemStatus
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.ui.main_window import MainWindow
from tests.support.fake_phases import FakePhases
from tests.ui.conftest import post_url

WAIT = {"kind": "recoverable", "message": "Instagram is rate limiting.", "retry_after": 600}


def wait_status(qtbot: Any, manager: QueueManager, shortcode: str, status: ItemStatus) -> None:
    def check() -> None:
        item = manager.find_by_shortcode(shortcode)
        assert item is not None and item.status == status

    qtbot.waitUntil(check, timeout=10_000)


def test_adding_a_waiting_link_again_says_when_and_offers_try_now(
    qtbot: Any, window: MainWindow, manager: QueueManager, fake: FakePhases
) -> None:
    fake.items["CODE1xyz"] = {"outcomes": {"extraction": [WAIT, WAIT]}}
    window.add_text(post_url(1))
    wait_status(qtbot, manager, "CODE1xyz", ItemStatus.UNHEALTHY)
    for _ in range(2):  # pasting it again twice uses up nothing
        window.add_text(post_url(1))
        qtbot.waitUntil(lambda: "tries again at" in window.message_bar.label.text())
    item = manager.find_by_shortcode("CODE1xyz")
    assert item is not None and item.attempts == 1
    assert fake.count("extraction", "CODE1xyz") == 1
    assert "Try now does not use up" in window.message_bar.label.text()
    button = window.message_bar.action_button
    assert button.isVisible() and button.text() == "Try now"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fake.count("extraction", "CODE1xyz") == 2)
    wait_status(qtbot, manager, "CODE1xyz", ItemStatus.UNHEALTHY)
    item = manager.find_by_shortcode("CODE1xyz")
    assert item is not None and item.attempts == 1  # the manual try did not count
    # Retry in the toolbar on a waiting row is the same uncounted try
    window.table.selectRow(0)
    qtbot.waitUntil(window.app_actions.retry.isEnabled)  # the row has caught up with the engine
    window.app_actions.retry.trigger()
    wait_status(qtbot, manager, "CODE1xyz", ItemStatus.SUCCESS)
    assert fake.count("extraction", "CODE1xyz") == 3


def test_ctrl_q_and_ctrl_comma_work_in_the_window(qtbot: Any, window: MainWindow) -> None:
    window.activateWindow()
    window.table.setFocus()
    with qtbot.waitSignal(window.app_actions.quit.triggered, timeout=2000):
        qtbot.keyClick(window.table, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(window.app_actions.settings.triggered, timeout=2000):
        qtbot.keyClick(window.table, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)


def test_pause_says_resume_while_paused_and_is_kept_across_restarts(
    qtbot: Any, window: MainWindow, manager: QueueManager
) -> None:
    pause = window.app_actions.pause
    assert pause.text() == "Pause processing"
    qtbot.keyClick(window.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert manager.paused and pause.text() == "Resume processing"
    assert window.state.flag("queue/paused")
    manager.resume()  # as after a restart: a fresh engine runs until the window says otherwise
    again = MainWindow(
        window.controller,
        window.model,
        window.app_actions,
        window.state,
        window.setting,
        lambda: False,
    )
    qtbot.addWidget(again)
    assert manager.paused and again.processing_label.text() == "Paused"
    pause.trigger()
    assert not manager.paused and pause.text() == "Pause processing"
    assert not window.state.flag("queue/paused")
    again.quitting = True
