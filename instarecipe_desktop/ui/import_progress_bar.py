"""The status bar's line for a running import: how far it is, the time left at the current
pacing, and the pause button (the same action as the toolbar's)."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget


class ImportProgressBar(QWidget):
    def __init__(self, pause: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importProgress")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("importProgressText")
        self.pause_button = QToolButton()
        self.pause_button.setDefaultAction(pause)
        self.pause_button.setAutoRaise(True)
        layout.addWidget(self.label)
        layout.addWidget(self.pause_button)
        self.hide()

    def show_progress(self, text: str) -> None:
        self.label.setText(text)
        self.setVisible(bool(text))
