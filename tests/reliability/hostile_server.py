"""A loopback HTTP server answering with whatever a test scripts: for servers that are not what
the app expects (not a Tandoor, a login page, a redirect to another host, raw LLM bodies).

``HostileServer(handler)`` where ``handler(request) -> Answer``; every request is recorded with
its headers, so a test can prove what was (not) sent, e.g. the token.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.loopback import LoopbackHTTPServer


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = field(default_factory=dict)

    def raw(self) -> tuple[bytes, str]:
        if isinstance(self.body, bytes):
            return self.body, "application/octet-stream"
        if isinstance(self.body, str):
            return self.body.encode(), "text/html; charset=utf-8"
        return json.dumps(self.body).encode(), "application/json"


Handler = Callable[[Request], Answer]


class _Server(LoopbackHTTPServer):
    expected_errors = (Exception,)  # failed TLS handshakes and clients that hang up


class HostileServer:
    def __init__(
        self, handler: Handler, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None
    ) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self.scheme = "https" if tls else "http"
        self._lock = threading.Lock()
        self._httpd = _Server((host, 0), _make_handler(self))
        if tls is not None:  # handshake per connection, in the handler thread
            self._httpd.socket = tls.wrap_socket(
                self._httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}"

    def __enter__(self) -> HostileServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, daemon=True, kwargs={"poll_interval": 0.05}
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)


def _make_handler(server: HostileServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(
                self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
            )
            server.record(request)
            answer = server.handler(request)
            raw, content_type = answer.raw()
            self.send_response(answer.status)
            headers = {"Content-Type": content_type, **answer.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(raw)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

    return _Handler
