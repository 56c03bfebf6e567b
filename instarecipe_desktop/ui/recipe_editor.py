"""The review editor: a parsed recipe as editable rows beside the post's text, each row's source
line highlighted, so the person checks the evidence and fixes the recipe before it is saved.

Rows are the steps (their instruction spans the row) with their ingredients under them
(amount, unit, food, note). Alt+Up / Alt+Down move an ingredient, also into the step above or
below; Ctrl+Z undoes a change of the rows. Ctrl+Return approves: the edit is validated
(``validate_recipe``) and a bad value is said in words next to its field, nothing is lost.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from instarecipe_desktop.core.amounts import shown_amount
from instarecipe_desktop.core.items import QueueItem
from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.core.recipe_validation import (
    RecipeInvalid,
    amount_from_text,
    validate_recipe,
)
from instarecipe_desktop.core.review import source_lines

AMOUNT, UNIT, FOOD, NOTE = range(4)
COLUMN_KEYS = {"amount": AMOUNT, "amountMax": AMOUNT, "unit": UNIT, "food": FOOD, "note": NOTE}
BaseRole = Qt.ItemDataRole.UserRole + 1  # the row's original JSON (source, originalText, ...)
KindRole = Qt.ItemDataRole.UserRole + 2  # "step" | "ingredient"
INFERRED_COLOUR = QColor("#fde2e1")  # not found in the post
SUSPICIOUS_COLOUR = QColor("#fff1c2")  # an amount that is not in its line
EVIDENCE_COLOUR = QColor("#ffe58f")
ERROR_STYLE = "color: #b00020;"
SIDE_BY_SIDE_WIDTH = 620  # px; narrower, the post's text goes under the rows
_PATH = re.compile(r"^\$\.steps\[(\d+)\](?:\.ingredients\[(\d+)\])?(?:\.(\w+))?")


@dataclass
class RowState:
    """One row as the undo history keeps it."""

    kind: str
    base: dict[str, Any]
    cells: tuple[str, ...]  # a step: (instruction,); an ingredient: amount, unit, food, note


def _problem_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def utf16_offset(text: str, index: int) -> int:
    """Qt's text positions count UTF-16 units: an emoji before a line moves it by two."""
    return len(text[:index].encode("utf-16-le")) // 2


