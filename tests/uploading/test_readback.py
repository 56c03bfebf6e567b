"""Saved means read back: shells left by half-failed creates are completed or replaced, only
when the app made them; creates to one server never overlap (README pitfall 12)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from instarecipe_desktop.core.errors import RecoverableError
from instarecipe_desktop.pipeline.uploading.tandoor import (
    TandoorClient,
    TandoorUploader,
    UploadRecords,
    build_recipe_payload,
)
from instarecipe_desktop.pipeline.uploading.tandoor.readback import differences, is_shell
from tests.fakes.fake_tandoor import TOKEN, FakeTandoor
from tests.uploading.conftest import POST_URL, make_context, make_extraction, sample_recipe


def _complete(tandoor: FakeTandoor, recipe_id: int) -> bool:
    sent = build_recipe_payload(sample_recipe(), source_url=POST_URL).body
    return differences(sent, tandoor.recipes[recipe_id]) == []


def test_differences_name_what_tandoor_lacks() -> None:
    sent = build_recipe_payload(sample_recipe(), source_url=POST_URL).body
    shell = {"steps": [], "keywords": []}
    assert differences(sent, shell)[0] == "Tandoor kept 0 of 3 steps"
    assert "Tandoor kept 0 of 2 keywords" in differences(sent, shell)
    assert is_shell(shell)
    assert differences(sent, None) == ["Tandoor has no such recipe"]


async def test_differences_accept_tandoors_own_spelling(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    """Tandoor links 'Spaghetti' to an existing 'spaghetti' and answers 200.0 for 200."""
    outcome = await uploader.upload(
        make_context(data_dir), sample_recipe(), make_extraction(data_dir)
    )
    assert isinstance(outcome.recipe_id, int)
    shouted = sample_recipe()
    shouted.steps[0].ingredients[0].food = "  SPAGHETTI "
    sent = build_recipe_payload(shouted, source_url=POST_URL).body
    assert differences(sent, tandoor.recipes[outcome.recipe_id]) == []
    changed = sample_recipe()
    changed.steps[1].ingredients[2].amount = 51
    sent = build_recipe_payload(changed, source_url=POST_URL).body
    assert differences(sent, tandoor.recipes[outcome.recipe_id]) == [
        "step 2, ingredient 3: Tandoor has amount 50.5, sent 51"
    ]


async def test_half_failed_create_is_completed_not_taken_as_saved(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    tandoor.add_fault("half_create", "POST", "/api/recipe/")
    ctx = make_context(data_dir)
    outcome = await uploader.upload(ctx, sample_recipe(), make_extraction(data_dir))
    (saved,) = tandoor.recipes_with_source(POST_URL)
    assert outcome.recipe_id == saved["id"] and _complete(tandoor, saved["id"])
    assert any("incomplete (Tandoor kept 0 of 3 steps" in line for _, line in ctx.lines)
    assert len(tandoor.requests_to("PATCH", f"/api/recipe/{saved['id']}/")) == 1


async def test_shell_that_cannot_be_completed_is_deleted_and_created_again(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    tandoor.add_fault("half_create", "POST", "/api/recipe/")
    tandoor.add_fault("status", "PATCH", "/api/recipe/", times=-1, status=500)
    outcome = await uploader.upload(
        make_context(data_dir), sample_recipe(), make_extraction(data_dir)
    )
    (saved,) = tandoor.recipes_with_source(POST_URL)
    assert outcome.recipe_id == saved["id"] == 2 and _complete(tandoor, 2)
    assert len(tandoor.requests_to("DELETE", "/api/recipe/1/")) == 1


async def test_tandoor_failing_every_try_leaves_nothing_half_written(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    tandoor.add_fault("half_create", "POST", "/api/recipe/", times=-1)
    tandoor.add_fault("status", "PATCH", "/api/recipe/", times=-1, status=500)
    for _ in range(3):  # the engine's retries
        with pytest.raises(RecoverableError) as caught:
            await uploader.upload(
                make_context(data_dir), sample_recipe(), make_extraction(data_dir)
            )
        assert caught.value.message.startswith("Tandoor did not keep the whole recipe: ")
        assert "Tandoor kept 0 of 3 steps" in caught.value.message
    assert tandoor.recipes == {}


async def test_retry_completes_the_apps_own_unfinished_recipe(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    """The create answered 500 after the row, and the search then failed: the next attempt
    finds the app's pending create and completes it instead of making a second recipe."""
    tandoor.add_fault("half_create", "POST", "/api/recipe/")
    tandoor.add_fault("reset", "GET", "/api/recipe/")
    with pytest.raises(RecoverableError):
        await uploader.upload(make_context(data_dir), sample_recipe(), make_extraction(data_dir))
    assert [is_shell(r) for r in tandoor.recipes.values()] == [True]
    retry = await uploader.upload(
        make_context(data_dir), sample_recipe(), make_extraction(data_dir)
    )
    (saved,) = tandoor.recipes_with_source(POST_URL)
    assert retry.recipe_id == saved["id"] and _complete(tandoor, saved["id"])
    assert len(tandoor.requests_to("POST", "/api/recipe/")) == 1


