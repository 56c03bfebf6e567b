"""The review editor in the details pane: real widgets offscreen over a real QueueManager (real
SQLite, fake phases) with REVIEW_BEFORE_SAVING=always, driven by keyboard like a person."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from instarecipe_desktop.core.items import ItemStatus, QueueItem
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.provenance import TextLocator
from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.ui.delegates import status_text
from instarecipe_desktop.ui.main_window import MainWindow
from instarecipe_desktop.ui.recipe_editor import AMOUNT, FOOD, UNIT, RecipeEditor
from tests.support.fake_phases import FakePhases
from tests.ui.conftest import Runner, post_url

TEXT = "Lemon cake 🍋🍋\n\n• 200 g flour\n• 2 eggs\n100 g sugar\n\nMix everything. Bake 30 minutes."


def span(quote: str, whole_line: bool = False) -> dict[str, int]:
    found = TextLocator(TEXT).locate(quote, whole_line=whole_line)
    assert found is not None, quote
    return found.to_json()


def ingredient(food: str, amount: float, unit: str | None, line: str | None) -> dict[str, Any]:
    return {
        "food": food,
        "amount": amount,
        "unit": unit,
        "originalText": line,
        "source": span(line, whole_line=True) if line else None,
    }


RECIPE = {
    "name": "Lemon cake",
    "servings": 8,
    "workingTime": 15,
    "keywords": ["cake", "lemon"],
    "steps": [
        {
            "instruction": "Mix everything.",
            "source": span("Mix everything."),
            "ingredients": [
                ingredient("flour", 200, "g", "200 g flour"),
                ingredient("eggs", 3, None, "2 eggs"),  # the amount is not in its line
                ingredient("sugar", 100, "g", "100 g sugar"),
            ],
        },
        {
            "instruction": "Bake 30 minutes.",
            "source": span("Bake 30 minutes."),
            "ingredients": [ingredient("butter", 50, "g", None)],  # inferred
        },
    ],
}
# rows: 0 step 1, 1 flour, 2 eggs, 3 sugar, 4 step 2, 5 butter
EGGS, SUGAR, STEP2, BUTTER = 2, 3, 4, 5


@pytest.fixture
def fake() -> FakePhases:
    return FakePhases(items={"CODE1xyz": {"text": TEXT, "recipe": RECIPE}})


@pytest.fixture
def settings(paths: AppPaths) -> Settings:
    return Settings(paths.settings_file, environ={"REVIEW_BEFORE_SAVING": "always"})


@pytest.fixture
def held(qtbot: Any, window: MainWindow, manager: QueueManager, run: Runner) -> QueueItem:
    item_id = run(manager.enqueue(post_url(1))).item.id

    def waiting() -> None:
        item = manager.get(item_id)
        assert item is not None and item.waiting_for_review

    qtbot.waitUntil(waiting, timeout=10_000)
    window.model.flush()
    assert window.select_item(item_id)
    qtbot.waitUntil(lambda: window.details.editor.item_id == item_id)
    item = manager.get(item_id)
    assert item is not None
    return item


def editor_of(window: MainWindow) -> RecipeEditor:
    return window.details.editor


def type_into_cell(qtbot: Any, editor: RecipeEditor, row: int, column: int, text: str) -> None:
    """Select the cell, type over it and press Return, as a person does."""
    editor.rows.setFocus()
    editor.select_row(row, column)
    qtbot.keyClick(editor.rows, Qt.Key.Key_F2)
    line = QApplication.focusWidget()
    assert line is not None and editor.rows.isAncestorOf(line)
    line.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClick(line, Qt.Key.Key_Backspace)
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    editing = QAbstractItemView.State.EditingState
    qtbot.waitUntil(lambda: editor.rows.state() != editing)  # Qt commits it queued


def saved_recipe(qtbot: Any, manager: QueueManager, fake: FakePhases, item_id: str) -> Any:
    def saved() -> None:
        item = manager.get(item_id)
        assert item is not None and item.status is ItemStatus.SUCCESS

    qtbot.waitUntil(saved, timeout=10_000)
    assert len(fake.uploaded) == 1
    return fake.uploaded[0]


def test_a_held_recipe_opens_as_rows_beside_the_post_with_its_evidence(
    window: MainWindow, held: QueueItem
) -> None:
    editor = editor_of(window)
    tabs = window.details.tabs
    assert tabs.currentWidget() is editor and tabs.isTabVisible(tabs.indexOf(editor))
    assert editor.title_field.text() == "Lemon cake"
    assert editor.servings_field.text() == "8"
    assert [s.kind for s in editor.row_states()] == [
        "step",
        "ingredient",
        "ingredient",
        "ingredient",
        "step",
        "ingredient",
    ]
    assert editor.row_states()[1].cells == ("200", "g", "flour", "")
    assert editor.evidence.toPlainText() == TEXT
    assert editor.reason.text() == held.review_reason
    assert status_text(held) == "Ready for review"  # what the table's delegate paints
    assert window.details.status.text().startswith("Ready for review")

    editor.select_row(1)
    assert editor.evidence_text() == "• 200 g flour"  # after two emoji: UTF-16 offsets
    editor.select_row(STEP2)
    assert editor.evidence_text() == "Bake 30 minutes."

    headers = [editor.rows.verticalHeaderItem(r).text() for r in range(editor.rows.rowCount())]
    assert headers == ["Step 1", "", "!", "", "Step 2", "?"]
    editor.select_row(EGGS)
    assert editor.evidence_text() == "• 2 eggs"
    assert "amount is not written in this line" in editor.row_note.text()
    editor.select_row(BUTTER)
    assert editor.evidence_text() == ""
    assert "Not found in the post" in editor.row_note.text()


def test_edit_move_and_approve_by_keyboard_is_what_is_uploaded(
    qtbot: Any, window: MainWindow, manager: QueueManager, fake: FakePhases, held: QueueItem
) -> None:
    editor = editor_of(window)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is editor.title_field
    editor.title_field.selectAll()
    qtbot.keyClicks(editor.title_field, "Lemon drizzle cake")
    type_into_cell(qtbot, editor, EGGS, AMOUNT, "2")
    assert editor.rows.verticalHeaderItem(EGGS).text() == ""  # 2 is in "• 2 eggs": no mark
    type_into_cell(qtbot, editor, SUGAR, UNIT, "tbsp")
    # the butter goes up into step 1 (across the step's row), by keyboard
    editor.rows.setFocus()
    editor.select_row(BUTTER)
    qtbot.keyClick(editor.rows, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [s.cells[0] for s in editor.row_states()][3:5] == ["100", "50"]
    assert editor.row_states()[5].kind == "step"
    assert editor.dirty

    qtbot.keyClick(editor.rows, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    recipe = saved_recipe(qtbot, manager, fake, held.id)
    assert recipe.name == "Lemon drizzle cake"
    first, second = recipe.steps
    assert [(i.food, i.amount, i.unit) for i in first.ingredients] == [
        ("flour", 200, "g"),
        ("eggs", 2, None),
        ("sugar", 100, "tbsp"),
        ("butter", 50, "g"),
    ]
    assert second.ingredients == [] and second.instruction == "Bake 30 minutes."
    assert first.ingredients[0].source is not None  # provenance kept through the edit
    assert first.ingredients[3].source is None
    stored = manager.get(held.id)
    assert stored is not None and not stored.awaiting_review
    assert stored.results.recipe is not None and stored.results.recipe["name"] == recipe.name
    assert any("Approved with your changes" in entry.message for entry in stored.log)


def test_a_bad_value_is_said_at_its_field_and_nothing_is_lost(
    qtbot: Any, window: MainWindow, manager: QueueManager, fake: FakePhases, held: QueueItem
) -> None:
    editor = editor_of(window)
    type_into_cell(qtbot, editor, SUGAR, AMOUNT, "a handful")
    editor.servings_field.setText("eight")
    assert editor.approve() is False
    assert editor.servings_problem.isVisibleTo(editor)
    assert "“eight” is not a number of servings" in editor.servings_problem.text()

    editor.servings_field.setText("8")
    assert editor.approve() is False
    assert not editor.servings_problem.isVisibleTo(editor)
    assert editor.rows_problem.isVisibleTo(editor)
    assert editor.rows_problem.text() == (
        "Row 4 (sugar), amount: “a handful” is not an amount "
        "(write 2, 0.5, 1/2, 1 1/2 or a range 2-3)"
    )
    assert (editor.rows.currentRow(), editor.rows.currentColumn()) == (SUGAR, AMOUNT)
    assert editor.row_states()[SUGAR].cells[AMOUNT] == "a handful"  # the typing is kept

    type_into_cell(qtbot, editor, SUGAR, FOOD, "")
    type_into_cell(qtbot, editor, SUGAR, AMOUNT, "100-120")
    assert editor.approve() is False
    assert "Row 4 (empty), food: expected the food's name" in editor.rows_problem.text()
    item = manager.get(held.id)
    assert item is not None and item.waiting_for_review  # nothing was sent
    assert fake.uploaded == []

    type_into_cell(qtbot, editor, SUGAR, FOOD, "caster sugar")
    assert editor.approve() is True
    recipe = saved_recipe(qtbot, manager, fake, held.id)
    sugar = recipe.steps[0].ingredients[2]
    assert (sugar.food, sugar.amount, sugar.amount_max) == ("caster sugar", 100, 120)


def test_undo_puts_a_move_and_an_edit_back(qtbot: Any, window: MainWindow, held: QueueItem) -> None:
    editor = editor_of(window)
    before = editor.row_states()
    type_into_cell(qtbot, editor, EGGS, AMOUNT, "4")
    editor.rows.setFocus()
    editor.select_row(1)
    qtbot.keyClick(editor.rows, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [s.cells[2] for s in editor.row_states()[1:3]] == ["eggs", "flour"]
    qtbot.keyClick(editor.rows, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.cells[2] for s in editor.row_states()[1:3]] == ["flour", "eggs"]
    assert editor.row_states()[EGGS].cells[AMOUNT] == "4"
    qtbot.keyClick(editor.rows, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.row_states() == before
    assert not editor.dirty


def test_discard_goes_back_and_approving_unchanged_saves_the_parse(
    qtbot: Any, window: MainWindow, manager: QueueManager, fake: FakePhases, held: QueueItem
) -> None:
    editor = editor_of(window)
    editor.title_field.setText("Something else")
    editor.move_to_step(1)  # the current row (flour) to step 2 by the menu's action
    type_into_cell(qtbot, editor, 1, AMOUNT, "1")
    assert editor.dirty
    editor.discard_button.setFocus()
    qtbot.keyClick(editor.discard_button, Qt.Key.Key_Space)
    assert not editor.dirty
    assert editor.title_field.text() == "Lemon cake"
    assert editor.row_states()[1].cells == ("200", "g", "flour", "")
    item = manager.get(held.id)
    assert item is not None and item.waiting_for_review  # discarding sends nothing

    editor.approve_button.setFocus()
    qtbot.keyClick(editor.approve_button, Qt.Key.Key_Space)
    recipe = saved_recipe(qtbot, manager, fake, held.id)
    assert held.results.recipe is not None
    assert recipe.to_json() == Recipe.from_json(held.results.recipe).to_json()  # as parsed
    stored = manager.get(held.id)
    assert stored is not None
    assert any(entry.message == "Approved." for entry in stored.log)


def test_an_update_of_the_shown_item_keeps_the_edits(
    qtbot: Any, window: MainWindow, held: QueueItem
) -> None:
    editor = editor_of(window)
    editor.title_field.setText("My title")
    item = window.model.item(held.id)
    assert item is not None
    window.details.show_item(item)  # e.g. a log line was added to the item
    assert editor.title_field.text() == "My title" and editor.dirty


def test_times_and_keywords_are_edited_and_a_bad_time_is_said_at_its_field(
    qtbot: Any, window: MainWindow, manager: QueueManager, fake: FakePhases, held: QueueItem
) -> None:
    editor = editor_of(window)
    assert (editor.working_field.text(), editor.waiting_field.text()) == ("15", "")
    assert editor.keywords_field.text() == "cake, lemon"
    editor.waiting_field.setText("an hour")
    editor.keywords_field.setText("cake, #baking, , citrus")
    assert editor.approve() is False
    assert editor.waiting_problem.isVisibleTo(editor)
    assert editor.waiting_problem.text() == ("“an hour” is not a number of minutes (write e.g. 45)")
    assert QApplication.focusWidget() is editor.waiting_field
    editor.waiting_field.setText("60")
    assert editor.approve() is True
    recipe = saved_recipe(qtbot, manager, fake, held.id)
    assert (recipe.working_time, recipe.waiting_time) == (15, 60)
    assert recipe.keywords == ["cake", "baking", "citrus"]


def test_an_ingredient_is_added_and_removed_by_keyboard(
    qtbot: Any, window: MainWindow, manager: QueueManager, fake: FakePhases, held: QueueItem
) -> None:
    editor = editor_of(window)
    editor.rows.setFocus()
    editor.select_row(BUTTER)
    qtbot.keyClick(editor.rows, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert [s.cells[FOOD] for s in editor.row_states() if s.kind == "ingredient"] == [
        "flour",
        "eggs",
        "sugar",
    ]
    editor.select_row(SUGAR)
    qtbot.keyClick(editor.rows, Qt.Key.Key_Insert, Qt.KeyboardModifier.ControlModifier)
    assert (editor.rows.currentRow(), editor.rows.currentColumn()) == (SUGAR + 1, FOOD)
    type_into_cell(qtbot, editor, SUGAR + 1, FOOD, "lemon zest")
    type_into_cell(qtbot, editor, SUGAR + 1, AMOUNT, "1")
    assert editor.rows.verticalHeaderItem(SUGAR + 1).text() == "?"  # not in the post
    qtbot.keyClick(editor.rows, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    recipe = saved_recipe(qtbot, manager, fake, held.id)
    first, second = recipe.steps
    assert [(i.food, i.amount) for i in first.ingredients][-1] == ("lemon zest", 1)
    assert first.ingredients[-1].source is None
    assert second.ingredients == []
