"""The system tray icon (idle / working / attention) and its menu.

Offscreen and on desktops without a tray the icon is never shown; the app then works from the
window alone and notifications appear inside it (``available`` is False).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from instarecipe_desktop.core.items import ItemStatus
from instarecipe_desktop.ui.actions import AppActions
from instarecipe_desktop.ui.icons import tray_icon
from instarecipe_desktop.ui.notifications import Notification


def tray_state(counts: Mapping[ItemStatus, int]) -> str:
    if counts.get(ItemStatus.IN_PROGRESS) or counts.get(ItemStatus.PENDING):
        return "working"
    if counts.get(ItemStatus.ERROR) or counts.get(ItemStatus.UNHEALTHY):
        return "attention"
    return "idle"


class TrayController(QObject):
    notificationClicked = Signal(object)  # Notification
    activated = Signal()  # the icon itself was clicked

    def __init__(self, actions: AppActions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app_actions = actions
        self.menu = QMenu()
        self.menu.addAction(actions.show_window)
        self.menu.addSeparator()
        self.menu.addAction(actions.add_from_clipboard)
        self.menu.addAction(actions.watch_clipboard)
        self.menu.addAction(actions.pause)
        self.menu.addAction(actions.open_library)
        self.menu.addSeparator()
        self.menu.addAction(actions.settings)
        self.menu.addAction(actions.quit)
        self.state = "idle"
        self.icon = QSystemTrayIcon(tray_icon("idle"), self)
        self.icon.setToolTip("InstaRecipe")
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self._message_clicked)
        self._last: Notification | None = None

    @property
    def available(self) -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> bool:
        if not self.available:
            return False
        self.icon.show()
        return True

    def hide(self) -> None:
        self.icon.hide()

    def set_state(self, state: str, tooltip: str | None = None) -> None:
        if state != self.state:
            self.state = state
            self.icon.setIcon(tray_icon(state))
        if tooltip is not None:
            self.icon.setToolTip(tooltip)

    def show_notification(self, notification: Notification) -> bool:
        """False when there is no tray to show it (the caller shows it in the window)."""
        if not (self.available and self.icon.isVisible() and QSystemTrayIcon.supportsMessages()):
            return False
        self._last = notification
        kind = (
            QSystemTrayIcon.MessageIcon.Critical
            if notification.level == "error"
            else QSystemTrayIcon.MessageIcon.Information
        )
        self.icon.showMessage(notification.title, notification.body, kind, 6000)
        return True

    def _message_clicked(self) -> None:
        if self._last is not None:
            self.notificationClicked.emit(self._last)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.activated.emit()
