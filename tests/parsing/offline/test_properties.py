"""Robustness: arbitrary text never raises anything but the no-recipe error; the whole pool of
real captions parses; what comes out is valid Recipe JSON in caption order."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.pipeline.parsing.offline import parse_caption

LINES = st.sampled_from(
    [
        "Ingredients:",
        "Zutaten",
        "材料",
        "Method",
        "Zubereitung:",
        "1. Mix well.",
        "1️⃣ Bake.",
        "① 混ぜる",
        "- 1 1/2 cups flour",
        "• 2 EL Öl",
        "½ tsp salt",
        "200g Zucker",
        "salt to taste",
        "For the sauce:",
        "TOP WITH-",
        "#tag #tag2",
        "link in bio",
        "Macros",
        "Protein: 20g",
        "",
        "🔥🔥",
        "1-2",
        "(",
        ")",
        "3 eggs",
        "大さじ１",
        "Serves 4",
        "For serving: a, b, c",
    ]
)
CAPTION = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(LINES, st.text(max_size=30)), max_size=25).map("\n".join),
)


def check(text: str) -> None:
    try:
        recipe = parse_caption(text)
    except PermanentError as exc:
        assert exc.code == "no_recipe"
        return
    data = json.loads(json.dumps(recipe.to_json()))
    assert Recipe.from_json(data).to_json() == data
    assert recipe.name
    assert recipe.steps
    for ingredient in recipe.ingredients:
        assert ingredient.is_header or ingredient.food
        assert ingredient.amount is None or ingredient.amount >= 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CAPTION)
def test_never_raises_anything_but_no_recipe(text: str) -> None:
    check(text)


def test_the_whole_pool_parses_and_keeps_caption_order(test_data_dir: Path) -> None:
    accepted = 0
    for line in (
        (test_data_dir / "eval" / "captions-pool.jsonl").read_text(encoding="utf-8").split("\n")
    ):
        if not line.strip():
            continue
        caption = json.loads(line).get("caption") or ""
        check(caption)
        try:
            recipe = parse_caption(caption)
        except PermanentError:
            continue
        accepted += 1
        # the union of the steps' ingredients follows the caption's order
        position = 0
        for ingredient in recipe.ingredients:
            original = (ingredient.original_text or "").strip()
            if caption.find(original) < 0:
                continue  # normalised (full-width digits, keycaps): not findable verbatim
            found = caption.find(original, position)
            assert found >= 0, f"{original!r} is out of caption order"
            position = found
    assert 10 < accepted < 100  # a minority of these liked reels hold a recipe
