"""Where the LLM's lines came from: each ingredient and step is located in the post's text.

Through the fake server: a faithful answer, an answer with a line that is not in the caption, one
whose amount is not in its line, and one with nothing from the caption at all.
"""

from __future__ import annotations

import copy
from typing import Any

from instarecipe_desktop.core.phases import Extraction
from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.core.review import review_reason, source_lines
from instarecipe_desktop.pipeline.parsing.llm.mapping import NOT_IN_POST
from tests.fakes.fake_llm import SAMPLE_RECIPE, FakeLLM
from tests.parsing.llm.conftest import CAPTION, POST_URL, MakeParser, RecordingContext


def answer_with(**changes: Any) -> dict[str, Any]:
    """SAMPLE_RECIPE with ``changes`` applied: ``ingredient_S_I={...}`` updates that row."""
    answer = copy.deepcopy(SAMPLE_RECIPE)
    for key, value in changes.items():
        _, step, index = key.split("_")
        answer["steps"][int(step)]["ingredients"][int(index)].update(value)
    return answer


async def parse(make_parser: MakeParser, ctx: RecordingContext, text: str = CAPTION) -> Recipe:
    extraction = Extraction(text=text, post={"url": POST_URL})
    return (await make_parser().parse(ctx, extraction)).recipe


def shown(text: str, recipe: Recipe) -> list[str | None]:
    spans = [i.source for i in recipe.ingredients]
    return [text[s.start : s.end] if s is not None else None for s in spans]


async def test_every_line_of_a_faithful_answer_is_found_in_the_caption(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    recipe = await parse(make_parser, ctx)

    assert shown(CAPTION, recipe) == [
        "• 60 g butter, half melted into the batter, the rest for frying",
        "For the batter:",
        "• 1 1/2 cups flour",
        "• 2 tbsp sugar",
        "• 1 1/4 cups milk",
        "• 2 eggs",
        "• 60 g butter, half melted into the batter, the rest for frying",
        "Salt to taste",  # the answer wrote "salt to taste": case does not matter
    ]
    steps = [CAPTION[s.source.start : s.source.end] for s in recipe.steps if s.source]
    assert steps == ["Melt the butter.", "Whisk everything", "fry in the rest of the butter."]
    assert recipe.uncertain_reasons == []
    # 30 g + 30 g from "60 g butter": a split the text asks for, not an invented amount
    assert review_reason(recipe, CAPTION, "uncertain") is None


async def test_a_line_that_is_not_in_the_caption_is_inferred_and_holds_the_recipe(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.configure(
        answer=answer_with(
            ingredient_1_2={
                "originalText": "1 tsp vanilla",
                "food": "vanilla",
                "amount": 1,
                "unit": "tsp",
            }
        )
    )
    recipe = await parse(make_parser, ctx)

    vanilla = recipe.steps[1].ingredients[2]
    assert vanilla.food == "vanilla" and vanilla.source is None  # inferred
    reason = review_reason(recipe, CAPTION, "uncertain")
    assert reason is not None and "“1 tsp vanilla” is not in the post" in reason
    lines = {line["path"]: line for line in source_lines(recipe.to_json(), CAPTION)}
    assert lines["$.steps[1].ingredients[2]"]["inferred"] is True
    assert lines["$.steps[1].ingredients[3]"]["inferred"] is False


async def test_an_amount_that_is_not_in_its_line_is_flagged(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.configure(answer=answer_with(ingredient_1_4={"amount": 3}))  # "2 eggs"
    recipe = await parse(make_parser, ctx)

    eggs = recipe.steps[1].ingredients[4]
    assert eggs.source is not None and CAPTION[eggs.source.start : eggs.source.end] == "• 2 eggs"
    reason = review_reason(recipe, CAPTION, "uncertain")
    assert (
        reason
        == "Please check it before it is saved: the amount of “3 eggs” is not in its line of the post."
    )
    flags = {
        line["path"]: line["amountNotInLine"]
        for line in source_lines(recipe.to_json(), CAPTION)
        if line["kind"] == "ingredient"
    }
    assert [path for path, flagged in flags.items() if flagged] == ["$.steps[1].ingredients[4]"]


async def test_split_amounts_that_do_not_add_up_are_flagged(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.configure(answer=answer_with(ingredient_0_0={"amount": 40}))  # 40 + 30 != 60
    recipe = await parse(make_parser, ctx)

    reason = review_reason(recipe, CAPTION, "uncertain") or ""
    assert "“40 g butter” is not in its line" in reason
    assert "“30 g butter” is not in its line" in reason


async def test_step_quotes_are_found_despite_spacing_case_and_bullets(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    answer = copy.deepcopy(SAMPLE_RECIPE)
    answer["steps"][0]["sourceLine"] = "  MELT   the butter "
    answer["steps"][1]["sourceLine"] = None  # no quote: the instruction is looked for
    answer["steps"][1]["instruction"] = "Whisk everything"
    answer["steps"][2]["sourceLine"] = "Flip them twice."  # not in the post
    answer["steps"][2]["instruction"] = "Flip them twice."
    fake_llm.configure(answer=answer)
    recipe = await parse(make_parser, ctx)

    first, second, third = (s.source for s in recipe.steps)
    assert first is not None and CAPTION[first.start : first.end] == "Melt the butter."
    assert second is not None and CAPTION[second.start : second.end] == "Whisk everything"
    assert third is None


async def test_an_answer_with_nothing_from_the_post_is_uncertain(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    text = "Sunday brunch with friends, pancakes all round! Recipe coming soon."
    recipe = await parse(make_parser, ctx, text)

    assert all(i.source is None for i in recipe.ingredients)
    assert recipe.uncertain_reasons == [NOT_IN_POST]
    reason = review_reason(recipe, text, "uncertain")
    assert reason is not None and "none of its lines could be found" in reason
