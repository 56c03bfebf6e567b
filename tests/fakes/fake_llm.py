"""A fake OpenAI-compatible server: real HTTP on 127.0.0.1, scriptable, with fault injection.

Use it in tests as a fixture::

    from tests.fakes.fake_llm import fake_llm  # noqa: F401  (in a conftest.py)

    async def test_x(fake_llm):
        fake_llm.script({"fault": "rate_limit", "retry_after": 7})
        ... AsyncOpenAI(base_url=fake_llm.base_url, api_key="k") ...
        assert len(fake_llm.chat_requests) == 1

or as its own process (for a soak run)::

    python -m tests.fakes.fake_llm --port 0 [--no-json-schema] [--no-json-object]
        [--api-key KEY] [--model NAME ...] [--transcript TEXT]

which prints the port on the first line of stdout and serves until SIGINT / SIGTERM. The base
URL is ``http://127.0.0.1:<port>/v1``.

Endpoints: ``POST /v1/chat/completions``, ``GET /v1/models``, ``GET /v1/models/<id>``,
``POST /v1/audio/transcriptions`` (multipart; answers ``{"text": ...}``).

Behaviour of a request: the first queued script entry for its endpoint, else a marker
``[fake-llm:<fault>]`` in the last chat message (lets a soak pick faults per post text),
else the default: a valid recipe answer (``SAMPLE_RECIPE`` or ``answer`` from the config).

Script entries (dicts; ``"times": n`` repeats one, ``"endpoint"`` is ``"chat"`` (default),
``"models"`` or ``"transcriptions"``)::

    {"answer": {...} or "text"}          answer with this content (a dict is sent as JSON)
    {"fault": "no_recipe"}               {"hasRecipe": false, ...}
    {"fault": "invalid_json"}            prose with broken JSON
    {"fault": "wrong_schema"}            valid JSON, wrong shape
    {"fault": "truncated"}               half a JSON object, finish_reason "length"
    {"fault": "refusal"}                 content null, a refusal text
    {"fault": "rate_limit", "retry_after": 2}   429 with Retry-After (seconds)
    {"fault": "slow", "delay": 5}        waits, then answers normally (released on close/reset)
    {"fault": "unauthorized"}            401
    {"fault": "server_error", "status": 503}    5xx (default 500)
    {"fault": "bad_request", "message": "..."}  400
    {"fault": "model_not_found"}         404 as OpenAI sends for an unknown model
    {"fault": "reset"}                   the connection is reset without an answer

Server options (constructor keywords, CLI flags, or ``POST /_fake/config``)::

    json_schema=True    False: response_format json_schema -> 400 naming response_format
    json_object=True    False: response_format json_object -> 400 (as LM Studio >= 0.4.15)
    api_key=None        set: requests without "Authorization: Bearer <key>" -> 401
    models=[...]        listed by /v1/models; a chat naming another model -> 404
    transcript="..."    text of /v1/audio/transcriptions
    answer={...}        the default answer content
    usage=True          False: answers carry no token usage (some local servers)
    vision=True         False: a chat with image content parts -> 400 as OpenAI answers for
                        a model without vision ("image_url is only supported by certain models")

Image content parts (``{"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,..."}}``)
are checked as OpenAI checks them: a part of unknown type, a URL that is not a base64 data URL of
a JPEG/PNG/WebP/GIF, broken base64 or bytes of another type get 400 "unsupported image". With
pictures, the default answer is the fake vision model's: the text printed on them (bytes between
``[on-screen]`` and ``[/on-screen]``) becomes the recipe's name; pictures without such text give
``hasRecipe: false``.

Control over HTTP (for the separate process; the same as the Python methods)::

    POST /_fake/script    body: a list of entries (appended)     -> FakeLLM.script(*entries)
    POST /_fake/config    body: {option: value}                  -> FakeLLM.configure(**options)
    POST /_fake/reset     script, requests and options cleared   -> FakeLLM.reset()
    GET  /_fake/requests  every request so far: {method, path, headers, json}
                                                                  -> FakeLLM.requests
"""

from __future__ import annotations

