"""Loopback servers and saved Instagram data for the extraction tests.

Nothing here reaches Instagram. ``fake_instagram`` is a real HTTP server on 127.0.0.1; requests
that instaloader addresses to www.instagram.com / i.instagram.com are re-routed to it (the one
patch: ``requests.Session.get_adapter``), so instaloader's own status handling runs for real.
Without that fixture, any attempt to reach Instagram is recorded and fails the test.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from requests.adapters import HTTPAdapter

from instarecipe_desktop.core.items import PhaseName, QueueItem
from tests.support.loopback import LoopbackHTTPServer

DATA = Path(__file__).parent / "data"
INSTAGRAM_HOSTS = {"www.instagram.com", "i.instagram.com", "instagram.com"}


# -- a small scriptable HTTP server -------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class Response:
    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: list[bytes] | None = None  # sent with chunked encoding (no Content-Length)
    stall_after_headers: bool = False  # send headers, then hang until the server stops
    set_cookies: list[str] = field(default_factory=list)  # one Set-Cookie header each


Route = Callable[[Request], Response]


class LoopbackServer:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.requests: list[Request] = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
                server.requests.append(request)
                route = server.routes.get((self.command, parts.path)) or server.routes.get(
                    ("*", parts.path)
                )
                response = route(request) if route else Response(404, {"status": "fail"})
                self._send(response)

            def _send(self, response: Response) -> None:
                body = response.body
                headers = dict(response.headers)
                if isinstance(body, dict | list):
                    body = json.dumps(body).encode()
                    headers.setdefault("Content-Type", "application/json")
                elif isinstance(body, str):
                    body = body.encode()
                    headers.setdefault("Content-Type", "text/html; charset=utf-8")
                self.send_response(response.status)
                for key, value in headers.items():
                    self.send_header(key, value)
                for cookie in response.set_cookies:
                    self.send_header("Set-Cookie", cookie)
                if response.chunks is not None:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    try:
                        for chunk in response.chunks:
                            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                        self.wfile.write(b"0\r\n\r\n")
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return
                if response.stall_after_headers:
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.write(b"\xff\xd8\xff")
                    self.wfile.flush()
                    server.release.wait(30)
                    self.close_connection = True
                    return
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _handle

        self._httpd = LoopbackHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def route(self, method: str, path: str, response: Response | Route) -> None:
        self.routes[(method, path)] = response if callable(response) else (lambda _r: response)

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    srv = LoopbackServer()
    yield srv
    srv.close()


# -- Instagram ----------------------------------------------------------------------------------


class _RewriteAdapter(HTTPAdapter):
    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        parts = urlsplit(request.url or "")
        request.headers["X-Original-Host"] = parts.hostname or ""
        request.url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().send(request, **kwargs)


class _NoInstagramAdapter(HTTPAdapter):
    def __init__(self, attempts: list[str]) -> None:
        super().__init__()
        self.attempts = attempts

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.attempts.append(request.url or "")
        raise requests.ConnectionError("tests must not reach Instagram")


@pytest.fixture(autouse=True)
def instagram_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Routes requests for Instagram hosts: nowhere (recorded), or to ``state['base']``."""
    state: dict[str, Any] = {"base": None, "attempts": []}
    real = requests.Session.get_adapter

    def get_adapter(self: requests.Session, url: str) -> Any:
        if (urlsplit(url).hostname or "") in INSTAGRAM_HOSTS:
            if state["base"]:
                return _RewriteAdapter(state["base"])
            return _NoInstagramAdapter(state["attempts"])
        return real(self, url)

    monkeypatch.setattr(requests.Session, "get_adapter", get_adapter)
    yield state
    if not state["base"]:
        assert state["attempts"] == [], f"a test tried to reach Instagram: {state['attempts']}"


def load_posts(cdn: str = "http://127.0.0.1:9") -> dict[str, dict[str, Any]]:
    text = (DATA / "posts.json").read_text(encoding="utf-8").replace("{cdn}", cdn)
    return json.loads(text)


START_PAGE = (
    '<html><script>["LSD",[],{"token":"lsd-token-1"}] "IG_USER_EIMU":"17841400000"</script></html>'
)


