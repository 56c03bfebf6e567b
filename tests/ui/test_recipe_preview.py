"""The recipe preview of the details pane: escaped, and readable."""

from __future__ import annotations

from typing import Any

from instarecipe_desktop.core.recipe import Ingredient, Recipe, Step
from instarecipe_desktop.ui.recipe_preview import recipe_html


def test_preview_escapes_caption_markup_and_states_servings_once(qapp: Any) -> None:
    recipe = Recipe(
        name="<img src=http://x/a.png> Pasta",
        servings=2,
        servings_text="Serves 2",
        steps=[
            Step(
                "Boil <b>it</b>.",
                [Ingredient("pasta", 200, "g"), Ingredient("salt", note="to taste")],
            )
        ],
    )
    html = recipe_html(recipe.to_json())
    assert "<img" not in html and "&lt;img src=http://x/a.png&gt;" in html
    assert "<b>it</b>" not in html
    assert "Servings: Serves 2" in html
    assert "200 g pasta" in html and "salt <i>(to taste)</i>" in html


def test_servings_without_the_number_in_words_keep_both(qapp: Any) -> None:
    html = recipe_html(Recipe(name="Soup", servings=4, servings_text="portions").to_json())
    assert "Servings: 4 portions" in html
