"""Tandoor addresses that do not lead to a Tandoor: a plain web site, a login page instead of
JSON, a redirect to another host. Each ends in a clear item error; the token never leaves for
another host, and nothing is created."""

from __future__ import annotations

from pathlib import Path

import pytest

from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.fakes.fake_tandoor import TOKEN
from tests.reliability.conftest import assert_clear_failure, process_texts
from tests.reliability.hostile_server import Answer, HostileServer, Request

CAPTION = (
    "Fluffy pancakes\n\nIngredients:\n200 g flour\n2 eggs\n300 ml milk\n\n"
    "Whisk everything and fry in butter until golden."
)
BLOG = "<!DOCTYPE html><html><head><title>My blog</title></head><body>Hello</body></html>"
LOGIN = (
    "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form method='post'>"
    "<input name='username'><input type='password' name='password'></form></body></html>"
)


async def upload_through(server_url: str, data_dir: Path) -> object:

    items = await process_texts(
        data_dir,
        {"TANDOOR_BASE_URL": server_url},
        {"HOSTILE01": CAPTION},
        secrets=open_secret_store(environ={"TANDOOR_API_TOKEN": TOKEN}),
    )
    assert len(items) == 1
    return items[0]


def sent_token(server: HostileServer) -> list[str]:
    return [r.path for r in server.requests if TOKEN in str(r.headers) or TOKEN.encode() in r.body]


async def test_an_ordinary_web_site_is_not_a_tandoor(data_dir: Path) -> None:
    with HostileServer(lambda r: Answer(200, BLOG)) as site:
        item = await upload_through(site.url(), data_dir)
    assert_clear_failure(item)
    assert item.error.code == "tandoor_not_tandoor"  # type: ignore[attr-defined]
    assert "does not look like a Tandoor" in item.error.message  # type: ignore[attr-defined]
    assert not any(r.method == "POST" for r in site.requests)


@pytest.mark.parametrize("style", ["redirect", "inline"])
async def test_a_login_page_instead_of_json(data_dir: Path, style: str) -> None:
    """An SSO proxy in front of Tandoor: /api/ answers with its login page (by a redirect to
    it, or directly with 200 HTML)."""

    def answer(request: Request) -> Answer:
        if request.path.startswith("/accounts/login"):
            return Answer(200, LOGIN)
        if style == "redirect":
            return Answer(302, "", {"Location": "/accounts/login/?next=" + request.path})
        return Answer(200, LOGIN)

    with HostileServer(answer) as proxy:
        item = await upload_through(proxy.url(), data_dir)
    assert_clear_failure(item)
    assert not any(r.method == "POST" for r in proxy.requests)
    assert not any(r.path.startswith("/accounts/login") for r in proxy.requests)


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_a_redirect_to_another_host_does_not_take_the_token(
    data_dir: Path, status: int
) -> None:
    with HostileServer(lambda r: Answer(200, {"version": "2.6.12"}), host="127.0.0.1") as other:
        target = other.url("localhost")  # another host name, on loopback

        def answer(request: Request) -> Answer:
            return Answer(status, "", {"Location": target + request.path})

        with HostileServer(answer) as first:
            item = await upload_through(first.url(), data_dir)
        assert sent_token(first), "the token should go to the configured host"
    assert other.requests == [], "the app followed the redirect"
    assert sent_token(other) == []
    assert_clear_failure(item)
    assert item.error.code == "tandoor_redirect"  # type: ignore[attr-defined]
    assert "localhost" in (item.error.message + (item.error.suggestion or ""))  # type: ignore[attr-defined]


@pytest.mark.parametrize("where", ["create", "search"])
async def test_html_where_json_was_expected_after_the_version_check(
    data_dir: Path, where: str
) -> None:
    """A Tandoor that answers its version, then an HTML page with 200/201 (a proxy's error page,
    a maintenance page) where the recipe's JSON was expected."""

    def answer(request: Request) -> Answer:
        if request.path.startswith("/api/server-settings/"):
            return Answer(200, {"version": "2.6.12"})
        if request.path.startswith("/api/recipe-from-source/"):
            return Answer(200, {"duplicates": []})
        if request.method == "POST" and request.path == "/api/recipe/":
            return Answer(201, LOGIN) if where == "create" else Answer(201, {"id": 7})
        if request.method == "GET" and request.path.startswith("/api/recipe/7/"):
            return Answer(200, LOGIN)
        if request.method == "GET" and request.path.startswith("/api/recipe/"):
            return Answer(200, LOGIN) if where == "search" else Answer(200, {"results": []})
        return Answer(200, {})

    with HostileServer(answer) as server:
        item = await upload_through(server.url(), data_dir)
    if item.status.value == "success":  # the create answered an id: fine
        assert where == "search"
        return
    assert_clear_failure(item)
