"""The review step in the engine: which parses wait for the person, and approving them."""

from __future__ import annotations

from typing import Any

from instarecipe_desktop.core.items import ItemStatus, PhaseName, PhaseStatus
from instarecipe_desktop.core.recipe import Ingredient, Recipe, SourceSpan, Step
from tests.core.conftest import code, post_url
from tests.support.fake_phases import FakePhases

CAPTION = "Pancakes\n- 200 g flour\n- 2 eggs\nMix and fry."


def spanned_recipe(flour_amount: float = 200, reasons: list[str] | None = None) -> dict[str, Any]:
    """A recipe whose lines point into CAPTION, as a parser with provenance gives it."""
    flour = CAPTION.index("200 g flour")
    eggs = CAPTION.index("2 eggs")
    method = CAPTION.index("Mix and fry.")
    return Recipe(
        name="Pancakes",
        steps=[
            Step(
                "Mix and fry.",
                [
                    Ingredient("flour", flour_amount, "g", source=SourceSpan(flour, flour + 11)),
                    Ingredient("eggs", 2, source=SourceSpan(eggs, eggs + 6)),
                ],
                source=SourceSpan(method, method + 12),
            )
        ],
        uncertain_reasons=list(reasons or []),
    ).to_json()


def scripted(recipe: dict[str, Any], n: int = 1) -> FakePhases:
    return FakePhases(items={code(n): {"text": CAPTION, "recipe": recipe}})


async def test_always_holds_every_recipe_before_uploading(manager_factory) -> None:
    fake = FakePhases()
    async with manager_factory(fake, REVIEW_BEFORE_SAVING="always") as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await manager.wait_until_idle()  # returns: a held item waits for the person
        item = manager.get(item_id)
        assert item.status is ItemStatus.PENDING
        assert item.awaiting_review and item.waiting_for_review
        assert "REVIEW_BEFORE_SAVING=always" in item.review_reason
        assert item.phase(PhaseName.PARSING).status is PhaseStatus.COMPLETED
        assert item.phase(PhaseName.UPLOADING).status is PhaseStatus.PENDING
        assert fake.count("uploading") == 0
        data = item.to_json()
        assert data["awaitingReview"] is True and data["reviewReason"] == item.review_reason
        assert manager.review_count == 1


async def test_approving_as_edited_uploads_the_edit(manager_factory) -> None:
    fake = FakePhases()
    async with manager_factory(fake, REVIEW_BEFORE_SAVING="always") as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await manager.wait_until_idle()
        edited = Recipe.from_json(manager.get(item_id).results.recipe)
        edited.name = "Grandma's bread"
        edited.steps[0].ingredients[0].amount = 250
        result = await manager.approve(item_id, edited)
        assert result.success, result.message
        await manager.wait_until_idle()
        item = manager.get(item_id)
        assert item.status is ItemStatus.SUCCESS and not item.awaiting_review
        assert item.review_reason is None
        assert [r.name for r in fake.uploaded] == ["Grandma's bread"]
        assert fake.uploaded[0].steps[0].ingredients[0].amount == 250
        assert any(e.message == "Approved with your changes." for e in item.log)


async def test_approve_is_refused_for_an_item_that_is_not_waiting(manager_factory) -> None:
    fake = FakePhases()
    async with manager_factory(fake) as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await manager.wait_until_idle()
        before = manager.get(item_id).to_json()
        result = await manager.approve(item_id, Recipe(name="Other", steps=[Step("x")]))
        assert not result.success
        assert "already been saved" in result.message
        assert manager.get(item_id).to_json() == before
        assert (await manager.approve("no-such-id")).message == "No such item."


async def test_default_holds_an_uncertain_parse_and_saves_a_sure_one(manager_factory) -> None:
    fake = FakePhases(
        items={
            code(1): {"text": CAPTION, "recipe": spanned_recipe(reasons=["maybe not a recipe"])},
            code(2): {"text": CAPTION, "recipe": spanned_recipe()},
        }
    )
    async with manager_factory(fake) as manager:
        held = (await manager.enqueue(post_url(1))).item.id
        saved = (await manager.enqueue(post_url(2))).item.id
        await manager.wait_until_idle()
        assert manager.get(held).waiting_for_review
        assert "maybe not a recipe" in manager.get(held).review_reason
        assert manager.get(saved).status is ItemStatus.SUCCESS
        assert [i.id for i in manager.page(awaiting_review=True).items] == [held]
        assert manager.page(awaiting_review=True).total == 1


async def test_default_holds_an_amount_that_is_not_in_its_line(manager_factory) -> None:
    async with manager_factory(scripted(spanned_recipe(flour_amount=500))) as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await manager.wait_until_idle()
        item = manager.get(item_id)
        assert item.waiting_for_review
        assert "500 g flour" in item.review_reason and "not in its line" in item.review_reason


async def test_never_saves_even_an_uncertain_parse(manager_factory) -> None:
    fake = scripted(spanned_recipe(flour_amount=500, reasons=["unsure"]))
    async with manager_factory(fake, REVIEW_BEFORE_SAVING="never") as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await manager.wait_until_idle()
        assert manager.get(item_id).status is ItemStatus.SUCCESS
        assert fake.count("uploading") == 1


async def test_a_held_item_is_still_held_after_a_restart(manager_factory) -> None:
    fake = FakePhases()
    async with manager_factory(fake, REVIEW_BEFORE_SAVING="always") as manager:
        item_id = (await manager.enqueue(post_url(1))).item.id
        await manager.wait_until_idle()
    again = FakePhases()
    async with manager_factory(again, REVIEW_BEFORE_SAVING="never") as manager:
        await manager.wait_until_idle()
        assert manager.get(item_id).waiting_for_review
        assert again.count("uploading") == 0
        assert (await manager.approve(item_id)).success
        await manager.wait_until_idle()
        assert manager.get(item_id).status is ItemStatus.SUCCESS
        assert again.count("parsing") == 0 and again.count("uploading") == 1


async def test_held_items_do_not_block_the_rest_of_the_queue(manager_factory) -> None:
    fake = FakePhases(
        items={code(1): {"text": CAPTION, "recipe": spanned_recipe(reasons=["unsure"])}}
    )
    async with manager_factory(fake, QUEUE_CONCURRENCY="1") as manager:
        held = (await manager.enqueue(post_url(1))).item.id
        others = [(await manager.enqueue(post_url(n))).item.id for n in (2, 3)]
        await manager.wait_until_idle()
        assert manager.get(held).waiting_for_review
        assert [manager.get(i).status for i in others] == [ItemStatus.SUCCESS] * 2
        assert "review" in (await manager.retry(held)).message


async def test_cancelling_or_parsing_again_ends_the_wait(manager_factory) -> None:
    fake = FakePhases()
    async with manager_factory(fake, REVIEW_BEFORE_SAVING="always") as manager:
        first = (await manager.enqueue(post_url(1))).item.id
        second = (await manager.enqueue(post_url(2))).item.id
        await manager.wait_until_idle()
        assert (await manager.cancel(first)).success
        cancelled = manager.get(first)
        assert cancelled.status is ItemStatus.ERROR and not cancelled.awaiting_review
        manager.settings._environ["REVIEW_BEFORE_SAVING"] = "never"
        await manager.reprocess(second, PhaseName.PARSING)
        await manager.wait_until_idle()
        assert manager.get(second).status is ItemStatus.SUCCESS
        assert manager.review_count == 0
