"""A fake Tandoor: a real HTTP(S) server on 127.0.0.1 answering like the recorded exchanges.

Two flavours, chosen by ``version``: ``"2.6.12"`` (tests/data/tandoor-api/exchanges) and
``"1.5.35"`` (tests/data/tandoor-api/v1.5/exchanges). What it does, as the recordings show:

- ``GET /api/server-settings/current/`` -> ``{"version": ...}`` (2.x) / 404 HTML (1.5);
  ``GET /openapi/`` -> the head of the YAML schema with ``info.version``; 1.5 negotiates on
  ``Accept`` like the real 1.5.35: ``application/json`` alone -> 406 (ex. 89), ``*/*`` or
  ``application/vnd.oai.openapi`` -> YAML; ``?format=openapi-json`` overrides ``Accept``.
- Bearer tokens under ``/api/``: unknown, expired, missing or wrong scheme -> 403
  "Authentication credentials were not provided."; a read-only token on a write -> 403
  "You do not have permission to perform this action." (never 401).
- ``POST /api/recipe/``: every payload is validated against tests/data/tandoor-api/openapi.json
  (``components.schemas.Recipe``; read-only fields dropped from ``required``, ``nullable``
  honoured, plus the server rules the schema does not state: a blank recipe name, amounts as
  numeric strings like "150,0"). Violations -> 400 with DRF bodies nested by list position
  (``{"steps": [{}, {"ingredients": [{}, {"food": {"name": [...]}}]}]}``). A top-level
  array of objects -> 500 HTML (2.x) / 400 (1.5). Accepted recipes are kept in memory with
  get-or-create, case-insensitive foods, units and keywords; 201 + the full recipe.
- Creates are not atomic and collide like the real server under gunicorn (README pitfall 12,
  ex. 76/77): a create that adds new foods or keywords spends ``tree_write_delay`` seconds
  writing the tree; a second such create overlapping it writes its recipe row *without steps
  or keywords* and answers 500 HTML. ``collisions`` counts them, ``max_concurrent_writes``
  is the most creates/updates seen in flight at once.
- ``GET/PATCH/DELETE /api/recipe/<id>/`` (PATCH with ``steps``/``keywords`` replaces the lists), ``GET /api/recipe/?query=&page=&page_size=``
  (overview shape: no steps, no source_url; unknown filters ignored).
- ``PUT /api/recipe/<id>/image/`` multipart field ``image`` (JPEG/PNG/GIF/WebP bytes) -> 200
  ``{"image": "/media/recipes/<uuid>_<id>.<ext>", "image_url": null}``; POST -> 405; JSON or
  urlencoded -> 415; not an image -> 400; ``image_url`` -> 200 with ``image: null`` and the
  existing image deleted (the recorded trap). ``GET /media/...`` serves the bytes.
- ``POST /api/recipe-from-source/`` with ``url`` + ``data``: 2.x -> ``duplicates: [{id,
  name}]``, 1.5 -> ``duplicate: bool``; nothing is saved; throttled (``duplicate_check_limit``,
  default 60) -> 429 with Retry-After.
- ``GET /api/access-token/``: the caller's tokens, masked except the last 4 characters.
- ``GET /api/food/``, ``/api/unit/``, ``/api/keyword/`` with ``page``, ``page_size`` (at most
  100) and ``query`` (part of the name, ignoring case): the space's rows, ``{id, name,
  plural_name}`` (keywords without ``plural_name``), paginated with ``next`` like the real
  servers. ``add_food``/``add_unit``/``add_keyword`` put the person's own rows in the space;
  a food or unit sent by name links a row whose name *or plural* matches ignoring case, as
  Tandoor's get-or-create does (ex. 25).
- ``GET /recipe/<id>`` (2.x: 302 to login; 1.5: 404), ``GET /view/recipe/<id>`` (2.x: 302 to
  ``/recipe/<id>``; 1.5: 302 to login), ``/api/ingredient-parser/post/`` 404 on 1.5.

Tokens (module constants): ``TOKEN`` (read write), ``READ_ONLY_TOKEN`` (read),
``EXPIRED_TOKEN`` (read write, expired). ``extra_tokens={"value": "scope"}`` adds more.

Fault injection, for tests and the later soak (each fault matches a method and a path prefix,
``times`` requests, -1 = until cleared):
- ``status``: answer ``status`` (5xx HTML page, 429 JSON with Retry-After) instead;
- ``slow``: wait ``delay`` seconds, then answer normally;
- ``reset``: drop the connection (TCP RST) without reading on;
- ``lose_response``: process the request (e.g. save the recipe), then drop the connection
  instead of answering;
- ``image_lost`` (``PUT /api/recipe/<id>/image/``): answer 200 with a media path as usual, but
  keep no image (the recipe reads back with ``image: null``, as after the recorded
  ``image_url`` trap or a media folder Tandoor cannot write);
- ``half_create`` (``POST /api/recipe/``): write the recipe row without steps or keywords, then
  answer 500, as a create that lost the race of pitfall 12.

Use it from pytest::

    # in a conftest: the fixtures fake_tandoor (2.6.12) and fake_tandoor_15 (1.5.35)
    from tests.fakes.fake_tandoor import FakeTandoor, fake_tandoor, fake_tandoor_15
    with FakeTandoor(version="1.5.35") as server:
        server.base_url; server.add_fault("lose_response", "POST", "/api/recipe/")
        server.recipes  # {id: recipe}; server.schema_violations; server.requests

or as a process: ``python -m tests.fakes.fake_tandoor --port 0 [--version 1.5.35]
[--tls-cert cert.pem --tls-key key.pem] [--token VALUE]`` prints its port on the first line of
stdout and serves until terminated. Control API (no auth, for a separate process):

- ``GET  /__fake__/state`` -> ``{"version", "recipes": [...], "images": {id: size},
  "schema_violations": [...], "requests": N, "faults": [...]}``
- ``POST /__fake__/faults`` ``{"kind", "method"?, "path"?, "times"?, "status"?, "delay"?}``
- ``DELETE /__fake__/faults`` clears the faults; ``POST /__fake__/reset`` clears everything.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import email.parser
import email.policy
import json
import re
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema

from tests.support.loopback import LoopbackHTTPServer

TOKEN = "tda_11111111_aaaa_4bbb_8ccc_rw0000000001"
READ_ONLY_TOKEN = "tda_22222222_aaaa_4bbb_8ccc_ro0000000002"
EXPIRED_TOKEN = "tda_33333333_aaaa_4bbb_8ccc_ex0000000003"
V2 = "2.6.12"
V15 = "1.5.35"

SHARED_DIR = (
    Path(__file__).resolve().parents[1] / "data"
)  # copied from shared/: tests/data/README.md
OPENAPI_PATH = SHARED_DIR / "tandoor-api" / "openapi.json"

NOT_PROVIDED = "Authentication credentials were not provided."
NO_PERMISSION = "You do not have permission to perform this action."
CONTROL_PREFIX = "/__fake__/"


# -- request validation against the recorded OpenAPI schema ---------------------------------


def _to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 -> JSON Schema: ``nullable``, and read-only fields not required on input."""
    if isinstance(node, list):
        return [_to_json_schema(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _to_json_schema(v) for k, v in node.items() if k not in ("nullable", "example")}
    if isinstance(node.get("properties"), dict) and isinstance(node.get("required"), list):
        props = node["properties"]
        out["required"] = [
            name
            for name in node["required"]
            if not (isinstance(props.get(name), dict) and props[name].get("readOnly") is True)
        ]
    if node.get("nullable") is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


def load_request_schemas(path: Path = OPENAPI_PATH) -> dict[str, Any]:
    document = json.loads(path.read_text(encoding="utf-8"))
    schemas = _to_json_schema(document["components"]["schemas"])
    recipe = schemas["Recipe"]["properties"]
    recipe["name"]["minLength"] = 1  # DRF: "This field may not be blank." (ex. 29)
    # the server also takes numeric strings such as "150,0" (ex. 24)
    schemas["Ingredient"]["properties"]["amount"] = {
        "anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\s*-?\d+([.,]\d+)?\s*$"}]
    }
    return schemas