import argparse
import base64
import binascii
import copy
import email.parser
import email.policy
import json
import re
import signal
import socket
import struct
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from tests.support.loopback import LoopbackHTTPServer

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TRANSCRIPT = "First melt the butter, then add two eggs and stir."

SAMPLE_RECIPE: dict[str, Any] = {
    "hasRecipe": True,
    "name": "Fluffy Pancakes",
    "description": "Thick, fluffy pancakes ready in 20 minutes.",
    "servings": 4,
    "servingsText": "pancakes stacks",
    "workingTime": 20,
    "waitingTime": 5,
    "keywords": ["breakfast", "pancakes"],
    "language": "en",
    "steps": [
        {
            "name": None,
            "instruction": "Melt the butter and let it cool a little.",
            "sourceLine": "Melt the butter.",
            "time": 2,
            "ingredients": [
                {
                    "amount": 30,
                    "unit": "g",
                    "food": "butter",
                    "note": "half of it",
                    "originalText": "60 g butter",
                    "isHeader": False,
                }
            ],
        },
        {
            "name": "Batter",
            "instruction": "Whisk flour, sugar, milk, eggs and the melted butter.",
            "sourceLine": "Whisk everything",
            "time": None,
            "ingredients": [
                {
                    "amount": None,
                    "unit": None,
                    "food": "Batter",
                    "note": None,
                    "originalText": "For the batter:",
                    "isHeader": True,
                },
                {
                    "amount": 1.5,
                    "unit": "cups",
                    "food": "flour",
                    "note": None,
                    "originalText": "1 1/2 cups flour",
                    "isHeader": False,
                },
                {
                    "amount": 2,
                    "unit": "tbsp",
                    "food": "sugar",
                    "note": None,
                    "originalText": "2 tbsp sugar",
                    "isHeader": False,
                },
                {
                    "amount": 1.25,
                    "unit": "cups",
                    "food": "milk",
                    "note": None,
                    "originalText": "1 1/4 cups milk",
                    "isHeader": False,
                },
                {
                    "amount": 2,
                    "unit": None,
                    "food": "eggs",
                    "note": None,
                    "originalText": "2 eggs",
                    "isHeader": False,
                },
            ],
        },
        {
            "name": None,
            "instruction": "Fry ladlefuls in the rest of the butter until golden.",
            "sourceLine": "fry in the rest of the butter.",
            "time": 10,
            "ingredients": [
                {
                    "amount": 30,
                    "unit": "g",
                    "food": "butter",
                    "note": "the rest",
                    "originalText": "60 g butter",
                    "isHeader": False,
                },
                {
                    "amount": None,
                    "unit": None,
                    "food": "salt",
                    "note": "to taste",
                    "originalText": "salt to taste",
                    "isHeader": False,
                },
            ],
        },
    ],
}

NO_RECIPE_ANSWER: dict[str, Any] = {
    "hasRecipe": False,
    "name": "",
    "description": None,
    "servings": None,
    "servingsText": None,
    "workingTime": None,
    "waitingTime": None,
    "keywords": [],
    "language": "en",
    "steps": [],
}

CONTENT_FAULTS = ("no_recipe", "invalid_json", "wrong_schema", "truncated", "refusal")
FAULTS = (
    "no_recipe",
    "invalid_json",
    "wrong_schema",
    "truncated",
    "refusal",
    "rate_limit",
    "slow",
    "unauthorized",
    "server_error",
    "bad_request",
    "model_not_found",
    "reset",
)

_DEFAULT_OPTIONS: dict[str, Any] = {
    "json_schema": True,
    "json_object": True,
    "api_key": None,
    "models": [DEFAULT_MODEL],
    "transcript": DEFAULT_TRANSCRIPT,
    "answer": None,  # None: SAMPLE_RECIPE
    "usage": True,
    "vision": True,  # False: a request with image parts -> 400 (a model without vision)
}


