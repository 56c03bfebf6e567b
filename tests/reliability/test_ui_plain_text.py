"""Captions, titles and error texts are data: shown as plain text everywhere in the window
(Qt labels and tooltips auto-detect rich text), never rendered, never fetched. Extremely long,
empty and emoji-only captions are shown as they are."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QWidget

from instarecipe_desktop.core.items import (
    ErrorKind,
    ItemError,
    ItemStatus,
    PhaseName,
    PhaseStatus,
    QueueItem,
)
from instarecipe_desktop.ui.actions import AppActions
from instarecipe_desktop.ui.details_pane import DetailsPane
from tests.reliability.hostile_server import Answer, HostileServer


def hostile(url: str) -> str:
    return (
        f'<img src="{url}/pixel.png"><a href="{url}/click">click</a> <b>bold</b>'
        f"<script>alert(1)</script><h1>BIG</h1>&amp; <table><tr><td>x</td></tr></table>"
        f"<qt><font color=red>red</font></qt> \u202egnp.exe"
    )


def item_with(text: str, *, error: bool = False) -> QueueItem:
    item = QueueItem(url="https://www.instagram.com/p/HTML0001/", shortcode="HTML0001")
    item.phase(PhaseName.EXTRACTION).status = PhaseStatus.COMPLETED
    item.results.extracted_text = text
    item.post = {"author": text[:200], "caption": text}
    item.results.recipe = {
        "name": text[:500],
        "description": text,
        "keywords": [text[:50]],
        "servingsText": text[:40],
        "steps": [
            {
                "name": text[:60],
                "instruction": text,
                "ingredients": [
                    {
                        "food": text[:80],
                        "note": text[:80],
                        "unit": text[:10],
                        "amount": 1,
                        "originalText": text,
                    }
                ],
            }
        ],
    }
    if error:
        item.status = ItemStatus.ERROR
        item.error = ItemError(
            message="Tandoor refused the data: name: " + text,
            kind=ErrorKind.PERMANENT,
            phase=PhaseName.UPLOADING,
            suggestion=text,
            code="tandoor_validation",
            details=text,
        )
    else:
        item.status = ItemStatus.SUCCESS
    return item


def rich_labels(widget: QWidget) -> list[str]:
    """Labels that would interpret their text as markup."""
    found = []
    for label in widget.findChildren(QLabel):
        if (
            label.text()
            and label.textFormat() != Qt.TextFormat.PlainText
            and QtGui.mightBeRichText(label.text())
        ):
            found.append(label.text()[:80])
    return found


def test_details_pane_shows_markup_as_text_and_fetches_nothing(qtbot: Any) -> None:
    with HostileServer(lambda r: Answer(200, b"GIF89a")) as tracker:
        text = hostile(tracker.url())
        pane = DetailsPane(AppActions())
        qtbot.addWidget(pane)
        pane.show()
        for item in (item_with(text), item_with(text, error=True)):
            pane.show_item(item)
            qtbot.waitExposed(pane)
            pane.repaint()
            assert rich_labels(pane) == []
            assert pane.text_view.toPlainText() == text
            shown = pane.recipe_view.toPlainText()
            assert '<img src="' in shown and "<script>" in shown  # as text, not as markup
            html = pane.recipe_view.toHtml()
            assert "<img" not in html and "<script" not in html
            labels = {label.text() for label in pane.findChildren(QLabel)}
            assert any(text[:500] in t for t in labels)  # the title, verbatim
        pane.tabs.setCurrentWidget(pane.recipe_view)
        pane.repaint()
    assert tracker.requests == []  # no image, link or anything else was fetched


def test_queue_table_tooltips_and_cells_are_plain(qtbot: Any) -> None:
    from instarecipe_desktop.ui.queue_model import Column, QueueTableModel

    text = hostile("http://127.0.0.1:9")
    items = [item_with(text, error=True), item_with(text)]
    model = QueueTableModel()
    model.set_items(items)
    originals = {item.url for item in items} | {i.error.message for i in items if i.error}
    shown = 0
    for row in range(model.rowCount()):
        for column in Column:
            index = model.index(row, int(column))
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str) and tip:
                assert as_qt_shows_it(tip) in originals, tip[:200]
                shown += 1
    assert shown >= 3  # the error tooltip was among them


def as_qt_shows_it(tip: str) -> str:
    """What a tooltip displays: Qt renders it as rich text when it looks like markup."""
    document = QTextDocument()
    if QtGui.mightBeRichText(tip):
        document.setHtml(tip)
    else:
        document.setPlainText(tip)
    return document.toPlainText().replace("\xa0", " ")


@pytest.mark.parametrize(
    "caption",
    ["", " ", "🥞🍳🔥" * 20, "x" * 200_000, "line\n" * 20_000, "\u202e\u200f\u0000\x1b[31m"],
)
def test_extreme_captions_are_shown_as_they_are(qtbot: Any, caption: str) -> None:
    pane = DetailsPane(AppActions())
    qtbot.addWidget(pane)
    item = item_with(caption)
    pane.show_item(item)
    assert (
        pane.text_view.toPlainText() == caption.replace("\u0000", "\ufffd")
        or pane.text_view.toPlainText() == caption
    )
    assert rich_labels(pane) == []
