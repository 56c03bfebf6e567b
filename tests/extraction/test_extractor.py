"""The extraction phase end to end against a fake Instagram on 127.0.0.1, and every failure
mapped to the right status, code and message."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from instarecipe_desktop.core.errors import PhaseError
from instarecipe_desktop.core.items import ErrorKind, QueueItem
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.secrets import INSTAGRAM_SESSION
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.extraction import create_extractor
from instarecipe_desktop.pipeline.extraction.extractor import InstagramExtractor
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.post_data import COMMENT_HEADER, TRANSCRIPT_HEADER
from instarecipe_desktop.pipeline.extraction.session import InstagramSession, SessionVault
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.extraction.conftest import (
    JPEG,
    FakeContext,
    FakeInstagram,
    LoopbackServer,
    Response,
    comment,
)

SESSION = InstagramSession(
    username="chef.anna",
    source="firefox",
    verified=True,
    cookies={
        "sessionid": "1001%3Asecret-session-value",
        "csrftoken": "csrf-abc",
        "ds_user_id": "1001",
    },
)


@pytest.fixture
def settings_env() -> dict[str, str]:
    return {}


@pytest.fixture
async def extractor(
    fake_instagram: FakeInstagram, settings_env: dict[str, str]
) -> AsyncIterator[InstagramExtractor]:
    srv = fake_instagram.server
    srv.route("GET", "/img/C7photo0001.jpg", Response(200, JPEG, {"Content-Type": "image/jpeg"}))
    srv.route("GET", "/img/C7reel00001.jpg", Response(200, JPEG, {"Content-Type": "image/jpeg"}))
    srv.route(
        "GET",
        "/vid/C7reel00001.mp4",
        Response(200, b"\x00\x00\x00\x18ftypmp42" * 100, {"Content-Type": "video/mp4"}),
    )
    paths = resolve_paths()
    ext = InstagramExtractor(
        Settings(None, environ=settings_env),
        open_secret_store(),
        paths,
        pacer=RequestPacer(0.0),
        share_base_url=srv.base_url,
        readers=("instaloader",),  # these tests are instaloader's; the chain has its own
    )
    yield ext
    await ext.aclose()


def ctx_for(url: str, data_dir: Path, **item_fields: Any) -> FakeContext:
    return FakeContext(QueueItem(url=url, **item_fields), data_dir)


async def test_photo_post_end_to_end(
    extractor: InstagramExtractor, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    ctx = ctx_for("https://www.instagram.com/p/C7photo0001/?igsh=x", data_dir)
    result = await extractor.extract(ctx)
    assert result.text.startswith("Lemon pasta 🍋")
    assert result.post["shortcode"] == "C7photo0001"
    assert result.post["author"] == "chef.anna"
    assert result.post["manual"] is False
    assert result.post["authorComments"] == 0 and result.post["transcribed"] is False
    assert result.thumbnail == "media/C7photo0001.jpg"
    assert (data_dir / "media" / "C7photo0001.jpg").read_bytes() == JPEG
    assert ctx.messages[:2] == ["Fetching post", "Downloading image"]
    # anonymous: the web app's api/graphql with the start page's lsd token
    query = fake_instagram.server.hits("/api/graphql")[0]
    form = query.body.decode()
    assert "C7photo0001" in form and "lsd-token-1" in form


async def test_share_link_is_resolved_first(
    extractor: InstagramExtractor, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    fake_instagram.server.route(
        "GET",
        "/share/reel/BAabcdEFG12/",
        Response(302, b"", {"Location": "https://www.instagram.com/p/C7photo0001/?igsh=abc"}),
    )
    ctx = ctx_for("https://www.instagram.com/share/reel/BAabcdEFG12/", data_dir)
    result = await extractor.extract(ctx)
    assert result.post["shortcode"] == "C7photo0001"
    assert result.post["canonicalUrl"] == "https://www.instagram.com/p/C7photo0001/"
    assert ctx.messages[0] == "Resolving link"


async def test_session_is_used_and_author_comments_are_added(
    extractor: InstagramExtractor, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    SessionVault(open_secret_store()).save(SESSION)
    fake_instagram.comments = [
        comment(1, "someone", "Looks great!"),
        comment(2, "chef.anna", "500 g gnocchi\n1 onion\n200 ml cream"),
        comment(3, "other", "yum"),
    ]
    ctx = ctx_for("https://www.instagram.com/reel/C7reel00001/", data_dir)
    result = await extractor.extract(ctx)
    # logged in: graphql/query with the session cookie, not the anonymous web api
    query = fake_instagram.server.hits("/graphql/query")[0]
    assert "sessionid=1001%3Asecret-session-value" in query.headers.get("cookie", "")
    assert fake_instagram.server.hits("/api/graphql") == []
    assert COMMENT_HEADER.format(author="chef.anna") + "\n500 g gnocchi" in result.text
    assert "Looks great" not in result.text
    assert result.post["authorComments"] == 1
    assert result.post["isVideo"] is True
    assert result.post["canonicalUrl"] == "https://www.instagram.com/reel/C7reel00001/"
    assert "Reading the author's comments" in ctx.messages


async def test_comments_hint_without_session_is_logged_not_fatal(
    extractor: InstagramExtractor, data_dir: Path
) -> None:
    ctx = ctx_for("https://www.instagram.com/reel/C7reel00001/", data_dir)
    result = await extractor.extract(ctx)
    assert "Full recipe in the comments" in result.text
    assert any("log in to Instagram" in msg for level, msg in ctx.logs if level == "warning")


@pytest.mark.parametrize("settings_env", [{"TRANSCRIBE_AUDIO": "true"}])
async def test_transcript_is_added_when_enabled(
    extractor: InstagramExtractor,
    fake_instagram: FakeInstagram,
    data_dir: Path,
    settings_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    srv = fake_instagram.server
    srv.route(
        "POST",
        "/v1/audio/transcriptions",
        Response(200, {"text": "First fry the gnocchi in butter."}),
    )
    extractor._settings = Settings(
        None, environ={**settings_env, "LLM_API_BASE_URL": srv.base_url + "/v1"}
    )
    ctx = ctx_for("https://www.instagram.com/reel/C7reel00001/", data_dir)
    result = await extractor.extract(ctx)
    assert result.text.endswith(f"{TRANSCRIPT_HEADER}\nFirst fry the gnocchi in butter.")
    assert result.post["transcribed"] is True
    assert "Transcribing" in ctx.messages
    upload = srv.hits("/v1/audio/transcriptions")[0]
    assert b"ftypmp42" in upload.body and b"whisper-1" in upload.body


async def test_empty_caption_without_transcript_is_permanent(
    extractor: InstagramExtractor, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    with pytest.raises(PhaseError) as info:
        await extractor.extract(ctx_for("https://www.instagram.com/p/C7empty0001/", data_dir))
    assert info.value.kind is ErrorKind.PERMANENT
    assert info.value.code == "no_text"
    assert "paste the caption" in (info.value.suggestion or "")


async def test_manual_item_is_returned_without_network(
    extractor: InstagramExtractor, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    item_post = {"shortcode": "C7photo0001", "manual": True}
    ctx = ctx_for("https://www.instagram.com/p/C7photo0001/", data_dir, post=item_post)
    ctx.item.results.extracted_text = "My own caption: 2 eggs"
    result = await extractor.extract(ctx)
    assert result.text == "My own caption: 2 eggs" and result.post["manual"] is True
    assert fake_instagram.server.requests == []


async def test_a_bad_link_is_permanent(extractor: InstagramExtractor, data_dir: Path) -> None:
    with pytest.raises(PhaseError) as info:
        await extractor.extract(ctx_for("https://www.instagram.com/chef.anna/", data_dir))
    assert info.value.code == "invalid_link" and not info.value.recoverable


LOGIN = "https://www.instagram.com/accounts/login/?next=/p/C7photo0001/"
FAULTS: list[tuple[str, Response, bool, str, ErrorKind, str]] = [
    # name, answer to the post query, logged in?, code, kind, words in the message
    (
        "rate limit 401",
        Response(
            401, {"message": "Please wait a few minutes before you try again.", "status": "fail"}
        ),
        False,
        "instagram_rate_limited",
        ErrorKind.RECOVERABLE,
        "rate limiting",
    ),
    (
        "too many requests",
        Response(429, {"status": "fail"}),
        False,
        "instagram_rate_limited",
        ErrorKind.RECOVERABLE,
        "rate limiting",
    ),
    (
        "server error",
        Response(500, "oops"),
        False,
        "instagram_unavailable",
        ErrorKind.RECOVERABLE,
        "trouble",
    ),
    (
        "bad gateway",
        Response(502, "oops"),
        False,
        "instagram_unavailable",
        ErrorKind.RECOVERABLE,
        "trouble",
    ),
    (
        "deleted or private",
        Response(
            200,
            {"data": {"xdt_api__v1__media__shortcode__web_info": {"items": []}}, "status": "ok"},
        ),
        False,
        "post_unavailable",
        ErrorKind.PERMANENT,
        "private or was deleted",
    ),
    (
        "not found",
        Response(404, {"status": "fail"}),
        False,
        "post_unavailable",
        ErrorKind.PERMANENT,
        "private or was deleted",
    ),
    (
        "login wall",
        Response(302, b"", {"Location": LOGIN}),
        False,
        "login_required",
        ErrorKind.PERMANENT,
        "logged-in visitors",
    ),
    (
        "logged out session",
        Response(302, b"", {"Location": LOGIN}),
        True,
        "instagram_session_expired",
        ErrorKind.PERMANENT,
        "expired",
    ),
    (
        "checkpoint",
        Response(400, {"message": "checkpoint_required", "status": "fail"}),
        True,
        "instagram_checkpoint",
        ErrorKind.PERMANENT,
        "really you",
    ),
    (
        "not json",
        Response(200, "<html>surprise</html>"),
        False,
        "instagram_unexpected",
        ErrorKind.RECOVERABLE,
        "does not understand",
    ),
]


@pytest.mark.parametrize(
    ("name", "answer", "logged_in", "code", "kind", "words"), FAULTS, ids=[f[0] for f in FAULTS]
)
async def test_instagram_failures_are_classified(
    extractor: InstagramExtractor,
    fake_instagram: FakeInstagram,
    data_dir: Path,
    name: str,
    answer: Response,
    logged_in: bool,
    code: str,
    kind: ErrorKind,
    words: str,
) -> None:
    if logged_in:
        SessionVault(open_secret_store()).save(SESSION)
    fake_instagram.faults.append(answer)
    with pytest.raises(PhaseError) as info:
        await extractor.extract(ctx_for("https://www.instagram.com/p/C7photo0001/", data_dir))
    error = info.value
    assert (error.code, error.kind) == (code, kind)
    assert words in error.message
    assert "Traceback" not in str(error) and "Exception" not in error.message
    if code == "instagram_rate_limited":
        assert error.retry_after is not None and error.retry_after >= 10 * 60
    if code == "login_required":
        assert "log in to Instagram in Settings" in (error.suggestion or "")


async def test_rate_limit_starts_a_cooldown_without_new_requests(
    extractor: InstagramExtractor, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    fake_instagram.faults.append(Response(429, {"status": "fail"}))
    with pytest.raises(PhaseError):
        await extractor.extract(ctx_for("https://www.instagram.com/p/C7photo0001/", data_dir))
    sent = len(fake_instagram.post_queries())
    with pytest.raises(PhaseError) as info:
        await extractor.extract(ctx_for("https://www.instagram.com/p/C7carousel1/", data_dir))
    assert info.value.code == "instagram_rate_limited"
    assert len(fake_instagram.post_queries()) == sent  # nothing sent during the cooldown
    assert extractor.pacer.cooldown_remaining() > 10 * 60


async def test_a_rate_limited_share_link_starts_the_cooldown(
    extractor: InstagramExtractor, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    fake_instagram.server.route("GET", "/share/reel/BAabcdEFG12/", Response(429, b"slow"))
    with pytest.raises(PhaseError) as info:
        await extractor.extract(
            ctx_for("https://www.instagram.com/share/reel/BAabcdEFG12/", data_dir)
        )
    assert info.value.code == "instagram_rate_limited"
    assert extractor.pacer.cooldown_remaining() > 10 * 60
    with pytest.raises(PhaseError):
        await extractor.extract(ctx_for("https://www.instagram.com/p/C7photo0001/", data_dir))
    assert fake_instagram.post_queries() == []


async def test_unreachable_instagram_is_recoverable(
    data_dir: Path, instagram_network: dict[str, Any]
) -> None:
    closed = LoopbackServer()
    closed.close()  # nothing listens on that port any more
    instagram_network["base"] = closed.base_url
    ext = InstagramExtractor(
        Settings(None, environ={}),
        open_secret_store(),
        resolve_paths(),
        pacer=RequestPacer(0.0),
        readers=("instaloader",),
    )
    try:
        with pytest.raises(PhaseError) as info:
            await ext.extract(ctx_for("https://www.instagram.com/p/C7photo0001/", data_dir))
    finally:
        await ext.aclose()
    assert info.value.code == "network" and info.value.recoverable
    assert "could not be reached" in info.value.message


async def test_a_stalling_instagram_times_out_as_recoverable(
    fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    fake_instagram.faults.append(Response(200, stall_after_headers=True))
    ext = InstagramExtractor(
        Settings(None, environ={}),
        open_secret_store(),
        resolve_paths(),
        pacer=RequestPacer(0.0),
        request_timeout=0.3,
        readers=("instaloader",),
    )
    try:
        with pytest.raises(PhaseError) as info:
            await ext.extract(ctx_for("https://www.instagram.com/p/C7photo0001/", data_dir))
    finally:
        await ext.aclose()
    assert (info.value.code, info.value.recoverable) == ("network", True)
    assert info.value.message == "Instagram did not answer in time."


async def test_a_missing_thumbnail_is_logged_not_fatal(
    extractor: InstagramExtractor, fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    fake_instagram.server.route("GET", "/img/C7photo0001.jpg", Response(404, b"gone"))
    ctx = ctx_for("https://www.instagram.com/p/C7photo0001/", data_dir)
    result = await extractor.extract(ctx)
    assert result.thumbnail is None
    assert any("image could not be downloaded" in msg for _level, msg in ctx.logs)


def test_the_session_never_leaves_the_secret_store(data_dir: Path) -> None:
    SessionVault(open_secret_store()).save(SESSION)
    stored = open_secret_store().get(INSTAGRAM_SESSION)
    assert stored is not None and json.loads(stored)["cookies"]["sessionid"]
    leaked = [
        p
        for p in data_dir.rglob("*")
        if p.is_file() and "secret-session-value" in p.read_text(errors="ignore")
    ]
    assert leaked == []


def test_create_extractor_is_the_factory(data_dir: Path) -> None:
    ext = create_extractor(
        Settings(None, environ={"INSTAGRAM_MIN_INTERVAL_S": "7"}),
        open_secret_store(),
        resolve_paths(),
    )
    assert isinstance(ext, InstagramExtractor)
    assert ext.pacer.min_interval == 7.0
