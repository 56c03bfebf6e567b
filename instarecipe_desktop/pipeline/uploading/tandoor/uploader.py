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
``updateInPlace`` ("send again", ``resend``) PATCHes the recipe known for this post with what
is sent now (steps, ingredients, keywords and photo replaced) and reads it back; a recipe
deleted in Tandoor meanwhile is said in the log and a new one is created.

"Saved" means read back and compared (``readback.py``): after every create, Tandoor's copy is
fetched and must hold every step, ingredient and keyword that was sent. Tandoor's creates are
not atomic: one that answers 500 may have written the recipe row without steps (README pitfall
12). A recipe that the app's own record proves the app made (a pending create, or a created
row not yet verified) is completed with a PATCH, or deleted and created again when that does
not work; a recipe the app did not make is never changed or deleted, and an empty one is not
taken for the saved recipe. Creates and updates to one server never overlap: ``write_lock``
(one per Tandoor address, shared by the uploaders of that address) serialises them, because
two creates that add new foods or keywords at the same moment collide in Tandoor's trees.

The photo goes up after the create, as multipart bytes, and is read back too: when Tandoor
failed it or did not keep it, it is sent once more; when it is still not there, the phase fails
(recoverable) saying that the recipe is there without its photo, and the next attempt finds the
recipe by the app's record and only sends the photo. Bytes Tandoor refuses (permanent) leave
the recipe saved with a warning. Never a retry that would duplicate the recipe.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from instarecipe_desktop.core.errors import PermanentError, PhaseError, RecoverableError
from instarecipe_desktop.core.items import FORCE_NEW_RECIPE, UPDATE_IN_PLACE
from instarecipe_desktop.core.phases import Extraction, PhaseContext, UploadOutcome
from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.core.store import storage_problem
from instarecipe_desktop.pipeline.uploading import post_info
from instarecipe_desktop.pipeline.uploading.tandoor.client import ServerInfo, TandoorClient
from instarecipe_desktop.pipeline.uploading.tandoor.errors import CreateUnconfirmed
from instarecipe_desktop.pipeline.uploading.tandoor.payload import build_recipe_payload
from instarecipe_desktop.pipeline.uploading.tandoor.readback import (
    differences,
    is_shell,
    summary,
)
from instarecipe_desktop.pipeline.uploading.tandoor.records import OwnRecipe, UploadRecords
from instarecipe_desktop.pipeline.uploading.tandoor.space_names import NameChoices, SpaceNames

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


# a recipe created this long before the app's first unconfirmed create for the post is not
# the app's (tolerates a server clock that runs behind)
_CLOCK_SKEW = timedelta(minutes=15)


@dataclass(frozen=True)
class _Found:
    """A recipe found for the post; ``own``: the app's record proves the app made it and it
    was never confirmed complete, so it may be completed or deleted."""

    recipe_id: int
    details: dict[str, Any] | None
    own: bool


def _own_unfinished(record: OwnRecipe | None, details: dict[str, Any] | None) -> bool:
    if record is None or record.state != "created" or details is None:
        return False
    if record.verified is None:  # written before read-back existed: only an empty one
        return is_shell(details)
    return not record.verified


def _created_after(details: dict[str, Any], pending_at: str | None) -> bool:
    """The recipe was created after (or around) the app's first unconfirmed create."""
    if not pending_at:
        return False
    try:
        created = datetime.fromisoformat(str(details.get("created_at") or ""))
        sent = datetime.fromisoformat(pending_at)
    except ValueError:
        return True  # no usable time: the pending record and the exact name+source decide
    if created.tzinfo is None or sent.tzinfo is None:
        return True
    return created >= sent - _CLOCK_SKEW