class FakeInstagram:
    """www.instagram.com as instaloader 4.16 talks to it, answering from saved media items."""

    def __init__(self, srv: LoopbackServer) -> None:
        self.server = srv
        self.posts = {m["code"]: m for m in load_posts(srv.base_url).values()}
        self.faults: list[Response] = []  # answered (in order) instead of the post query
        self.whoami: str | None = "chef.anna"
        self.comments: list[dict[str, Any]] = []  # parent comment nodes of every post
        # answered instead of every post query while set: instaloader "broken for everyone"
        self.instaloader_broken: Response | None = None
        self.ytdlp_faults: list[Response] = []  # answered (in order) instead of what yt-dlp asks
        self.embed_faults: list[Response] = []  # answered (in order) instead of an embed page
        self.embed_shape = "html"  # "html" (the page's markup) or "json" (its contextJSON)
        srv.route("GET", "/", Response(200, START_PAGE, {"Set-Cookie": "csrftoken=csrf1"}))
        srv.route("POST", "/api/graphql", self._post_query)
        srv.route("POST", "/graphql/query", self._post_query)
        srv.route("GET", "/graphql/query", self._graphql_get)
        srv.route("GET", "/api/v1/web/get_ruling_for_content/", self._ruling)
        for code in self.posts:
            self.add_routes(code)

    def add_routes(self, code: str) -> None:
        """yt-dlp's and the embed page's addresses for the post ``code``."""
        self.server.route(
            "GET", f"/api/v1/media/{shortcode_to_pk(code)}/info/", self._media_info(code)
        )
        self.server.route("GET", f"/p/{code}", self._post_page(code))
        self.server.route("GET", f"/p/{code}/embed/captioned/", self._embed_page(code))

    def _media_info(self, code: str) -> Route:
        """yt-dlp logged in: ``api/v1/media/{pk}/info/`` with the session's cookies; without
        a sessionid Instagram sends the visitor to the login page."""

        def answer(request: Request) -> Response:
            if self.ytdlp_faults:
                return self.ytdlp_faults.pop(0)
            if "sessionid=" not in request.headers.get("cookie", ""):
                return Response(302, b"", {"Location": "https://www.instagram.com/accounts/login/"})
            media = self.posts.get(code)
            return Response(200, {"items": [copy.deepcopy(media)], "status": "ok"})

        return answer

    def _ruling(self, request: Request) -> Response:
        return Response(200, {"status": "ok"})

    def _post_page(self, code: str) -> Route:
        """yt-dlp anonymous: the post's page, whose data-sjs script carries the media."""

        def answer(request: Request) -> Response:
            if self.ytdlp_faults:
                return self.ytdlp_faults.pop(0)
            media = copy.deepcopy(self.posts[code])
            box = {"__bbox": {"result": {"data": {"xig_polaris_media": {
                "if_not_gated_logged_out": media}}}}}  # fmt: skip
            sjs = {"require": [["ScheduledServerJS", "handle", None, [{"__bbox": {"require": [
                ["RelayPrefetchedStreamCache", "next", [], ["adp_PolarisPostRoot", box]]
            ]}}]]]}  # fmt: skip
            page = f'<html><script type="application/json" data-sjs>{json.dumps(sjs)}</script>'
            return Response(200, page + "</html>")

        return answer

    def _embed_page(self, code: str) -> Route:
        def answer(request: Request) -> Response:
            if self.embed_faults:
                return self.embed_faults.pop(0)
            media = self.posts[code]
            if self.embed_shape == "json":
                return Response(200, embed_json_page(media))
            return Response(200, embed_html_page(media))

        return answer

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def _post_query(self, request: Request) -> Response:
        if self.faults:
            return self.faults.pop(0)
        if self.instaloader_broken is not None:
            return self.instaloader_broken
        form = parse_qs(request.body.decode())
        variables = json.loads(form["variables"][0])
        media = self.posts.get(variables.get("shortcode", ""))
        items = [copy.deepcopy(media)] if media else []
        return Response(
            200,
            {"data": {"xdt_api__v1__media__shortcode__web_info": {"items": items}}, "status": "ok"},
        )

    def _graphql_get(self, request: Request) -> Response:
        if self.faults:
            return self.faults.pop(0)
        if request.query.get("query_hash", [""])[0] == "d6f4427fbe92d846298cf93df0b937d3":
            user = {"username": self.whoami} if self.whoami else None
            return Response(200, {"data": {"user": user}, "status": "ok"})
        if request.query.get("query_hash", [""])[0] == "97b41c52301f77ce508f55e66d17620e":
            edges = [{"node": node} for node in self.comments]
            return Response(
                200,
                {
                    "data": {
                        "shortcode_media": {
                            "edge_media_to_parent_comment": {
                                "count": len(edges),
                                "edges": edges,
                                "page_info": {"has_next_page": False, "end_cursor": None},
                            }
                        }
                    },
                    "status": "ok",
                },
            )
        return Response(200, {"data": {}, "status": "ok"})

    def post_queries(self) -> list[Request]:
        return self.server.hits("/api/graphql") + self.server.hits("/graphql/query")


