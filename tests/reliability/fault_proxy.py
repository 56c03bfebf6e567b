"""A fault-injecting HTTP reverse proxy on 127.0.0.1, for the soak and the hostile-server tests.

It sits between the app and a fake (Tandoor or the LLM server) and, per request, with a seeded
random choice, forwards it untouched or injects one fault:

``status``          answer 5xx (HTML page) or 429 with ``Retry-After`` instead of forwarding
``reset``           drop the connection with a TCP reset, request not forwarded
``hang``            accept the request, never answer (the app's timeout must fire), then close
``slow``            wait ``delay`` seconds, then forward normally
``lose_response``   forward (the upstream acts, e.g. saves the recipe), then reset instead of
                    answering: the "create whose response was lost" case
``garbage``         forward; replace a chat completion's content with prose that is not JSON
``truncated``       forward; cut a chat completion's JSON content in half (finish "length")
``cut_body``        forward; send the headers and half of the body, then close

The ``Host`` header is passed through, so the fake builds its URLs with the proxy's address.
``counts`` tells how many faults of each kind were actually applied.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.loopback import LoopbackHTTPServer

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "content-length",
}
HTML_502 = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>"
    b"<h1>Bad Gateway</h1><p>nginx</p></body></html>"
)
GARBAGE = (
    "Sure! Here is your recipe :) Ingredients: flour, eggs, milk. "
    '{"name": Pancakes, steps: [mix, fry,]} Enjoy!!'
)


@dataclass(frozen=True)
class FaultRule:
    """Inject ``kind`` with ``probability`` into requests that ``applies`` to."""

    kind: str
    probability: float
    method: str | None = None  # None: any
    path: str | None = None  # a path prefix; None: any
    status: int = 503
    delay: float = 0.5  # slow: seconds before forwarding; hang: seconds before closing
    retry_after: int = 1

    def applies(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.path is None or path.startswith(self.path)
        )


class FaultProxy:
    def __init__(
        self,
        upstream_port: int,
        rules: list[FaultRule] | None = None,
        *,
        seed: int = 0,
        name: str = "proxy",
    ) -> None:
        self.upstream_port = upstream_port
        self.rules = list(rules or [])
        self.name = name
        self.counts: Counter[str] = Counter()
        self.requests = 0
        self.enabled = True
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.observers: list[Callable[[str, str, str], None]] = []  # (kind, method, path)
        self._httpd = _Server(("127.0.0.1", 0), _make_handler(self))
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            name=self.name,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def choose(self, method: str, path: str) -> FaultRule | None:
        with self._lock:
            self.requests += 1
            if not self.enabled:
                return None
            for rule in self.rules:
                if rule.applies(method, path) and self._rng.random() < rule.probability:
                    return rule
        return None

    def applied(self, kind: str, method: str, path: str) -> None:
        with self._lock:
            self.counts[kind] += 1
        for observer in list(self.observers):
            observer(kind, method, path)

    def wait(self, seconds: float) -> None:
        self._stop.wait(seconds)


class _Server(LoopbackHTTPServer):
    expected_errors = (Exception,)  # clients that hang up (timeouts, kills) are the point


def _mangle_completion(body: bytes, kind: str) -> bytes | None:
    """A chat completion with broken content; None when the body is not one."""
    try:
        data = json.loads(body)
        message = data["choices"][0]["message"]
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    content = message.get("content")
    if not isinstance(content, str):
        return None
    if kind == "garbage":
        message["content"] = GARBAGE
    else:
        message["content"] = content[: max(1, len(content) // 2)]
        data["choices"][0]["finish_reason"] = "length"
    return json.dumps(data).encode()


def _make_handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _read_body(self) -> bytes:
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        break
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                return b"".join(chunks)
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _reset(self) -> None:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()

        def _answer(
            self, status: int, body: bytes, headers: dict[str, str], *, cut: bool = False
        ) -> None:
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            if cut:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if cut else body)
            self.wfile.flush()
            if cut:
                self.close_connection = True

        def _forward(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
            conn = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=60)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                headers["Content-Length"] = str(len(body))
                conn.request(self.command, self.path, body=body or None, headers=headers)
                response = conn.getresponse()
                data = response.read()
                return response.status, dict(response.getheaders()), data
            finally:
                conn.close()

        def _handle(self) -> None:
            body = self._read_body()
            method, path = self.command, self.path.split("?", 1)[0]
            rule = proxy.choose(method, path)
            kind = rule.kind if rule else None
            try:
                if rule is not None and kind == "reset":
                    proxy.applied("reset", method, path)
                    self._reset()
                    return
                if rule is not None and kind == "hang":
                    proxy.applied("hang", method, path)
                    proxy.wait(rule.delay)
                    self._reset()
                    return
                if rule is not None and kind == "status":
                    label = "rate_limit" if rule.status == 429 else f"status_{rule.status}"
                    proxy.applied(label, method, path)
                    if rule.status == 429:
                        detail = {
                            "detail": "Request was throttled. Expected available in "
                            f"{rule.retry_after} seconds.",
                            "error": {
                                "message": "Rate limit reached.",
                                "type": "requests",
                                "code": "rate_limit_exceeded",
                            },
                        }
                        self._answer(
                            429,
                            json.dumps(detail).encode(),
                            {
                                "Content-Type": "application/json",
                                "Retry-After": str(rule.retry_after),
                            },
                        )
                    else:
                        self._answer(rule.status, HTML_502, {"Content-Type": "text/html"})
                    return
                if rule is not None and kind == "slow":
                    proxy.applied("slow", method, path)
                    proxy.wait(rule.delay)
                status, headers, data = self._forward(body)
                if rule is not None and kind == "lose_response":
                    proxy.applied("lose_response", method, path)
                    self._reset()
                    return
                if rule is not None and kind in ("garbage", "truncated") and status == 200:
                    mangled = _mangle_completion(data, kind)
                    if mangled is not None:
                        proxy.applied(kind, method, path)
                        data = mangled
                cut = rule is not None and kind == "cut_body" and len(data) > 1
                if cut:
                    proxy.applied("cut_body", method, path)
                self._answer(status, data, headers, cut=cut)
            except (ConnectionError, OSError):
                self.close_connection = True

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

    return Handler