async def test_shell_from_an_older_version_is_completed(
    tandoor: FakeTandoor, records: UploadRecords, uploader: TandoorUploader, data_dir: Path
) -> None:
    """Rows written before read-back (verified NULL) that point at an empty recipe."""
    shell = tandoor.create(
        {"name": "Spaghetti Carbonara (Instagram)", "steps": [], "source_url": POST_URL},
        {"id": 1},
        shell=True,
    )
    row = records.mark_pending(uploader.client.base_url, POST_URL, "old-item", "x")
    records.mark_created(row, shell["id"])
    records._db().execute("UPDATE tandoor_uploads SET verified = NULL")
    outcome = await uploader.upload(
        make_context(data_dir), sample_recipe(), make_extraction(data_dir)
    )
    assert outcome.recipe_id == shell["id"] and _complete(tandoor, shell["id"])


async def test_the_persons_recipes_are_never_changed(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    # an empty recipe with this source that the app did not make: left alone, a new one made
    name = "Spaghetti Carbonara (Instagram)"  # 1.5 can find it by name only
    theirs = tandoor.create({"name": name, "steps": [], "source_url": POST_URL}, {"id": 1})
    ctx = make_context(data_dir)
    outcome = await uploader.upload(ctx, sample_recipe(), make_extraction(data_dir))
    assert outcome.recipe_id != theirs["id"] and _complete(tandoor, outcome.recipe_id)  # type: ignore[arg-type]
    assert is_shell(tandoor.recipes[theirs["id"]])
    assert any("left alone" in line for _, line in ctx.lines)
    # the app's verified recipe, then edited by the person: a re-upload links, changes nothing
    assert isinstance(outcome.recipe_id, int)
    tandoor.update(outcome.recipe_id, {"steps": [{"instruction": "Mine now", "ingredients": []}]})
    again = await uploader.upload(
        make_context(data_dir), sample_recipe(), make_extraction(data_dir)
    )
    assert again.linked_existing and again.recipe_id == outcome.recipe_id
    assert tandoor.recipes[outcome.recipe_id]["steps"][0]["instruction"] == "Mine now"
    assert tandoor.requests_to("PATCH", "/api/recipe/") == []
    assert tandoor.requests_to("DELETE", "/api/recipe/") == []


def _post(index: int) -> tuple[str, str]:
    return f"https://www.instagram.com/p/POST{index}/", f"POST{index}"


async def _batch(uploaders: list[TandoorUploader], data_dir: Path, count: int) -> list[int]:
    async def one(index: int) -> int:
        url, code = _post(index)
        recipe = sample_recipe(name=f"Recipe {index}", keywords=[f"new-kw-{index}"])
        recipe.steps[0].ingredients[0].food = f"new food {index}"
        outcome = await uploaders[index % len(uploaders)].upload(
            make_context(data_dir, url=url, shortcode=code),
            recipe,
            make_extraction(data_dir, post={"canonicalUrl": url}),
        )
        assert isinstance(outcome.recipe_id, int)
        return outcome.recipe_id

    return list(await asyncio.gather(*(one(i) for i in range(count))))


def _every_post_once_complete(tandoor: FakeTandoor, count: int) -> None:
    for index in range(count):
        url, _ = _post(index)
        (saved,) = tandoor.recipes_with_source(url)
        assert saved["steps"] and [len(s["ingredients"]) for s in saved["steps"]] == [2, 3, 0]
        assert saved["keywords"], "keywords kept"
    assert len(tandoor.recipes) == count


async def test_concurrent_uploads_never_overlap_creates_on_one_server(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    tandoor.tree_write_delay = 0.05
    await _batch([uploader], data_dir, 6)
    assert tandoor.max_concurrent_writes == 1 and tandoor.collisions == 0
    _every_post_once_complete(tandoor, 6)


async def test_colliding_creates_from_elsewhere_still_end_complete(
    tandoor: FakeTandoor, records: UploadRecords, data_dir: Path
) -> None:
    """Uploaders that do not share the lock (like another client of the same Tandoor):
    creates collide, and every shell is completed, none is left."""
    tandoor.tree_write_delay = 0.05
    uploaders = [
        TandoorUploader(TandoorClient(tandoor.base_url, TOKEN, timeout=5.0), records)
        for _ in range(3)
    ]
    try:
        await _batch(uploaders, data_dir, 6)
    finally:
        for up in uploaders:
            await up.aclose()
    assert tandoor.collisions > 0
    _every_post_once_complete(tandoor, 6)
