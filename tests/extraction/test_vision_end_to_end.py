"""Done when: with instaloader failing, a carousel whose recipe is shown only on its pictures
comes through yt-dlp and is read by the (fake) vision model, in the real queue engine with a
real data folder; the item's log says which reader read the post and that the pictures were
read. A post without caption goes the same way when LLM_VISION is on, and fails as before
when it is off."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from instarecipe_desktop.core.items import ItemStatus, QueueItem
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.phases import Phases
from instarecipe_desktop.core.secrets import SecretStore
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.extraction.extractor import InstagramExtractor
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.readers.health import ReaderHealth
from instarecipe_desktop.pipeline.parsing.llm import LLMRecipeParser
from tests.core.conftest import FAST
from tests.extraction.conftest import JPEG, FakeInstagram, Response
from tests.fakes.fake_llm import FakeLLM, image_parts
from tests.support.fake_phases import FakePhases

RECIPE_PICTURE = JPEG + b"[on-screen]Banana bread as the slides show it[/on-screen]"


@asynccontextmanager
async def queue(
    fake_instagram: FakeInstagram, llm: FakeLLM, **env: str
) -> AsyncIterator[QueueManager]:
    srv = fake_instagram.server
    for name in ("C7carousel1", "car_a", "car_c"):
        srv.route("GET", f"/img/{name}.jpg", Response(200, JPEG, {"Content-Type": "image/jpeg"}))
    srv.route(
        "GET", "/img/car_b.jpg", Response(200, RECIPE_PICTURE, {"Content-Type": "image/jpeg"})
    )
    settings = Settings(
        None,
        environ={
            "LLM_API_BASE_URL": llm.base_url,
            "LLM_MODEL": "gpt-4o-mini",
            "REVIEW_BEFORE_SAVING": "never",
            **env,
        },
    )
    secrets = SecretStore()
    paths = resolve_paths()
    extractor = InstagramExtractor(
        settings,
        secrets,
        paths,
        pacer=RequestPacer(0.0),
        readers=("instaloader", "yt-dlp"),
        health=ReaderHealth(None),
    )
    parser = LLMRecipeParser.from_settings(settings, secrets)
    uploader = FakePhases()
    phases = Phases(extractor, parser, uploader, closers=[extractor.aclose, parser.aclose])
    manager = await QueueManager.open(paths, settings, phases, tuning=FAST)
    try:
        await manager.start()
        yield manager
    finally:
        await manager.close()


async def run(manager: QueueManager, url: str) -> QueueItem:
    item_id = (await manager.enqueue(url)).item.id
    await manager.wait_until_idle()
    item = manager.get(item_id)
    assert item is not None
    return item


async def test_a_recipe_only_on_the_carousels_pictures_comes_through_ytdlp_and_vision(
    fake_instagram: FakeInstagram,
) -> None:
    fake_instagram.instaloader_broken = Response(200, "<html>surprise</html>")
    fake_instagram.posts["C7carousel1"]["caption"]["text"] = "Swipe for my banana bread ➡️ #baking"
    with FakeLLM() as llm:
        llm.script({"fault": "no_recipe"})  # the caption alone holds no recipe
        async with queue(fake_instagram, llm, LLM_VISION="true") as manager:
            item = await run(manager, "https://www.instagram.com/p/C7carousel1/")
        requests = llm.chat_requests
    assert item.status is ItemStatus.SUCCESS, item.error
    assert item.results.recipe["name"] == "Banana bread as the slides show it"
    assert item.post["reader"] == "yt-dlp"
    messages = [entry.message for entry in item.log]
    assert "Read the post with yt-dlp." in messages
    assert "Read the recipe from the post's pictures (3 sent)." in messages
    assert image_parts(requests[-1]["json"]) == [JPEG, RECIPE_PICTURE, JPEG]


async def test_a_post_without_caption_is_read_from_its_picture_with_llm_vision(
    fake_instagram: FakeInstagram,
) -> None:
    fake_instagram.server.route(
        "GET", "/img/C7empty0001.jpg", Response(200, RECIPE_PICTURE, {"Content-Type": "image/jpeg"})
    )
    with FakeLLM() as llm:
        async with queue(fake_instagram, llm, LLM_VISION="true") as manager:
            item = await run(manager, "https://www.instagram.com/p/C7empty0001/")
        [request] = llm.chat_requests
    assert item.status is ItemStatus.SUCCESS, item.error
    assert item.results.recipe["name"] == "Banana bread as the slides show it"
    assert image_parts(request["json"]) == [RECIPE_PICTURE]
    messages = [entry.message for entry in item.log]
    assert any("no caption; its pictures are sent to the model" in m for m in messages)


async def test_without_llm_vision_a_post_without_caption_fails_as_before(
    fake_instagram: FakeInstagram,
) -> None:
    with FakeLLM() as llm:
        async with queue(fake_instagram, llm) as manager:
            item = await run(manager, "https://www.instagram.com/p/C7empty0001/")
        assert llm.chat_requests == []
    assert item.status is ItemStatus.ERROR
    assert item.error is not None and item.error.code == "no_text"
