"""Extremely long, empty-looking and emoji-only captions through the real queue engine with
the real parsers (offline, and the LLM parser against the fake server): each ends saved or
with a clear item error, never a crash; a huge caption is not sent to the LLM whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.fake_llm import FakeLLM
from tests.reliability.conftest import assert_clear_failure, process_texts

RECIPE = "Pancakes\n\nIngredients:\n200 g flour\n2 eggs\n300 ml milk\n\nWhisk and fry in butter.\n"
CAPTIONS = {
    "EXTREME01": "🥞🍳🔥😋" * 50,  # emoji only
    "EXTREME02": "\u200b\u200f \n\t.",  # looks empty
    "EXTREME03": RECIPE + ("so good! " * 120_000),  # about 1 MB
    "EXTREME04": "x" * 2_200,  # Instagram's limit, no recipe
    "EXTREME05": RECIPE * 3 + "#food " * 300,
    "EXTREME06": "\x00\x1b[31m" + RECIPE + "\ufffd\ud7ff",
}


def check(items: list, parser: str) -> None:
    assert len(items) == len(CAPTIONS)
    for item in items:
        assert item.status.value in ("success", "error"), (parser, item.shortcode, item.status)
        if item.status.value == "error":
            assert_clear_failure(item)


async def test_offline_parser(data_dir: Path) -> None:
    items = await process_texts(data_dir, {}, CAPTIONS)
    check(items, "offline")
    saved = {item.shortcode for item in items if item.status.value == "success"}
    assert "EXTREME05" in saved  # a real recipe with a tail of hashtags is still a recipe


@pytest.mark.parametrize("answer", ["recipe", "no_recipe"])
async def test_llm_parser(data_dir: Path, answer: str) -> None:
    with FakeLLM() as llm:
        if answer == "no_recipe":
            llm.script({"fault": "no_recipe", "times": 20})
        items = await process_texts(
            data_dir, {"LLM_API_BASE_URL": llm.base_url, "LLM_MODEL": "gpt-4o-mini"}, CAPTIONS
        )
        sizes = [r["bodyLength"] for r in llm.chat_requests]
    check(items, f"llm/{answer}")
    assert sizes and max(sizes) < 400_000, "a 1 MB caption went to the LLM whole"