class RecipeEditor(QWidget):
    """Edits the recipe of one item; ``approveRequested(item_id, recipe)`` asks to save it,
    ``recipe`` None when it is saved as parsed (nothing was changed)."""

    approveRequested = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item_id: str | None = None
        self._recipe: dict[str, Any] = {}
        self._text = ""
        self._loading = False
        self._baseline: list[Any] = []
        self._history: list[tuple[list[RowState], int]] = []
        self._rows_before: list[RowState] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.reason = QLabel()
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        layout.addWidget(self.splitter, 1)

        form_side = QWidget()
        form_layout = QVBoxLayout(form_side)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.title_field = QLineEdit()
        self.title_field.setAccessibleName(self.tr("Title"))
        self.title_problem = _problem_label()
        self.servings_field = QLineEdit()
        self.servings_field.setAccessibleName(self.tr("Servings"))
        self.servings_field.setPlaceholderText(self.tr("e.g. 4"))
        self.servings_problem = _problem_label()
        self.working_field = QLineEdit()
        self.working_field.setAccessibleName(self.tr("Working time in minutes"))
        self.working_problem = _problem_label()
        self.waiting_field = QLineEdit()
        self.waiting_field.setAccessibleName(self.tr("Waiting time in minutes"))
        self.waiting_problem = _problem_label()
        self.keywords_field = QLineEdit()
        self.keywords_field.setAccessibleName(self.tr("Keywords"))
        self.keywords_field.setPlaceholderText(self.tr("separated by commas"))
        self.keywords_problem = _problem_label()
        times = QHBoxLayout()
        times.addWidget(self.working_field)
        times.addWidget(QLabel(self.tr("min work,")))
        times.addWidget(self.waiting_field)
        times.addWidget(QLabel(self.tr("min waiting")))
        form.addRow(self.tr("&Title"), self.title_field)
        form.addRow("", self.title_problem)
        form.addRow(self.tr("&Servings"), self.servings_field)
        form.addRow("", self.servings_problem)
        form.addRow(self.tr("Ti&mes"), times)
        form.addRow("", self.working_problem)
        form.addRow("", self.waiting_problem)
        form.addRow(self.tr("&Keywords"), self.keywords_field)
        form.addRow("", self.keywords_problem)
        form_layout.addLayout(form)
        # JSON key -> its field and where its problem is said
        self.fact_fields: dict[str, tuple[QLineEdit, QLabel]] = {
            "name": (self.title_field, self.title_problem),
            "servings": (self.servings_field, self.servings_problem),
            "workingTime": (self.working_field, self.working_problem),
            "waitingTime": (self.waiting_field, self.waiting_problem),
            "keywords": (self.keywords_field, self.keywords_problem),
        }

        self.rows = QTableWidget(0, 4)
        self.rows.setObjectName("recipeRows")
        self.rows.setAccessibleName(self.tr("Steps and ingredients"))
        self.rows.setHorizontalHeaderLabels(
            [self.tr("Amount"), self.tr("Unit"), self.tr("Food / step"), self.tr("Note")]
        )
        self.rows.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.rows.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rows.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.rows.setWordWrap(True)
        header = self.rows.horizontalHeader()
        header.setSectionResizeMode(FOOD, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        for column, width in ((AMOUNT, 56), (UNIT, 48), (NOTE, 90)):
            header.resizeSection(column, width)
        self.rows.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.rows.customContextMenuRequested.connect(self._row_menu)
        form_layout.addWidget(self.rows, 1)
        self.rows_problem = _problem_label()
        form_layout.addWidget(self.rows_problem)
        self.row_note = QLabel()
        self.row_note.setTextFormat(Qt.TextFormat.PlainText)
        self.row_note.setWordWrap(True)
        form_layout.addWidget(self.row_note)

        buttons = QHBoxLayout()
        self.approve_button = QPushButton(self.tr("&Approve and save"))
        self.approve_button.setToolTip(self.tr("Save this recipe (Ctrl+Return)"))
        self.discard_button = QPushButton(self.tr("&Discard edits"))
        self.discard_button.setToolTip(self.tr("Go back to the recipe as it was parsed"))
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        self.splitter.addWidget(form_side)

        self.evidence = QPlainTextEdit()
        self.evidence.setObjectName("evidence")
        self.evidence.setReadOnly(True)
        self.evidence.setAccessibleName(self.tr("The post's text"))
        self.splitter.addWidget(self.evidence)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addLayout(buttons)

        self.approve_button.clicked.connect(self.approve)
        self.discard_button.clicked.connect(self.discard)
        for approve_keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(approve_keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.approve)
        row_keys: list[tuple[QKeySequence, Callable[[], object]]] = [
            (QKeySequence("Alt+Up"), lambda: self.move_current(-1)),
            (QKeySequence("Alt+Down"), lambda: self.move_current(1)),
            (QKeySequence(QKeySequence.StandardKey.Undo), self.undo),
            (QKeySequence("Ctrl+Delete"), self.remove_current),
            (QKeySequence("Ctrl+Insert"), self.add_ingredient),
        ]
        for keys, slot in row_keys:
            shortcut = QShortcut(keys, self.rows)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self.rows.currentCellChanged.connect(self._current_changed)
        self.rows.itemChanged.connect(self._row_edited)
        for field, problem in self.fact_fields.values():
            field.textEdited.connect(problem.hide)
        order = [field for field, _ in self.fact_fields.values()]
        for before, after in pairwise(order):
            self.setTabOrder(before, after)
        self.setTabOrder(self.keywords_field, self.rows)
        self.setTabOrder(self.rows, self.approve_button)
        self.setTabOrder(self.approve_button, self.discard_button)
        self.setTabOrder(self.discard_button, self.evidence)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Side by side with the post's text when there is room, the text below when not."""
        wide = event.size().width() >= SIDE_BY_SIDE_WIDTH
        wanted = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() != wanted:
            self.splitter.setOrientation(wanted)
        super().resizeEvent(event)

    # ---- loading --------------------------------------------------------------------------
    def load(self, item: QueueItem) -> None:
        """Show ``item``'s recipe as it is stored (edits of another item are dropped)."""
        self.item_id = item.id
        self._recipe = copy.deepcopy(item.results.recipe or {})
        text = item.results.extracted_text or ""
        self._text = text
        # "\r" would become a line break of its own in the view and shift every offset
        self.evidence.setPlainText(text.replace("\r", " "))
        self.reason.setText(item.review_reason or "")
        self.reason.setVisible(bool(item.review_reason))
        self._loading = True
        try:
            self._fill_facts()
            self._set_rows(self._rows_of(self._recipe))
        finally:
            self._loading = False
        self._hide_problems()
        self._history.clear()
        self._rows_before = self.row_states()
        self._baseline = self._snapshot()
        self._refresh_marks()
        self.select_row(0)
        self._show_evidence(self.rows.currentRow())

    def _fill_facts(self) -> None:
        recipe = self._recipe
        self.title_field.setText(str(recipe.get("name") or ""))
        for key, (field, _) in self.fact_fields.items():
            if key in ("servings", "workingTime", "waitingTime"):
                value = recipe.get(key)
                field.setText("" if value is None else str(value))
        self.keywords_field.setText(", ".join(str(k) for k in recipe.get("keywords") or []))

    def _hide_problems(self) -> None:
        for _, problem in self.fact_fields.values():
            problem.hide()
        self.rows_problem.hide()

    @property
    def stored_recipe(self) -> dict[str, Any]:
        """The recipe as loaded (what Discard goes back to)."""
        return self._recipe

    def update_reason(self, item: QueueItem) -> None:
        self.reason.setText(item.review_reason or "")
        self.reason.setVisible(bool(item.review_reason))

    @staticmethod
    def _rows_of(recipe: dict[str, Any]) -> list[RowState]:
        rows: list[RowState] = []
        for step in recipe.get("steps") or []:
            base = {k: v for k, v in step.items() if k != "ingredients"}
            rows.append(RowState("step", base, (str(step.get("instruction") or ""),)))
            for ingredient in step.get("ingredients") or []:
                amount = shown_amount(ingredient.get("amount"), ingredient.get("amountMax"))
                cells = (
                    amount,
                    str(ingredient.get("unit") or ""),
                    str(ingredient.get("food") or ""),
                    str(ingredient.get("note") or ""),
                )
                rows.append(RowState("ingredient", dict(ingredient), cells))
        return rows

    def row_states(self) -> list[RowState]:
        states = []
        for row in range(self.rows.rowCount()):
            first = self.rows.item(row, 0)
            if first is None:
                continue
            kind = first.data(KindRole)
            base = json.loads(first.data(BaseRole) or "{}")
            if kind == "step":
                cells: tuple[str, ...] = (first.text(),)
            else:
                cells = tuple(self._cell(row, column) for column in range(4))
            states.append(RowState(kind, base, cells))
        return states

    def _kind(self, row: int) -> str | None:
        """ "step" or "ingredient" for a row of the table, None outside it."""
        first = self.rows.item(row, 0)
        return first.data(KindRole) if first is not None else None

    def _cell(self, row: int, column: int) -> str:
        item = self.rows.item(row, column)
        return item.text() if item is not None else ""

    def _set_rows(self, states: list[RowState]) -> None:
        blocked = self.rows.blockSignals(True)
        try:
            self.rows.clearSpans()
            self.rows.setRowCount(0)
            self.rows.setRowCount(len(states))
            for row, state in enumerate(states):
                if state.kind == "step":
                    cell = QTableWidgetItem(state.cells[0])
                    cell.setData(KindRole, "step")
                    cell.setData(BaseRole, json.dumps(state.base))
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                    self.rows.setItem(row, 0, cell)
                    self.rows.setSpan(row, 0, 1, 4)
                    continue
                header = bool(state.base.get("isHeader"))
                for column, value in enumerate(state.cells):
                    cell = QTableWidgetItem(value)
                    if column == 0:
                        cell.setData(KindRole, "ingredient")
                        cell.setData(BaseRole, json.dumps(state.base))
                    if header and column != FOOD:
                        cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    self.rows.setItem(row, column, cell)
            self.rows.resizeRowsToContents()
        finally:
            self.rows.blockSignals(blocked)

    # ---- state ----------------------------------------------------------------------------
    def _snapshot(self) -> list[Any]:
        rows = [(r.kind, json.dumps(r.base, sort_keys=True), r.cells) for r in self.row_states()]
        facts = [field.text() for field, _ in self.fact_fields.values()]
        return [*facts, rows]

    @property
    def dirty(self) -> bool:
        """True when something differs from the recipe as loaded."""
        return self.item_id is not None and self._snapshot() != self._baseline

    def mark_saved(self) -> None:
        """The edit was accepted: what is shown is now the item's recipe."""
        self._baseline = self._snapshot()

    def _remember(self) -> None:
        """Keep the rows as they were before this change, for Ctrl+Z."""
        self._history.append((self._rows_before, self.rows.currentRow()))
        self._rows_before = self.row_states()

    def undo(self) -> None:
        if not self._history:
            return
        states, row = self._history.pop()
        self._set_rows(states)
        self._rows_before = self.row_states()
        self._refresh_marks()
        self.select_row(max(0, min(row, self.rows.rowCount() - 1)))

    def _row_edited(self, cell: QTableWidgetItem) -> None:
        if self._loading:
            return
        self.rows_problem.hide()
        self._remember()
        self._refresh_marks()
        if cell.row() == self.rows.currentRow():
            self._show_evidence(cell.row())

    # ---- moving, adding, removing ---------------------------------------------------------
    def move_current(self, offset: int) -> bool:
        """Move the selected ingredient one row up or down; across a step's row it goes into
        that step (the end of the step above, the start of the step below)."""
        row = self.rows.currentRow()
        states = self.row_states()
        if not 0 <= row < len(states) or states[row].kind != "ingredient":
            return False
        target = row + offset
        if target < 1 or target >= len(states):  # never above the first step
            return False
        states.insert(target, states.pop(row))
        self._apply(states, target)
        return True

    def move_to_step(self, step_number: int) -> bool:
        """Move the selected ingredient to the end of step ``step_number`` (0-based)."""
        row = self.rows.currentRow()
        states = self.row_states()
        if not 0 <= row < len(states) or states[row].kind != "ingredient":
            return False
        moving = states.pop(row)
        step_rows = [r for r, s in enumerate(states) if s.kind == "step"]
        if not 0 <= step_number < len(step_rows):
            return False
        following = [r for r in step_rows if r > step_rows[step_number]]
        target = following[0] if following else len(states)
        states.insert(target, moving)
        self._apply(states, target)
        return True

    def add_ingredient(self) -> None:
        """A new empty ingredient under the selected row (its food is typed next)."""
        row = self.rows.currentRow()
        states = self.row_states()
        target = max(1, row + 1) if states else 0
        if not states:
            return
        states.insert(target, RowState("ingredient", {}, ("", "", "", "")))
        self._apply(states, target)
        self.select_row(target, FOOD)

    def remove_current(self) -> None:
        """Remove the selected ingredient (a step's row stays: edit its text instead)."""
        row = self.rows.currentRow()
        states = self.row_states()
        if not 0 <= row < len(states) or states[row].kind != "ingredient":
            return
        states.pop(row)
        self._apply(states, min(row, len(states) - 1))

    def _apply(self, states: list[RowState], current: int) -> None:
        self._set_rows(states)
        self._remember()
        self._refresh_marks()
        column = self.rows.currentColumn()
        self.select_row(current, column if column > 0 else FOOD)
        self._show_evidence(current)

    def _row_menu(self, position: Any) -> None:
        row = self.rows.rowAt(position.y())
        if row < 0:
            return
        self.select_row(row)
        menu = QMenu(self)
        if self.row_states()[row].kind == "ingredient":
            move = menu.addMenu(self.tr("Move to step"))
            steps = [s for s in self.row_states() if s.kind == "step"]
            for number, step in enumerate(steps):
                label = f"{number + 1}. {step.cells[0][:40]}"
                move.addAction(label, partial(self.move_to_step, number))
            menu.addAction(self.tr("Remove ingredient (Ctrl+Delete)"), self.remove_current)
        menu.addAction(self.tr("Add ingredient (Ctrl+Insert)"), self.add_ingredient)
        menu.popup(self.rows.viewport().mapToGlobal(position))

    def select_row(self, row: int, column: int = FOOD) -> None:
        """Make ``row`` current (a step's row has one cell, its instruction)."""
        if not 0 <= row < self.rows.rowCount():
            return
        if self._kind(row) == "step":
            column = 0
        self.rows.setCurrentCell(row, column)

    def _current_changed(self, row: int, column: int, *_previous: int) -> None:
        if self._kind(row) == "step" and column != 0:
            self.rows.setCurrentCell(row, 0)  # the cells under a step's span are not its text
            return
        self._show_evidence(row)

    # ---- marks and evidence ---------------------------------------------------------------
    def _lenient_recipe(self) -> dict[str, Any]:
        """The rows as Recipe JSON, amounts that do not read kept as they were."""
        steps: list[dict[str, Any]] = []
        for state in self.row_states():
            if state.kind == "step":
                steps.append({**state.base, "instruction": state.cells[0], "ingredients": []})
                continue
            try:
                amount, amount_max = amount_from_text(state.cells[AMOUNT])
            except ValueError:
                amount, amount_max = state.base.get("amount"), state.base.get("amountMax")
            entry = {**state.base, "amount": amount, "food": state.cells[FOOD]}
            entry["unit"] = state.cells[UNIT] or None
            entry["amountMax"] = amount_max
            if steps:
                steps[-1]["ingredients"].append(entry)
        return {**self._recipe, "steps": steps}

    def line_flags(self) -> list[dict[str, Any]]:
        """Per row (in order): its source text and whether it is inferred or its amount is
        not in its line (``core.review.source_lines``)."""
        return source_lines(self._lenient_recipe(), self._text)

    def _refresh_marks(self) -> None:
        flags = self.line_flags()
        blocked = self.rows.blockSignals(True)
        try:
            step = 0
            for row, flag in enumerate(flags[: self.rows.rowCount()]):
                if flag["kind"] == "step":
                    step += 1
                    label = self.tr("Step %1").replace("%1", str(step))
                else:
                    label = ""
                tip = ""
                colour = None
                if flag["inferred"]:
                    label += " ?"
                    colour = INFERRED_COLOUR
                    tip = self.tr("Not found in the post: the parser added this line.")
                elif flag.get("amountNotInLine"):
                    label += " !"
                    colour = SUSPICIOUS_COLOUR
                    tip = self.tr("This amount is not written in its line of the post.")
                header = QTableWidgetItem(label.strip())
                header.setToolTip(tip)
                self.rows.setVerticalHeaderItem(row, header)
                for column in range(4):
                    cell = self.rows.item(row, column)
                    if cell is None:
                        continue
                    cell.setBackground(colour if colour is not None else QColor(0, 0, 0, 0))
                    whole = cell.text() if flag["kind"] == "step" else ""  # may not fit
                    cell.setToolTip("\n".join(t for t in (whole, tip) if t))
        finally:
            self.rows.blockSignals(blocked)

    def _show_evidence(self, row: int) -> None:
        flags = self.line_flags()
        self.evidence.setExtraSelections([])
        if not 0 <= row < len(flags):
            self.row_note.clear()
            return
        flag = flags[row]
        if flag["inferred"]:
            self.row_note.setText(
                self.tr("Not found in the post: the parser added this line. Check it.")
            )
            return
        if flag.get("amountNotInLine"):
            self.row_note.setText(
                self.tr("The amount is not written in this line of the post:")
                + f" “{flag['sourceText']}”"
            )
        else:
            self.row_note.setText(self.tr("From the post:") + f" “{flag['sourceText']}”")
        span = flag["source"]
        cursor = QTextCursor(self.evidence.document())
        cursor.setPosition(utf16_offset(self._text, span["start"]))
        cursor.setPosition(utf16_offset(self._text, span["end"]), QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor  # type: ignore[attr-defined]
        highlight = QTextCharFormat()
        highlight.setBackground(EVIDENCE_COLOUR)
        selection.format = highlight  # type: ignore[attr-defined]
        self.evidence.setExtraSelections([selection])
        shown = QTextCursor(cursor)
        shown.clearSelection()
        self.evidence.setTextCursor(shown)
        self.evidence.ensureCursorVisible()

    def evidence_text(self) -> str:
        """The highlighted part of the post's text ("" when none)."""
        selections = self.evidence.extraSelections()
        if not selections:
            return ""
        return selections[0].cursor.selectedText().replace("\u2029", "\n")

    # ---- approve, discard -----------------------------------------------------------------
    def discard(self) -> None:
        """Back to the recipe as it is stored: every edit is dropped."""
        self._loading = True
        try:
            self._fill_facts()
            self._set_rows(self._rows_of(self._recipe))
        finally:
            self._loading = False
        self._hide_problems()
        self._history.clear()
        self._rows_before = self.row_states()
        self._baseline = self._snapshot()
        self._refresh_marks()
        self.select_row(0)

    def _commit_open_editor(self) -> None:
        """A cell still being typed in counts: Ctrl+Return there approves what it shows."""
        focused = QApplication.focusWidget()
        viewport = self.rows.viewport()
        editing = self.rows.state() == QAbstractItemView.State.EditingState
        # the cell editors live in the viewport
        if editing and focused not in (None, viewport) and viewport.isAncestorOf(focused):
            self.rows.commitData(focused)
            self.rows.closeEditor(focused, QAbstractItemDelegate.EndEditHint.NoHint)

    def approve(self) -> bool:
        """Validate the edit and ask for it to be saved; a problem is shown at its field."""
        if self.item_id is None:
            return False
        self._commit_open_editor()
        self._hide_problems()
        if not self.dirty:
            self.approveRequested.emit(self.item_id, None)
            return True
        try:
            recipe = self.edited_recipe()
        except RecipeInvalid as problem:
            self._show_problem(problem)
            return False
        self.approveRequested.emit(self.item_id, recipe)
        return True

    def edited_recipe(self) -> Recipe:
        """The rows as a validated Recipe, or ``RecipeInvalid`` for the first problem."""
        data = copy.deepcopy(self._recipe)
        data.pop("noAmount", None)
        data["name"] = self.title_field.text().strip()
        for key, what in (
            ("servings", self.tr("is not a number of servings (write e.g. 4)")),
            ("workingTime", self.tr("is not a number of minutes (write e.g. 20)")),
            ("waitingTime", self.tr("is not a number of minutes (write e.g. 45)")),
        ):
            typed = self.fact_fields[key][0].text().strip()
            if not typed:
                data[key] = None
            elif typed.isdigit():
                data[key] = int(typed)
            else:
                raise RecipeInvalid(f"$.{key}", f"“{typed}” {what}")
        keywords = [k.strip().lstrip("#") for k in self.keywords_field.text().split(",")]
        data["keywords"] = [k for k in keywords if k]
        steps: list[dict[str, Any]] = []
        for row, state in enumerate(self.row_states()):
            if state.kind == "step":
                step = {k: v for k, v in state.base.items() if k != "ingredients"}
                step["instruction"] = state.cells[0].strip()
                step["ingredients"] = []
                steps.append(step)
                continue
            entry = {k: v for k, v in state.base.items() if k != "noAmount"}
            before = (state.base.get("amount"), state.base.get("amountMax"))
            if state.cells[AMOUNT] == shown_amount(*before):
                amount, amount_max = before  # untouched: the stored value, not its "⅓"
            else:
                try:
                    amount, amount_max = amount_from_text(state.cells[AMOUNT])
                except ValueError as exc:
                    raise RecipeInvalid(f"row {row}", str(exc)) from None
            entry["amount"] = amount
            entry.pop("amountMax", None)
            if amount_max is not None:
                entry["amountMax"] = amount_max
            entry["unit"] = state.cells[UNIT].strip() or None
            entry["food"] = state.cells[FOOD].strip()
            entry["note"] = state.cells[NOTE].strip() or None
            steps[-1]["ingredients"].append(entry)
        data["steps"] = steps
        return validate_recipe(data, len(self._text))

    def _row_of_path(self, path: str) -> tuple[int, int] | None:
        """The row and column a JSON path of the recipe points at."""
        if path.startswith("row "):
            return int(path.split()[1]), AMOUNT
        match = _PATH.match(path)
        if match is None:
            return None
        step, ingredient, key = match.groups()
        steps_seen = count = -1
        for row, state in enumerate(self.row_states()):
            if state.kind == "step":
                steps_seen += 1
                if steps_seen == int(step) and ingredient is None:
                    return row, 0
                count = -1
                continue
            if steps_seen == int(step) and ingredient is not None:
                count += 1
                if count == int(ingredient):
                    return row, COLUMN_KEYS.get(key or "", FOOD)
        return None

    def _show_problem(self, problem: RecipeInvalid) -> None:
        key = problem.path.removeprefix("$.").split("[")[0]
        if key in self.fact_fields:
            field, label = self.fact_fields[key]
            words = problem.problem
            if key == "name":
                words = self.tr("Title: %1").replace("%1", words)
            label.setText(words)
            label.show()
            field.setFocus()
            return
        where = self._row_of_path(problem.path)
        if where is None:
            self.rows_problem.setText(f"{problem.path}: {problem.problem}")
        else:
            row, column = where
            step = self._kind(row) == "step"
            header = self.rows.verticalHeaderItem(row)
            column_name: str
            if step:
                name = header.text() if header is not None else ""
                column_name = self.tr("text")
            else:
                name = self._cell(row, FOOD)
                column_name = {
                    AMOUNT: self.tr("amount"),
                    UNIT: self.tr("unit"),
                    FOOD: self.tr("food"),
                    NOTE: self.tr("note"),
                }[column]
            self.rows_problem.setText(
                self.tr("Row %1 (%2), %3: %4")
                .replace("%1", str(row + 1))
                .replace("%2", name or self.tr("empty"))
                .replace("%3", column_name)
                .replace("%4", problem.problem)
            )
            self.select_row(row, column)
        self.rows_problem.show()
        self.rows.setFocus()