@pytest.fixture
def fake_instagram(server: LoopbackServer, instagram_network: dict[str, Any]) -> FakeInstagram:
    instagram_network["base"] = server.base_url
    return FakeInstagram(server)


_SHORTCODE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def shortcode_to_pk(code: str) -> int:
    """The numeric media id in a shortcode (base 64 over Instagram's alphabet)."""
    value = 0
    for char in code[:-28] if len(code) > 28 else code:
        value = value * 64 + _SHORTCODE_CHARS.index(char)
    return value


def _pictures(media: dict[str, Any]) -> list[str]:
    slides = media.get("carousel_media") or [media]
    return [s["image_versions2"]["candidates"][0]["url"] for s in slides]


def embed_html_page(media: dict[str, Any]) -> str:
    """The captioned embed page's markup: author, first picture, caption with <br> lines."""
    from html import escape

    author = media["user"]["username"]
    caption = (media.get("caption") or {}).get("text") or ""
    lines = "<br />".join(escape(line) for line in caption.split("\n"))
    caption_div = (
        f'<div class="Caption"><a class="CaptionUsername" href="/{author}/">{author}</a>'
        f'<br /><br />{lines}<div class="CaptionComments"><a>View all comments</a></div></div>'
        if caption
        else ""
    )
    return (
        '<html><body><div class="Embed"><div class="Header"><a class="HeaderLink">'
        f'<span class="UsernameText">{author}</span></a></div>'
        f'<div class="EmbeddedMedia"><img class="EmbeddedMediaImage" alt="" '
        f'src="{escape(_pictures(media)[0])}"></div>{caption_div}</div></body></html>'
    )


def embed_json_page(media: dict[str, Any]) -> str:
    """The embed page whose script hands ``contextJSON`` with the GraphQL ``shortcode_media``."""
    caption = (media.get("caption") or {}).get("text") or ""
    pictures = _pictures(media)
    node: dict[str, Any] = {
        "__typename": {1: "GraphImage", 2: "GraphVideo", 8: "GraphSidecar"}[media["media_type"]],
        "shortcode": media["code"],
        "display_url": pictures[0],
        "is_video": media["media_type"] == 2,
        "taken_at_timestamp": media["taken_at"],
        "owner": {"username": media["user"]["username"], "full_name": media["user"]["full_name"]},
        "edge_media_to_caption": {"edges": [{"node": {"text": caption}}] if caption else []},
    }
    if media.get("video_versions"):
        node["video_url"] = media["video_versions"][0]["url"]
    if media.get("carousel_media"):
        node["edge_sidecar_to_children"] = {
            "edges": [{"node": {"display_url": url}} for url in pictures]
        }
    context = json.dumps({"context": {"type": "media"}, "gql_data": {"shortcode_media": node}})
    handle = json.dumps({"contextJSON": context})
    return f"<html><script>window.__handle({handle});</script><body></body></html>"


def comment(pk: int, username: str, text: str) -> dict[str, Any]:
    return {
        "id": str(pk),
        "created_at": 1717243300 + pk,
        "text": text,
        "owner": {"id": str(5000 + pk), "username": username},
        "edge_liked_by": {"count": 0},
        "edge_threaded_comments": {"count": 0, "edges": []},
    }


JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2000


# -- the engine's side ---------------------------------------------------------------------------


class FakeContext:
    """What the engine hands a phase (core.phases.PhaseContext)."""

    def __init__(self, item: QueueItem, data_dir: Path) -> None:
        self.item = item
        self.phase = PhaseName.EXTRACTION
        self.data_dir = data_dir
        self.progress_calls: list[tuple[int, str | None]] = []
        self.logs: list[tuple[str, str]] = []

    def progress(self, percent: int, message: str | None = None) -> None:
        self.progress_calls.append((percent, message))

    def log(self, message: str, level: str = "info") -> None:
        self.logs.append((level, message))

    @property
    def messages(self) -> list[str | None]:
        return [m for _p, m in self.progress_calls]