_VALIDATORS: dict[str, Any] = {}
_SCHEMAS_LOCK = threading.Lock()


def request_validator(name: str) -> Any:
    """A JSON Schema validator for ``components.schemas.<name>`` (cached)."""
    with _SCHEMAS_LOCK:
        if name not in _VALIDATORS:
            if "" not in _VALIDATORS:
                _VALIDATORS[""] = load_request_schemas()
            root = {
                "$ref": f"#/components/schemas/{name}",
                "components": {"schemas": _VALIDATORS[""]},
            }
            _VALIDATORS[name] = jsonschema.Draft202012Validator(root)
        return _VALIDATORS[name]


def _type_name(value: Any) -> str:
    return {dict: "dict", list: "list", str: "str", int: "int", float: "float", bool: "bool"}.get(
        type(value), type(value).__name__
    )


def _drf_message(error: jsonschema.ValidationError) -> tuple[list[Any], Any]:
    """(path, message) in DRF's words for one schema error."""
    path = list(error.absolute_path)
    instance = error.instance
    kind = error.validator
    if kind == "anyOf":
        real = [e for e in (error.context or []) if e.schema != {"type": "null"}]
        if instance is None:
            return path, ["This field may not be null."]
        if real:
            best = min(real, key=lambda e: len(list(e.absolute_path)))
            if best.validator in ("type", "pattern") and any(
                s.get("type") == "number" for s in error.validator_value if isinstance(s, dict)
            ):
                return path, ["A valid number is required"]
            return _drf_message(best)
    if kind == "required":
        match = re.search(r"'([^']+)' is a required property", error.message)
        return [*path, match.group(1) if match else "?"], ["This field is required."]
    if kind == "maxLength":
        return path, [f"Ensure this field has no more than {error.validator_value} characters."]
    if kind == "minLength":
        return path, ["This field may not be blank."]
    if kind == "type":
        expected = error.validator_value
        if instance is None:
            return path, ["This field may not be null."]
        if expected == "object":
            return path, {
                "non_field_errors": [
                    f"Invalid data. Expected a dictionary, but got {_type_name(instance)}."
                ]
            }
        if expected == "array":
            return path, {
                "non_field_errors": [
                    f'Expected a list of items but got type "{_type_name(instance)}".'
                ]
            }
        if expected == "integer":
            return path, ["A valid integer is required."]
        if expected == "number":
            return path, ["A valid number is required"]
        if expected == "boolean":
            return path, ["Must be a valid boolean."]
        return path, ["Not a valid string."]
    return path, [error.message]


