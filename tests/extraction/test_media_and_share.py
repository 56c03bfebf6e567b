"""Downloads from a loopback CDN (stalling, oversized) and /share/ resolution via redirects."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from instarecipe_desktop.core.errors import PhaseError
from instarecipe_desktop.core.links import parse_post_link
from instarecipe_desktop.pipeline.extraction import media
from instarecipe_desktop.pipeline.extraction.share import resolve_share_link
from tests.extraction.conftest import JPEG, LoopbackServer, Response


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with media.new_http_client(read_timeout_s=0.3) as http:
        yield http


# -- downloads ----------------------------------------------------------------------------------


async def test_download_streams_with_progress(
    server: LoopbackServer, client: httpx.AsyncClient
) -> None:
    body = JPEG * 50
    server.route("GET", "/img.jpg", Response(200, body, {"Content-Type": "image/jpeg"}))
    seen: list[tuple[int, int | None]] = []
    data = await media.fetch_bytes(
        client,
        server.base_url + "/img.jpg",
        max_bytes=len(body),
        progress=lambda got, total: seen.append((got, total)),
    )
    assert data == body
    assert seen[-1] == (len(body), len(body))
    assert [got for got, _ in seen] == sorted(got for got, _ in seen)


async def test_a_stalling_server_times_out(
    server: LoopbackServer, client: httpx.AsyncClient
) -> None:
    server.route("GET", "/stall.mp4", Response(200, stall_after_headers=True))
    with pytest.raises(PhaseError) as info:
        await media.fetch_bytes(client, server.base_url + "/stall.mp4", max_bytes=10_000)
    assert info.value.recoverable and info.value.code == "network"
    assert "timed out" in info.value.message


async def test_the_overall_deadline_applies_too(server: LoopbackServer) -> None:
    server.route("GET", "/stall.mp4", Response(200, stall_after_headers=True))
    async with media.new_http_client(read_timeout_s=60) as slow_client:
        with pytest.raises(PhaseError) as info:
            await media.fetch_bytes(
                slow_client, server.base_url + "/stall.mp4", max_bytes=10_000, deadline_s=0.3
            )
    assert info.value.code == "network"


async def test_more_than_the_cap_without_content_length(
    server: LoopbackServer, client: httpx.AsyncClient
) -> None:
    server.route("GET", "/big.mp4", Response(200, chunks=[b"x" * 64_000] * 40))  # 2.5 MB
    with pytest.raises(media.MediaTooLarge) as info:
        await media.fetch_bytes(client, server.base_url + "/big.mp4", max_bytes=1_000_000)
    assert not info.value.recoverable and "larger than" in info.value.message


async def test_a_declared_size_over_the_cap_is_refused_before_reading(
    server: LoopbackServer, client: httpx.AsyncClient
) -> None:
    server.route("GET", "/big.jpg", Response(200, b"x" * 3_000_000))
    with pytest.raises(media.MediaTooLarge):
        await media.fetch_bytes(client, server.base_url + "/big.jpg", max_bytes=1_000_000)


@pytest.mark.parametrize(("status", "recoverable"), [(403, False), (404, False), (503, True)])
async def test_download_status_codes(
    server: LoopbackServer, client: httpx.AsyncClient, status: int, recoverable: bool
) -> None:
    server.route("GET", "/x.jpg", Response(status, b"no"))
    with pytest.raises(PhaseError) as info:
        await media.fetch_bytes(client, server.base_url + "/x.jpg", max_bytes=1000)
    assert info.value.recoverable is recoverable


def test_image_kinds() -> None:
    assert media.looks_like_image(JPEG) and media.image_extension(JPEG) == ".jpg"
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 10
    assert media.looks_like_image(png) and media.image_extension(png) == ".png"
    assert not media.looks_like_image(b"<html>login</html>")


# -- /share/ links ------------------------------------------------------------------------------

SHARE = parse_post_link("https://www.instagram.com/share/reel/BAabcdEFG12/")


async def test_share_redirect_to_the_post(
    server: LoopbackServer, client: httpx.AsyncClient
) -> None:
    server.route(
        "GET",
        "/share/reel/BAabcdEFG12/",
        Response(302, b"", {"Location": "https://www.instagram.com/reel/C9-ab_CDefg/?igsh=MWQ1"}),
    )
    link = await resolve_share_link(client, SHARE, base_url=server.base_url)
    assert link.url == "https://www.instagram.com/reel/C9-ab_CDefg/"
    assert link.shortcode == "C9-ab_CDefg"
    sent = server.requests[0].headers  # looks like a browser navigation, as Instagram wants
    assert (sent["sec-fetch-mode"], sent["sec-fetch-dest"]) == ("navigate", "document")


async def test_share_redirect_chain_and_login_wall(
    server: LoopbackServer, client: httpx.AsyncClient
) -> None:
    server.route(
        "GET", "/share/reel/BAabcdEFG12/", Response(301, b"", {"Location": "/share/v/OTHERtoken1/"})
    )
    server.route(
        "GET",
        "/share/v/OTHERtoken1/",
        Response(
            302,
            b"",
            {"Location": "https://www.instagram.com/accounts/login/?next=%2Fp%2FC8xYz12AbCd%2F"},
        ),
    )
    link = await resolve_share_link(client, SHARE, base_url=server.base_url)
    assert link.url == "https://www.instagram.com/p/C8xYz12AbCd/"
    assert [r.path for r in server.requests] == [
        "/share/reel/BAabcdEFG12/",
        "/share/v/OTHERtoken1/",
    ]


async def test_share_page_with_og_url(server: LoopbackServer, client: httpx.AsyncClient) -> None:
    server.route(
        "GET",
        "/share/reel/BAabcdEFG12/",
        Response(
            200,
            (
                '<html><head><meta property="og:url" content="https://www.instagram.com/reel/'
                'C9-ab_CDefg/"></head></html>'
            ),
        ),
    )
    link = await resolve_share_link(client, SHARE, base_url=server.base_url)
    assert link.shortcode == "C9-ab_CDefg"


@pytest.mark.parametrize(
    ("answer", "code", "recoverable"),
    [
        (Response(404, b"none"), "post_unavailable", False),
        (Response(429, b"slow down"), "instagram_rate_limited", True),
        (Response(502, b"bad gateway"), "instagram_unavailable", True),
        (
            Response(302, b"", {"Location": "https://www.instagram.com/accounts/login/"}),
            "share_unresolved",
            False,
        ),
        (Response(200, "<html>nothing here</html>"), "share_unresolved", False),
    ],
)
async def test_share_failures(
    server: LoopbackServer,
    client: httpx.AsyncClient,
    answer: Response,
    code: str,
    recoverable: bool,
) -> None:
    server.route("GET", "/share/reel/BAabcdEFG12/", answer)
    with pytest.raises(PhaseError) as info:
        await resolve_share_link(client, SHARE, base_url=server.base_url)
    assert (info.value.code, info.value.recoverable) == (code, recoverable)


async def test_share_redirect_loop_ends(server: LoopbackServer, client: httpx.AsyncClient) -> None:
    server.route(
        "GET",
        "/share/reel/BAabcdEFG12/",
        Response(302, b"", {"Location": "/share/reel/BAabcdEFG12/"}),
    )
    with pytest.raises(PhaseError) as info:
        await resolve_share_link(client, SHARE, base_url=server.base_url)
    assert info.value.code == "share_unresolved"
    assert len(server.requests) == 5


async def test_share_unreachable(client: httpx.AsyncClient) -> None:
    closed = LoopbackServer()
    closed.close()
    with pytest.raises(PhaseError) as info:
        await resolve_share_link(client, SHARE, base_url=closed.base_url)
    assert info.value.code == "network" and info.value.recoverable
