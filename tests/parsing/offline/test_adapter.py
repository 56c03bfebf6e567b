"""OfflineRecipeParser as the parsing phase's adapter."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.core.items import PhaseName, QueueItem
from instarecipe_desktop.core.phases import Extraction, RecipeParser
from instarecipe_desktop.pipeline.parsing.offline import OfflineRecipeParser
from instarecipe_desktop.wiring.secrets import open_secret_store

from .conftest import FIXTURES

URL = "https://www.instagram.com/p/ABCDE12345/"


@dataclass
class RecordingContext:
    item: QueueItem
    data_dir: Path
    phase: PhaseName = PhaseName.PARSING
    progress_calls: list[int] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def progress(self, percent: int, message: str | None = None) -> None:
        self.progress_calls.append(percent)

    def log(self, message: str, level: str = "info") -> None:
        self.lines.append(message)


async def test_parse_gives_a_recipe_with_the_post_link_and_thumbnail(tmp_path: Path) -> None:
    parser: RecipeParser = OfflineRecipeParser()
    ctx = RecordingContext(QueueItem(url=URL), tmp_path)
    text = (FIXTURES / "pool171_tanindon-rice-cooker.txt").read_text(encoding="utf-8")
    outcome = await parser.parse(ctx, Extraction(text=text, thumbnail="media/abc.jpg"))
    assert outcome.usage is None
    assert outcome.recipe.source_url == URL
    assert outcome.recipe.image == "media/abc.jpg"
    assert len([i for i in outcome.recipe.ingredients if not i.is_header]) == 9
    assert ctx.progress_calls[-1] == 100
    assert any("9 ingredients" in line for line in ctx.lines)


async def test_no_recipe_is_a_permanent_error(tmp_path: Path) -> None:
    ctx = RecordingContext(QueueItem(url=URL), tmp_path)
    with pytest.raises(PermanentError) as caught:
        await OfflineRecipeParser().parse(ctx, Extraction(text="Best onsen in Beppu! #travel"))
    assert caught.value.code == "no_recipe"
    assert not caught.value.recoverable


async def test_create_parser_picks_the_offline_parser_without_an_llm(tmp_path: Path) -> None:
    from instarecipe_desktop.core.paths import resolve_paths
    from instarecipe_desktop.core.settings import Settings
    from instarecipe_desktop.pipeline.parsing import create_parser

    paths = resolve_paths(tmp_path)
    parser = create_parser(Settings(None, environ={}), open_secret_store(environ={}), paths)
    assert isinstance(await parser.current(), OfflineRecipeParser)


async def test_parsing_runs_off_the_event_loop_thread(tmp_path: Path, monkeypatch) -> None:
    """A hostile caption can take a few hundred ms: the window's thread must not run it."""
    import threading

    from instarecipe_desktop.pipeline.parsing.offline import adapter

    threads: list[threading.Thread] = []
    real = adapter.parse_caption

    def recording(text: str, **kwargs: object):
        threads.append(threading.current_thread())
        return real(text, **kwargs)

    monkeypatch.setattr(adapter, "parse_caption", recording)
    ctx = RecordingContext(QueueItem(url=URL), tmp_path)
    text = (FIXTURES / "pool171_tanindon-rice-cooker.txt").read_text(encoding="utf-8")
    await OfflineRecipeParser().parse(ctx, Extraction(text=text))
    assert threads and threads[0] is not threading.main_thread()
