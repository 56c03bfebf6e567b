"""One place inside the window for messages and notifications (used always for short feedback,
and instead of tray notifications when there is no tray)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

_COLOURS = {"info": "#1a73e8", "warning": "#e37400", "error": "#d93025"}


class MessageBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.action_button = QPushButton()
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.close_button)
        self._callback: Callable[[], object] | None = None
        self.action_button.clicked.connect(self._run_action)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.level = "info"
        self.hide()

    def show_message(
        self,
        level: str,
        text: str,
        action_text: str | None = None,
        callback: Callable[[], object] | None = None,
        timeout_ms: int = 6000,
    ) -> None:
        if level != self.level or not self.styleSheet():
            self._set_colour(_COLOURS.get(level, _COLOURS["info"]))
        self.level = level
        self.label.setText(text)
        self._callback = callback
        self.action_button.setVisible(bool(action_text and callback))
        self.action_button.setText(action_text or "")
        self.show()
        if level == "info" and timeout_ms > 0 and callback is None:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()

    def _set_colour(self, colour: str) -> None:
        self.setStyleSheet(
            f"#messageBar {{ border: 1px solid {colour}; border-left: 4px solid "
            f"{colour}; border-radius: 3px; }}"
        )

    def _run_action(self) -> None:
        callback = self._callback
        self.hide()
        if callback is not None:
            callback()
