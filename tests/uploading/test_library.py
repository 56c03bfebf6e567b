"""The local recipe library (no Tandoor configured) and "Send to Tandoor" later."""

from __future__ import annotations

import html.parser
import json
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jsonschema
import pytest

from instarecipe_desktop.core import secrets as secret_names
from instarecipe_desktop.core.errors import WAITING_FOR_SETTINGS, SettingsNeeded
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.recipe import Ingredient, Step
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.uploading import create_uploader
from instarecipe_desktop.pipeline.uploading.library import LibraryUploader, iso_duration
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.fakes.fake_tandoor import TOKEN, FakeTandoor
from tests.uploading.conftest import POST_URL, make_context, make_extraction, sample_recipe

DURATION = {"type": "string", "pattern": r"^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$"}
# The shape of a schema.org Recipe as Google's and Tandoor's importers read it.
SCHEMA_ORG_RECIPE = {
    "type": "object",
    "required": ["@context", "@type", "name", "recipeIngredient", "recipeInstructions"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "Recipe"},
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "recipeIngredient": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "recipeInstructions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["@type", "text"],
                "properties": {
                    "@type": {"const": "HowToStep"},
                    "text": {"type": "string", "minLength": 1},
                    "name": {"type": "string"},
                },
            },
        },
        "recipeYield": {"type": "string"},
        "prepTime": DURATION,
        "cookTime": DURATION,
        "totalTime": DURATION,
        "image": {"type": "string", "minLength": 1},
        "url": {"type": "string", "format": "uri", "pattern": "^https?://"},
        "author": {
            "type": "object",
            "required": ["@type", "name"],
            "properties": {"@type": {"const": "Person"}, "name": {"type": "string"}},
        },
        "keywords": {"type": "string"},
        "inLanguage": {"type": "string"},
    },
}


def _path_of(file_url: str) -> Path:
    parts = urlsplit(file_url)
    assert parts.scheme == "file"
    return Path(url2pathname(parts.path))


