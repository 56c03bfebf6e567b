"""The uploading phase when no Tandoor is configured: a local recipe library in the data dir.

Each post gets one folder ``library/<recipe-name>-<shortcode>/`` holding ``recipe.json``
(schema.org Recipe JSON-LD), ``index.html`` (what double-click opens: ``results.tandoor_url``
is its ``file://`` URL) and the photo. The same post always lands in the same folder (a new
name after "parse again" renames it), so repeating the phase never makes a second entry.
Every save rebuilds the library's home page (``library/index.html``, see ``home``).
"""

from __future__ import annotations

import asyncio
import json
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from instarecipe_desktop.core.files import write_atomically
from instarecipe_desktop.core.phases import Extraction, PhaseContext, UploadOutcome
from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.pipeline.uploading import post_info
from instarecipe_desktop.pipeline.uploading.library.home import rebuild_home
from instarecipe_desktop.pipeline.uploading.library.jsonld import recipe_to_jsonld
from instarecipe_desktop.pipeline.uploading.library.page import render_page
from instarecipe_desktop.pipeline.uploading.tandoor.payload import clean_keywords

JSONLD_NAME = "recipe.json"
PAGE_NAME = "index.html"


def _first_saved(folder: Path) -> str:
    """When this recipe first entered the library: kept across re-saves ("parse again")."""
    try:
        earlier = json.loads((folder / JSONLD_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = None
    if isinstance(earlier, dict) and isinstance(earlier.get("dateCreated"), str):
        return str(earlier["dateCreated"])
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def slugify(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", ascii_text).strip("-").lower()
    return slug[:limit].rstrip("-") or "recipe"


class LibraryUploader:
    destination = "library"

    def __init__(
        self,
        library_dir: Path,
        *,
        hashtags_as_keywords: bool = False,
        author_as_keyword: bool = False,
    ) -> None:
        self.library_dir = library_dir
        self.hashtags_as_keywords = hashtags_as_keywords
        self.author_as_keyword = author_as_keyword

    async def upload(
        self, ctx: PhaseContext, recipe: Recipe, extraction: Extraction
    ) -> UploadOutcome:
        ctx.progress(10, "Saving in the local recipe library")
        outcome = await asyncio.to_thread(self._save, ctx, recipe, extraction)
        ctx.log(f"Saved in the local library: {outcome.recipe_id}.")
        ctx.progress(100, "Saved in the library")
        return outcome

    def folder_for(self, key: str, name: str) -> Path:
        """The post's folder; an existing one under another name is renamed."""
        self.library_dir.mkdir(parents=True, exist_ok=True)
        wanted = self.library_dir / f"{slugify(name)}-{key}"
        for existing in self.library_dir.glob(f"*-{key}"):
            if existing.is_dir() and existing != wanted:
                if wanted.exists():
                    continue
                existing.rename(wanted)
        wanted.mkdir(exist_ok=True)
        return wanted

    def _save(self, ctx: PhaseContext, recipe: Recipe, extraction: Extraction) -> UploadOutcome:
        key = re.sub(r"[^A-Za-z0-9_-]", "", ctx.item.shortcode or "") or ctx.item.id[:8]
        folder = self.folder_for(key, recipe.name or "recipe")
        post = post_info.post_metadata(ctx, extraction)
        source = post_info.source_url(ctx, extraction)
        author = post_info.author_name(post)
        extra = post_info.extra_keywords(
            ctx,
            extraction,
            with_hashtags=self.hashtags_as_keywords,
            with_author=self.author_as_keyword,
        )
        warnings: list[str] = []
        photo_name: str | None = None
        photo = post_info.read_photo(ctx.data_dir, extraction.thumbnail)
        if photo is not None:
            photo_name = "photo" + Path(photo.filename).suffix
            for old in folder.glob("photo.*"):
                if old.name != photo_name:
                    old.unlink()
            write_atomically(folder / photo_name, photo.data)
        elif extraction.thumbnail:
            warnings.append("The photo is missing: the downloaded image could not be read.")
        date = post.get("date") or post.get("takenAt")
        jsonld = recipe_to_jsonld(
            recipe,
            source_url=source,
            image=photo_name,
            author=author,
            keywords=clean_keywords([*recipe.keywords, *extra]),
            date_published=str(date) if date else None,
        )
        jsonld["dateCreated"] = _first_saved(folder)
        write_atomically(
            folder / JSONLD_NAME, json.dumps(jsonld, ensure_ascii=False, indent=2).encode("utf-8")
        )
        page = render_page(recipe, jsonld, photo=photo_name, source_url=source, author=author)
        write_atomically(folder / PAGE_NAME, page.encode("utf-8"))
        try:
            rebuild_home(self.library_dir)
        except OSError as exc:
            warnings.append(f"The library's home page could not be updated: {exc.strerror or exc}.")
        return UploadOutcome(
            url=(folder / PAGE_NAME).resolve().as_uri(),
            destination=self.destination,
            recipe_id=folder.name,
            warnings=warnings,
        )