def drf_errors(payload: Any, schema: str) -> tuple[dict[str, Any] | None, list[str]]:
    """DRF-shaped 400 body (or None) and the raw schema messages."""
    validator = request_validator(schema)
    errors = list(validator.iter_errors(payload))
    if not errors:
        return None, []
    tree: dict[Any, Any] = {}
    for error in errors:
        path, message = _drf_message(error)
        node = tree
        for key in path[:-1]:
            node = node.setdefault(key, {})
        if path:
            node[path[-1]] = message
        else:
            tree.setdefault("non_field_errors", []).extend(
                message if isinstance(message, list) else [str(message)]
            )

    def render(node: Any, instance: Any) -> Any:
        if not isinstance(node, dict):
            return node
        if node and all(isinstance(k, int) for k in node) and isinstance(instance, list):
            return [
                render(node.get(i, {}), instance[i]) if i in node else {}
                for i in range(len(instance))
            ]
        return {
            k: render(v, instance.get(k) if isinstance(instance, dict) else None)
            for k, v in node.items()
        }

    return render(tree, payload), [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors
    ]


# -- state --------------------------------------------------------------------------------------


@dataclass
class Fault:
    kind: str  # status | slow | reset | lose_response | half_create | image_lost
    method: str | None = None
    path: str | None = None  # prefix of the request path (without the query)
    times: int = 1  # -1: until cleared
    status: int = 500
    delay: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method.upper() == method) and (
            self.path is None or path.startswith(self.path)
        )


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class _Named:
    """get-or-create by case-insensitive name, like Tandoor's nested serializers."""

    items: dict[str, dict[str, Any]] = field(default_factory=dict)

    def find(self, name: str) -> dict[str, Any] | None:
        key = name.strip().casefold()
        if key in self.items:
            return self.items[key]
        for row in self.items.values():  # Tandoor also matches the plural name
            if (row.get("plural_name") or "").strip().casefold() == key:
                return row
        return None

    def get(self, name: str, make: Any) -> dict[str, Any]:
        found = self.find(name)
        if found is None:
            found = make(len(self.items) + 1, name.strip())
            self.items[name.strip().casefold()] = found
        return found


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class FakeTandoor:
    """The server; see the module docstring. Thread-safe: handlers run in their own threads."""

    def __init__(
        self,
        version: str = V2,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
        extra_tokens: dict[str, str] | None = None,
        duplicate_check_limit: int = 60,
    ) -> None:
        self.version = version
        self.legacy = not version.startswith("2")
        self.host = host
        self._port = port
        self.ssl_context = ssl_context
        self.tokens: dict[str, dict[str, Any]] = {
            TOKEN: {"id": 1, "scope": "read write", "expires": "2031-11-28T03:15:39Z"},
            READ_ONLY_TOKEN: {"id": 2, "scope": "read", "expires": "2030-01-01T00:00:00Z"},
            EXPIRED_TOKEN: {
                "id": 3,
                "scope": "read write",
                "expires": "2020-01-01T00:00:00Z",
                "expired": True,
            },
        }
        for index, (value, scope) in enumerate((extra_tokens or {}).items(), start=4):
            self.tokens[value] = {"id": index, "scope": scope, "expires": "2031-01-01T00:00:00Z"}
        self.duplicate_check_limit = duplicate_check_limit
        self.tree_write_delay = 0.02  # seconds a create adding new foods/keywords takes
        self.lock = threading.RLock()
        self._server: LoopbackHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    # state
    def reset(self) -> None:
        with getattr(self, "lock", threading.RLock()):
            self.recipes: dict[int, dict[str, Any]] = {}
            self.images: dict[int, tuple[str, bytes]] = {}  # id -> (media path, bytes)
            self.requests: list[RecordedRequest] = []
            self.schema_violations: list[str] = []
            self.faults: list[Fault] = []
            self.duplicate_checks = 0
            self.collisions = 0
            self.max_concurrent_writes = 0
            self._writes_in_flight = 0
            self._tree_writers = 0
            self._next_id = 1
            self._next_step = 1
            self._next_ingredient = 1
            self.foods = _Named()
            self.units = _Named()
            self.keywords = _Named()

    def add_fault(
        self,
        kind: str,
        method: str | None = None,
        path: str | None = None,
        *,
        times: int = 1,
        status: int = 500,
        delay: float = 0.0,
    ) -> Fault:
        if kind not in ("status", "slow", "reset", "lose_response", "half_create", "image_lost"):
            raise ValueError(f"unknown fault kind {kind!r}")
        fault = Fault(kind, method, path, times, status, delay)
        with self.lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, path) and fault.times != 0:
                    if fault.times > 0:
                        fault.times -= 1
                    return fault
        return None

    def requests_to(self, method: str, path_prefix: str) -> list[RecordedRequest]:
        with self.lock:
            return [
                r
                for r in self.requests
                if r.method == method and r.path.split("?")[0].startswith(path_prefix)
            ]

    def recipes_with_source(self, source_url: str) -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.recipes.values() if r.get("source_url") == source_url]

    # lifecycle
    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://{self.host}:{self.port}"

    def start(self) -> FakeTandoor:
        handler = type("Handler", (_Handler,), {"fake": self})
        server = _Server((self.host, self._port), handler)
        if self.ssl_context is not None:
            server.socket = self.ssl_context.wrap_socket(server.socket, server_side=True)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            name="fake-tandoor",
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeTandoor:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # the person's own rows
    def add_food(self, name: str, plural: str | None = None) -> dict[str, Any]:
        with self.lock:
            return self.foods.get(name, lambda i, n: {"id": i, "name": n, "plural_name": plural})

    def add_unit(self, name: str, plural: str | None = None) -> dict[str, Any]:
        with self.lock:
            return self.units.get(name, lambda i, n: {"id": i, "name": n, "plural_name": plural})

    def add_keyword(self, name: str) -> dict[str, Any]:
        with self.lock:
            return self._keywords({"keywords": [{"name": name}]}, _now())[0]

    # recipes
    def adds_tree_rows(self, payload: dict[str, Any]) -> bool:
        """Whether a create names foods or keywords the space does not have yet (the trees
        whose new rows collide under concurrency)."""
        with self.lock:
            for kw in payload.get("keywords") or []:
                if self.keywords.find(kw["name"]) is None:
                    return True
            for step in payload.get("steps") or []:
                for ing in step.get("ingredients") or []:
                    food = ing.get("food")
                    if food and self.foods.find(food["name"]) is None:
                        return True
        return False

    def _keywords(self, payload: dict[str, Any], now: str) -> list[dict[str, Any]]:
        seen: set[str] = set()
        keywords = []
        for kw in payload.get("keywords") or []:
            name = kw["name"].strip()
            if name.casefold() in seen:
                continue
            seen.add(name.casefold())
            keywords.append(
                self.keywords.get(
                    name,
                    lambda i, n: {
                        "id": i,
                        "name": n,
                        "label": n,
                        "description": "",
                        "parent": None,
                        "numchild": 0,
                        "created_at": now,
                        "updated_at": now,
                        "full_name": n,
                    },
                )
            )
        return keywords

    def _steps(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        steps = []
        for order, step in enumerate(payload.get("steps") or []):
            ingredients = []
            for i_order, ing in enumerate(step.get("ingredients") or []):
                food = ing.get("food")
                unit = ing.get("unit")
                amount = ing.get("amount")
                if isinstance(amount, str):
                    amount = float(amount.replace(",", "."))
                ingredients.append(
                    {
                        "id": self._next_ingredient,
                        "food": self.foods.get(
                            food["name"], lambda i, n: {"id": i, "name": n, "plural_name": None}
                        )
                        if food
                        else None,
                        "unit": self.units.get(
                            unit["name"], lambda i, n: {"id": i, "name": n, "plural_name": None}
                        )
                        if unit
                        else None,
                        "amount": float(amount),
                        "note": ing.get("note") or "",
                        "order": ing.get("order", i_order),
                        "is_header": bool(ing.get("is_header", False)),
                        "no_amount": bool(ing.get("no_amount", False)),
                        "original_text": ing.get("original_text"),
                    }
                )
                self._next_ingredient += 1
            steps.append(
                {
                    "id": self._next_step,
                    "name": step.get("name") or "",
                    "instruction": step.get("instruction") or "",
                    "ingredients": ingredients,
                    "time": step.get("time", 0),
                    "order": step.get("order", order),
                    "show_as_header": False,
                    "show_ingredients_table": True,
                }
            )
            self._next_step += 1
        return steps

    def create(
        self, payload: dict[str, Any], user: dict[str, Any], *, shell: bool = False
    ) -> dict[str, Any]:
        """Store a recipe; ``shell``: only its row (no steps, no keywords), as a create that
        failed half-way on the real server (ex. 77)."""
        with self.lock:
            recipe_id = self._next_id
            self._next_id += 1
            now = _now()
            recipe = {
                "id": recipe_id,
                "name": payload["name"].strip(),
                "description": payload.get("description"),
                "image": None,
                "keywords": [] if shell else self._keywords(payload, now),
                "steps": [] if shell else self._steps(payload),
                "working_time": payload.get("working_time", 0),
                "waiting_time": payload.get("waiting_time", 0),
                "created_by": user["id"]
                if self.legacy
                else {"id": user["id"], "username": "admin", "display_name": "admin"},
                "created_at": now,
                "updated_at": now,
                "source_url": payload.get("source_url"),
                "internal": bool(payload.get("internal", False)),
                "show_ingredient_overview": True,
                "nutrition": None,
                "servings": payload.get("servings", 1),
                "servings_text": payload.get("servings_text", ""),
                "rating": None,
                "last_cooked": None,
                "private": bool(payload.get("private", False)),
            }
            self.recipes[recipe_id] = recipe
            return copy.deepcopy(recipe)

    def update(self, recipe_id: int, payload: dict[str, Any]) -> dict[str, Any] | None:
        """PATCH: the scalar fields sent; ``steps`` and ``keywords`` replace the lists."""
        with self.lock:
            recipe = self.recipes.get(recipe_id)
            if recipe is None:
                return None
            for key in (
                "name",
                "description",
                "servings",
                "servings_text",
                "source_url",
                "working_time",
                "waiting_time",
                "internal",
            ):
                if key in payload:
                    recipe[key] = payload[key]
            if "steps" in payload:
                recipe["steps"] = self._steps(payload)
            if "keywords" in payload:
                recipe["keywords"] = self._keywords(payload, _now())
            recipe["updated_at"] = _now()
            return copy.deepcopy(recipe)

    @contextlib.contextmanager
    def writing(self, payload: Any, *, create: bool) -> Iterator[bool]:
        """One create/update in flight; yields True when this create collides with another
        one that is writing new tree rows (it must then fail half-way)."""
        adds = isinstance(payload, dict) and create and self.adds_tree_rows(payload)
        with self.lock:
            self._writes_in_flight += 1
            self.max_concurrent_writes = max(self.max_concurrent_writes, self._writes_in_flight)
            collides = adds and self._tree_writers > 0
            if adds:
                self._tree_writers += 1
        try:
            if adds and self.tree_write_delay > 0:
                time.sleep(self.tree_write_delay)
            yield collides
        finally:
            with self.lock:
                self._writes_in_flight -= 1
                if adds:
                    self._tree_writers -= 1

    def full(self, recipe: dict[str, Any], base: str) -> dict[str, Any]:
        data = copy.deepcopy(recipe)
        if recipe["id"] in self.images:
            data["image"] = base + self.images[recipe["id"]][0]
        return data

    def overview(self, recipe: dict[str, Any], base: str) -> dict[str, Any]:
        full = self.full(recipe, base)
        keys = [
            "id",
            "name",
            "description",
            "image",
            "keywords",
            "working_time",
            "waiting_time",
            "created_by",
            "created_at",
            "updated_at",
            "internal",
            "servings",
            "servings_text",
            "rating",
            "last_cooked",
        ]
        if not self.legacy:
            keys.append("private")
        data = {k: full[k] for k in keys}
        data["keywords"] = [{"id": k["id"], "label": k["label"]} for k in full["keywords"]]
        data["new"] = True
        return data


class _Server(LoopbackHTTPServer):
    allow_reuse_address = True
    expected_errors = (Exception,)  # dropped connections are part of the job


class _DropConnection(Exception):
    pass


_HTML_404 = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta http-equiv="content-type" '
    'content="text/html; charset=utf-8">\n  <title>Page not found at {path}</title>'
    "\n</head><body><h1>Page not found <span>(404)</span></h1></body></html>"
)
_HTML_500 = (
    '<!DOCTYPE html>\n<html lang="en">\n<head><title>Server Error (500)</title>'
    "</head><body><h1>Server Error (500)</h1></body></html>"
)
_HTML_CSRF = (
    '<!DOCTYPE html>\n<html lang="en">\n<head><title>403 Forbidden</title></head>'
    "<body><h1>Forbidden <span>(403)</span></h1><p>CSRF verification failed. "
    "Request aborted.</p></body></html>"
)

