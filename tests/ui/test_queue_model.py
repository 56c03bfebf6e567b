"""The queue table model: Qt's model tester, and engine events becoming the right row signals."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from instarecipe_desktop.core.items import (
    ItemError,
    ItemStatus,
    PhaseStatus,
    QueueEvent,
    QueueEventType,
    QueueItem,
)
from instarecipe_desktop.ui.queue_filter import QueueFilter, QueueFilterProxy
from instarecipe_desktop.ui.queue_model import Column, ItemRole, QueueTableModel
from tests.ui.conftest import post_url


def make_item(n: int, status: ItemStatus = ItemStatus.PENDING, **post: Any) -> QueueItem:
    item = QueueItem(url=post_url(n), shortcode=f"CODE{n}xyz", status=status)
    if post:
        item.post = dict(post)
    return item


class Spy:
    """Records the model's row signals."""

    def __init__(self, model: QueueTableModel) -> None:
        self.events: list[tuple[str, int, int]] = []
        model.rowsInserted.connect(lambda _p, a, b: self.events.append(("inserted", a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.events.append(("removed", a, b)))
        model.dataChanged.connect(
            lambda tl, br, _roles=(): self.events.append(("changed", tl.row(), br.row()))
        )
        model.modelReset.connect(lambda: self.events.append(("reset", -1, -1)))


@pytest.fixture
def model(qapp: Any) -> QueueTableModel:
    model = QueueTableModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    return model


def test_model_passes_the_model_tester_through_adds_updates_and_removals(
    model: QueueTableModel,
) -> None:
    items = [make_item(n) for n in range(5)]
    model.set_items(items)
    for n in range(5, 9):
        model.apply_event(QueueEvent.of(QueueEventType.ADDED, make_item(n)))
    changed = items[2].clone()
    changed.status = ItemStatus.IN_PROGRESS
    model.apply_event(QueueEvent.of(QueueEventType.UPDATED, changed))
    model.apply_event(QueueEvent.of(QueueEventType.REMOVED, items[0]))
    model.flush()
    assert model.rowCount() == 8
    # newest first
    assert model.index(0, Column.TITLE).data() == post_url(8)
    assert model.index(model.rowCount() - 1, Column.TITLE).data() == post_url(1)


def test_update_event_changes_only_its_row_and_never_resets(model: QueueTableModel) -> None:
    items = [make_item(n) for n in range(10)]
    model.set_items(items)
    spy = Spy(model)
    updated = items[3].clone()
    updated.status = ItemStatus.SUCCESS
    updated.results.recipe = {"name": "Stovetop Meatballs", "steps": []}
    model.apply_event(QueueEvent.of(QueueEventType.UPDATED, updated))
    model.flush()
    row = model.row_of(items[3].id)
    assert row == 6  # oldest-first index 3 of 10 -> view row 6
    assert spy.events == [("changed", row, row)]
    assert model.index(row, Column.TITLE).data() == "Stovetop Meatballs"
    assert model.index(row, Column.STATUS).data() == "Saved"


def test_burst_of_progress_updates_is_one_change_per_row(model: QueueTableModel) -> None:
    items = [make_item(n) for n in range(3)]
    model.set_items(items)
    spy = Spy(model)
    for percent in range(0, 100, 10):
        item = items[1].clone()
        item.phases[0].status = PhaseStatus.IN_PROGRESS
        item.phases[0].progress = percent
        model.apply_event(QueueEvent.of(QueueEventType.UPDATED, item))
    model.flush()
    assert spy.events == [("changed", 1, 1)]
    assert model.item_at(1).phases[0].progress == 90


def test_added_rows_are_inserted_at_the_top_and_removed_rows_removed(
    model: QueueTableModel,
) -> None:
    items = [make_item(n) for n in range(3)]
    model.set_items(items)
    spy = Spy(model)
    model.apply_event(QueueEvent.of(QueueEventType.ADDED, make_item(3)))
    model.apply_event(QueueEvent.of(QueueEventType.ADDED, make_item(4)))
    model.flush()
    assert spy.events == [("inserted", 0, 1)]
    spy.events.clear()
    model.apply_event(QueueEvent.of(QueueEventType.REMOVED, items[1]))
    model.flush()
    assert spy.events == [("removed", 3, 3)]
    assert [model.item_at(r).url for r in range(model.rowCount())] == [
        post_url(4),
        post_url(3),
        post_url(2),
        post_url(0),
    ]


def test_item_added_and_removed_within_one_frame_never_appears(model: QueueTableModel) -> None:
    model.set_items([])
    spy = Spy(model)
    item = make_item(1)
    model.apply_event(QueueEvent.of(QueueEventType.ADDED, item))
    model.apply_event(QueueEvent.of(QueueEventType.UPDATED, item))
    model.apply_event(QueueEvent.of(QueueEventType.REMOVED, item))
    model.flush()
    assert spy.events == []
    assert model.rowCount() == 0


def test_columns_show_author_and_destination(model: QueueTableModel) -> None:
    item = make_item(1, ItemStatus.SUCCESS, author="chef_anna")
    item.destination = "tandoor"
    model.set_items([item])
    assert model.index(0, Column.AUTHOR).data() == "@chef_anna"
    assert model.index(0, Column.DESTINATION).data() == "Tandoor"
    assert model.index(0, Column.UPDATED).data() == "just now"
    assert model.index(0, 0).data(ItemRole).id == item.id


def test_filter_and_search(qapp: Any) -> None:
    model = QueueTableModel()
    proxy = QueueFilterProxy()
    proxy.setSourceModel(model)
    QAbstractItemModelTester(proxy, QAbstractItemModelTester.FailureReportingMode.Fatal)
    done = make_item(1, ItemStatus.SUCCESS, author="chef_anna")
    done.results.recipe = {"name": "Lemon Pasta", "steps": []}
    failed = make_item(2, ItemStatus.ERROR)
    failed.error = ItemError(message="The post is private or was deleted.")
    retrying = make_item(3, ItemStatus.UNHEALTHY)
    waiting = make_item(4, ItemStatus.PENDING, author="bob")
    model.set_items([done, failed, retrying, waiting])

    def shown() -> set[str]:
        return {proxy.index(r, 0).data(ItemRole).id for r in range(proxy.rowCount())}

    assert shown() == {done.id, failed.id, retrying.id, waiting.id}
    proxy.set_queue_filter(QueueFilter.ACTIVE)
    assert shown() == {retrying.id, waiting.id}
    proxy.set_queue_filter(QueueFilter.DONE)
    assert shown() == {done.id}
    proxy.set_queue_filter(QueueFilter.FAILED)
    assert shown() == {failed.id, retrying.id}
    proxy.set_queue_filter(QueueFilter.ALL)
    proxy.set_search_text("lemon")
    assert shown() == {done.id}
    proxy.set_search_text("ANNA pasta")
    assert shown() == {done.id}
    proxy.set_search_text("private")
    assert shown() == {failed.id}
    proxy.set_search_text("@bob")
    assert shown() == {waiting.id}
    # a row leaves the Active filter when it finishes
    proxy.set_search_text("")
    proxy.set_queue_filter(QueueFilter.ACTIVE)
    finished = waiting.clone()
    finished.status = ItemStatus.SUCCESS
    model.apply_event(QueueEvent.of(QueueEventType.UPDATED, finished))
    model.flush()
    assert shown() == {retrying.id}


def test_a_held_item_reads_ready_for_review_and_has_its_own_filter(qapp: Any) -> None:
    model = QueueTableModel()
    proxy = QueueFilterProxy()
    proxy.setSourceModel(model)
    held = make_item(1)
    held.awaiting_review = True
    held.review_reason = "Please check it before it is saved: unsure."
    waiting = make_item(2)
    model.set_items([held, waiting])
    status = {
        model.index(r, Column.STATUS).data(ItemRole).id: model.index(r, Column.STATUS).data()
        for r in range(model.rowCount())
    }
    assert status == {held.id: "Ready for review", waiting.id: "Waiting"}
    proxy.set_queue_filter(QueueFilter.REVIEW)
    assert [proxy.index(r, 0).data(ItemRole).id for r in range(proxy.rowCount())] == [held.id]
    approved = held.clone()
    approved.awaiting_review = False
    model.apply_event(QueueEvent.of(QueueEventType.UPDATED, approved))
    model.flush()
    assert proxy.rowCount() == 0


def test_flash_tints_the_row(model: QueueTableModel) -> None:
    items = [make_item(n) for n in range(2)]
    model.set_items(items)
    assert model.index(0, 1).data(Qt.ItemDataRole.BackgroundRole) is None
    model.flash(items[1].id)
    assert model.index(0, 1).data(Qt.ItemDataRole.BackgroundRole) is not None
    model.flash(None)
    assert model.index(0, 1).data(Qt.ItemDataRole.BackgroundRole) is None


def test_older_pages_go_below_and_updates_of_unloaded_items_wait_for_their_page(
    model: QueueTableModel,
) -> None:
    items = [make_item(n) for n in range(10)]  # oldest first
    model.set_items(items[7:])
    model.loading_older = True
    spy = Spy(model)
    stale = items[2].clone()
    stale.status = ItemStatus.IN_PROGRESS
    model.apply_event(QueueEvent.of(QueueEventType.UPDATED, stale))  # not loaded yet: dropped
    model.apply_event(QueueEvent.of(QueueEventType.ADDED, make_item(10)))  # new: on top
    model.flush()
    assert spy.events == [("inserted", 0, 0)]
    page = list(reversed(items[2:8]))  # newest first, overlapping one loaded item
    assert model.append_older(page) == 5
    model.loading_older = False
    assert spy.events[-1] == ("inserted", 4, 8)
    assert [model.item_at(r).url for r in range(model.rowCount())] == [
        post_url(n) for n in (10, 9, 8, 7, 6, 5, 4, 3, 2)
    ]
    assert model.item_at(8).status == ItemStatus.PENDING  # the page's state, not the dropped one