def _error_body(
    message: str, kind: str, code: str | None = None, param: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


class FakeLLM:
    """The server plus its script, options and request log (thread-safe)."""

    def __init__(self, port: int = 0, **options: Any) -> None:
        self._lock = threading.Lock()
        self._release = threading.Event()  # ends "slow" waits early on reset / close
        self._script: list[dict[str, Any]] = []
        self._requests: list[dict[str, Any]] = []
        self.options: dict[str, Any] = copy.deepcopy(_DEFAULT_OPTIONS)
        self.configure(**options)
        self._httpd = _Server(("127.0.0.1", port), _make_handler(self))
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeLLM:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            name="fake-llm",
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- control -----------------------------------------------------------------------------

    def script(self, *entries: dict[str, Any]) -> None:
        with self._lock:
            for entry in entries:
                fault = entry.get("fault")
                if fault is not None and fault not in FAULTS:
                    raise ValueError(f"unknown fault {fault!r}; known: {', '.join(FAULTS)}")
                for _ in range(int(entry.get("times", 1))):
                    self._script.append(dict(entry))

    def configure(self, **options: Any) -> None:
        unknown = set(options) - set(_DEFAULT_OPTIONS)
        if unknown:
            raise ValueError(f"unknown option(s): {', '.join(sorted(unknown))}")
        with self._lock:
            self.options.update(copy.deepcopy(options))

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self._requests.clear()
            self.options = copy.deepcopy(_DEFAULT_OPTIONS)
        self._release.set()
        self._release = threading.Event()

    @property
    def requests(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._requests)

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"].endswith("/chat/completions")]

    @property
    def pending_script(self) -> int:
        with self._lock:
            return len(self._script)

    # --- used by the handler -----------------------------------------------------------------

    def _record(self, record: dict[str, Any]) -> None:
        with self._lock:
            self._requests.append(record)

    def _next_entry(self, endpoint: str) -> dict[str, Any] | None:
        with self._lock:
            for index, entry in enumerate(self._script):
                if entry.get("endpoint", "chat") == endpoint:
                    return self._script.pop(index)
        return None

    def _option(self, name: str) -> Any:
        with self._lock:
            return copy.deepcopy(self.options[name])

    def _wait(self, seconds: float) -> None:
        self._release.wait(seconds)


class _Server(LoopbackHTTPServer):
    expected_errors = (ConnectionError,)  # a client gave up: not news


class _Reset(Exception):
    """Raised inside the handler to drop the connection with a TCP reset."""


def _make_handler(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms stall
        server_version = "fake-llm/1.0"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        # --- plumbing ----------------------------------------------------------------------

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _send(
            self,
            status: int,
            payload: Any,
            headers: dict[str, str] | None = None,
            content_type: str = "application/json",
        ) -> None:
            raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(raw)))
                self.send_header("x-request-id", f"req_{uuid.uuid4().hex[:24]}")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(raw)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (e.g. its timeout)

        def _reset(self) -> None:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()

        def _authorized(self) -> bool:
            key = fake._option("api_key")
            return key is None or self.headers.get("Authorization") == f"Bearer {key}"

        def _dispatch(self, method: str) -> None:
            body = self._body()
            try:
                data = (
                    json.loads(body)
                    if body and "json" in (self.headers.get("Content-Type") or "")
                    else None
                )
            except ValueError:
                data = None
            fake._record(
                {
                    "method": method,
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "json": data,
                    "bodyLength": len(body),
                }
            )
            try:
                self._route(method, data, body)
            except _Reset:
                self._reset()

        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        # --- routes ------------------------------------------------------------------------

        def _route(self, method: str, data: Any, body: bytes) -> None:
            path = self.path.split("?", 1)[0].rstrip("/")
            if path.startswith("/_fake/"):
                self._control(path, data)
                return
            if path.endswith("/chat/completions") and method == "POST":
                self._guarded("chat", lambda: self._chat(data or {}), data)
            elif path.endswith("/models") and method == "GET":
                self._guarded("models", self._models, data)
            elif "/models/" in path and method == "GET":
                self._guarded("models", lambda: self._model(path.rsplit("/", 1)[1]), data)
            elif path.endswith("/audio/transcriptions") and method == "POST":
                self._guarded("transcriptions", lambda: self._transcription(body), data)
            else:
                self._send(
                    404,
                    _error_body(
                        f"Unknown request URL: {method} {path}",
                        "invalid_request_error",
                        "unknown_url",
                    ),
                )

        def _control(self, path: str, data: Any) -> None:
            try:
                if path == "/_fake/script":
                    fake.script(*(data or []))
                elif path == "/_fake/config":
                    fake.configure(**(data or {}))
                elif path == "/_fake/reset":
                    fake.reset()
                elif path == "/_fake/requests":
                    self._send(200, fake.requests)
                    return
                else:
                    self._send(404, {"error": f"unknown control path {path}"})
                    return
            except (TypeError, ValueError) as exc:
                self._send(400, {"error": str(exc)})
                return
            self._send(200, {"ok": True})

        def _guarded(self, endpoint: str, answer: Any, data: Any) -> None:
            """Auth, then a scripted or marked fault, else the endpoint's normal answer."""
            if not self._authorized():
                self._fault({"fault": "unauthorized"})
                return
            if endpoint == "chat" and self._chat_refused(data or {}):
                return  # refused before generation: the script entry waits for the next one
            entry = fake._next_entry(endpoint)
            if entry is None and endpoint == "chat":
                entry = _marker_entry(data)
            if entry is not None:
                if entry.get("fault") in CONTENT_FAULTS:
                    self._completion(data or {}, None, fault=entry["fault"])
                    return
                if self._fault(entry):
                    return
                if "answer" in entry:
                    self._completion(data or {}, entry["answer"])
                    return
            answer()

        def _fault(self, entry: dict[str, Any]) -> bool:
            """Applies a fault; True when the request has been answered (or dropped)."""
            fault = entry.get("fault")
            if fault is None:
                return False
            if fault == "slow":
                fake._wait(float(entry.get("delay", 5)))
                return False  # then the normal answer
            if fault == "reset":
                raise _Reset
            if fault == "rate_limit":
                self._send(
                    429,
                    _error_body(
                        "Rate limit reached for requests. Please try again later.",
                        "requests",
                        "rate_limit_exceeded",
                    ),
                    headers={"retry-after": str(entry.get("retry_after", 1))},
                )
            elif fault == "unauthorized":
                self._send(
                    401,
                    _error_body(
                        "Incorrect API key provided. You can find your API key at "
                        "https://platform.openai.com/account/api-keys.",
                        "invalid_request_error",
                        "invalid_api_key",
                    ),
                )
            elif fault == "server_error":
                self._send(
                    int(entry.get("status", 500)),
                    _error_body(
                        "The server had an error while processing your request. Sorry about that!",
                        "server_error",
                    ),
                )
            elif fault == "bad_request":
                self._send(
                    400,
                    _error_body(entry.get("message", "Invalid request."), "invalid_request_error"),
                )
            elif fault == "model_not_found":
                self._send(
                    404,
                    _error_body(
                        "The model does not exist or you do not have access to it.",
                        "invalid_request_error",
                        "model_not_found",
                    ),
                )
            else:
                return False  # "slow": the normal answer follows
            return True

        # --- endpoints ---------------------------------------------------------------------

        def _chat_refused(self, data: dict[str, Any]) -> bool:
            """What a server refuses before generating anything; True when answered."""
            if data.get("stream"):
                self._send(
                    400,
                    _error_body(
                        "The fake does not stream.", "invalid_request_error", param="stream"
                    ),
                )
                return True
            models = fake._option("models")
            if models and data.get("model") not in models:
                self._send(
                    404,
                    _error_body(
                        f"The model `{data.get('model')}` does not exist or you do not have "
                        "access to it.",
                        "invalid_request_error",
                        "model_not_found",
                    ),
                )
                return True
            if self._images_refused(data):
                return True
            kind = (data.get("response_format") or {}).get("type")
            if kind == "json_schema" and not fake._option("json_schema"):
                self._send(
                    400,
                    _error_body(
                        "Invalid parameter: 'response_format' of type 'json_schema' is not "
                        "supported with this model.",
                        "invalid_request_error",
                        param="response_format",
                    ),
                )
                return True
            if kind == "json_object" and not fake._option("json_object"):
                self._send(400, {"error": "'response_format.type' must be 'json_schema'"})
                return True
            return False

        def _images_refused(self, data: dict[str, Any]) -> bool:
            """Content parts checked as OpenAI checks them; True when answered (400)."""
            try:
                images = image_parts(data)
            except ValueError as exc:
                self._send(
                    400,
                    _error_body(
                        f"You uploaded an unsupported image ({exc}). Please make sure your "
                        "image is valid.",
                        "invalid_request_error",
                        "invalid_image_format",
                    ),
                )
                return True
            if images and not fake._option("vision"):
                self._send(
                    400,
                    _error_body(
                        "Invalid content type. image_url is only supported by certain models.",
                        "invalid_request_error",
                        "invalid_type",
                        param="messages.[1].content.[1].type",
                    ),
                )
                return True
            return False

        def _chat(self, data: dict[str, Any]) -> None:
            images = image_parts(data)
            if images:  # the fake vision model "reads" the text printed on the pictures
                shown = on_screen_text(images)
                if not shown:
                    self._completion(data, NO_RECIPE_ANSWER)
                    return
                recipe = copy.deepcopy(SAMPLE_RECIPE)
                recipe["name"] = shown.splitlines()[0]
                self._completion(data, recipe)
                return
            self._completion(data, fake._option("answer") or SAMPLE_RECIPE)

        def _completion(self, data: dict[str, Any], answer: Any, fault: str | None = None) -> None:
            content: str | None
            finish = "stop"
            refusal = None
            if fault == "no_recipe":
                content = json.dumps(NO_RECIPE_ANSWER)
            elif fault == "invalid_json":
                content = (
                    "Here is the recipe you asked for:\n{name: 'Pancakes', steps: "
                    "[{instruction: 'Mix', }]"
                )
            elif fault == "wrong_schema":
                content = json.dumps(
                    {
                        "title": "Pancakes",
                        "ingredients": "flour, milk, eggs",
                        "steps": "Mix and fry.",
                    }
                )
            elif fault == "truncated":
                full = json.dumps(SAMPLE_RECIPE)
                content, finish = full[: len(full) // 2], "length"
            elif fault == "refusal":
                content, refusal = None, "I'm sorry, I can't help with that."
            else:
                content = answer if isinstance(answer, str) else json.dumps(answer)
            self._send(200, _chat_completion(data, content, finish, refusal, fake._option("usage")))

        def _models(self) -> None:
            self._send(
                200,
                {
                    "object": "list",
                    "data": [
                        {"id": name, "object": "model", "created": 1721172741, "owned_by": "system"}
                        for name in fake._option("models")
                    ],
                },
            )

        def _model(self, name: str) -> None:
            if name not in fake._option("models"):
                self._fault({"fault": "model_not_found"})
                return
            self._send(
                200, {"id": name, "object": "model", "created": 1721172741, "owned_by": "system"}
            )

        def _transcription(self, body: bytes) -> None:
            fields = _multipart_fields(self.headers.get("Content-Type") or "", body)
            if "file" not in fields:
                self._send(400, _error_body("Missing file.", "invalid_request_error", param="file"))
                return
            text = fake._option("transcript")
            if fields.get("response_format") == b"text":
                self._send(200, text.encode(), content_type="text/plain; charset=utf-8")
            else:
                self._send(200, {"text": text})

    return Handler


_DATA_URL = re.compile(r"data:(image/(?:jpeg|png|webp|gif));base64,(.*)", re.DOTALL)
_MAGIC = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
MAX_IMAGE_BYTES = 20 * 1024 * 1024  # OpenAI's limit per image
ON_SCREEN = re.compile(rb"\[on-screen\](.*?)\[/on-screen\]", re.DOTALL)


def image_parts(data: Any) -> list[bytes]:
    """The pictures of a chat request's content parts, decoded; ValueError for a part OpenAI
    refuses (unknown type, not a data URL of a picture, bad base64, bytes that are not the
    picture type named, over 20 MB)."""
    found: list[bytes] = []
    if not isinstance(data, dict):
        return found
    for message in data.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, list):
            continue
        for part in content:
            kind = part.get("type") if isinstance(part, dict) else None
            if kind == "text" and isinstance(part.get("text"), str):
                continue
            if kind != "image_url":
                raise ValueError(f"unknown content part {kind!r}")
            url = (part.get("image_url") or {}).get("url")
            match = _DATA_URL.fullmatch(url) if isinstance(url, str) else None
            if match is None:
                raise ValueError("not a base64 data URL of a JPEG, PNG, WebP or GIF picture")
            try:
                raw = base64.b64decode(match.group(2), validate=True)
            except (binascii.Error, ValueError):
                raise ValueError("the base64 data is broken") from None
            if not raw.startswith(_MAGIC[match.group(1)]):
                raise ValueError(f"the data is not a {match.group(1)} picture")
            if len(raw) > MAX_IMAGE_BYTES:
                raise ValueError("the picture is over 20 MB")
            found.append(raw)
    return found


