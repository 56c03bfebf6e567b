"""Pacing between Instagram requests (time driven by a fake clock), and transcription through
an OpenAI-compatible server of our own on 127.0.0.1."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from instarecipe_desktop.core.errors import PhaseError
from instarecipe_desktop.core.items import QueueItem
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.secrets import LLM_API_KEY
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.extraction import media
from instarecipe_desktop.pipeline.extraction.errors import InstagramRateLimited
from instarecipe_desktop.pipeline.extraction.extractor import InstagramExtractor
from instarecipe_desktop.pipeline.extraction.pacing import PacerClosed, RequestPacer
from instarecipe_desktop.pipeline.extraction.transcribe import transcribe_video
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.extraction.conftest import (
    JPEG,
    FakeContext,
    FakeInstagram,
    LoopbackServer,
    Request,
    Response,
)


class FakeClock:
    """Time that moves only when someone waits."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def thread_wait(self, seconds: float) -> bool:
        self.waits.append(round(seconds, 6))
        self.now += seconds
        return False

    async def async_sleep(self, seconds: float) -> None:
        self.waits.append(round(seconds, 6))
        self.now += seconds


def paced(interval: float, clock: FakeClock, cooldown: float = 900.0) -> RequestPacer:
    return RequestPacer(
        interval,
        clock=clock,
        cooldown_s=cooldown,
        thread_wait=clock.thread_wait,
        async_sleep=clock.async_sleep,
    )


def test_requests_are_spaced_by_the_minimum_interval() -> None:
    clock = FakeClock()
    pacer = paced(4.0, clock)
    pacer.before_request()
    pacer.before_request()
    clock.now += 1.5  # some work between two requests counts towards the interval
    pacer.before_request()
    assert clock.waits == [4.0, 2.5]
    assert pacer.requests == 3


async def test_async_wait_then_mark() -> None:
    clock = FakeClock()
    pacer = paced(3.0, clock)
    await pacer.wait_async()
    pacer.mark_request()
    await pacer.wait_async()
    assert clock.waits == [3.0]


def test_a_rate_limit_answer_starts_a_long_cooldown() -> None:
    clock = FakeClock()
    pacer = paced(4.0, clock, cooldown=600.0)
    pacer.before_request()
    assert pacer.rate_limited(30.0) == 600.0  # at least the cooldown
    with pytest.raises(InstagramRateLimited) as info:
        pacer.before_request()
    assert info.value.wait_s == pytest.approx(600.0)
    clock.now += 601
    pacer.before_request()  # allowed again
    pacer.rate_limited(1200.0)  # a longer wait asked for is honoured
    assert pacer.cooldown_remaining() == pytest.approx(1200.0)
    pacer.reset_cooldown()
    assert pacer.cooldown_remaining() == 0


def test_close_stops_waiting_requests() -> None:
    pacer = RequestPacer(60.0)
    pacer.before_request()
    pacer.close()
    with pytest.raises(PacerClosed):
        pacer.before_request()