_IMAGE_MAGIC = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF8", "gif"))


def _accepts_openapi(accept: str | None) -> bool:
    """DRF's negotiation on 1.5's schema view: its renderers are ``application/vnd.oai.openapi``
    (YAML) and ``application/vnd.oai.openapi+json``; no Accept header means ``*/*``."""
    if not accept:
        return True
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in ("*/*", "application/*", "application/vnd.oai.openapi"):
            return True
        if media == "application/vnd.oai.openapi+json":
            return True
    return False


def _image_kind(data: bytes) -> str | None:
    for magic, ext in _IMAGE_MAGIC:
        if data.startswith(magic):
            return ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


class _Handler(BaseHTTPRequestHandler):
    fake: FakeTandoor
    _fault: Fault | None = None
    protocol_version = "HTTP/1.1"
    server_version = "FakeTandoor"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # plumbing
    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(
        self,
        status: int,
        body: Any = None,
        *,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        if isinstance(body, bytes):
            data = body
        elif isinstance(body, str) and not content_type.startswith("application/json"):
            data = body.encode("utf-8")
        elif body is None and status in (204, 302):
            data = b""
        else:
            data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        if data or status not in (204,):
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _html(self, status: int, text: str) -> None:
        self._send(status, text, content_type="text/html; charset=utf-8")

    def _drop(self) -> None:
        """Close with a TCP reset: the client sees its connection lost."""
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        raise _DropConnection

    def _base(self) -> str:
        scheme = "https" if self.fake.ssl_context else "http"
        return f"{scheme}://{self.headers.get('Host') or self.fake.host}"

    def _user(self, write: bool) -> dict[str, Any] | None:
        """The token's owner, or None after answering 403."""
        header = self.headers.get("Authorization") or ""
        token = header[len("Bearer ") :].strip() if header.startswith("Bearer ") else None
        info = self.fake.tokens.get(token or "")
        if info is None or info.get("expired"):
            self._send(403, {"detail": NOT_PROVIDED})
            return None
        if write and "write" not in info["scope"].split():
            self._send(403, {"detail": NO_PERMISSION})
            return None
        return {"id": 1, "token": token, **info}

    # dispatch
    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        split = urlsplit(self.path)
        path, query = split.path, parse_qs(split.query)
        body = self._read_body()
        if path.startswith(CONTROL_PREFIX):
            self._control(path, body)
            return
        fake = self.fake
        with fake.lock:
            fake.requests.append(
                RecordedRequest(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    _describe_body(self.headers.get("Content-Type") or "", body),
                )
            )
        fault = fake.take_fault(self.command, path)
        self._fault = fault
        try:
            if fault is not None and fault.kind == "reset":
                self._drop()
            if fault is not None and fault.kind == "slow":
                time.sleep(fault.delay)
            if fault is not None and fault.kind == "status":
                if fault.status == 429:
                    self._send(
                        429, {"detail": "Request was throttled."}, headers={"Retry-After": "30"}
                    )
                else:
                    self._html(fault.status, _HTML_500)
                return
            lose = fault is not None and fault.kind == "lose_response"
            if lose:
                self.wfile = _Discard()  # type: ignore[assignment]
            self._route(path, query, body)
            if lose:
                self._drop()
        except _DropConnection:
            return

    def _route(self, path: str, query: dict[str, list[str]], body: bytes) -> None:
        fake = self.fake
        method = self.command
        if path == "/api/server-settings/current/" and method in ("GET", "HEAD"):
            if fake.legacy:
                self._html(404, _HTML_404.format(path=path))
            else:
                self._send(
                    200,
                    {
                        "version": fake.version,
                        "debug": False,
                        "hosted": False,
                        "disable_external_connectors": False,
                    },
                )
            return
        if path == "/openapi/" and method == "GET":
            self._openapi(query)
            return
        if path.startswith("/api/"):
            self._api(path, query, body)
            return
        match = re.fullmatch(r"/(view/)?recipe/(\d+)(/?)", path)
        if match and method == "GET":
            self._view(bool(match.group(1)), int(match.group(2)), bool(match.group(3)))
            return
        match = re.fullmatch(r"/media/recipes/[^/]+", path)
        if match and method == "GET":
            with fake.lock:
                for media, data in fake.images.values():
                    if media == path:
                        self._send(
                            200,
                            data,
                            content_type="image/" + path.rsplit(".", 1)[-1].replace("jpg", "jpeg"),
                        )
                        return
        self._html(404, _HTML_404.format(path=path))

    def _openapi(self, query: dict[str, list[str]]) -> None:
        fmt = (query.get("format") or [""])[0]
        if self.fake.legacy and not fmt and not _accepts_openapi(self.headers.get("Accept")):
            self._send(406, {"detail": "Could not satisfy the request Accept header."})
            return
        if self.fake.legacy:
            info = {"title": "Django Recipes", "version": self.fake.version}
            if fmt == "json":
                self._send(404, {"detail": "Not found."})
                return
            if fmt == "openapi-json":
                self._send(
                    200,
                    {"openapi": "3.0.2", "info": info, "paths": {}},
                    content_type="application/vnd.oai.openapi+json",
                )
                return
            openapi = "3.0.2"
        else:
            info = {"title": "Tandoor", "version": f"0.0.0 ({self.fake.version})"}
            if fmt == "json":
                self._send(
                    200,
                    {"openapi": "3.0.3", "info": info, "paths": {}},
                    content_type="application/vnd.oai.openapi+json",
                )
                return
            openapi = "3.0.3"
        head = (
            f"openapi: {openapi}\ninfo:\n  title: {info['title']}\n  version: {info['version']}\n"
        )
        filler = "".join(
            f"  /api/path-{i}/:\n    get:\n      operationId: op{i}\n" for i in range(400)
        )  # a long schema: clients should read the head only
        self._send(200, head + "paths:\n" + filler, content_type="application/vnd.oai.openapi")

    def _redirect(self, location: str) -> None:
        self._send(
            302, b"", content_type="text/html; charset=utf-8", headers={"Location": location}
        )

    def _view(self, v1_url: bool, recipe_id: int, slash: bool) -> None:
        fake = self.fake
        if fake.legacy:
            if not v1_url or slash:
                self._html(404, _HTML_404.format(path=self.path))
            else:
                self._redirect(f"/accounts/login/?next=/view/recipe/{recipe_id}")
            return
        if v1_url:
            self._redirect(f"{self._base()}/recipe/{recipe_id}")
        else:
            self._redirect(f"/accounts/login/?next=/recipe/{recipe_id}{'/' if slash else ''}")

    def _api(self, path: str, query: dict[str, list[str]], body: bytes) -> None:
        fake = self.fake
        method = self.command
        if fake.legacy and path == "/api/ingredient-parser/post/":
            self._html(404, _HTML_404.format(path=path))
            return
        if path == "/api/ingredient-from-string/":
            self._html(403, _HTML_CSRF)
            return
        write = method not in ("GET", "HEAD", "OPTIONS")
        user = self._user(write)
        if user is None:
            return
        if path == "/api/recipe/":
            if method == "GET":
                self._list(query)
            elif method == "POST":
                self._create(body, user)
            else:
                self._send(405, {"detail": f'Method "{method}" not allowed.'})
            return
        match = re.fullmatch(r"/api/recipe/(\d+)/image/", path)
        if match:
            self._image(int(match.group(1)), body)
            return
        match = re.fullmatch(r"/api/recipe/(\d+)/", path)
        if match:
            self._detail(int(match.group(1)), body)
            return
        if path in ("/api/food/", "/api/unit/", "/api/keyword/") and method == "GET":
            self._names(path.split("/")[2], query)
            return
        if path == "/api/recipe-from-source/" and method == "POST":
            self._from_source(body)
            return
        if path == "/api/access-token/" and method == "GET":
            masked = [
                {
                    "id": info["id"],
                    "token": "*" * 10 + value[-4:],
                    "expires": info["expires"],
                    "scope": info["scope"],
                    "created": "2026-11-29T03:15:39Z",
                    "updated": "2026-11-29T03:15:39Z",
                }
                for value, info in fake.tokens.items()
            ]
            self._send(200, masked)
            return
        if path == "/api/" and method == "GET":
            self._send(200, {"recipe": f"{self._base()}/api/recipe/"})
            return
        self._send(404, {"detail": "Not found."})

    def _json_body(self, body: bytes) -> tuple[bool, Any]:
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if ctype != "application/json":
            self._send(415, {"detail": f'Unsupported media type "{ctype}" in request.'})
            return False, None
        try:
            return True, json.loads(body.decode("utf-8") or "null")
        except (ValueError, UnicodeDecodeError) as exc:
            self._send(400, {"detail": f"JSON parse error - {exc}"})
            return False, None

    def _create(self, body: bytes, user: dict[str, Any]) -> None:
        fake = self.fake
        ok, payload = self._json_body(body)
        if not ok:
            return
        if isinstance(payload, list):
            if fake.legacy or not any(isinstance(x, dict) for x in payload):
                self._send(
                    400,
                    {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]},
                )
            else:
                self._html(500, _HTML_500)
            return
        errors, raw = drf_errors(payload, "Recipe")
        if errors is not None:
            with fake.lock:
                fake.schema_violations.extend(raw)
            self._send(400, errors)
            return
        if self._fault is not None and self._fault.kind == "half_create":
            fake.create(payload, user, shell=True)
            self._html(500, _HTML_500)
            return
        with fake.writing(payload, create=True) as collides:
            if collides:  # IntegrityError on the tree path, after the recipe row (ex. 76/77)
                with fake.lock:
                    fake.collisions += 1
                fake.create(payload, user, shell=True)
                self._html(500, _HTML_500)
                return
            created = fake.create(payload, user)
        self._send(201, fake.full(created, self._base()))

    def _list(self, query: dict[str, list[str]]) -> None:
        fake = self.fake
        text = (query.get("query") or [""])[0].strip().casefold()
        page = max(1, int((query.get("page") or ["1"])[0]))
        size = min(100, max(1, int((query.get("page_size") or ["10"])[0])))
        with fake.lock:
            hits = [
                r
                for r in sorted(fake.recipes.values(), key=lambda r: -r["id"])
                if not text
                or text in r["name"].casefold()
                or text in (r.get("description") or "").casefold()
            ]
            results = [
                fake.overview(r, self._base()) for r in hits[(page - 1) * size : page * size]
            ]
        more = page * size < len(hits)
        self._send(
            200,
            {
                "count": len(hits),
                "next": f"{self._base()}/api/recipe/?page={page + 1}&page_size={size}"
                if more
                else None,
                "previous": None
                if page == 1
                else f"{self._base()}/api/recipe/?page={page - 1}&page_size={size}",
                "results": results,
            },
        )

    def _names(self, kind: str, query: dict[str, list[str]]) -> None:
        fake = self.fake
        text = (query.get("query") or [""])[0].strip().casefold()
        page = max(1, int((query.get("page") or ["1"])[0]))
        size = min(100, max(1, int((query.get("page_size") or ["10"])[0])))
        named = {"food": fake.foods, "unit": fake.units, "keyword": fake.keywords}[kind]
        with fake.lock:
            rows = sorted(named.items.values(), key=lambda r: r["id"])
            hits = [copy.deepcopy(r) for r in rows if text in r["name"].casefold()]
        path = f"{self._base()}/api/{kind}/"
        more = page * size < len(hits)
        self._send(
            200,
            {
                "count": len(hits),
                "next": f"{path}?page={page + 1}&page_size={size}" if more else None,
                "previous": None if page == 1 else f"{path}?page={page - 1}&page_size={size}",
                "results": hits[(page - 1) * size : page * size],
            },
        )

    def _detail(self, recipe_id: int, body: bytes) -> None:
        fake = self.fake
        with fake.lock:
            recipe = fake.recipes.get(recipe_id)
        if recipe is None:
            self._send(404, {"detail": "No Recipe matches the given query."})
            return
        if self.command in ("GET", "HEAD"):
            self._send(200, fake.full(recipe, self._base()))
        elif self.command == "DELETE":
            with fake.lock:
                fake.recipes.pop(recipe_id, None)
                fake.images.pop(recipe_id, None)
            self._send(204)
        elif self.command == "PATCH":
            ok, payload = self._json_body(body)
            if not ok:
                return
            if not isinstance(payload, dict):
                self._send(
                    400,
                    {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]},
                )
                return
            errors, raw = drf_errors(payload, "PatchedRecipe")
            if errors is not None:
                with fake.lock:
                    fake.schema_violations.extend(raw)
                self._send(400, errors)
                return
            with fake.writing(payload, create=False):
                updated = fake.update(recipe_id, payload)
            if updated is None:
                self._send(404, {"detail": "No Recipe matches the given query."})
                return
            self._send(200, fake.full(updated, self._base()))
        else:
            self._send(405, {"detail": f'Method "{self.command}" not allowed.'})

    def _image(self, recipe_id: int, body: bytes) -> None:
        fake = self.fake
        if self.command != "PUT":
            self._send(405, {"detail": f'Method "{self.command}" not allowed.'})
            return
        ctype = self.headers.get("Content-Type") or ""
        if not ctype.startswith("multipart/form-data"):
            self._send(
                415, {"detail": f'Unsupported media type "{ctype.split(";")[0]}" in request.'}
            )
            return
        with fake.lock:
            if recipe_id not in fake.recipes:
                self._send(404, {"detail": "No Recipe matches the given query."})
                return
        fields = _multipart(ctype, body)
        if "image" in fields:
            data = fields["image"]
            kind = _image_kind(data)
            if kind is None:
                self._send(
                    400,
                    {
                        "image": [
                            "Upload a valid image. The file you uploaded was "
                            "either not an image or a corrupted image."
                        ]
                    },
                )
                return
            media = f"/media/recipes/{uuid.uuid4()}_{recipe_id}.{kind}"
            with fake.lock:
                if self._fault is not None and self._fault.kind == "image_lost":
                    fake.images.pop(recipe_id, None)
                else:
                    fake.images[recipe_id] = (media, data)
            self._send(200, {"image": media, "image_url": None})
            return
        url = fields.get("image_url", b"").decode("utf-8", "replace")
        with fake.lock:  # the server cannot fetch it: the existing image is deleted (ex. 53/54)
            fake.images.pop(recipe_id, None)
        self._send(200, {"image": None, "image_url": url or None})

    def _from_source(self, body: bytes) -> None:
        fake = self.fake
        ok, payload = self._json_body(body)
        if not ok:
            return
        errors, raw = drf_errors(payload, "RecipeFromSource")
        if errors is not None:
            with fake.lock:
                fake.schema_violations.extend(raw)
            self._send(400, errors)
            return
        with fake.lock:
            fake.duplicate_checks += 1
            throttled = fake.duplicate_checks > fake.duplicate_check_limit
        if throttled:
            self._send(
                429,
                {"detail": "Request was throttled. Expected available in 3600 seconds."},
                headers={"Retry-After": "3600"},
            )
            return
        url = (payload.get("url") or "").strip()
        data = payload.get("data") or ""
        if not url and not data:
            self._send(400, {"error": True, "msg": "Nothing to do."})
            return
        probe = {
            "steps": [{"instruction": "", "ingredients": [], "show_ingredients_table": True}],
            "internal": True,
            "source_url": "",
            "name": "lookup probe",
            "description": "",
            "keywords": [],
            "properties": [],
        }
        with fake.lock:
            dups = sorted(
                (r for r in fake.recipes.values() if r.get("source_url") == url),
                key=lambda r: -r["id"],
            )
        if fake.legacy:
            self._send(200, {"recipe_json": probe, "recipe_images": [], "duplicate": bool(dups)})
        else:
            self._send(
                200,
                {
                    "recipe": probe,
                    "recipe_id": None,
                    "images": [],
                    "error": False,
                    "msg": "",
                    "duplicates": [{"id": r["id"], "name": r["name"]} for r in dups],
                },
            )

    def _control(self, path: str, body: bytes) -> None:
        fake = self.fake
        name = path[len(CONTROL_PREFIX) :].strip("/")
        if name == "state" and self.command == "GET":
            with fake.lock:
                state = {
                    "version": fake.version,
                    "recipes": list(fake.recipes.values()),
                    "images": {str(k): len(v[1]) for k, v in fake.images.items()},
                    "schema_violations": list(fake.schema_violations),
                    "requests": len(fake.requests),
                    "faults": [asdict(f) for f in fake.faults],
                }
            self._send(200, state)
        elif name == "faults" and self.command == "POST":
            try:
                spec = json.loads(body or b"{}")
                fault = fake.add_fault(
                    spec.pop("kind"), spec.pop("method", None), spec.pop("path", None), **spec
                )
            except (ValueError, KeyError, TypeError) as exc:
                self._send(400, {"error": str(exc)})
                return
            self._send(201, asdict(fault))
        elif name == "faults" and self.command == "DELETE":
            fake.clear_faults()
            self._send(204)
        elif name == "reset" and self.command == "POST":
            fake.reset()
            self._send(204)
        else:
            self._send(404, {"detail": "Not found."})


