"""The person's own foods, units and keywords are reused: matched before the create, only what
is new is created, the item's log says what was; a setting turns it off."""

from __future__ import annotations

from pathlib import Path

from instarecipe_desktop.core.recipe import Ingredient, Recipe, Step
from instarecipe_desktop.pipeline.uploading.tandoor import TandoorUploader
from tests.fakes.fake_tandoor import FakeTandoor
from tests.uploading.conftest import make_context, make_extraction

OTHER_URL = "https://www.instagram.com/p/OTHERpost1/"


def _recipe(name: str = "Onion soup") -> Recipe:
    return Recipe(
        name=name,
        keywords=["Soups", "french"],
        steps=[
            Step(
                "Fry the onions.",
                [
                    Ingredient("Onions", 500, "g"),
                    Ingredient("Crème fraîche", 2, "tbsp"),
                    Ingredient("thyme", 1, "pinch"),
                ],
            ),
            Step("Simmer.", [Ingredient("onion", 1), Ingredient("stock", 1, "l")]),
        ],
    )


def _names(recipe: dict, kind: str) -> list[str]:  # type: ignore[type-arg]
    return [i[kind]["name"] for step in recipe["steps"] for i in step["ingredients"] if i.get(kind)]


def _space(tandoor: FakeTandoor) -> None:
    tandoor.add_food("onion")
    tandoor.add_food("creme fraiche")
    tandoor.add_unit("gram")
    tandoor.add_unit("EL", "EL")
    tandoor.add_keyword("Soup")


async def test_existing_names_are_reused_and_the_log_lists_the_new_ones(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    _space(tandoor)
    ctx = make_context(data_dir)
    await uploader.upload(ctx, _recipe(), make_extraction(data_dir))
    (saved,) = tandoor.recipes.values()
    assert _names(saved, "food") == ["onion", "creme fraiche", "thyme", "onion", "stock"]
    assert _names(saved, "unit") == ["gram", "EL", "pinch", "l"]
    assert sorted(k["name"] for k in saved["keywords"]) == ["Soup", "french"]
    # the space got only what is truly new
    assert sorted(tandoor.foods.items) == ["creme fraiche", "onion", "stock", "thyme"]
    assert sorted(tandoor.units.items) == ["el", "gram", "l", "pinch"]
    assert sorted(tandoor.keywords.items) == ["french", "soup"]
    lines = [message for _level, message in ctx.lines]
    assert any(
        "“Onions” → “onion”" in line and "“g” → “gram”" in line and "“tbsp” → “EL”" in line
        for line in lines
    ), lines
    new = next(line for line in lines if line.startswith("New in Tandoor:"))
    assert new == "New in Tandoor: foods “thyme”, “stock”; units “pinch”, “l”; keyword “french”."


async def test_names_are_read_once_per_run_and_again_on_a_miss(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    _space(tandoor)
    await uploader.upload(make_context(data_dir), _recipe(), make_extraction(data_dir))
    reads = len(tandoor.requests_to("GET", "/api/food/"))
    assert reads == 1
    # the second recipe's names are all known now (its own first create added them)
    ctx = make_context(data_dir, url=OTHER_URL, shortcode="OTHERpost1")
    await uploader.upload(
        ctx,
        _recipe("Onion soup again"),
        make_extraction(data_dir, post={"canonicalUrl": OTHER_URL}),
    )
    assert len(tandoor.requests_to("GET", "/api/food/")) == reads
    assert not any(m.startswith("New in Tandoor") for _l, m in ctx.lines)
    # someone else adds "leek" meanwhile; a recipe with "Leeks" reads the foods again
    tandoor.add_food("leek")
    uploader.space_names.refresh_s = 0.0
    third = Recipe(name="Leek soup", steps=[Step("Cook.", [Ingredient("Leeks", 2)])])
    third_url = "https://www.instagram.com/p/LEEKpost1/"
    await uploader.upload(
        make_context(data_dir, url=third_url, shortcode="LEEKpost1"),
        third,
        make_extraction(data_dir, post={"canonicalUrl": third_url}),
    )
    assert len(tandoor.requests_to("GET", "/api/food/")) == reads + 1
    (leek_soup,) = tandoor.recipes_with_source(third_url)
    assert _names(leek_soup, "food") == ["leek"]


async def test_many_pages_of_foods_are_all_read(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    for n in range(230):
        tandoor.add_food(f"food number {n}")
    tandoor.add_food("onion")
    await uploader.upload(make_context(data_dir), _recipe(), make_extraction(data_dir))
    assert len(tandoor.requests_to("GET", "/api/food/")) == 3
    (saved,) = tandoor.recipes.values()
    assert _names(saved, "food")[0] == "onion"


async def test_turned_off_names_are_sent_as_they_are(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    _space(tandoor)
    uploader.reuse_names = False
    ctx = make_context(data_dir)
    await uploader.upload(ctx, _recipe(), make_extraction(data_dir))
    (saved,) = tandoor.recipes.values()
    assert _names(saved, "unit")[:2] == ["g", "tbsp"]
    assert "onions" in tandoor.foods.items
    assert tandoor.requests_to("GET", "/api/food/") == []
    assert not any("New in Tandoor" in m for _l, m in ctx.lines)


async def test_unreadable_names_are_said_and_the_recipe_is_still_saved(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    _space(tandoor)
    tandoor.add_fault("status", "GET", "/api/unit/", status=500, times=-1)
    ctx = make_context(data_dir)
    await uploader.upload(ctx, _recipe(), make_extraction(data_dir))
    (saved,) = tandoor.recipes.values()
    assert _names(saved, "food")[0] == "onion"  # foods were read
    assert _names(saved, "unit")[0] == "g"  # units were not
    warnings = [m for level, m in ctx.lines if level == "warning"]
    assert any("units could not be read" in w for w in warnings), warnings
