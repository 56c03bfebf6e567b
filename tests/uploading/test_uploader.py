"""The uploading phase against the fake Tandoor (both flavours): round trip, exactly once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from instarecipe_desktop.core.errors import PermanentError, RecoverableError
from instarecipe_desktop.pipeline.uploading.tandoor import (
    TandoorClient,
    TandoorUploader,
    UploadRecords,
)
from tests.fakes.fake_tandoor import READ_ONLY_TOKEN, TOKEN, V2, FakeTandoor
from tests.uploading.conftest import (
    POST_URL,
    make_context,
    make_extraction,
    sample_recipe,
)

ONE_STEP = {"instruction": "Cook it my way.", "ingredients": []}


def _only_recipe(tandoor: FakeTandoor) -> dict:
    recipes = tandoor.recipes_with_source(POST_URL)
    assert len(recipes) == 1, f"expected one recipe, found {len(recipes)}"
    return recipes[0]


async def test_full_round_trip(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path, png: bytes
) -> None:
    uploader.hashtags_as_keywords = True
    uploader.author_as_keyword = True
    post = {"canonicalUrl": POST_URL, "hashtags": ["carbonara", "#Pasta"], "author": "chef_anna"}
    ctx = make_context(data_dir, url=POST_URL + "?igsh=abc", post=post)
    outcome = await uploader.upload(
        ctx, sample_recipe(), make_extraction(data_dir, image=png, post=post)
    )
    saved = _only_recipe(tandoor)
    recipe_id = saved["id"]
    assert outcome.destination == "tandoor" and outcome.recipe_id == recipe_id
    assert not outcome.linked_existing and outcome.warnings == []
    view = "view/recipe" if tandoor.legacy else "recipe"
    assert outcome.url == f"{tandoor.base_url}/{view}/{recipe_id}"
    # the stored recipe, read back through the API
    async with httpx.AsyncClient() as http:
        detail = (
            await http.get(
                f"{tandoor.base_url}/api/recipe/{recipe_id}/",
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
        ).json()
        page = await http.get(outcome.url)  # the browser URL exists (login redirect, not 404)
        image = await http.get(detail["image"])
    assert page.status_code == 302 and "login" in page.headers["location"]
    assert detail["name"] == "Spaghetti Carbonara (Instagram)"
    assert detail["source_url"] == POST_URL  # canonical, without ?igsh=
    assert detail["internal"] is True
    assert detail["servings"] == 4 and detail["servings_text"] == "portions"
    assert [k["name"] for k in detail["keywords"]] == ["pasta", "italian", "carbonara", "chef_anna"]
    steps = detail["steps"]
    assert [len(s["ingredients"]) for s in steps] == [2, 3, 0]
    salt = steps[0]["ingredients"][1]
    assert salt["food"]["name"] == "salt" and salt["no_amount"] and salt["amount"] == 0.0
    header = steps[1]["ingredients"][0]
    assert header["is_header"] and header["food"] is None and header["note"] == "For the sauce"
    assert image.status_code == 200 and image.content == png
    # multipart PUT of the bytes, never image_url
    puts = tandoor.requests_to("PUT", f"/api/recipe/{recipe_id}/image/")
    assert len(puts) == 1 and puts[0].body == {"multipart": {"image": len(png)}}
    assert [p for p, _ in ctx.progress_calls][-1] == 100


async def test_same_post_twice_is_one_recipe(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path, png: bytes
) -> None:
    first = await uploader.upload(
        make_context(data_dir), sample_recipe(), make_extraction(data_dir, image=png)
    )
    second = await uploader.upload(
        make_context(data_dir), sample_recipe(name="Renamed"), make_extraction(data_dir, image=png)
    )
    assert second.linked_existing and second.recipe_id == first.recipe_id
    assert second.url == first.url
    _only_recipe(tandoor)
    assert len(tandoor.requests_to("POST", "/api/recipe/")) == 1
    # the own record answered: the throttled duplicate check ran once (before the create)
    assert len(tandoor.requests_to("POST", "/api/recipe-from-source/")) == 1


async def test_existing_recipe_found_by_tandoors_duplicate_check(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    """Uploaded before by someone else (e.g. the web app): no record here, Tandoor knows."""
    existing = tandoor.create(
        {"name": "Spaghetti Carbonara (Instagram)", "steps": [ONE_STEP], "source_url": POST_URL},
        {"id": 1},
    )
    outcome = await uploader.upload(
        make_context(data_dir), sample_recipe(), make_extraction(data_dir)
    )
    assert outcome.linked_existing and outcome.recipe_id == existing["id"]
    assert len(tandoor.recipes) == 1


async def test_1_5_duplicate_under_another_name_is_reported(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    tandoor.create(
        {"name": "Renamed by hand", "steps": [ONE_STEP], "source_url": POST_URL}, {"id": 1}
    )
    if tandoor.version == V2:  # 2.x names the id
        outcome = await uploader.upload(
            make_context(data_dir), sample_recipe(), make_extraction(data_dir)
        )
        assert outcome.linked_existing
    else:  # 1.5 only says "yes": the person decides
        with pytest.raises(PermanentError) as caught:
            await uploader.upload(
                make_context(data_dir), sample_recipe(), make_extraction(data_dir)
            )
        assert caught.value.code == "tandoor_duplicate"
        assert "Send again as a new recipe" in (caught.value.suggestion or "")
    assert len(tandoor.recipes) == 1


async def test_lost_response_is_found_at_once(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path, png: bytes
) -> None:
    tandoor.add_fault("lose_response", "POST", "/api/recipe/")
    ctx = make_context(data_dir)
    outcome = await uploader.upload(ctx, sample_recipe(), make_extraction(data_dir, image=png))
    saved = _only_recipe(tandoor)
    assert outcome.recipe_id == saved["id"] and not outcome.linked_existing
    assert saved["id"] in tandoor.images  # the photo still went up
    assert any("did not confirm" in line for _, line in ctx.lines)


async def test_lost_response_then_retry_makes_one_recipe(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path, png: bytes
) -> None:
    tandoor.add_fault("lose_response", "POST", "/api/recipe/")
    tandoor.add_fault("reset", "GET", "/api/recipe/")  # and the immediate check fails too
    with pytest.raises(RecoverableError) as caught:
        await uploader.upload(
            make_context(data_dir), sample_recipe(), make_extraction(data_dir, image=png)
        )
    assert caught.value.code == "tandoor_create_unconfirmed"
    assert len(tandoor.recipes) == 1  # it was saved, we just did not hear
    # the engine retries the phase later
    retry = await uploader.upload(
        make_context(data_dir), sample_recipe(), make_extraction(data_dir, image=png)
    )
    saved = _only_recipe(tandoor)
    assert retry.recipe_id == saved["id"] and retry.linked_existing
    assert saved["id"] in tandoor.images  # the retry completed the photo
    assert len(tandoor.requests_to("POST", "/api/recipe/")) == 1


async def test_server_error_on_create_then_retry_makes_one_recipe(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    tandoor.add_fault("status", "POST", "/api/recipe/", status=502)
    with pytest.raises(RecoverableError):
        await uploader.upload(make_context(data_dir), sample_recipe(), make_extraction(data_dir))
    assert tandoor.recipes == {}
    outcome = await uploader.upload(
        make_context(data_dir), sample_recipe(), make_extraction(data_dir)
    )
    assert _only_recipe(tandoor)["id"] == outcome.recipe_id and not outcome.linked_existing


async def test_force_new_recipe_makes_a_copy_once(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path, png: bytes
) -> None:
    first = await uploader.upload(
        make_context(data_dir), sample_recipe(), make_extraction(data_dir)
    )
    forced_ctx = make_context(data_dir, options={"forceNewRecipe": True})
    tandoor.add_fault("lose_response", "POST", "/api/recipe/")
    tandoor.add_fault("reset", "GET", "/api/recipe/")
    with pytest.raises(RecoverableError):
        await uploader.upload(forced_ctx, sample_recipe(), make_extraction(data_dir, image=png))
    copy = await uploader.upload(forced_ctx, sample_recipe(), make_extraction(data_dir, image=png))
    ids = sorted(r["id"] for r in tandoor.recipes_with_source(POST_URL))
    assert len(ids) == 2  # the original and one copy, not three
    assert copy.recipe_id != first.recipe_id and copy.recipe_id in ids
    assert copy.recipe_id in tandoor.images  # the retry completed the copy's photo
    # without the flag, the post links again (to the newest upload), no third recipe
    again = await uploader.upload(
        make_context(data_dir), sample_recipe(), make_extraction(data_dir)
    )
    assert again.linked_existing and len(tandoor.recipes_with_source(POST_URL)) == 2


async def test_image_failure_is_sent_once_more(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path, png: bytes
) -> None:
    tandoor.add_fault("status", "PUT", "/api/recipe/", status=500)
    ctx = make_context(data_dir)
    outcome = await uploader.upload(ctx, sample_recipe(), make_extraction(data_dir, image=png))
    saved = _only_recipe(tandoor)
    assert outcome.recipe_id == saved["id"] and outcome.warnings == []
    assert saved["id"] in tandoor.images
    assert len(tandoor.requests_to("PUT", "/api/recipe/")) == 2
    assert len(tandoor.requests_to("POST", "/api/recipe/")) == 1
    assert any(level == "warning" and "sending it once more" in m for level, m in ctx.lines)


@pytest.mark.parametrize("fault", ["status", "image_lost"])
async def test_a_photo_tandoor_does_not_keep_fails_in_words_and_the_retry_sends_only_it(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path, png: bytes, fault: str
) -> None:
    tandoor.add_fault(fault, "PUT", "/api/recipe/", times=2)
    with pytest.raises(RecoverableError) as caught:
        await uploader.upload(
            make_context(data_dir), sample_recipe(), make_extraction(data_dir, image=png)
        )
    saved = _only_recipe(tandoor)
    assert caught.value.code == "tandoor_photo_missing"
    assert f"Recipe {saved['id']} is in Tandoor with all its steps, but without its photo" in (
        caught.value.message
    )
    assert saved["id"] not in tandoor.images
    # the automatic retry: the same recipe, only the photo is sent
    outcome = await uploader.upload(
        make_context(data_dir), sample_recipe(), make_extraction(data_dir, image=png)
    )
    assert outcome.recipe_id == saved["id"] and saved["id"] in tandoor.images
    assert len(tandoor.requests_to("POST", "/api/recipe/")) == 1
    assert len(tandoor.requests_to("PUT", "/api/recipe/")) == 3


async def test_unreadable_thumbnail_warns(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    outcome = await uploader.upload(
        make_context(data_dir),
        sample_recipe(),
        make_extraction(data_dir, image=b"<html>expired</html>"),
    )
    assert outcome.warnings and "photo" in outcome.warnings[0]
    assert tandoor.requests_to("PUT", "/api/recipe/") == []
    _only_recipe(tandoor)


async def test_recipe_deleted_in_tandoor_is_uploaded_again(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    first = await uploader.upload(
        make_context(data_dir), sample_recipe(), make_extraction(data_dir)
    )
    async with httpx.AsyncClient() as http:
        deleted = await http.delete(
            f"{tandoor.base_url}/api/recipe/{first.recipe_id}/",
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert deleted.status_code == 204
    again = await uploader.upload(
        make_context(data_dir), sample_recipe(), make_extraction(data_dir)
    )
    assert not again.linked_existing and again.recipe_id != first.recipe_id
    assert _only_recipe(tandoor)["id"] == again.recipe_id


async def test_throttled_duplicate_check_does_not_block_uploads(
    data_dir: Path, records: UploadRecords
) -> None:
    with FakeTandoor(V2, duplicate_check_limit=0) as tandoor:
        uploader = TandoorUploader(TandoorClient(tandoor.base_url, TOKEN), records)
        ctx = make_context(data_dir)
        try:
            outcome = await uploader.upload(ctx, sample_recipe(), make_extraction(data_dir))
        finally:
            await uploader.aclose()
        assert outcome.recipe_id in tandoor.recipes
        assert any("duplicate check failed" in line for _, line in ctx.lines)


async def test_own_budget_limits_duplicate_checks(
    tandoor: FakeTandoor, records: UploadRecords, data_dir: Path
) -> None:
    uploader = TandoorUploader(
        TandoorClient(tandoor.base_url, TOKEN), records, duplicate_checks_per_hour=2
    )
    try:
        for index in range(4):
            url = f"https://www.instagram.com/p/POST{index}/"
            await uploader.upload(
                make_context(data_dir, url=url, shortcode=f"POST{index}"),
                sample_recipe(name=f"Recipe {index}"),
                make_extraction(data_dir, post={"canonicalUrl": url}),
            )
    finally:
        await uploader.aclose()
    assert len(tandoor.requests_to("POST", "/api/recipe-from-source/")) == 2
    assert len(tandoor.recipes) == 4


@pytest.mark.parametrize("token", [READ_ONLY_TOKEN, "tda_unknown"])
async def test_rejected_token_fails_permanently(
    tandoor: FakeTandoor, records: UploadRecords, data_dir: Path, token: str
) -> None:
    uploader = TandoorUploader(TandoorClient(tandoor.base_url, token), records)
    try:
        with pytest.raises(PermanentError) as caught:
            await uploader.upload(
                make_context(data_dir), sample_recipe(), make_extraction(data_dir)
            )
    finally:
        await uploader.aclose()
    assert caught.value.code == "tandoor_auth"
    assert token not in str(caught.value)
    assert tandoor.recipes == {}


async def test_long_caption_never_fails_the_upload(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    caption = "This is the story of my grandmother's carbonara. " * 30
    recipe = sample_recipe(description=caption)
    recipe.steps[0].ingredients[0].note = "very long note " * 40
    outcome = await uploader.upload(make_context(data_dir), recipe, make_extraction(data_dir))
    saved = tandoor.recipes[outcome.recipe_id]  # type: ignore[index]
    assert len(saved["description"]) <= 512
    assert saved["steps"][0]["instruction"].startswith(caption.strip())
    assert len(saved["steps"][0]["ingredients"][0]["note"]) <= 256


async def test_concurrent_uploads_of_one_post_make_one_recipe(
    tandoor: FakeTandoor, uploader: TandoorUploader, data_dir: Path
) -> None:
    tandoor.add_fault("slow", "POST", "/api/recipe/", delay=0.2)  # both would miss each other
    outcomes = await asyncio.gather(
        *(
            uploader.upload(make_context(data_dir), sample_recipe(), make_extraction(data_dir))
            for _ in range(3)
        )
    )
    _only_recipe(tandoor)
    assert sorted(o.linked_existing for o in outcomes) == [False, True, True]
    assert len({o.recipe_id for o in outcomes}) == 1
