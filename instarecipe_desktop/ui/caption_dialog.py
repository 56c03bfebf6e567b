"""Ask for the caption text when Instagram blocks: the person is looking at the post."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class CaptionDialog(QDialog):
    def __init__(self, url: str, parent: QWidget | None = None, text: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Paste the caption"))
        layout = QVBoxLayout(self)
        if text:  # read, but no recipe in it: the recipe may be in a comment or the video
            intro = QLabel(
                self.tr(
                    "No recipe was found in this text. Add the recipe from the "
                    "post's comments or its video, or paste the whole caption:"
                )
            )
        else:
            intro = QLabel(
                self.tr(
                    "Instagram did not let the app read this post. Open it, copy "
                    "its caption (and the recipe comment, if any) and paste it "
                    "here:"
                )
            )
        intro.setWordWrap(True)
        link = QLabel(url)
        link.setTextFormat(Qt.TextFormat.PlainText)
        link.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(self.tr("Caption text"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Continue with this text"))
        ok.setEnabled(False)
        self.editor.textChanged.connect(
            lambda: ok.setEnabled(bool(self.editor.toPlainText().strip()))
        )
        if text:  # what is typed or pasted goes after the text already read
            self.editor.setPlainText(text.rstrip() + "\n")
            self.editor.moveCursor(QTextCursor.MoveOperation.End)
        self.editor.setFocus()
        for widget in (intro, link, self.editor, self.buttons):
            layout.addWidget(widget)
        self.resize(520, 360)

    def text(self) -> str:
        return self.editor.toPlainText().strip()
