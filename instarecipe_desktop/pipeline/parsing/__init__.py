"""The parsing phase: post text -> structured recipe.

``create_parser`` (the one chooser, for the app's queue and the CLI's ``parse``) picks the adapter
from the settings at every parse: the LLM parser when an OpenAI-compatible server is configured
(``LLM_API_BASE_URL``), else the built-in offline parser, so settings changed while the app runs
apply to the next item. Both are imported lazily so that importing this package costs nothing
and works while either side is absent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from instarecipe_desktop.core.paths import AppPaths
    from instarecipe_desktop.core.secrets import SecretStore
    from instarecipe_desktop.core.settings import Settings
    from instarecipe_desktop.pipeline.parsing.auto import SettingsParser


def llm_configured(settings: Settings) -> bool:
    return bool(str(settings.get("LLM_API_BASE_URL") or "").strip())


def create_parser(settings: Settings, secrets: SecretStore, paths: AppPaths) -> SettingsParser:
    """The parser that follows the LLM settings (``auto.SettingsParser``)."""
    from instarecipe_desktop.pipeline.parsing.auto import SettingsParser

    return SettingsParser(settings, secrets)
