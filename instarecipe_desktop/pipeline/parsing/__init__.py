"""The parsing phase: post text -> structured recipe.

``create_parser`` picks the adapter from the settings: the LLM parser when an OpenAI-compatible
server is configured (``LLM_API_BASE_URL``), else the built-in offline parser.
``create_phase_parser`` (what the app runs) makes that choice again at every parse, so settings
changed while the app runs apply to the next item. Both are imported
lazily so that importing this package costs nothing and works while either side is absent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from instarecipe_desktop.core.paths import AppPaths
    from instarecipe_desktop.core.phases import RecipeParser
    from instarecipe_desktop.core.secrets import SecretStore
    from instarecipe_desktop.core.settings import Settings


def llm_configured(settings: Settings) -> bool:
    return bool(str(settings.get("LLM_API_BASE_URL") or "").strip())


def create_parser(settings: Settings, secrets: SecretStore, paths: AppPaths) -> RecipeParser:
    """The LLM parser when ``LLM_API_BASE_URL`` is set, else the offline parser."""
    if llm_configured(settings):
        from instarecipe_desktop.pipeline.parsing.llm import LLMRecipeParser

        return LLMRecipeParser.from_settings(settings, secrets)
    from instarecipe_desktop.pipeline.parsing.offline import OfflineRecipeParser

    return OfflineRecipeParser()


def create_phase_parser(settings: Settings, secrets: SecretStore, paths: AppPaths) -> RecipeParser:
    """The queue's parser: follows the LLM settings while the app runs (``auto.SettingsParser``)."""
    from instarecipe_desktop.pipeline.parsing.auto import SettingsParser

    return SettingsParser(settings, secrets)