def on_screen_text(images: list[bytes]) -> str:
    """What the pictures "show": text between ``[on-screen]`` markers in their bytes."""
    texts = [m.decode("utf-8", "replace").strip() for i in images for m in ON_SCREEN.findall(i)]
    return "\n".join(t for t in texts if t)


def _marker_entry(data: Any) -> dict[str, Any] | None:
    """``[fake-llm:<fault>]`` in the last user message picks a fault for this request."""
    if not isinstance(data, dict):
        return None
    users = [m for m in data.get("messages") or [] if m.get("role") == "user"]
    text = str(users[-1].get("content", "")) if users else ""
    for fault in FAULTS:
        if f"[fake-llm:{fault}]" in text:
            return {"fault": fault, "delay": 30} if fault == "slow" else {"fault": fault}
    return None


def _multipart_fields(content_type: str, body: bytes) -> dict[str, bytes]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, bytes] = {}
    if message.is_multipart():
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name:
                fields[str(name)] = part.get_payload(decode=True) or b""
    return fields


def _chat_completion(
    data: dict[str, Any], content: str | None, finish: str, refusal: str | None, with_usage: bool
) -> dict[str, Any]:
    """A chat completion shaped like OpenAI's (see tests/parsing/llm/data/)."""
    prompt_chars = sum(len(str(m.get("content", ""))) for m in data.get("messages") or [])
    prompt_tokens = max(1, prompt_chars // 4)
    completion_tokens = max(1, len(content or refusal or "") // 4)
    body: dict[str, Any] = {
        "id": f"chatcmpl-{uuid.uuid4().hex[:29]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": f"{data.get('model') or DEFAULT_MODEL}-2024-07-18"
        if data.get("model") == DEFAULT_MODEL
        else data.get("model") or DEFAULT_MODEL,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": content,
                    "refusal": refusal,
                    "annotations": [],
                },
                "logprobs": None,
                "finish_reason": finish,
            }
        ],
        "service_tier": "default",
        "system_fingerprint": "fp_fake0llm",
    }
    if with_usage:
        body["usage"] = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        }
    return body


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    """A started fake server for one test."""
    with FakeLLM() as server:
        yield server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.fake_llm",
        description="Fake OpenAI-compatible server on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    parser.add_argument(
        "--no-json-schema", action="store_true", help="refuse response_format json_schema with 400"
    )
    parser.add_argument(
        "--no-json-object", action="store_true", help="refuse response_format json_object with 400"
    )
    parser.add_argument("--api-key", default=None, help="require this bearer key")
    parser.add_argument(
        "--model", action="append", default=None, help="a model to list and accept (repeatable)"
    )
    parser.add_argument("--transcript", default=DEFAULT_TRANSCRIPT)
    args = parser.parse_args(argv)
    server = FakeLLM(
        port=args.port,
        json_schema=not args.no_json_schema,
        json_object=not args.no_json_object,
        api_key=args.api_key,
        models=args.model or [DEFAULT_MODEL],
        transcript=args.transcript,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with server:
        print(server.port, flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
