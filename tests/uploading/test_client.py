"""The Tandoor client against the fake (both flavours): version, test connection, errors."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from instarecipe_desktop.core.errors import PermanentError, PhaseError, RecoverableError
from instarecipe_desktop.pipeline.uploading.tandoor import TandoorClient
from instarecipe_desktop.pipeline.uploading.tandoor.errors import CreateUnconfirmed
from tests.fakes.fake_tandoor import EXPIRED_TOKEN, READ_ONLY_TOKEN, TOKEN, V2, FakeTandoor


class _Plain(ThreadingHTTPServer):
    daemon_threads = True


def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = _Plain(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _NotTandoor(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html>router admin</html>" if self.path == "/" else b"not found"
        self.send_response(200 if self.path == "/" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def not_tandoor() -> Iterator[str]:
    yield from _serve(_NotTandoor)


@pytest.fixture
def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def _client(base_url: str, token: str | None = TOKEN, **kwargs: object) -> TandoorClient:
    return TandoorClient(base_url, token, timeout=kwargs.pop("timeout", 5.0), **kwargs)  # type: ignore[arg-type]


async def test_version_detection(tandoor: FakeTandoor) -> None:
    client = await _client(tandoor.base_url + "/")
    try:
        info = await client.server_info()
    finally:
        await client.aclose()
    if tandoor.version == V2:
        assert (info.version, info.major, info.legacy) == ("2.6.12", 2, False)
        assert client.view_url(4, info) == f"{tandoor.base_url}/recipe/4"
        assert tandoor.requests_to("GET", "/openapi/") == []  # one probe is enough
    else:
        assert (info.version, info.major, info.legacy) == ("1.5.35", 1, True)
        assert client.view_url(4, info) == f"{tandoor.base_url}/view/recipe/4"
        # 1.5.35 answers a JSON-only Accept with 406 (ex. 89): the probe asks for the schema
        (probe,) = tandoor.requests_to("GET", "/openapi/")
        assert "application/vnd.oai.openapi" in probe.headers["accept"]


async def test_check_ok_with_write_scope(tandoor: FakeTandoor) -> None:
    client = await _client(tandoor.base_url)
    try:
        check = await client.check_connection()
    finally:
        await client.aclose()
    assert check.state == "ok" and check.ok and check.write_confirmed
    assert tandoor.version in check.message
    assert TOKEN not in check.message


@pytest.mark.parametrize("token", [EXPIRED_TOKEN, "tda_not_a_real_token_0000"])
async def test_check_token_rejected(tandoor: FakeTandoor, token: str) -> None:
    client = await _client(tandoor.base_url, token)
    try:
        check = await client.check_connection()
    finally:
        await client.aclose()
    assert check.state == "token_rejected"
    assert "rejected the token" in check.message
    assert check.server is not None and check.server.version == tandoor.version


async def test_check_read_only_token(tandoor: FakeTandoor) -> None:
    client = await _client(tandoor.base_url, READ_ONLY_TOKEN)
    try:
        check = await client.check_connection()
    finally:
        await client.aclose()
    assert check.state == "read_only"
    assert "read-only" in check.message


async def test_check_without_token(tandoor: FakeTandoor) -> None:
    client = await _client(tandoor.base_url, None)
    try:
        check = await client.check_connection()
    finally:
        await client.aclose()
    assert check.state == "no_token"
    assert all("authorization" not in r.headers for r in tandoor.requests)


async def test_check_unreachable(closed_port_url: str) -> None:
    client = await _client(closed_port_url)
    try:
        check = await client.check_connection()
    finally:
        await client.aclose()
    assert check.state == "unreachable"
    assert "cannot be reached" in check.message
    assert "refused the connection" in check.message  # in words, not httpx's ConnectError
    assert "Error" not in check.message


async def test_check_not_a_tandoor(not_tandoor: str) -> None:
    client = await _client(not_tandoor)
    try:
        check = await client.check_connection()
    finally:
        await client.aclose()
    assert check.state == "not_tandoor"
    assert "does not look like a Tandoor" in check.message


def test_invalid_address_is_a_permanent_error() -> None:
    with pytest.raises(PermanentError) as caught:
        TandoorClient("recipes.example.org", TOKEN)
    assert caught.value.code == "tandoor_config"


async def test_token_never_follows_a_redirect_to_another_host(tandoor: FakeTandoor) -> None:
    """A proxy redirecting /api/ elsewhere gets no token sent on: the client stops."""
    target = tandoor.base_url

    class Redirect(BaseHTTPRequestHandler):
        def _go(self) -> None:
            self.send_response(301)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = _go

        def log_message(self, *args: object) -> None:
            pass

    for base in _serve(Redirect):
        client = await _client(base)
        try:
            with pytest.raises(PermanentError) as caught:
                await client.server_info()
            check = await client.check_connection()
        finally:
            await client.aclose()
    assert caught.value.code == "tandoor_redirect"
    assert target in caught.value.message
    assert check.state == "redirect"
    assert tandoor.requests == []  # nothing, and so no token, reached the other host


async def test_403_is_permanent_auth_error(tandoor: FakeTandoor) -> None:
    client = await _client(tandoor.base_url, READ_ONLY_TOKEN)
    try:
        with pytest.raises(PermanentError) as caught:
            await client.create_recipe({"name": "x", "steps": []})
    finally:
        await client.aclose()
    assert caught.value.code == "tandoor_auth"
    assert "lacks write scope" in caught.value.message
    assert tandoor.recipes == {}


async def test_400_is_permanent_with_field_errors_in_words(tandoor: FakeTandoor) -> None:
    tandoor.violations_expected = True  # type: ignore[attr-defined]
    client = await _client(tandoor.base_url)
    bad = {
        "name": "Nested",
        "steps": [
            {"instruction": "ok", "ingredients": []},
            {
                "instruction": "bad",
                "ingredients": [
                    {"food": {"name": "salt"}, "unit": None, "amount": 1},
                    {"food": {"name": ""}, "unit": None, "amount": None},
                ],
            },
        ],
    }
    try:
        with pytest.raises(PermanentError) as caught:
            await client.create_recipe(bad)
    finally:
        await client.aclose()
    error = caught.value
    assert error.code == "tandoor_validation"
    assert "step 2, ingredient 2, food name: This field may not be blank." in error.message
    assert "step 2, ingredient 2, amount: This field may not be null." in error.message


async def test_5xx_on_create_is_recoverable_and_unconfirmed(tandoor: FakeTandoor) -> None:
    tandoor.add_fault("status", "POST", "/api/recipe/", status=502)
    client = await _client(tandoor.base_url)
    try:
        with pytest.raises(CreateUnconfirmed) as caught:
            await client.create_recipe({"name": "x", "steps": []})
    finally:
        await client.aclose()
    assert caught.value.recoverable and caught.value.code == "tandoor_create_unconfirmed"


async def test_5xx_on_read_is_recoverable(tandoor: FakeTandoor) -> None:
    tandoor.add_fault("status", "GET", "/api/recipe/", status=503)
    client = await _client(tandoor.base_url)
    try:
        with pytest.raises(RecoverableError) as caught:
            await client.search_recipes("x")
    finally:
        await client.aclose()
    assert caught.value.code == "tandoor_server_error"


async def test_429_is_recoverable_with_retry_after(tandoor: FakeTandoor) -> None:
    tandoor.add_fault("status", "POST", "/api/recipe-from-source/", status=429)
    client = await _client(tandoor.base_url)
    try:
        with pytest.raises(RecoverableError) as caught:
            await client.duplicate_check("https://www.instagram.com/p/x/")
    finally:
        await client.aclose()
    assert caught.value.code == "tandoor_rate_limited" and caught.value.retry_after == 30


async def test_timeout_is_recoverable(tandoor: FakeTandoor) -> None:
    tandoor.add_fault("slow", "GET", "/api/recipe/", delay=1.0)
    client = await _client(tandoor.base_url, timeout=httpx.Timeout(0.2))
    try:
        with pytest.raises(RecoverableError) as caught:
            await client.get_recipe(1)
    finally:
        await client.aclose()
    assert caught.value.code == "tandoor_timeout"


async def test_connection_reset_is_recoverable(tandoor: FakeTandoor) -> None:
    tandoor.add_fault("reset", "GET", "/api/recipe/")
    client = await _client(tandoor.base_url)
    try:
        with pytest.raises(RecoverableError) as caught:
            await client.get_recipe(1)
    finally:
        await client.aclose()
    assert caught.value.code == "tandoor_unreachable"
    assert "the connection was cut" in caught.value.message
    assert "Error" not in caught.value.message


async def test_connection_refused_is_recoverable(closed_port_url: str) -> None:
    client = await _client(closed_port_url)
    try:
        with pytest.raises(RecoverableError) as caught:
            await client.create_recipe({"name": "x", "steps": []})
    finally:
        await client.aclose()
    # refused: the request never left, so it is not "unconfirmed"
    assert caught.value.code == "tandoor_unreachable"
    assert not isinstance(caught.value, CreateUnconfirmed)


async def test_lost_response_on_create_is_unconfirmed_but_saved(tandoor: FakeTandoor) -> None:
    tandoor.add_fault("lose_response", "POST", "/api/recipe/")
    client = await _client(tandoor.base_url)
    try:
        with pytest.raises(CreateUnconfirmed):
            await client.create_recipe({"name": "Lost", "steps": []})
    finally:
        await client.aclose()
    assert [r["name"] for r in tandoor.recipes.values()] == ["Lost"]


async def test_duplicate_check_answers_per_version(tandoor: FakeTandoor) -> None:
    url = "https://www.instagram.com/reel/C9xYz12AbCd/"
    client = await _client(tandoor.base_url)
    try:
        none = await client.duplicate_check(url)
        created = await client.create_recipe({"name": "Same reel", "steps": [], "source_url": url})
        found = await client.duplicate_check(url)
        no_slash = await client.duplicate_check(url.rstrip("/"))  # exact match only (ex. 62)
    finally:
        await client.aclose()
    assert not none.found and not no_slash.found
    assert found.found
    assert found.ids == (() if tandoor.version != V2 else (created["id"],))
    # the probe saves nothing
    assert len(tandoor.recipes) == 1


async def test_errors_carry_no_traceback_text(tandoor: FakeTandoor) -> None:
    client = await _client(tandoor.base_url, "tda_wrong")
    try:
        with pytest.raises(PhaseError) as caught:
            await client.create_recipe({"name": "x", "steps": []})
    finally:
        await client.aclose()
    assert "Traceback" not in str(caught.value)
    assert caught.value.suggestion and "read write" in caught.value.suggestion
