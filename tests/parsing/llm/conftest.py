"""Fixtures of the LLM parser tests: the fake server, a recording phase context, a parser."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from instarecipe_desktop.core.items import PhaseName, QueueItem
from instarecipe_desktop.pipeline.parsing.llm import LLMConfig, LLMRecipeParser
from tests.fakes.fake_llm import FakeLLM, fake_llm  # noqa: F401  (the fixture)

DATA_DIR = Path(__file__).parent / "data"
REPO_ROOT = Path(__file__).resolve().parents[2]
POST_URL = "https://www.instagram.com/p/C0ffee12345/"
CAPTION = """Fluffy pancakes 🥞 (4 stacks)

For the batter:
• 1 1/2 cups flour
• 2 tbsp sugar
• 1 1/4 cups milk
• 2 eggs
• 60 g butter, half melted into the batter, the rest for frying
Salt to taste

Melt the butter. Whisk everything, fry in the rest of the butter.
Use code PANCAKE10 for 10% off my pan! Link in bio #breakfast #pancakes"""


def load_recorded(name: str) -> dict[str, Any]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@dataclass
class RecordingContext:
    """What the engine gives a phase, recording progress and log lines."""

    item: QueueItem = field(default_factory=lambda: QueueItem(url=POST_URL))
    phase: PhaseName = PhaseName.PARSING
    data_dir: Path = Path(".")
    progress_calls: list[tuple[int, str | None]] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)

    def progress(self, percent: int, message: str | None = None) -> None:
        self.progress_calls.append((percent, message))

    def log(self, message: str, level: str = "info") -> None:
        self.lines.append((level, message))


@pytest.fixture
def ctx() -> RecordingContext:
    return RecordingContext()


MakeParser = Callable[..., LLMRecipeParser]


@pytest.fixture
async def make_parser(fake_llm: FakeLLM) -> AsyncIterator[MakeParser]:  # noqa: F811
    """Parsers against the fake server (closed after the test)."""
    made: list[LLMRecipeParser] = []

    def make(**config: Any) -> LLMRecipeParser:
        values: dict[str, Any] = {
            "base_url": fake_llm.base_url,
            "model": "gpt-4o-mini",
            "api_key": "sk-test-key",
            "timeout_s": 5.0,
        }
        values.update(config)
        parser = LLMRecipeParser(LLMConfig(**values))
        made.append(parser)
        return parser

    yield make
    for parser in made:
        await parser.aclose()
