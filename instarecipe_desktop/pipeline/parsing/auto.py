"""The parser the app runs: the LLM or the offline parser, chosen from the current settings at
every parse, so an LLM set up (or changed) in the welcome or the settings dialog is used by the
next item without restarting the app.

The LLM parser is kept while its settings stay the same (it remembers which response format the
server accepts). One replaced by new settings is closed with the app, not at once: another item
may still be waiting for its answer.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from instarecipe_desktop.core.phases import Extraction, ParseOutcome, PhaseContext, RecipeParser
from instarecipe_desktop.core.secrets import SecretStore
from instarecipe_desktop.core.settings import Settings

if TYPE_CHECKING:
    from instarecipe_desktop.pipeline.parsing.llm import LLMConfig


def _read_config(settings: Settings, secrets: SecretStore) -> LLMConfig | None:
    """Blocking (the keyring may block): call in an executor. None: no LLM configured."""
    from instarecipe_desktop.pipeline.parsing import llm_configured

    if not llm_configured(settings):
        return None
    from instarecipe_desktop.pipeline.parsing.llm import LLMConfig

    return LLMConfig.from_settings(settings, secrets)


class SettingsParser:
    """``RecipeParser`` that follows the LLM settings."""

    def __init__(self, settings: Settings, secrets: SecretStore) -> None:
        self.settings = settings
        self.secrets = secrets
        self._lock = asyncio.Lock()
        self._offline: RecipeParser | None = None
        self._llm: Any = None  # LLMRecipeParser
        self._retired: list[Any] = []

    async def parse(self, ctx: PhaseContext, extraction: Extraction) -> ParseOutcome:
        parser = await self.current()
        return await parser.parse(ctx, extraction)

    async def current(self) -> RecipeParser:
        """The parser the current settings choose (the next parse uses it)."""
        config = await asyncio.to_thread(_read_config, self.settings, self.secrets)
        return await self._parser(config)

    async def _parser(self, config: LLMConfig | None) -> RecipeParser:
        async with self._lock:
            if config is None:
                if self._offline is None:
                    from instarecipe_desktop.pipeline.parsing.offline import OfflineRecipeParser

                    self._offline = OfflineRecipeParser()
                return self._offline
            if self._llm is None or self._llm.config != config:
                from instarecipe_desktop.pipeline.parsing.llm import LLMRecipeParser

                if self._llm is not None:
                    self._retired.append(self._llm)
                self._llm = LLMRecipeParser(config)
            parser: RecipeParser = self._llm
            return parser

    async def aclose(self) -> None:
        async with self._lock:
            parsers = [*self._retired, *([self._llm] if self._llm is not None else [])]
            self._retired, self._llm = [], None
        for parser in parsers:
            await parser.aclose()