class _Texts(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def test_iso_durations() -> None:
    assert iso_duration(15) == "PT15M"
    assert iso_duration(75) == "PT1H15M"
    assert iso_duration(120) == "PT2H"
    assert iso_duration(0) is None and iso_duration(None) is None


async def test_library_entry_is_json_ld_and_a_page(data_dir: Path, png: bytes) -> None:
    library = LibraryUploader(
        data_dir / "library", hashtags_as_keywords=True, author_as_keyword=True
    )
    post = {"canonicalUrl": POST_URL, "author": "chef_anna", "hashtags": ["carbonara"]}
    recipe = sample_recipe(name='Carbonara <script>alert("x")</script> & more')
    recipe.steps[1].instruction = "Mix <b>eggs</b> & cheese"
    ctx = make_context(data_dir, post=post)
    outcome = await library.upload(ctx, recipe, make_extraction(data_dir, image=png, post=post))

    page_path = _path_of(outcome.url)
    assert outcome.destination == "library" and page_path.name == "index.html"
    folder = page_path.parent
    assert folder.parent == data_dir / "library" and folder.name.endswith("-C9xYz12AbCd")
    data = json.loads((folder / "recipe.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA_ORG_RECIPE)
    assert data["recipeIngredient"] == [
        "200 g spaghetti, cooked",
        "salt to taste",
        "4 egg yolks",
        "50.5 g pecorino romano, finely grated",
    ]
    assert data["recipeInstructions"][0]["text"].startswith("Boil the spaghetti")
    assert (data["prepTime"], data["cookTime"], data["totalTime"]) == ("PT15M", "PT10M", "PT25M")
    assert data["recipeYield"] == "portions"
    assert data["url"] == POST_URL and data["author"]["name"] == "chef_anna"
    assert data["keywords"] == "pasta, italian, carbonara, chef_anna"
    assert data["image"] == "photo.png" and (folder / "photo.png").read_bytes() == png

    page = page_path.read_text(encoding="utf-8")
    parsed = _Texts()
    parsed.feed(page)
    assert "script" in parsed.tags  # only the JSON-LD block
    assert page.count("<script") == 1 and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in page
    assert "Mix &lt;b&gt;eggs&lt;/b&gt; &amp; cheese" in page
    assert '<img class="photo" src="photo.png"' in page
    # the embedded JSON-LD cannot close its script element early
    embedded = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json.loads(embedded)["name"] == recipe.name


async def test_same_post_keeps_one_folder_even_when_renamed(data_dir: Path) -> None:
    library = LibraryUploader(data_dir / "library")
    first = await library.upload(make_context(data_dir), sample_recipe(), make_extraction(data_dir))
    again = await library.upload(
        make_context(data_dir), sample_recipe(name="Better name"), make_extraction(data_dir)
    )
    folders = [p for p in (data_dir / "library").iterdir() if p.is_dir()]
    assert len(folders) == 1 and folders[0].name == "better-name-C9xYz12AbCd"
    assert _path_of(again.url).exists() and not _path_of(first.url).exists()
    assert json.loads((folders[0] / "recipe.json").read_text())["name"] == "Better name"


async def test_minimal_recipe_without_photo(data_dir: Path) -> None:
    library = LibraryUploader(data_dir / "library")
    recipe = sample_recipe(
        description=None,
        servings=None,
        servings_text=None,
        working_time=None,
        waiting_time=None,
        keywords=[],
        steps=[Step(instruction="Mix.", ingredients=[Ingredient(food="salt", amount=None)])],
    )
    outcome = await library.upload(
        make_context(data_dir, shortcode=""), recipe, make_extraction(data_dir)
    )
    folder = _path_of(outcome.url).parent
    data = json.loads((folder / "recipe.json").read_text())
    jsonschema.validate(data, SCHEMA_ORG_RECIPE)
    assert "image" not in data and "prepTime" not in data
    assert data["recipeIngredient"] == ["salt"]
    assert outcome.warnings == []


async def test_send_to_tandoor_later(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, png: bytes
) -> None:
    """No Tandoor: the library. Then Tandoor is configured and the same item is uploaded
    again (the engine re-runs only the uploading phase): one recipe in Tandoor."""
    paths = resolve_paths()
    settings = Settings(paths.settings_file)
    secrets = open_secret_store()
    uploader = create_uploader(settings, secrets, paths)
    ctx = make_context(data_dir)
    extraction = make_extraction(data_dir, image=png)
    try:
        local = await uploader.upload(ctx, sample_recipe(), extraction)
        assert local.destination == "library" and local.url.startswith("file://")
        with FakeTandoor() as tandoor:
            settings.set("TANDOOR_BASE_URL", tandoor.base_url)
            secrets.set(secret_names.TANDOOR_API_TOKEN, TOKEN)
            sent = await uploader.upload(ctx, sample_recipe(), extraction)
            again = await uploader.upload(ctx, sample_recipe(), extraction)
            assert sent.destination == "tandoor"
            assert sent.url == f"{tandoor.base_url}/recipe/{sent.recipe_id}"
            assert again.linked_existing and again.recipe_id == sent.recipe_id
            assert len(tandoor.recipes) == 1 and sent.recipe_id in tandoor.images
            assert tandoor.schema_violations == []
    finally:
        await uploader.aclose()
    assert _path_of(local.url).exists()  # the library entry stays
    assert (paths.data_dir / "tandoor_uploads.sqlite3").exists()


async def test_address_without_token_waits_instead_of_saving_locally(data_dir: Path) -> None:
    """Trust: a Tandoor address whose token is gone (a restart without a keyring) never sends
    the recipe to the local library behind the person's back."""
    paths = resolve_paths()
    settings = Settings(paths.settings_file)
    settings.set("TANDOOR_BASE_URL", "http://127.0.0.1:9")
    uploader = create_uploader(settings, open_secret_store(), paths)
    ctx = make_context(data_dir)
    try:
        with pytest.raises(SettingsNeeded) as raised:
            await uploader.upload(ctx, sample_recipe(), make_extraction(data_dir))
    finally:
        await uploader.aclose()
    assert raised.value.code == WAITING_FOR_SETTINGS
    assert "token" in raised.value.message and "Settings" in str(raised.value)
    assert not paths.library_dir.exists() or not any(paths.library_dir.glob("*/recipe.json"))
