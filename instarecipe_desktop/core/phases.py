"""The three phase interfaces the queue engine knows. It knows nothing else of the world:
Instagram, LLMs and Tandoor live behind these, in ``pipeline/``.

The engine calls one phase at a time for an item, stores what it returns, and on a retry
resumes at the phase that failed, rebuilding its input from the stored outputs
(``Extraction.from_item``), so a retried upload never calls Instagram or the LLM again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from instarecipe_desktop.core.items import PhaseName, QueueItem
from instarecipe_desktop.core.recipe import Recipe


@dataclass
class Extraction:
    """Output of the extraction phase."""

    # caption, plus the author's comments / transcript when added; -> results.extracted_text
    text: str
    post: dict[str, Any] = field(default_factory=dict)  # metadata -> item.post
    thumbnail: str | None = None  # image path relative to the data dir -> results.thumbnail

    @classmethod
    def from_item(cls, item: QueueItem) -> Extraction:
        return cls(
            text=item.results.extracted_text or "",
            post=dict(item.post or {}),
            thumbnail=item.results.thumbnail,
        )


@dataclass
class ParseOutcome:
    """Output of the parsing phase."""

    recipe: Recipe  # -> results.recipe
    # {"model", "promptTokens", "completionTokens", "totalTokens"}
    usage: dict[str, Any] | None = None


@dataclass
class UploadOutcome:
    """Output of the uploading phase."""

    url: str  # browser URL of the result -> results.tandoor_url
    destination: str  # "tandoor" or "library" -> item.destination
    recipe_id: int | str | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. "the photo could not be uploaded"
    linked_existing: bool = False  # True when an existing recipe was found and linked


class PhaseContext(Protocol):
    """What a phase may use while it runs (given by the engine)."""

    @property
    def item(self) -> QueueItem:
        """A snapshot of the item (read-only for the phase)."""

    @property
    def phase(self) -> PhaseName: ...

    @property
    def data_dir(self) -> Path:
        """The app's data directory; media go below it (paths stored relative to it)."""

    def progress(self, percent: int, message: str | None = None) -> None:
        """Report progress 0-100 within this phase, with what is happening now."""

    def log(self, message: str, level: str = "info") -> None:
        """Add a line to the item's own log (shown in the details pane)."""


class Extractor(Protocol):
    async def extract(self, ctx: PhaseContext) -> Extraction: ...


class RecipeParser(Protocol):
    async def parse(self, ctx: PhaseContext, extraction: Extraction) -> ParseOutcome: ...


class Uploader(Protocol):
    async def upload(
        self, ctx: PhaseContext, recipe: Recipe, extraction: Extraction
    ) -> UploadOutcome: ...


@dataclass
class Phases:
    """The three adapters, plus what must be closed when the engine stops."""

    extractor: Extractor
    parser: RecipeParser
    uploader: Uploader
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def aclose(self) -> None:
        for close in self.closers:
            await close()
