"""Resend: a saved item's recipe put into the same Tandoor recipe again (PATCH, read back), or
as a new one; a recipe deleted in Tandoor meanwhile; refusals. The real uploader in the real
engine against the fake Tandoor in both flavours."""

from __future__ import annotations

from instarecipe_desktop.core import secrets as secret_names
from instarecipe_desktop.core.items import ItemStatus
from instarecipe_desktop.core.recipe import Ingredient, Recipe, Step
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.fakes.fake_tandoor import TOKEN, FakeTandoor
from tests.uploading.test_with_queue import CANONICAL, URL, _run, engine

EDITED = Recipe(
    name="Lemon pasta",
    steps=[
        Step("Boil the pasta.", [Ingredient("spaghetti", 200, "g")]),
        Step("Stir in the lemon.", [Ingredient("lemon", 1), Ingredient("butter", 30, "g")]),
    ],
    keywords=["pasta", "lemon"],
)


def _settings(tandoor: FakeTandoor) -> Settings:
    return Settings(None, environ={"TANDOOR_BASE_URL": tandoor.base_url})


def _steps(recipe: dict) -> list[tuple[str, list[str]]]:  # type: ignore[type-arg]
    return [
        (step["instruction"], [i["food"]["name"] for i in step["ingredients"]])
        for step in recipe["steps"]
    ]


async def test_resend_replaces_the_same_recipe_even_when_the_person_edited_it(
    tandoor: FakeTandoor,
) -> None:
    secrets = open_secret_store()
    secrets.set(secret_names.TANDOOR_API_TOKEN, TOKEN)
    async with engine(_settings(tandoor), secrets) as (manager, fakes):
        item_id = (await manager.enqueue(URL)).item.id
        first = await _run(manager, item_id)
        assert first.status is ItemStatus.SUCCESS, first.error
        (recipe_id,) = tandoor.recipes
        tandoor.recipes[recipe_id]["name"] = "Renamed by the person"  # edited in Tandoor

        result = await manager.resend(item_id, recipe=EDITED)
        assert result.success and result.tandoor_url == first.results.tandoor_url
        item = await _run(manager, item_id)

    assert item.status is ItemStatus.SUCCESS, item.error
    assert list(tandoor.recipes) == [recipe_id]  # no second recipe
    assert item.results.tandoor_url == first.results.tandoor_url
    kept = tandoor.recipes[recipe_id]
    assert kept["name"] == "Lemon pasta" and kept["source_url"] == CANONICAL
    assert _steps(kept) == [
        ("Boil the pasta.", ["spaghetti"]),
        ("Stir in the lemon.", ["lemon", "butter"]),
    ]
    assert sorted(k["name"] for k in kept["keywords"]) == ["lemon", "pasta"]
    assert len(tandoor.requests_to("PATCH", f"/api/recipe/{recipe_id}/")) == 1
    assert len(tandoor.requests_to("POST", "/api/recipe/")) == 1  # only the first create
    assert any(f"Updated recipe {recipe_id} in place" in e.message for e in item.log)
    assert fakes.count("extraction") == 1 and fakes.count("parsing") == 1


async def test_resend_as_new_makes_a_second_recipe(tandoor: FakeTandoor) -> None:
    secrets = open_secret_store()
    secrets.set(secret_names.TANDOOR_API_TOKEN, TOKEN)
    async with engine(_settings(tandoor), secrets) as (manager, _):
        item_id = (await manager.enqueue(URL)).item.id
        first = await _run(manager, item_id)
        result = await manager.resend(item_id, as_new=True)
        assert result.success and result.tandoor_url is None
        item = await _run(manager, item_id)
    assert item.status is ItemStatus.SUCCESS, item.error
    copies = tandoor.recipes_with_source(CANONICAL)
    assert len(copies) == 2 and all(_steps(c) for c in copies)
    assert item.results.tandoor_url != first.results.tandoor_url
    assert tandoor.requests_to("PATCH", "/api/recipe/") == []


async def test_resend_of_a_recipe_deleted_in_tandoor_creates_one_and_says_so(
    tandoor: FakeTandoor,
) -> None:
    secrets = open_secret_store()
    secrets.set(secret_names.TANDOOR_API_TOKEN, TOKEN)
    async with engine(_settings(tandoor), secrets) as (manager, _):
        item_id = (await manager.enqueue(URL)).item.id
        first = await _run(manager, item_id)
        (old_id,) = tandoor.recipes
        del tandoor.recipes[old_id]  # the person deleted it
        assert (await manager.resend(item_id)).success
        item = await _run(manager, item_id)
    assert item.status is ItemStatus.SUCCESS, item.error
    (new_id,) = tandoor.recipes
    assert new_id != old_id and _steps(tandoor.recipes[new_id])
    assert item.results.tandoor_url != first.results.tandoor_url
    assert item.results.tandoor_url and item.results.tandoor_url.endswith(str(new_id))
    warnings = [e.message for e in item.log if e.level == "warning"]
    assert any(f"Recipe {old_id} was deleted in Tandoor meanwhile" in w for w in warnings)


async def test_a_failing_update_fails_in_words_and_leaves_the_recipe(
    tandoor: FakeTandoor,
) -> None:
    settings = Settings(
        None, environ={"TANDOOR_BASE_URL": tandoor.base_url, "QUEUE_RETRY_ATTEMPTS": "2"}
    )
    secrets = open_secret_store()
    secrets.set(secret_names.TANDOOR_API_TOKEN, TOKEN)
    async with engine(settings, secrets) as (manager, _):
        item_id = (await manager.enqueue(URL)).item.id
        await _run(manager, item_id)
        (recipe_id,) = tandoor.recipes
        before = _steps(tandoor.recipes[recipe_id])
        tandoor.add_fault("status", "PATCH", "/api/recipe/", status=500, times=10)
        assert (await manager.resend(item_id, recipe=EDITED)).success
        item = await _run(manager, item_id)
    assert item.status is ItemStatus.ERROR
    assert item.error is not None and "Tandoor" in item.error.message
    assert list(tandoor.recipes) == [recipe_id]  # never deleted, never a copy
    assert _steps(tandoor.recipes[recipe_id]) == before


async def test_only_a_saved_item_can_be_sent_again(tandoor: FakeTandoor) -> None:
    secrets = open_secret_store()
    secrets.set(secret_names.TANDOOR_API_TOKEN, TOKEN)
    async with engine(_settings(tandoor), secrets) as (manager, _):
        manager.pause()
        item_id = (await manager.enqueue(URL)).item.id
        refused = await manager.resend(item_id)
        assert not refused.success
        assert refused.message.startswith("Only a saved recipe can be sent again: it is waiting")
        assert not (await manager.resend("no-such-id")).success
    assert tandoor.recipes == {}
