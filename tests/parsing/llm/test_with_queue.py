"""The LLM parser inside the real queue engine (SQLite, processor, retries) and fake server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from instarecipe_desktop.core.backoff import Backoff
from instarecipe_desktop.core.items import ErrorKind, ItemStatus, PhaseName, PhaseStatus
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.phases import Phases
from instarecipe_desktop.core.processor import EngineTuning
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.parsing.llm import LLMConfig, LLMRecipeParser
from tests.fakes.fake_llm import FakeLLM
from tests.parsing.llm.conftest import CAPTION
from tests.support.fake_phases import FakePhases

FAST = EngineTuning(backoff=Backoff(base=0.01, factor=2.0, jitter=0.0))
URL = "https://www.instagram.com/p/LLMq{n}xyz/"


@asynccontextmanager
async def queue_with_llm(
    fake_llm: FakeLLM, caption: str, **env: str
) -> AsyncIterator[tuple[QueueManager, FakePhases]]:
    """Fake extraction and upload around the real LLM parser."""
    fakes = FakePhases(items={f"LLMq{n}xyz": {"text": caption} for n in range(3)})
    parser = LLMRecipeParser(
        LLMConfig(base_url=fake_llm.base_url, model="gpt-4o-mini", api_key="sk-test", timeout_s=5)
    )
    phases = Phases(
        extractor=fakes, parser=parser, uploader=fakes, closers=[parser.aclose, fakes.aclose]
    )
    manager = await QueueManager.open(
        resolve_paths(), Settings(None, environ=dict(env)), phases, tuning=FAST
    )
    try:
        await manager.start()
        yield manager, fakes
    finally:
        await manager.close()


async def run_one(manager: QueueManager) -> Any:
    item_id = (await manager.enqueue(URL.format(n=1))).item.id
    await manager.wait_until_idle()
    return manager.get(item_id)


async def test_queue_stores_the_recipe_and_token_usage(fake_llm: FakeLLM) -> None:
    async with queue_with_llm(fake_llm, CAPTION) as (manager, fakes):
        item = await run_one(manager)
    assert item.status is ItemStatus.SUCCESS
    assert item.results.recipe is not None and item.results.recipe["name"] == "Fluffy Pancakes"
    assert item.usage is not None and item.usage["totalTokens"] > 0
    assert any("tokens" in entry.message for entry in item.log)
    assert fakes.count("uploading") == 1


async def test_sdk_and_queue_retries_do_not_multiply(fake_llm: FakeLLM) -> None:
    """QUEUE_RETRY_ATTEMPTS=2 against a server that always says 429: 3 requests, then error."""
    fake_llm.script({"fault": "rate_limit", "retry_after": 0, "times": 10})
    async with queue_with_llm(fake_llm, "Pancakes", QUEUE_RETRY_ATTEMPTS="2") as (manager, _):
        item = await run_one(manager)
    assert len(fake_llm.chat_requests) == 3
    assert item.status is ItemStatus.ERROR
    assert item.attempts == 3


async def test_no_recipe_fails_the_item_and_keeps_the_text(fake_llm: FakeLLM) -> None:
    fake_llm.script({"fault": "no_recipe"})
    async with queue_with_llm(fake_llm, "Sunset at the beach #nofilter") as (manager, _):
        item = await run_one(manager)
    assert item.status is ItemStatus.ERROR
    assert item.error.kind is ErrorKind.PERMANENT
    assert item.error.message == "No recipe found in this post."
    assert item.results.extracted_text == "Sunset at the beach #nofilter"
    assert item.phase(PhaseName.PARSING).status is PhaseStatus.ERROR
    assert len(fake_llm.chat_requests) == 1  # permanent: no automatic retry


async def test_a_rate_limited_item_recovers_on_the_queue_retry(fake_llm: FakeLLM) -> None:
    fake_llm.script({"fault": "rate_limit", "retry_after": 0})
    async with queue_with_llm(fake_llm, CAPTION) as (manager, fakes):
        item = await run_one(manager)
    assert item.status is ItemStatus.SUCCESS
    assert len(fake_llm.chat_requests) == 2
    assert fakes.count("extraction") == 1  # the retry resumed at parsing


async def test_unusable_answers_fail_the_item_with_the_raw_answers_in_its_details(
    fake_llm: FakeLLM,
) -> None:
    fake_llm.script({"fault": "wrong_schema"}, {"fault": "invalid_json"})
    async with queue_with_llm(fake_llm, "Pancakes\n2 eggs") as (manager, _):
        item = await run_one(manager)
    assert item.status is ItemStatus.ERROR
    assert item.error.code == "llm_invalid_output"
    assert '"title": "Pancakes"' in item.error.details
    assert "Here is the recipe you asked for" in item.error.details
    assert any("tokens" in entry.message for entry in item.log)  # usage logged even so