class IncompleteRecipe(RecoverableError):
    """Tandoor's copy does not hold what was sent, even after completing it."""

    def __init__(self, message: str, **kwargs: Any) -> None:
        kwargs.setdefault("code", "tandoor_incomplete")
        kwargs.setdefault(
            "suggestion",
            "It is tried again automatically; the app completes its own recipe then.",
        )
        super().__init__(message, **kwargs)


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
        write_lock: asyncio.Lock | None = None,
        reuse_names: bool = True,
    ) -> None:
        self.client = client
        self.reuse_names = reuse_names
        self.space_names = SpaceNames(client)
        self.write_lock = write_lock or asyncio.Lock()
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
        force = bool(ctx.item.options.get(FORCE_NEW_RECIPE))
        base = self.client.base_url

        ctx.progress(5, "Connecting to Tandoor")
        server = await self.client.server_info()
        if ctx.item.options.get(UPDATE_IN_PLACE) and not force:
            updated = await self._update_in_place(ctx, server, payload.body, source, extraction)
            if updated is not None:
                return updated
            force = True  # said so in the log: a new recipe, not a link to another copy
        ctx.progress(15, "Looking for this post in Tandoor")
        found = await self._find_existing(ctx, server, source, payload.body["name"], force)
        if found is not None and found.details is not None and found.own:
            if differences(payload.body, found.details):
                async with self.write_lock:
                    choices = await self._choose_names(ctx, payload.body)
                    recipe_id = await self._make_complete(
                        ctx, found.recipe_id, payload.body, source, found.details
                    )
                self._names_saved(ctx, choices)
                return await self._saved(ctx, server, recipe_id, extraction, linked=False)
            await asyncio.to_thread(self.records.mark_verified, base, found.recipe_id)
        if (
            found is not None
            and found.details is not None
            and not found.own
            and is_shell(found.details)
            and payload.body["steps"]
        ):
            ctx.log(
                f"Tandoor has an empty recipe {found.recipe_id} for this post that the app did "
                "not make; it is left alone and a new one is created.",
                "warning",
            )
            found = None
        if found is not None:
            recipe_id, details = found.recipe_id, found.details
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
        async with self.write_lock:
            choices = await self._choose_names(ctx, payload.body)
            recipe_id = await self._create(ctx, payload.body, source, force)
            ctx.log(f"Created recipe {recipe_id} in {server.label}.")
            ctx.progress(60, "Checking what Tandoor saved")
            recipe_id = await self._make_complete(ctx, recipe_id, payload.body, source, None)
        self._names_saved(ctx, choices)
        return await self._saved(ctx, server, recipe_id, extraction, linked=False)

    async def _update_in_place(
        self,
        ctx: PhaseContext,
        server: ServerInfo,
        body: dict[str, Any],
        source: str,
        extraction: Extraction,
    ) -> UploadOutcome | None:
        """Put the recipe into the Tandoor recipe known for this post (the person asked for it,
        so also one they edited). None when there is none any more: the caller creates one."""
        base = self.client.base_url
        known = await asyncio.to_thread(self.records.known_recipe, base, source)
        if known is None:
            ctx.log(
                f"No recipe of this post is known in {server.label}; a new one is created.",
                "warning",
            )
            return None
        ctx.progress(30, f"Updating recipe {known} in Tandoor")
        async with self.write_lock:
            details = await self.client.get_recipe(known)
            choices = None
            if details is not None:
                choices = await self._choose_names(ctx, body)
                details = await self.client.update_recipe(known, body)
            if details is None:
                ctx.log(
                    f"Recipe {known} was deleted in Tandoor meanwhile; a new recipe is created "
                    "instead.",
                    "warning",
                )
                await asyncio.to_thread(self.records.forget, base, known)
                return None
            ctx.progress(60, "Checking what Tandoor saved")
            problems = differences(body, await self.client.get_recipe(known))
            if problems:
                raise IncompleteRecipe(
                    f"Tandoor did not keep the whole update of recipe {known} "
                    f"({summary(problems)}).",
                    suggestion="It is tried again automatically; the recipe is updated again.",
                )
        await asyncio.to_thread(self.records.mark_verified, base, known)
        ctx.log(f"Updated recipe {known} in place.")
        self._names_saved(ctx, choices)
        return await self._saved(ctx, server, known, extraction, linked=False)

    async def _saved(
        self,
        ctx: PhaseContext,
        server: ServerInfo,
        recipe_id: int,
        extraction: Extraction,
        *,
        linked: bool,
    ) -> UploadOutcome:
        warnings = await self._upload_photo(ctx, recipe_id, extraction)
        ctx.progress(100, "Saved in Tandoor")
        return UploadOutcome(
            url=self.client.view_url(recipe_id, server),
            destination=self.destination,
            recipe_id=recipe_id,
            warnings=warnings,
            linked_existing=linked,
        )

    # -- create, read back, complete ----------------------------------------------------------

    async def _create(
        self, ctx: PhaseContext, body: dict[str, Any], source: str, force: bool
    ) -> int:
        """POST the recipe (the caller holds ``write_lock``); a lost or failed answer is looked
        up at once. Returns the id, not yet verified."""
        base = self.client.base_url
        row = await asyncio.to_thread(
            self.records.mark_pending, base, source, ctx.item.id, body["name"]
        )
        try:
            created = await self.client.create_recipe(body)
            recipe_id = int(created["id"])
        except CreateUnconfirmed as lost:
            ctx.log(
                "Tandoor did not confirm the new recipe; checking whether it was saved.", "warning"
            )
            try:
                found = await self._find_lost_create(source, body["name"], force)
            except PhaseError as exc:
                if exc.code == "tandoor_auth":
                    raise
                log.info("Looking for a lost create failed: %s", exc.message)
                raise lost from None
            if found is None:
                raise lost
            recipe_id = found[0]
            ctx.log(f"The recipe had been saved as {recipe_id}.")
        # on any other failure the pending row stays: it only makes the next attempt look first
        await asyncio.to_thread(self.records.mark_created, row, recipe_id)
        await asyncio.to_thread(self.records.resolve_pending, base, source, recipe_id)
        return recipe_id

    async def _make_complete(
        self,
        ctx: PhaseContext,
        recipe_id: int,
        body: dict[str, Any],
        source: str,
        details: dict[str, Any] | None,
    ) -> int:
        """Read the app's own recipe back; complete it with a PATCH, or delete it and create it
        once more; raise ``IncompleteRecipe`` when Tandoor still does not keep it. The caller
        holds ``write_lock``. Returns the id of the complete recipe."""
        base = self.client.base_url
        got = details if details is not None else await self.client.get_recipe(recipe_id)
        problems = differences(body, got)
        if not problems:
            await asyncio.to_thread(self.records.mark_verified, base, recipe_id)
            return recipe_id
        if got is not None:
            ctx.log(
                f"Recipe {recipe_id} in Tandoor is incomplete ({summary(problems)}); putting "
                "the rest in place.",
                "warning",
            )
            try:
                await self.client.update_recipe(recipe_id, body)
                got = await self.client.get_recipe(recipe_id)
            except PhaseError as exc:
                if exc.code == "tandoor_auth":
                    raise
                ctx.log(f"Completing recipe {recipe_id} failed: {exc.message}", "warning")
            problems = differences(body, got)
            if not problems:
                await asyncio.to_thread(self.records.mark_verified, base, recipe_id)
                ctx.log(f"Completed recipe {recipe_id}.")
                return recipe_id
            ctx.log(
                f"Recipe {recipe_id} could not be completed; it is deleted and created again.",
                "warning",
            )
            if not await self._delete_own(recipe_id):
                # creating it again now would leave two: the next attempt finishes this one
                raise IncompleteRecipe(
                    f"Tandoor did not keep the whole recipe ({summary(problems)}) and the "
                    "unfinished copy could not be removed yet."
                )
        else:
            await asyncio.to_thread(self.records.forget, base, recipe_id)
        new_id = await self._create(ctx, body, source, force=True)
        got = await self.client.get_recipe(new_id)
        problems = differences(body, got)
        if problems:
            await self._delete_own(new_id)
            raise IncompleteRecipe(f"Tandoor did not keep the whole recipe: {summary(problems)}.")
        await asyncio.to_thread(self.records.mark_verified, base, new_id)
        ctx.log(f"Created recipe {new_id} again, complete this time.")
        return new_id

    async def _delete_own(self, recipe_id: int) -> bool:
        """Delete a recipe the app made and could not complete; its record goes with it.
        False when Tandoor did not confirm the delete (the record stays, unverified)."""
        base = self.client.base_url
        try:
            await self.client.delete_recipe(recipe_id)
        except PhaseError as exc:
            if exc.code == "tandoor_auth":
                raise
            log.info("Deleting unfinished recipe %s failed: %s", recipe_id, exc.message)
            return False  # the record stays unverified: the next attempt completes or deletes it
        await asyncio.to_thread(self.records.forget, base, recipe_id)
        return True

    # -- the person's own foods, units and keywords -----------------------------------------

    async def _choose_names(self, ctx: PhaseContext, body: dict[str, Any]) -> NameChoices | None:
        """Put the space's own names into ``body`` (the caller holds ``write_lock``, so the
        names a create before this one added are known)."""
        if not self.reuse_names:
            return None
        choices = await self.space_names.choose(body)
        for kind in choices.unread:
            ctx.log(
                f"Your Tandoor's {kind}s could not be read; the recipe's {kind} names are sent "
                "as they are.",
                "warning",
            )
        return choices

    def _names_saved(self, ctx: PhaseContext, choices: NameChoices | None) -> None:
        if choices is None:
            return
        for line in choices.log_lines():
            ctx.log(line)
        self.space_names.learn(choices)

    # -- exactly once -------------------------------------------------------------------------

    async def _find_existing(
        self, ctx: PhaseContext, server: ServerInfo, source: str, name: str, force: bool
    ) -> _Found | None:
        base = self.client.base_url
        if force:
            own = await asyncio.to_thread(self.records.pending, base, source, ctx.item.id)
            if own is None:
                return None
            lost = await self._find_lost_create(source, own.name or name, force=True)
            return None if lost is None else _Found(lost[0], lost[1], own=True)

        known = await asyncio.to_thread(self.records.known_recipe, base, source)
        if known is not None:
            details = await self.client.get_recipe(known)
            if details is not None:
                record = await asyncio.to_thread(self.records.own_recipe, base, known)
                return _Found(known, details, own=_own_unfinished(record, details))
            ctx.log(f"Recipe {known} was deleted in Tandoor; the post is uploaded again.")
            await asyncio.to_thread(self.records.forget, base, known)

        pending = await asyncio.to_thread(self.records.pending, base, source)
        if pending is not None:
            found = await self._find_lost_create(source, pending.name or name, force=False)
            if found is not None:
                await asyncio.to_thread(self.records.resolve_pending, base, source, found[0])
                return _Found(found[0], found[1], own=True)

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
            details = await self.client.get_recipe(chosen)
            record = await asyncio.to_thread(self.records.own_recipe, base, chosen)
            return _Found(chosen, details, own=_own_unfinished(record, details))
        if check.found:  # 1.5: a boolean only -> find the id by name
            found = await self._find_by_name(source, name, exclude=set())
            if found is not None:
                record = await asyncio.to_thread(self.records.own_recipe, base, found[0])
                return _Found(found[0], found[1], own=_own_unfinished(record, found[1]))
            raise PermanentError(
                f"This post is already in your Tandoor ({server.label} says a recipe has this "
                "source), but this version does not say which one.",
                suggestion='Find it by its link in Tandoor, or use "Send again as a new '
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
        pending_at = await asyncio.to_thread(self.records.first_pending_at, base, source)
        # a failed search is no answer: the caller must not take it for "not saved"
        found = await self._find_by_name(source, name, exclude=exclude)
        if found is not None and not _created_after(found[1], pending_at):
            log.info("Recipe %s predates the app's create: not the lost one", found[0])
            return None
        return found

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
        problem = ""
        for attempt in (1, 2):
            ctx.progress(80, "Uploading the photo")
            try:
                await self.client.upload_image(
                    recipe_id, photo.data, photo.filename, photo.content_type
                )
            except PhaseError as exc:
                if exc.code == "tandoor_auth":
                    raise
                if not exc.recoverable:  # e.g. Tandoor refuses the bytes: sending again is no use
                    message = (
                        f"The recipe was saved, but the photo could not be uploaded: {exc.message}"
                    )
                    ctx.log(message, "warning")
                    return [message]
                problem = exc.message.rstrip(".")
            else:
                ctx.progress(90, "Checking the photo in Tandoor")
                details = await self.client.get_recipe(recipe_id)
                if details is not None and details.get("image"):
                    return []
                problem = "Tandoor answered, but the recipe has no image"
            if attempt == 1:
                ctx.log(
                    f"The photo is not in Tandoor ({problem}); sending it once more.", "warning"
                )
        raise RecoverableError(
            f"Recipe {recipe_id} is in Tandoor with all its steps, but without its photo: "
            f"{problem}.",
            code="tandoor_photo_missing",
            suggestion="It is tried again automatically; only the photo is sent again.",
        )
