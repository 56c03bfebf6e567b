"""The offline parser as the parsing phase's adapter (``RecipeParser`` of ``core.phases``)."""

from __future__ import annotations

import asyncio

from instarecipe_desktop.core.phases import Extraction, ParseOutcome, PhaseContext
from instarecipe_desktop.pipeline.parsing.offline.parser import parse_caption


class OfflineRecipeParser:
    """Rules only: no network, no key, no model. A real caption takes about a millisecond,
    but a hostile 40,000-character text can take a few hundred: it runs in a worker thread
    so the window never waits for it."""

    async def parse(self, ctx: PhaseContext, extraction: Extraction) -> ParseOutcome:
        ctx.progress(10, "Reading the recipe (built-in parser)")
        recipe = await asyncio.to_thread(parse_caption, extraction.text, source_url=ctx.item.url)
        if extraction.thumbnail and not recipe.image:
            recipe.image = extraction.thumbnail
        count = sum(1 for i in recipe.ingredients if not i.is_header)
        ctx.log(f"Built-in parser: {count} ingredients in {len(recipe.steps)} steps")
        if recipe.uncertain:
            ctx.log(
                f"Built-in parser is not sure: {'; '.join(recipe.uncertain_reasons)}", "warning"
            )
        ctx.progress(100)
        return ParseOutcome(recipe=recipe, usage=None)
