"""Fixtures of the uploading tests: the fake Tandoor in both flavours, a phase context, data."""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from instarecipe_desktop.core.items import PhaseName, QueueItem
from instarecipe_desktop.core.phases import Extraction
from instarecipe_desktop.core.recipe import Ingredient, Recipe, Step
from instarecipe_desktop.pipeline.uploading.tandoor import (
    TandoorClient,
    TandoorUploader,
    UploadRecords,
)
from tests.fakes.fake_tandoor import TOKEN, V2, V15, FakeTandoor

POST_URL = "https://www.instagram.com/reel/C9xYz12AbCd/"


@dataclass
class RecordingContext:
    """A PhaseContext as the engine gives it, recording progress and log lines."""

    item: QueueItem
    data_dir: Path
    phase: PhaseName = PhaseName.UPLOADING
    progress_calls: list[tuple[int, str | None]] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)

    def progress(self, percent: int, message: str | None = None) -> None:
        assert 0 <= percent <= 100
        self.progress_calls.append((percent, message))

    def log(self, message: str, level: str = "info") -> None:
        self.lines.append((level, message))


def make_png(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xff\x80\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def sample_recipe(**changes: Any) -> Recipe:
    """The recorded full example (ex. 24) in the app's recipe model."""
    recipe = Recipe(
        name="Spaghetti Carbonara (Instagram)",
        description="Creamy carbonara without cream. Imported from an Instagram reel.",
        servings=4,
        servings_text="portions",
        working_time=15,
        waiting_time=10,
        keywords=["pasta", "italian"],
        language="en",
        steps=[
            Step(
                name="Prepare",
                instruction="Boil the spaghetti in salted water until al dente.",
                time=10,
                ingredients=[
                    Ingredient(
                        food="spaghetti",
                        amount=200,
                        unit="g",
                        note="cooked",
                        original_text="200 g spaghetti, cooked",
                    ),
                    Ingredient(
                        food="salt", amount=None, note="to taste", original_text="salt to taste"
                    ),
                ],
            ),
            Step(
                name="Sauce",
                instruction="Whisk **eggs** with pecorino, fry the guanciale.",
                ingredients=[
                    Ingredient(food="For the sauce", is_header=True),
                    Ingredient(food="egg yolk", amount=4, original_text="4 egg yolks"),
                    Ingredient(food="pecorino romano", amount=50.5, unit="g", note="finely grated"),
                ],
            ),
            Step(instruction="Serve immediately with black pepper."),
        ],
    )
    for key, value in changes.items():
        setattr(recipe, key, value)
    return recipe


def make_context(
    data_dir: Path,
    *,
    url: str = POST_URL,
    shortcode: str = "C9xYz12AbCd",
    post: dict[str, Any] | None = None,
    options: dict[str, Any] | None = None,
) -> RecordingContext:
    item = QueueItem(url=url, shortcode=shortcode, post=post, options=dict(options or {}))
    return RecordingContext(item=item, data_dir=data_dir)


def make_extraction(
    data_dir: Path, *, image: bytes | None = None, post: dict[str, Any] | None = None
) -> Extraction:
    thumbnail = None
    if image is not None:
        media = data_dir / "media"
        media.mkdir(parents=True, exist_ok=True)
        (media / "C9xYz12AbCd.jpg").write_bytes(image)
        thumbnail = "media/C9xYz12AbCd.jpg"
    return Extraction(
        text="caption", post=dict(post or {"canonicalUrl": POST_URL}), thumbnail=thumbnail
    )


@pytest.fixture(params=[V2, V15], ids=["tandoor-2.6", "tandoor-1.5"])
def tandoor(request: pytest.FixtureRequest) -> Iterator[FakeTandoor]:
    """The fake Tandoor in each flavour. Fails the test if a payload broke the schema."""
    with FakeTandoor(request.param) as server:
        yield server
        if not getattr(server, "violations_expected", False):
            assert server.schema_violations == [], "payload does not match the OpenAPI schema"


@pytest.fixture
def records(data_dir: Path) -> Iterator[UploadRecords]:
    store = UploadRecords(data_dir / "tandoor_uploads.sqlite3")
    yield store
    store.close()


@pytest.fixture
async def uploader(tandoor: FakeTandoor, records: UploadRecords) -> AsyncIterator[TandoorUploader]:
    client = TandoorClient(tandoor.base_url, TOKEN, timeout=5.0)
    up = TandoorUploader(client, records)
    yield up
    await up.aclose()


@pytest.fixture
def png() -> bytes:
    return make_png()
