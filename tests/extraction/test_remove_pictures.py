"""Removing an item deletes every picture its extraction downloaded, in a real data folder:
the real extractor reads a carousel from the fake Instagram, the queue engine stores it."""

from __future__ import annotations

from pathlib import Path

from instarecipe_desktop.core.items import ItemStatus
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.phases import Phases
from instarecipe_desktop.core.secrets import SecretStore
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.extraction.extractor import InstagramExtractor
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.readers.health import ReaderHealth
from tests.core.conftest import FAST
from tests.extraction.conftest import JPEG, FakeInstagram, Response
from tests.support.fake_phases import FakePhases

CAROUSEL = "https://www.instagram.com/p/C7carousel1/"
PHOTO = "https://www.instagram.com/p/C7photo0001/"


async def test_removing_a_carousel_item_deletes_all_its_pictures_and_nothing_else(
    fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    for name in ("C7photo0001", "C7carousel1", "car_a", "car_b", "car_c"):
        fake_instagram.server.route(
            "GET", f"/img/{name}.jpg", Response(200, JPEG, {"Content-Type": "image/jpeg"})
        )
    paths = resolve_paths()
    settings = Settings(None, environ={})
    extractor = InstagramExtractor(
        settings,
        SecretStore(),
        paths,
        pacer=RequestPacer(0.0),
        readers=("instaloader",),
        health=ReaderHealth(None),
    )
    fake = FakePhases()
    phases = Phases(extractor=extractor, parser=fake, uploader=fake, closers=[extractor.aclose])
    manager = await QueueManager.open(paths, settings, phases, tuning=FAST)
    try:
        await manager.start()
        carousel = (await manager.enqueue(CAROUSEL)).item.id
        photo = (await manager.enqueue(PHOTO)).item.id
        await manager.wait_until_idle()
        item = manager.get(carousel)
        assert item.status is ItemStatus.SUCCESS, item.error
        pictures = [data_dir / p for p in item.post["pictures"]]
        assert len(pictures) == 3 and all(p.read_bytes() == JPEG for p in pictures)
        other = data_dir / manager.get(photo).results.thumbnail
        stray = paths.media_dir / "not-an-item.jpg"
        stray.write_bytes(JPEG)

        assert (await manager.remove(carousel)).success
    finally:
        await manager.close()
    assert [p for p in pictures if p.exists()] == []
    assert other.read_bytes() == JPEG  # the other item's photo stays
    assert stray.exists()
    assert sorted(p.name for p in paths.media_dir.iterdir()) == [
        "C7photo0001.jpg",
        "not-an-item.jpg",
    ]


async def test_pictures_listed_outside_the_media_folder_are_left_alone(
    data_dir: Path,
) -> None:
    paths = resolve_paths()
    manager = await QueueManager.open(
        paths, Settings(None, environ={}), FakePhases().phases(), tuning=FAST
    )
    try:
        item_id = (await manager.enqueue(PHOTO)).item.id
        outside = data_dir / "mine.jpg"
        outside.write_bytes(JPEG)
        paths.media_dir.mkdir(parents=True, exist_ok=True)
        inside = paths.media_dir / "C7photo0001-2.jpg"
        inside.write_bytes(JPEG)
        stored = manager._state.get(item_id)
        stored.post = {"pictures": ["mine.jpg", "media/../mine.jpg", "media/C7photo0001-2.jpg"]}
        assert (await manager.remove(item_id)).success
    finally:
        await manager.close()
    assert outside.exists() and not inside.exists()
