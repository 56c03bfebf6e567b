"""The LLM connection settings and the ``AsyncOpenAI`` client built from them."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx2
import openai

from instarecipe_desktop.core.secrets import LLM_API_KEY, SecretReader
from instarecipe_desktop.core.settings import Settings

# Local servers (Ollama, LM Studio, vLLM without --api-key) ignore the key, but the SDK
# refuses to build a client without one.
PLACEHOLDER_API_KEY = "not-needed"
CONNECT_TIMEOUT_S = 10.0
# The SDK retries 429/5xx/timeouts twice by default; the queue has its own retry policy with
# backoff, so the SDK must not multiply it (3 queue attempts x 3 SDK attempts = 9 calls).
SDK_MAX_RETRIES = 0


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str = ""  # empty: use the server's only model, if it has exactly one
    api_key: str | None = field(default=None, repr=False)
    language: str | None = None  # RECIPE_LANGUAGE; None keeps the post's language
    timeout_s: float = 270.0  # one request
    vision: bool = False  # LLM_VISION: send the pictures when the caption holds no recipe

    @classmethod
    def from_settings(cls, settings: Settings, secrets: SecretReader) -> LLMConfig:
        # a little under the parsing phase's limit, so the SDK's timeout (with its clear
        # message) fires before the engine cancels the phase
        phase_limit_s = int(settings.get("QUEUE_PARSE_TIMEOUT_MS")) / 1000
        return cls(
            base_url=str(settings.get("LLM_API_BASE_URL")).strip(),
            model=str(settings.get("LLM_MODEL")).strip(),
            api_key=secrets.get(LLM_API_KEY) or None,
            language=str(settings.get("RECIPE_LANGUAGE")).strip() or None,
            timeout_s=max(1.0, phase_limit_s * 0.9),
            vision=bool(settings.get("LLM_VISION")),
        )


def make_client(config: LLMConfig) -> openai.AsyncOpenAI:
    """An SDK client without retries of its own; nothing is sent until the first call."""
    return openai.AsyncOpenAI(
        base_url=config.base_url,
        api_key=config.api_key or PLACEHOLDER_API_KEY,
        max_retries=SDK_MAX_RETRIES,
        timeout=httpx2.Timeout(config.timeout_s, connect=min(CONNECT_TIMEOUT_S, config.timeout_s)),
    )
