"""The chain of readers against the fake Instagram: each reader alone, the fallback order,
resting a failing reader, all failing, carousels, the embed page's failure forms."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from instarecipe_desktop.core.errors import PhaseError
from instarecipe_desktop.core.items import QueueItem
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.extraction.extractor import InstagramExtractor
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.readers.base import ReadRequest
from instarecipe_desktop.pipeline.extraction.readers.chain import ReaderChain
from instarecipe_desktop.pipeline.extraction.readers.health import ReaderHealth
from instarecipe_desktop.pipeline.extraction.session import InstagramSession, SessionVault
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.extraction.conftest import JPEG, FakeContext, FakeInstagram, Response

SESSION = InstagramSession(
    username="chef.anna",
    source="firefox",
    verified=True,
    cookies={"sessionid": "1001%3Asecret-session-value", "csrftoken": "c", "ds_user_id": "1001"},
)
BROKEN = Response(200, "<html>surprise</html>")  # instaloader "broken for everyone"
PHOTO = "https://www.instagram.com/p/C7photo0001/"

Factory = Callable[..., InstagramExtractor]


@pytest.fixture
async def make(fake_instagram: FakeInstagram) -> AsyncIterator[Factory]:
    srv = fake_instagram.server
    for name in ("C7photo0001", "C7carousel1", "car_a", "car_b", "car_c", "C7reel00001"):
        srv.route("GET", f"/img/{name}.jpg", Response(200, JPEG, {"Content-Type": "image/jpeg"}))
    made: list[InstagramExtractor] = []

    def factory(*readers: str, health: ReaderHealth | None = None) -> InstagramExtractor:
        ext = InstagramExtractor(
            Settings(None, environ={}),
            open_secret_store(),
            resolve_paths(),
            pacer=RequestPacer(0.0),
            readers=readers or ("instaloader", "yt-dlp", "embed"),
            health=health or ReaderHealth(None),
        )
        made.append(ext)
        return ext

    yield factory
    for ext in made:
        await ext.aclose()


def ctx(data_dir: Path, url: str = PHOTO) -> FakeContext:
    return FakeContext(QueueItem(url=url), data_dir)


@pytest.mark.parametrize(
    ("reader", "logged_in", "shape"),
    [
        ("instaloader", False, "html"),
        ("yt-dlp", True, "html"),
        ("yt-dlp", False, "html"),
        ("embed", False, "html"),
        ("embed", False, "json"),
    ],
)
async def test_each_reader_alone_gives_caption_author_and_photo(
    make: Factory,
    fake_instagram: FakeInstagram,
    data_dir: Path,
    reader: str,
    logged_in: bool,
    shape: str,
) -> None:
    if logged_in:
        SessionVault(open_secret_store()).save(SESSION)
    fake_instagram.embed_shape = shape
    context = ctx(data_dir)
    result = await make(reader).extract(context)
    assert result.text.startswith("Lemon pasta 🍋\n\nIngredients:\n- 200 g spaghetti")
    assert result.post["author"] == "chef.anna"
    assert result.post["reader"] == reader
    assert result.thumbnail == "media/C7photo0001.jpg"
    assert (data_dir / result.thumbnail).read_bytes() == JPEG
    assert "pasta" in result.post["hashtags"]


async def test_ytdlp_logged_in_asks_the_media_info_api_with_the_session(
    make: Factory, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    SessionVault(open_secret_store()).save(SESSION)
    await make("yt-dlp").extract(ctx(data_dir))
    hits = fake_instagram.server.hits("/api/v1/media/{}/info/".format(_pk("C7photo0001")))
    assert len(hits) == 1
    assert "sessionid=1001%3Asecret-session-value" in hits[0].headers["cookie"]


def _pk(code: str) -> int:
    from tests.extraction.conftest import shortcode_to_pk

    return shortcode_to_pk(code)


async def test_with_instaloader_broken_ytdlp_reads_the_post_and_the_log_says_so(
    make: Factory, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    fake_instagram.instaloader_broken = BROKEN
    context = ctx(data_dir)
    result = await make().extract(context)
    assert result.post["reader"] == "yt-dlp"
    assert result.text.startswith("Lemon pasta")
    messages = [m for _level, m in context.logs]
    assert any(m.startswith("Instaloader failed: Instagram sent an answer") for m in messages)
    assert "Read the post with yt-dlp." in messages
    assert fake_instagram.server.hits("/p/C7photo0001/embed/captioned/") == []


async def test_with_both_apis_refusing_the_embed_page_reads_the_post(
    make: Factory, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    fake_instagram.instaloader_broken = BROKEN
    fake_instagram.ytdlp_faults.append(
        Response(302, b"", {"Location": "https://www.instagram.com/accounts/login/"})
    )
    context = ctx(data_dir)
    result = await make().extract(context)
    assert result.post["reader"] == "embed"
    assert result.post["author"] == "chef.anna"
    assert result.text.startswith("Lemon pasta 🍋")
    assert result.thumbnail == "media/C7photo0001.jpg"
    messages = [m for _level, m in context.logs]
    order = [m.split(" ")[0] for m in messages if " failed: " in m]
    assert order == ["Instaloader", "Yt-dlp"]
    assert "Read the post with the public embed page." in messages


async def test_a_reader_that_keeps_failing_is_rested(
    make: Factory, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    fake_instagram.instaloader_broken = BROKEN
    ext = make("instaloader", "embed", health=ReaderHealth(None, rest_after=2, rest_s=600))
    for _ in range(2):
        await ext.extract(ctx(data_dir))
    asked = len(fake_instagram.post_queries())
    context = ctx(data_dir)
    result = await ext.extract(context)
    assert result.post["reader"] == "embed"
    assert len(fake_instagram.post_queries()) == asked  # instaloader was not asked
    assert any("Skipped instaloader" in m and "rests" in m for _l, m in context.logs)


async def test_all_readers_failing_names_what_was_tried_and_what_to_do(
    make: Factory, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    fake_instagram.instaloader_broken = BROKEN
    login = Response(302, b"", {"Location": "https://www.instagram.com/accounts/login/"})
    fake_instagram.ytdlp_faults.extend([login, login, login])
    fake_instagram.embed_faults.append(login)
    with pytest.raises(PhaseError) as info:
        await make().extract(ctx(data_dir))
    error = info.value
    assert error.message.startswith("No reader could read the post. Tried: instaloader (")
    assert "yt-dlp (" in error.message and "the public embed page (" in error.message
    assert "import-session" in (error.suggestion or "")
    assert "paste the caption" in (error.suggestion or "")
    assert "Traceback" not in str(error)


async def test_a_429_stops_the_chain_one_budget_for_all_readers(
    make: Factory, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    fake_instagram.faults.append(Response(429, {"status": "fail"}))
    ext = make()
    with pytest.raises(PhaseError) as info:
        await ext.extract(ctx(data_dir))
    assert info.value.code == "instagram_rate_limited"
    assert ext.pacer.cooldown_remaining() > 10 * 60
    assert fake_instagram.server.hits("/p/C7photo0001") == []
    assert fake_instagram.server.hits("/p/C7photo0001/embed/captioned/") == []


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        (
            Response(302, b"", {"Location": "https://www.instagram.com/accounts/login/"}),
            "login_required",
        ),
        (
            Response(
                200,
                '<div class="EmbedIsBroken">The link to this photo or video may be broken, or the post may have been removed.</div>',
            ),
            "post_unavailable",
        ),
        (Response(404, "gone"), "post_unavailable"),
        (Response(429, "slow down"), "instagram_rate_limited"),
        (Response(200, "<html>nothing here</html>"), "instagram_unexpected"),
    ],
    ids=["login wall", "removed post", "not found", "rate limit", "unknown page"],
)
async def test_embed_page_failure_forms_are_classified(
    make: Factory, fake_instagram: FakeInstagram, data_dir: Path, answer: Response, code: str
) -> None:
    fake_instagram.embed_faults.append(answer)
    with pytest.raises(PhaseError) as info:
        await make("embed").extract(ctx(data_dir))
    assert info.value.code == code
    assert "Exception" not in info.value.message


async def test_an_embed_page_without_caption_lets_the_next_reader_try(
    make: Factory, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    fake_instagram.posts["C7photo0001"]["caption"] = None
    context = ctx(data_dir)
    with pytest.raises(PhaseError) as info:
        await make("embed", "yt-dlp").extract(context)
    assert info.value.code == "no_text"  # both read the post: it truly has no caption
    assert any("found no caption" in m for _l, m in context.logs)


async def test_carousel_keeps_all_pictures_the_first_is_the_photo(
    make: Factory, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    for reader in ("instaloader", "yt-dlp"):
        context = ctx(data_dir, "https://www.instagram.com/p/C7carousel1/")
        result = await make(reader).extract(context)
        assert result.thumbnail == "media/C7carousel1.jpg"
        assert result.post["pictures"][:3] == [
            "media/C7carousel1.jpg",
            "media/C7carousel1-2.jpg",
            "media/C7carousel1-3.jpg",
        ], reader
        assert all((data_dir / p).read_bytes() == JPEG for p in result.post["pictures"])


async def test_carousel_through_the_embed_pages_json(
    make: Factory, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    fake_instagram.embed_shape = "json"
    result = await make("embed").extract(ctx(data_dir, "https://www.instagram.com/p/C7carousel1/"))
    assert result.post["mediaType"] == "carousel"
    assert len(result.post["pictures"]) == 3


async def test_a_reader_raising_something_unexpected_is_classified_not_a_traceback(
    data_dir: Path,
) -> None:
    class Exploding:
        name = "instaloader"

        def version(self) -> str:
            return "0"

        async def read(self, request: ReadRequest) -> object:
            raise RuntimeError("library changed its mind")

        def close(self) -> None:
            pass

    logs: list[tuple[str, str]] = []
    chain = ReaderChain([Exploding()], ReaderHealth(None), RequestPacer(0.0))  # type: ignore[list-item]
    with pytest.raises(PhaseError) as info:
        await chain.read(ReadRequest("C7photo0001", "p", None), lambda m, lv: logs.append((lv, m)))
    assert info.value.code == "instagram_unexpected"
    assert "RuntimeError" in (info.value.details or "")
    assert "RuntimeError" not in info.value.message


def test_the_health_record_is_kept_between_runs(tmp_path: Path) -> None:
    path = tmp_path / "readers.json"
    health = ReaderHealth(path, rest_after=1)
    health.failed("yt-dlp", "Instagram sent an answer this app does not understand.", counts=True)
    health.succeeded("embed")
    again = ReaderHealth(path)
    assert again.rest_remaining("yt-dlp") > 0
    assert again.record("yt-dlp").last_failure_reason.startswith("Instagram sent")
    assert again.record("embed").last_success is not None
    assert "secret" not in path.read_text()