class _Discard:
    """Swallows the answer of a request whose response is to be lost."""

    def write(self, data: bytes) -> int:
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    closed = False


def _multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, bytes] = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            fields[str(name)] = part.get_payload(decode=True) or b""
    return fields


def _describe_body(content_type: str, body: bytes) -> Any:
    if not body:
        return None
    if content_type.startswith("application/json"):
        try:
            return json.loads(body)
        except ValueError:
            return body.decode("utf-8", "replace")
    if content_type.startswith("multipart/form-data"):
        return {"multipart": {k: len(v) for k, v in _multipart(content_type, body).items()}}
    return f"<{len(body)} bytes of {content_type or 'unknown'}>"


# -- pytest fixture ------------------------------------------------------------------------------

try:
    import pytest
except ImportError:  # pragma: no cover - usable without pytest as a process
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    @pytest.fixture
    def fake_tandoor() -> Iterator[FakeTandoor]:
        """A 2.x fake Tandoor on a free loopback port (``FakeTandoor(V15)`` for 1.5)."""
        with FakeTandoor(V2) as server:
            yield server

    @pytest.fixture
    def fake_tandoor_15() -> Iterator[FakeTandoor]:
        """A 1.5.35 fake Tandoor on a free loopback port."""
        with FakeTandoor(V15) as server:
            yield server


# -- process -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run a fake Tandoor on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="0: a free port (printed)")
    parser.add_argument("--version", default=V2, help=f"{V2} (default) or {V15}")
    parser.add_argument("--tls-cert", help="PEM certificate chain: serve HTTPS")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument(
        "--token", action="append", default=[], help="an extra read-write token (repeatable)"
    )
    parser.add_argument("--duplicate-check-limit", type=int, default=60)
    args = parser.parse_args(argv)
    context = None
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    server = FakeTandoor(
        args.version,
        port=args.port,
        ssl_context=context,
        extra_tokens={t: "read write" for t in args.token},
        duplicate_check_limit=args.duplicate_check_limit,
    )
    server.start()
    print(server.port, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
