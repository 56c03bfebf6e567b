"""One place inside the window for messages and notifications (used always for short feedback,
and instead of tray notifications when there is no tray).

Its space is reserved: the bar has a fixed height (two lines of text) and keeps it while hidden,
so a message coming or going never moves the table under the cursor. A *banner* is a standing
message (e.g. "recipes wait for your Tandoor token"): short messages show over it and it comes
back when they go; it cannot be dismissed, only resolved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

_COLOURS = {"info": "#1a73e8", "warning": "#e37400", "error": "#d93025"}
TEXT_LINES = 2  # the reserved height holds this many lines of text
FRAME_ALLOWANCE = 3  # pixels above and below for the frame, whatever its style


@dataclass(frozen=True)
class _Message:
    level: str
    text: str
    action_text: str | None
    callback: Callable[[], object] | None


class MessageBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = self._layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 4, 2)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.action_button = QPushButton()
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.setAccessibleName(self.tr("Dismiss the message"))
        self.close_button.clicked.connect(self.dismiss)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.close_button)
        self._callback: Callable[[], object] | None = None
        self.action_button.clicked.connect(self._run_action)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.level = "info"
        self.banner: _Message | None = None
        self.showing_banner = False
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the space stays: the table never moves
        policy.setVerticalPolicy(QSizePolicy.Policy.Fixed)
        self.setSizePolicy(policy)
        self._fix_height()
        self.hide()

    def _fix_height(self) -> None:
        margins = self._layout.contentsMargins()
        text = TEXT_LINES * self.label.fontMetrics().lineSpacing()
        inner = max(text, self.action_button.sizeHint().height())
        # the frame's own width changes with the level's style sheet: a constant allowance,
        # so the height never depends on which message shows
        self.setFixedHeight(inner + margins.top() + margins.bottom() + 2 * FRAME_ALLOWANCE)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fix_height()
        super().changeEvent(event)

    def show_message(
        self,
        level: str,
        text: str,
        action_text: str | None = None,
        callback: Callable[[], object] | None = None,
        timeout_ms: int = 6000,
    ) -> None:
        self._show(_Message(level, text, action_text, callback))
        self.showing_banner = False
        self.close_button.show()
        if level == "info" and timeout_ms > 0 and callback is None:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()

    def set_banner(
        self,
        level: str,
        text: str,
        action_text: str | None = None,
        callback: Callable[[], object] | None = None,
    ) -> None:
        """A standing message; shown now unless a short message is up (then after it)."""
        self.banner = _Message(level, text, action_text, callback)
        if self.showing_banner or not self.isVisible():
            self._show_banner()

    def clear_banner(self) -> None:
        self.banner = None
        if self.showing_banner:
            self.showing_banner = False
            self.hide()

    def dismiss(self) -> None:
        """The short message goes; a standing banner comes back."""
        self._timer.stop()
        if self.banner is not None:
            self._show_banner()
        else:
            self.hide()

    def _show_banner(self) -> None:
        assert self.banner is not None
        self._timer.stop()
        self._show(self.banner)
        self.showing_banner = True
        self.close_button.hide()

    def _show(self, message: _Message) -> None:
        if message.level != self.level or not self.styleSheet():
            self._set_colour(_COLOURS.get(message.level, _COLOURS["info"]))
        self.level = message.level
        self.label.setText(message.text)
        self.label.setToolTip(message.text)  # the whole text when two lines do not hold it
        self._callback = message.callback
        self.action_button.setVisible(bool(message.action_text and message.callback))
        self.action_button.setText(message.action_text or "")
        self.show()

    def _set_colour(self, colour: str) -> None:
        self.setStyleSheet(
            f"#messageBar {{ border: 1px solid {colour}; border-left: 4px solid "
            f"{colour}; border-radius: 3px; }}"
        )

    def _run_action(self) -> None:
        callback = self._callback
        if not self.showing_banner:
            self.dismiss()
        if callback is not None:
            callback()
