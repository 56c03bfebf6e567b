"""Recipe parsing with any OpenAI-compatible LLM server (OpenAI, Ollama, LM Studio, vLLM,
OpenRouter). See ``docs/llm.md`` for tested settings.

Wiring: ``parser = LLMRecipeParser.from_settings(settings, secrets)``; add ``parser.aclose`` to
``Phases.closers``; the settings dialog calls ``await parser.test_connection()``.
"""

from instarecipe_desktop.pipeline.parsing.llm.client import LLMConfig, make_client
from instarecipe_desktop.pipeline.parsing.llm.parser import (
    NO_RECIPE_MESSAGE,
    ConnectionCheck,
    LLMRecipeParser,
)
from instarecipe_desktop.pipeline.parsing.llm.prompt import ResponseMode

__all__ = [
    "NO_RECIPE_MESSAGE",
    "ConnectionCheck",
    "LLMConfig",
    "LLMRecipeParser",
    "ResponseMode",
    "make_client",
]
