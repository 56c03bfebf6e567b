"""Phase adapters that are still being built.

Importing the real adapters (instaloader, openai, httpx) takes a second or more; the window
should not wait for it. These stand-ins let the queue engine open at once: a phase that starts
before the adapters are ready waits for them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.core.phases import (
    Extraction,
    ParseOutcome,
    PhaseContext,
    Phases,
    UploadOutcome,
)
from instarecipe_desktop.core.recipe import Recipe


class DeferredPhases:
    def __init__(self, building: asyncio.Future[Phases]) -> None:
        self._building = building

    async def _real(self) -> Phases:
        try:
            return await asyncio.shield(self._building)
        except Exception as exc:  # the adapters could not be built: every item says why
            raise PermanentError(
                f"The app's adapters could not start: {exc}",
                suggestion="Check the settings, then retry.",
                code="adapters_unavailable",
            ) from None

    async def extract(self, ctx: PhaseContext) -> Extraction:
        return await (await self._real()).extractor.extract(ctx)

    async def parse(self, ctx: PhaseContext, extraction: Extraction) -> ParseOutcome:
        return await (await self._real()).parser.parse(ctx, extraction)

    async def upload(
        self, ctx: PhaseContext, recipe: Recipe, extraction: Extraction
    ) -> UploadOutcome:
        return await (await self._real()).uploader.upload(ctx, recipe, extraction)

    async def aclose(self) -> None:
        try:
            phases = await asyncio.shield(self._building)
        except Exception:
            return
        await phases.aclose()

    def phases(self) -> Phases:
        return Phases(extractor=self, parser=self, uploader=self, closers=[self.aclose])


def deferred(building: asyncio.Future[Any]) -> Phases:
    return DeferredPhases(building).phases()
