"""The uploading phase against Tandoor: one post becomes exactly one recipe.

Before creating, in this order:
1. the app's own record (``records.py``): a recipe id known for this post on this Tandoor is
   verified with ``GET /api/recipe/<id>/`` (deleted there -> forgotten, uploaded again);
2. a create that may have been lost (pending record): the recipe is searched by the name we
   sent and matched on ``source_url`` (unthrottled);
3. Tandoor's ``recipe-from-source`` duplicate check, throttled by Tandoor to 60/hour per user,
   so used at most ``duplicate_checks_per_hour`` times per hour here and skipped (with a log
   line) beyond that; 2.x names the ids, 1.5 only says yes/no (then 2. finds the id).
When a recipe is found, the item is linked to it (``linked_existing``). ``forceNewRecipe``
("upload again as a new recipe") skips 1. and 3.; 2. still runs for this item's own lost
create, ignoring the recipes already known, so a retry never makes a third copy.

The photo goes up after the create, as multipart bytes; when that fails the recipe stays and
the outcome carries a warning: never a retry that would duplicate the recipe.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import sqlite3
import time
from typing import Any

from instarecipe_desktop.core.errors import PermanentError, PhaseError, RecoverableError
from instarecipe_desktop.core.phases import Extraction, PhaseContext, UploadOutcome
from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.core.store import storage_problem
from instarecipe_desktop.pipeline.uploading import post_info
from instarecipe_desktop.pipeline.uploading.tandoor.client import ServerInfo, TandoorClient
from instarecipe_desktop.pipeline.uploading.tandoor.errors import CreateUnconfirmed
from instarecipe_desktop.pipeline.uploading.tandoor.payload import build_recipe_payload
from instarecipe_desktop.pipeline.uploading.tandoor.records import UploadRecords

log = logging.getLogger(__name__)


class CallBudget:
    """At most ``limit`` calls in any ``window`` seconds (in this process)."""

    def __init__(self, limit: int, window: float = 3600.0) -> None:
        self.limit = limit
        self.window = window
        self._calls: collections.deque[float] = collections.deque()

    def take(self) -> bool:
        now = time.monotonic()
        while self._calls and now - self._calls[0] >= self.window:
            self._calls.popleft()
        if len(self._calls) >= self.limit:
            return False
        self._calls.append(now)
        return True


class TandoorUploader:
    destination = "tandoor"

    def __init__(
        self,
        client: TandoorClient,
        records: UploadRecords,
        *,
        hashtags_as_keywords: bool = False,
        author_as_keyword: bool = False,
        duplicate_checks_per_hour: int = 20,
    ) -> None:
        self.client = client
        self.records = records
        self.hashtags_as_keywords = hashtags_as_keywords
        self.author_as_keyword = author_as_keyword
        self.duplicate_budget = CallBudget(duplicate_checks_per_hour)
        # two uploads of the same post at once (e.g. a share link and its post) run one after
        # the other, so the second finds the first's record
        self._source_locks: dict[str, asyncio.Lock] = {}

    async def aclose(self) -> None:
        await self.client.aclose()

    async def upload(
        self, ctx: PhaseContext, recipe: Recipe, extraction: Extraction
    ) -> UploadOutcome:
        source = post_info.source_url(ctx, extraction)
        lock = self._source_locks.setdefault(source, asyncio.Lock())
        try:
            async with lock:
                return await self._upload(ctx, recipe, extraction, source)
        except sqlite3.Error as exc:  # the upload records: full disk, read-only data folder
            raise RecoverableError(
                storage_problem(self.records.path, exc),
                code="storage",
                suggestion="It is retried automatically; no recipe is "
                "created before its record is saved.",
            ) from None
        finally:
            if not lock.locked() and self._source_locks.get(source) is lock:
                del self._source_locks[source]

    async def _upload(
        self, ctx: PhaseContext, recipe: Recipe, extraction: Extraction, source: str
    ) -> UploadOutcome:
        extra = post_info.extra_keywords(
            ctx,
            extraction,
            with_hashtags=self.hashtags_as_keywords,
            with_author=self.author_as_keyword,
        )
        payload = build_recipe_payload(recipe, source_url=source, extra_keywords=extra)
        for note in payload.adjustments:
            ctx.log(f"Adjusted for Tandoor's limits: {note}.")
        force = bool(ctx.item.options.get("forceNewRecipe"))
        base = self.client.base_url

        ctx.progress(5, "Connecting to Tandoor")
        server = await self.client.server_info()
        ctx.progress(15, "Looking for this post in Tandoor")
        existing = await self._find_existing(ctx, server, source, payload.body["name"], force)
        if existing is not None:
            recipe_id, details = existing
            await asyncio.to_thread(
                self.records.record_link, base, source, ctx.item.id, recipe_id, payload.body["name"]
            )
            await asyncio.to_thread(self.records.resolve_pending, base, source, recipe_id)
            ctx.log(f"This post is already recipe {recipe_id} in Tandoor: linked to it.")
            warnings: list[str] = []
            if details is not None and not details.get("image"):
                warnings = await self._upload_photo(ctx, recipe_id, extraction)
            return UploadOutcome(
                url=self.client.view_url(recipe_id, server),
                destination=self.destination,
                recipe_id=recipe_id,
                warnings=warnings,
                linked_existing=True,
            )

        ctx.progress(40, "Creating the recipe in Tandoor")
        row = await asyncio.to_thread(
            self.records.mark_pending, base, source, ctx.item.id, payload.body["name"]
        )
        try:
            created = await self.client.create_recipe(payload.body)
            recipe_id = int(created["id"])
        except CreateUnconfirmed as lost:
            ctx.log(
                "Tandoor did not confirm the new recipe; checking whether it was saved.", "warning"
            )
            found = await self._find_lost_create(source, payload.body["name"], force)
            if found is None:
                raise lost
            recipe_id = found[0]
            ctx.log(f"The recipe had been saved as {recipe_id}.")
        # on any other failure the pending row stays: it only makes the next attempt look first
        await asyncio.to_thread(self.records.mark_created, row, recipe_id)
        await asyncio.to_thread(self.records.resolve_pending, base, source, recipe_id)
        ctx.log(f"Created recipe {recipe_id} in {server.label}.")
        warnings = await self._upload_photo(ctx, recipe_id, extraction)
        ctx.progress(100, "Saved in Tandoor")
        return UploadOutcome(
            url=self.client.view_url(recipe_id, server),
            destination=self.destination,
            recipe_id=recipe_id,
            warnings=warnings,
        )

    # -- exactly once -------------------------------------------------------------------------

    async def _find_existing(
        self, ctx: PhaseContext, server: ServerInfo, source: str, name: str, force: bool
    ) -> tuple[int, dict[str, Any] | None] | None:
        base = self.client.base_url
        if force:
            own = await asyncio.to_thread(self.records.pending, base, source, ctx.item.id)
            if own is None:
                return None
            return await self._find_lost_create(source, own.name or name, force=True)

        known = await asyncio.to_thread(self.records.known_recipe, base, source)
        if known is not None:
            details = await self.client.get_recipe(known)
            if details is not None:
                return known, details
            ctx.log(f"Recipe {known} was deleted in Tandoor; the post is uploaded again.")
            await asyncio.to_thread(self.records.forget, base, known)

        pending = await asyncio.to_thread(self.records.pending, base, source)
        if pending is not None:
            found = await self._find_by_name(source, pending.name or name, exclude=set())
            if found is not None:
                await asyncio.to_thread(self.records.resolve_pending, base, source, found[0])
                return found

        if not self.duplicate_budget.take():
            ctx.log(
                "Skipped Tandoor's duplicate check (it is limited to a few calls an hour); "
                "relying on the app's own record."
            )
            return None
        try:
            check = await self.client.duplicate_check(source)
        except PhaseError as exc:
            if exc.code in ("tandoor_auth",):
                raise
            ctx.log(
                f"Tandoor's duplicate check failed ({exc.message}); relying on the app's "
                "own record.",
                "warning",
            )
            return None
        if check.ids:
            chosen = min(check.ids)  # the oldest: the original upload
            return chosen, await self.client.get_recipe(chosen)
        if check.found:  # 1.5: a boolean only -> find the id by name
            found = await self._find_by_name(source, name, exclude=set())
            if found is not None:
                return found
            raise PermanentError(
                f"This post is already in your Tandoor ({server.label} says a recipe has this "
                "source), but this version does not say which one.",
                suggestion='Find it by its link in Tandoor, or use "Upload again as a new '
                'recipe" to make a copy.',
                code="tandoor_duplicate",
            )
        return None

    async def _find_lost_create(
        self, source: str, name: str, force: bool
    ) -> tuple[int, dict[str, Any]] | None:
        """After a lost answer: the recipe with this name and source that we do not know yet."""
        base = self.client.base_url
        exclude = await asyncio.to_thread(self.records.known_ids, base, source) if force else set()
        try:
            return await self._find_by_name(source, name, exclude=exclude)
        except PhaseError as exc:
            log.info("Looking for a lost create failed: %s", exc.message)
            return None

    async def _find_by_name(
        self, source: str, name: str, exclude: set[int]
    ) -> tuple[int, dict[str, Any]] | None:
        """Search by name (the list has no source_url) and compare each hit's source_url."""
        hits = await self.client.search_recipes(name)
        # newest first: the recipe looked for is a recent create, and each hit costs a request
        for hit in sorted(hits, key=lambda h: -int(h.get("id", 0))):
            recipe_id = hit.get("id")
            if not isinstance(recipe_id, int) or recipe_id in exclude:
                continue
            if str(hit.get("name", "")).strip().casefold() != name.strip().casefold():
                continue
            details = await self.client.get_recipe(recipe_id)
            if details is not None and (details.get("source_url") or "").strip() == source:
                return recipe_id, details
        return None

    # -- photo --------------------------------------------------------------------------------

    async def _upload_photo(
        self, ctx: PhaseContext, recipe_id: int, extraction: Extraction
    ) -> list[str]:
        if not extraction.thumbnail:
            return []
        photo = await asyncio.to_thread(post_info.read_photo, ctx.data_dir, extraction.thumbnail)
        if photo is None:
            message = "The photo was not uploaded: the downloaded image is missing or unreadable."
            ctx.log(message, "warning")
            return [message]
        ctx.progress(80, "Uploading the photo")
        try:
            await self.client.upload_image(
                recipe_id, photo.data, photo.filename, photo.content_type
            )
        except PhaseError as exc:
            message = f"The recipe was saved, but the photo could not be uploaded: {exc.message}"
            ctx.log(message, "warning")
            return [message]
        return []
