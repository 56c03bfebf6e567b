"""The parser the app runs follows the settings: an LLM set up (or changed) after the start is
used by the next parse, without restarting the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.phases import Extraction
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.parsing import create_parser
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.fakes.fake_llm import FakeLLM
from tests.parsing.llm.conftest import CAPTION, RecordingContext

NOT_A_RECIPE = "Best onsen in Beppu! #travel"


async def test_an_llm_configured_after_the_start_is_used(
    fake_llm: FakeLLM, tmp_path: Path, ctx: RecordingContext
) -> None:
    settings = Settings(tmp_path / "settings.json", environ={})
    parser = create_parser(settings, open_secret_store(environ={}), resolve_paths(tmp_path))
    try:
        with pytest.raises(PermanentError):  # the offline parser: no recipe in this text
            await parser.parse(ctx, Extraction(text=NOT_A_RECIPE))
        assert fake_llm.chat_requests == []

        settings.set("LLM_API_BASE_URL", fake_llm.base_url)  # what Settings / Welcome do
        settings.set("LLM_MODEL", "gpt-4o-mini")
        outcome = await parser.parse(ctx, Extraction(text=CAPTION))
        assert outcome.recipe.name
        [request] = fake_llm.chat_requests
        assert request["json"]["model"] == "gpt-4o-mini"

        fake_llm.configure(models=["gpt-4o-mini", "qwen2.5:7b"])
        settings.set("LLM_MODEL", "qwen2.5:7b")  # a changed model is used at once, too
        await parser.parse(ctx, Extraction(text=CAPTION))
        assert fake_llm.chat_requests[-1]["json"]["model"] == "qwen2.5:7b"

        settings.set("LLM_API_BASE_URL", "")  # and switching the LLM off goes back offline
        with pytest.raises(PermanentError):
            await parser.parse(ctx, Extraction(text=NOT_A_RECIPE))
        assert len(fake_llm.chat_requests) == 2
    finally:
        await parser.aclose()
