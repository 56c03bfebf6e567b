"""Telling recipes from other posts: precision matters (a travel post is not a recipe)."""

from __future__ import annotations

from pathlib import Path

import pytest

from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.core.items import ErrorKind
from instarecipe_desktop.pipeline.parsing.offline import NO_RECIPE_MESSAGE, parse_caption

from .conftest import FIXTURES, load_labels

NOT_RECIPES = [
    "",
    "   \n\n  ",
    "#food #yum #recipe",
    'Comment "Recipe" and I\'ll shoot you a DM! 🙌\n\n#onepotmeal #quickrecipe',
    "Full recipe link in bio :)\n\n#japanesefood #egg",
    "3 Life-Changing Products You Must Buy at Don Quijote\n\n1 Suitcase\nThis will "
    "revolutionize your trip.\n2 Eye drops\n3 Snacks",
    "$15 onsen at the Tokyo Toyosu Manyo Club in Tokyo, Japan ♨️🇯🇵\n\n#thingstodointokyo",
    "Best beautiful view of Kyoto !!\n\n1.Kifune Shrine\n2.Otagi Nenbutsuji Temple\n3.Eikando",
    "Price: ¥1,100 or USD7 for 45mins foot bath OR ¥2,200 for 45mins plus massage",
    "Kommentiere „Kuchen“ und wir senden dir das Rezept per DM! Das Rezept landet in nur "
    "25 Minuten im Ofen ⏰",
    "Macros per serving\nProtein: 49g\nCarbs: 60g\nFat: 14g\nCalories: 572",
    "Japan trip essentials ✈️\n\nWhat you need for Japan:\n- Suica card\n- Pocket wifi\n"
    "- 2 power adapters\n- Cash\n\nHow to:\n1. Take the train to Shinjuku.\n2. Buy a ticket.",
]


@pytest.mark.parametrize("text", NOT_RECIPES)
def test_not_a_recipe(text: str) -> None:
    with pytest.raises(PermanentError) as caught:
        parse_caption(text)
    error = caught.value
    assert error.code == "no_recipe"
    assert error.message == NO_RECIPE_MESSAGE
    assert error.kind is ErrorKind.PERMANENT
    assert error.suggestion


def _labelled(folder: Path, has_recipe: bool) -> list[str]:
    return [label["file"] for label in load_labels(folder) if label["has_recipe"] is has_recipe]


@pytest.mark.parametrize("name", _labelled(FIXTURES, False))
def test_labelled_non_recipes_from_the_pool(name: str) -> None:
    with pytest.raises(PermanentError):
        parse_caption((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", _labelled(FIXTURES, True))
def test_labelled_recipes_from_the_pool(name: str) -> None:
    recipe = parse_caption((FIXTURES / name).read_text(encoding="utf-8"))
    assert recipe.name
    assert any(not i.is_header for i in recipe.ingredients)


def test_dev_set_detection(test_data_dir: Path) -> None:
    folder = test_data_dir / "eval" / "captions-dev"
    for label in load_labels(folder):
        text = (folder / label["file"]).read_text(encoding="utf-8")
        try:
            parse_caption(text)
            said_recipe = True
        except PermanentError:
            said_recipe = False
        assert said_recipe is label["has_recipe"], label["file"]


def test_a_quantity_free_list_needs_a_header() -> None:
    listing = "Things I packed\n\nsunscreen\nhat\nsnacks\nwater bottle\n"
    with pytest.raises(PermanentError):
        parse_caption(listing)
    recipe = parse_caption(
        "Dip\n\nIngredients:\ncherry tomatoes\nolive oil\nsalt\n\n"
        "Method:\nRoast everything for 20 minutes."
    )
    assert [i.food for i in recipe.ingredients] == ["cherry tomatoes", "olive oil", "salt"]


def test_a_headless_list_of_measures_is_a_recipe() -> None:
    recipe = parse_caption(
        "Old Fashioned 🥃\n\n2 oz bourbon\n1/4 oz syrup\n3 dashes bitters\n"
        "Orange peel\n\nStir with ice and strain."
    )
    assert [(i.amount, i.unit) for i in recipe.ingredients] == [
        (2, "oz"),
        (0.25, "oz"),
        (3, "dash"),
        (None, None),
    ]
    assert recipe.steps[0].instruction == "Stir with ice and strain."


def test_inline_amounts_in_method_lines_without_a_list() -> None:
    text = FIXTURES.parent / "fixtures" / "dev30_ofenpfannkuchen.txt"
    recipe = parse_caption(text.read_text(encoding="utf-8"))
    rows = [(i.amount, i.unit, i.food) for i in recipe.ingredients]
    assert (300, "g", "Magerquark") in rows
    assert (2, None, "Eier") in rows
    assert len(recipe.steps) == 5