async def test_extractions_in_a_batch_are_paced(
    fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    clock = FakeClock()
    pacer = paced(4.0, clock)
    for code in ("C7photo0001", "C7carousel1", "C7nonlat001"):
        fake_instagram.server.route("GET", f"/img/{code}.jpg", Response(200, JPEG))
    ext = InstagramExtractor(
        Settings(None, environ={}), open_secret_store(), resolve_paths(), pacer=pacer
    )
    try:
        results = await asyncio.gather(
            *(
                ext.extract(
                    FakeContext(QueueItem(url=f"https://www.instagram.com/p/{code}/"), data_dir)
                )
                for code in ("C7photo0001", "C7carousel1", "C7nonlat001")
            )
        )
    finally:
        await ext.aclose()
    assert sorted(r.post["shortcode"] for r in results) == [
        "C7carousel1",
        "C7nonlat001",
        "C7photo0001",
    ]
    instagram_requests = [
        r for r in fake_instagram.server.requests if not r.path.startswith("/img/")
    ]
    # every paced request waited for the one before it; nothing went out unpaced in between
    assert pacer.requests >= 3
    assert sum(clock.waits) == pytest.approx(4.0 * (pacer.requests - 1))
    assert len(instagram_requests) == pacer.requests, [r.path for r in instagram_requests]


# -- transcription --------------------------------------------------------------------------


def transcription_route(server: LoopbackServer, answer: Response) -> list[Request]:
    server.route("POST", "/v1/audio/transcriptions", answer)
    return server.requests


async def test_transcription_sends_the_mp4(server: LoopbackServer) -> None:
    transcription_route(server, Response(200, {"text": "Heute kochen wir Spätzle."}))
    text = await transcribe_video(
        b"\x00\x00\x00\x18ftypmp42" + b"v" * 1000,
        base_url=server.base_url + "/v1",
        api_key="sk-test",
        model="whisper-large",
    )
    assert text == "Heute kochen wir Spätzle."
    sent = server.hits("/v1/audio/transcriptions")[0]
    assert sent.headers["authorization"] == "Bearer sk-test"
    assert sent.headers["content-type"].startswith("multipart/form-data")
    assert b'filename="clip.mp4"' in sent.body and b"video/mp4" in sent.body
    assert b"whisper-large" in sent.body and b"ftypmp42" in sent.body


@pytest.mark.parametrize(
    ("answer", "code", "recoverable"),
    [
        (Response(401, {"error": {"message": "bad key"}}), "transcription_auth", False),
        (
            Response(404, {"error": {"message": "no such model"}}),
            "transcription_unsupported",
            False,
        ),
        (Response(500, {"error": {"message": "boom"}}), "transcription_failed", True),
        (Response(429, {"error": {"message": "slow"}}), "transcription_failed", True),
    ],
)
async def test_transcription_failures(
    server: LoopbackServer, answer: Response, code: str, recoverable: bool
) -> None:
    transcription_route(server, answer)
    with pytest.raises(PhaseError) as info:
        await transcribe_video(
            b"mp4", base_url=server.base_url + "/v1", api_key=None, model="whisper-1"
        )
    assert (info.value.code, info.value.recoverable) == (code, recoverable)


async def test_transcription_server_unreachable() -> None:
    closed = LoopbackServer()
    closed.close()
    with pytest.raises(PhaseError) as info:
        await transcribe_video(
            b"mp4", base_url=closed.base_url + "/v1", api_key=None, model="whisper-1"
        )
    assert info.value.code == "transcription_network" and info.value.recoverable


async def test_a_video_over_the_cap_is_not_transcribed_and_not_fatal(
    fake_instagram: FakeInstagram, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srv = fake_instagram.server
    srv.route("GET", "/img/C7reel00001.jpg", Response(200, JPEG))
    srv.route("GET", "/vid/C7reel00001.mp4", Response(200, chunks=[b"v" * 50_000] * 10))
    transcription_route(srv, Response(200, {"text": "never asked"}))
    monkeypatch.setattr(media, "VIDEO_CAP_BYTES", 100_000)
    open_secret_store().set(LLM_API_KEY, "sk-test")
    settings = Settings(
        None, environ={"TRANSCRIBE_AUDIO": "1", "LLM_API_BASE_URL": srv.base_url + "/v1"}
    )
    ext = InstagramExtractor(
        settings, open_secret_store(), resolve_paths(), pacer=RequestPacer(0.0)
    )
    ctx = FakeContext(QueueItem(url="https://www.instagram.com/reel/C7reel00001/"), data_dir)
    try:
        result = await ext.extract(ctx)
    finally:
        await ext.aclose()
    assert result.post["transcribed"] is False
    assert srv.hits("/v1/audio/transcriptions") == []
    assert any("not transcribed" in msg and "larger than" in msg for _l, msg in ctx.logs)


# -- instaloader's rate controller is ours ------------------------------------------------------


def test_a_full_sliding_window_raises_instead_of_sleeping() -> None:
    """instaloader allows 75 'other' requests per 11 minutes and would then block the thread
    for minutes; ours raises so the queue retries later."""
    from instarecipe_desktop.pipeline.extraction.loader import PacedRateController, make_loader

    pacer = RequestPacer(0.0)
    loader = make_loader(pacer)
    controller = loader.context._rate_controller
    assert isinstance(controller, PacedRateController)
    for _ in range(75):
        controller.wait_before_query("other")
    with pytest.raises(InstagramRateLimited) as info:
        controller.wait_before_query("other")
    assert info.value.wait_s >= 600
    assert pacer.cooldown_remaining() >= 600  # the next extraction does not even try
    with pytest.raises(InstagramRateLimited):
        controller.handle_429("other")
    loader.close()
