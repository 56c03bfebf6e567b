"""Everything about the selected item: phases with times and progress, the error in words with
the actions that fix it, the recipe preview, the extracted text and the item's own log."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from instarecipe_desktop.core.items import (
    PHASE_ORDER,
    ItemStatus,
    PhaseName,
    PhaseStatus,
    QueueItem,
)
from instarecipe_desktop.ui import formatting
from instarecipe_desktop.ui.actions import AppActions
from instarecipe_desktop.ui.delegates import PHASE_COLOURS
from instarecipe_desktop.ui.recipe_editor import RecipeEditor
from instarecipe_desktop.ui.recipe_preview import recipe_html


def plain_label(text: str = "", *, wrap: bool = True, selectable: bool = True) -> QLabel:
    """A label that never interprets its text as rich text (captions and titles are data)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DetailsPane(QWidget):
    def __init__(self, actions: AppActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_actions = actions
        self.item: QueueItem | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)

        self.placeholder = plain_label(self.tr("Select a link to see its details."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.placeholder)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body, 1)

        self.title = plain_label()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.link = plain_label()
        self.status = plain_label()
        body.addWidget(self.title)
        body.addWidget(self.link)
        body.addWidget(self.status)

        phases = QGridLayout()
        self.phase_bars: dict[PhaseName, QProgressBar] = {}
        self.phase_texts: dict[PhaseName, QLabel] = {}
        for row, name in enumerate(PHASE_ORDER):
            phases.addWidget(
                plain_label(formatting.phase_label(name), wrap=False, selectable=False), row, 0
            )
            bar = QProgressBar()
            bar.setRange(0, 100)
            bar.setTextVisible(False)
            bar.setMaximumHeight(10)
            phases.addWidget(bar, row, 1)
            text = plain_label(wrap=False, selectable=False)
            phases.addWidget(text, row, 2)
            self.phase_bars[name] = bar
            self.phase_texts[name] = text
        phases.setColumnStretch(1, 1)
        body.addLayout(phases)

        # the error in words, with what fixes it
        self.error_box = QFrame()
        self.error_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.error_box.setObjectName("errorBox")
        error_layout = QVBoxLayout(self.error_box)
        self.error_message = plain_label()
        bold = self.error_message.font()
        bold.setBold(True)
        self.error_message.setFont(bold)
        self.error_suggestion = plain_label()
        error_layout.addWidget(self.error_message)
        error_layout.addWidget(self.error_suggestion)
        buttons = QHBoxLayout()
        self.fix_buttons: dict[str, QToolButton] = {}
        for key, action in (
            ("retry", actions.retry),
            ("paste_caption", actions.paste_caption),
            ("parse_again", actions.parse_again),
            ("send_to_tandoor", actions.send_to_tandoor),
        ):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            buttons.addWidget(button)
            self.fix_buttons[key] = button
        buttons.addStretch(1)
        error_layout.addLayout(buttons)
        body.addWidget(self.error_box)

        # a recipe saved in Tandoor can be sent again: into the same recipe, or as a new one
        self.saved_row = QWidget()
        saved = QHBoxLayout(self.saved_row)
        saved.setContentsMargins(0, 0, 0, 0)
        self.saved_buttons: dict[str, QToolButton] = {}
        for key, action in (
            ("send_again", actions.send_again),
            ("upload_again", actions.upload_again),
        ):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            saved.addWidget(button)
            self.saved_buttons[key] = button
        saved.addStretch(1)
        body.addWidget(self.saved_row)

        self.tabs = QTabWidget()
        self.recipe_view = QTextBrowser()
        self.recipe_view.setOpenLinks(False)
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.tabs.addTab(self.recipe_view, self.tr("Recipe"))
        self.tabs.addTab(self.text_view, self.tr("Text"))
        self.tabs.addTab(self.log_view, self.tr("Log"))
        self.editor = RecipeEditor()
        self.tabs.insertTab(0, self.editor, self.tr("Review"))
        self.tabs.setTabVisible(0, False)
        body.addWidget(self.tabs, 1)
        self.show_item(None)

    def show_item(self, item: QueueItem | None) -> None:
        self.item = item
        self.placeholder.setVisible(item is None)
        self.body.setVisible(item is not None)
        if item is None:
            return
        self.title.setText(item.title)
        self.link.setText(item.url)
        status = formatting.item_status_label(item)
        if item.destination:
            status += " · " + formatting.destination_label(item)
        author = formatting.author(item)
        if author:
            status += " · " + author
        if item.status == ItemStatus.UNHEALTHY and item.next_retry_at:
            status += " · " + self.tr("next try %1").replace(
                "%1", item.next_retry_at.astimezone().strftime("%H:%M:%S")
            )
        self.status.setText(status)
        for phase in item.phases:
            bar = self.phase_bars[phase.name]
            value = (
                100
                if phase.status in (PhaseStatus.COMPLETED, PhaseStatus.ERROR)
                else int(phase.progress or 0)
            )
            bar.setValue(value)
            palette = bar.palette()  # the table's colours: a failed phase is red, not "full"
            palette.setColor(QPalette.ColorRole.Highlight, QColor(PHASE_COLOURS[phase.status]))
            bar.setPalette(palette)
            text = {
                PhaseStatus.PENDING: self.tr("waiting"),
                PhaseStatus.IN_PROGRESS: phase.message or self.tr("working"),
                PhaseStatus.COMPLETED: self.tr("done in %1").replace(
                    "%1", formatting.duration(phase.started_at, phase.completed_at)
                ),
                PhaseStatus.ERROR: self.tr("failed"),
            }[phase.status]
            self.phase_texts[phase.name].setText(text)
        self._show_error(item)
        self.saved_row.setVisible(
            item.status == ItemStatus.SUCCESS
            and item.destination == "tandoor"
            and bool(item.results.recipe)
        )
        if item.results.recipe:
            self.recipe_view.setHtml(recipe_html(item.results.recipe))
        else:
            self.recipe_view.setPlainText(self.tr("No recipe yet."))
        self.text_view.setPlainText(item.results.extracted_text or "")
        self.log_view.setPlainText(self._log_text(item))
        self._show_editor(item)

    @staticmethod
    def editable(item: QueueItem) -> bool:
        """A recipe waiting for the person's review opens in the editor."""
        return item.waiting_for_review and bool(item.results.recipe)

    def _show_editor(self, item: QueueItem) -> None:
        editor = self.editor
        if not self.editable(item):
            if self.tabs.currentWidget() is editor:
                self.tabs.setCurrentWidget(self.recipe_view)
            self.tabs.setTabVisible(0, False)
            return
        another = editor.item_id != item.id
        if another or (not editor.dirty and editor.stored_recipe != item.results.recipe):
            editor.load(item)  # edits of the same item are never dropped by an update
        else:
            editor.update_reason(item)
        self.tabs.setTabVisible(0, True)
        if another:
            self.tabs.setCurrentWidget(editor)

    def open_editor(self) -> bool:
        """Show the editor of the shown item and put the focus in it (keyboard: Ctrl+E)."""
        if self.item is None or not self.editable(self.item):
            return False
        self.tabs.setCurrentWidget(self.editor)
        self.editor.title_field.setFocus()
        return True

    def _show_error(self, item: QueueItem) -> None:
        failed = item.status in (ItemStatus.ERROR, ItemStatus.UNHEALTHY) and item.error
        self.error_box.setVisible(bool(failed))
        if not failed or item.error is None:
            return
        self.error_message.setText(item.error.message)
        self.error_suggestion.setText(item.error.suggestion or "")
        self.error_suggestion.setVisible(bool(item.error.suggestion))
        failed_phase = item.error.phase or item.next_phase()
        self.fix_buttons["paste_caption"].setVisible(item.needs_text())
        self.fix_buttons["parse_again"].setVisible(failed_phase == PhaseName.PARSING)
        self.fix_buttons["send_to_tandoor"].setVisible(failed_phase == PhaseName.UPLOADING)

    def _log_text(self, item: QueueItem) -> str:
        lines = []
        for entry in item.log:
            when = entry.at.astimezone().strftime("%H:%M:%S")
            phase = f"[{entry.phase.value}] " if entry.phase else ""
            level = "" if entry.level == "info" else f"{entry.level.upper()}: "
            lines.append(f"{when} {phase}{level}{entry.message}")
        if item.usage:
            usage = ", ".join(f"{k}: {v}" for k, v in item.usage.items())
            lines.append(self.tr("Token usage: %1").replace("%1", usage))
        if item.attempts:
            lines.append(self.tr("Attempts: %1").replace("%1", str(item.attempts)))
        if item.error and item.error.details:
            lines.append(self.tr("Details of the error (e.g. the LLM's raw answer):"))
            lines.append(item.error.details)
        return "\n".join(lines)
