"""One post, one recipe: a create whose answer was lost is found again later, even when many
recipes in Tandoor share its name (the soak found copies when more than 10 did)."""

from __future__ import annotations

from pathlib import Path

import pytest

from instarecipe_desktop.core.errors import RecoverableError
from instarecipe_desktop.pipeline.uploading.tandoor import (
    TandoorClient,
    TandoorUploader,
    UploadRecords,
)
from tests.fakes.fake_tandoor import TOKEN, V2, FakeTandoor
from tests.uploading.conftest import make_context, make_extraction, sample_recipe

LOST_POST = "https://www.instagram.com/reel/LostCreate01/"


def post(n: int) -> str:
    return f"https://www.instagram.com/reel/SameName{n:03d}/"


async def upload(uploader: TandoorUploader, data_dir: Path, url: str, shortcode: str) -> object:
    return await uploader.upload(
        make_context(data_dir, url=url, shortcode=shortcode),
        sample_recipe(),
        make_extraction(data_dir, post={"canonicalUrl": url}),
    )


@pytest.mark.parametrize("others", [3, 25, 130])
async def test_lost_create_found_among_many_recipes_with_the_same_name(
    data_dir: Path, others: int
) -> None:
    with FakeTandoor(V2) as tandoor:
        # Tandoor's own duplicate check is throttled (60/hour): here it is never available
        tandoor.add_fault("status", "POST", "/api/recipe-from-source/", times=-1, status=429)
        records = UploadRecords(data_dir / "tandoor_uploads.sqlite3")
        uploader = TandoorUploader(TandoorClient(tandoor.base_url, TOKEN, timeout=5.0), records)
        try:
            tandoor.add_fault("lose_response", "POST", "/api/recipe/")
            tandoor.add_fault("reset", "GET", "/api/recipe/")  # the immediate check fails too
            with pytest.raises(RecoverableError):
                await upload(uploader, data_dir, LOST_POST, "LostCreate01")
            assert len(tandoor.recipes_with_source(LOST_POST)) == 1  # saved, answer lost
            for n in range(others):  # meanwhile other posts with the same recipe name
                await upload(uploader, data_dir, post(n), f"SameName{n:03d}")

            retry = await upload(uploader, data_dir, LOST_POST, "LostCreate01")
        finally:
            await uploader.aclose()
            records.close()
        assert len(tandoor.recipes_with_source(LOST_POST)) == 1, "the recipe was created twice"
        assert retry.linked_existing  # type: ignore[attr-defined]
        assert len(tandoor.recipes) == others + 1
