"""A small async client for the parts of Tandoor's REST API the app uses (2.x and 1.5.x).

Every failure comes out as a classified ``PhaseError`` (see ``errors.py``), never a raw
httpx exception. Redirects are never followed, so the token cannot travel to another host;
the Authorization header is only sent to ``<base>/api/...``.
"""

from __future__ import annotations

import logging
import re
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from instarecipe_desktop.core.errors import PermanentError, PhaseError
from instarecipe_desktop.pipeline.uploading.tandoor.errors import (
    CreateUnconfirmed,
    classify_response,
    classify_transport,
    may_have_arrived,
    scrub_token,
)

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
USER_AGENT = "InstaRecipe-Desktop"
_OPENAPI_HEAD_BYTES = 4096  # the YAML schema is ~260 KB; its version is in the first lines
# 1.5.35's schema view negotiates on Accept and answers a JSON-only Accept with 406 (ex. 89)
_OPENAPI_ACCEPT = "application/vnd.oai.openapi, */*;q=0.5"


@dataclass(frozen=True)
class ServerInfo:
    """What the version probes found. ``major`` decides the API differences (1 or 2)."""

    version: str | None
    major: int

    @property
    def legacy(self) -> bool:
        return self.major < 2

    @property
    def label(self) -> str:
        return f"Tandoor {self.version}" if self.version else f"Tandoor {self.major}.x"


@dataclass(frozen=True)
class DuplicateCheck:
    """``recipe-from-source`` answer: 2.x gives ids, 1.5 only says whether one exists."""

    found: bool
    ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ConnectionCheck:
    """Result of "test connection": ``state`` is one of ok, no_address, no_token, invalid_address,
    unreachable, tls, timeout, not_tandoor, redirect, server_error, token_rejected, read_only,
    error."""

    state: str
    message: str
    server: ServerInfo | None = None
    write_confirmed: bool = False

    @property
    def ok(self) -> bool:
        return self.state == "ok"


def normalize_base_url(base_url: str) -> str:
    """``https://host/tandoor/`` -> ``https://host/tandoor``; a pasted ``/api`` is dropped."""
    url = base_url.strip().rstrip("/")
    if url.endswith("/api"):
        url = url[: -len("/api")]
    return url


def tls_verify(ca_bundle: str | None, verify: bool) -> ssl.SSLContext | bool:
    """httpx ``verify`` from the settings: a CA file, the system store, or (warned) nothing."""
    if ca_bundle:
        try:
            return ssl.create_default_context(cafile=ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            raise PermanentError(
                f"The CA certificate file {ca_bundle} cannot be used ({exc}).",
                suggestion="Choose the PEM file of the certificate authority that signed "
                "Tandoor's certificate (TANDOOR_CA_BUNDLE).",
                code="tandoor_config",
            ) from None
    if not verify:
        log.warning(
            "TLS certificate verification for Tandoor is turned off: the connection "
            "can be intercepted. Prefer setting TANDOOR_CA_BUNDLE."
        )
        return False
    return True


def _parse_version(text: str) -> str | None:
    """ "2.6.12" -> "2.6.12"; drf-spectacular's "0.0.0 (2.6.12)" -> "2.6.12"."""
    inner = re.search(r"\((\d+\.\d+[^)]*)\)", text)
    if inner:
        return inner.group(1).strip()
    match = re.search(r"\d+\.\d+(?:\.\d+)?", text)
    return match.group(0) if match else None


def _major(version: str | None, default: int) -> int:
    if version:
        try:
            return int(version.split(".")[0])
        except ValueError:
            pass
    return default


class TandoorClient:
    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        verify: ssl.SSLContext | bool = True,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = normalize_base_url(base_url)
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PermanentError(
                f"The Tandoor address {base_url!r} is not a valid http(s) address.",
                suggestion="Set it like https://recipes.example.org in the settings.",
                code="tandoor_config",
            )
        self._token = token or None
        self._client = httpx.AsyncClient(
            verify=verify,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,  # never let the token follow a redirect
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Accept-Language": "en",
            },  # stable English error texts
        )
        self._server: ServerInfo | None = None

    @property
    def has_token(self) -> bool:
        return self._token is not None

    async def aclose(self) -> None:
        await self._client.aclose()

    # -- plumbing -----------------------------------------------------------------------------

    def _headers(self, path: str) -> dict[str, str]:
        if self._token and path.startswith("/api/"):
            return {"Authorization": f"Bearer {self._token}"}
        return {}

    async def _send(self, method: str, path: str, action: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._client.request(
                method, self.base_url + path, headers=self._headers(path), **kwargs
            )
        except httpx.HTTPError as exc:
            raise classify_transport(exc, action, self.base_url) from None

    async def _json(self, method: str, path: str, action: str, **kwargs: Any) -> Any:
        response = await self._send(method, path, action, **kwargs)
        if not response.is_success:
            raise classify_response(response, action)
        try:
            return response.json()
        except ValueError:
            raise scrub_token(
                PermanentError(
                    f"Tandoor's answer while {action} is not JSON.",
                    suggestion="Check that the address points to Tandoor itself.",
                    code="tandoor_protocol",
                    details=response.text[:500],
                ),
                self._token,
            ) from None

    # -- version ------------------------------------------------------------------------------

    async def server_info(self, *, refresh: bool = False) -> ServerInfo:
        """2.x: ``/api/server-settings/current/``; 1.x has none (404) and is read from the head
        of ``/openapi/``. Raises ``tandoor_not_tandoor`` when neither looks like Tandoor."""
        if self._server is not None and not refresh:
            return self._server
        action = "asking for Tandoor's version"
        response = await self._send("GET", "/api/server-settings/current/", action)
        if 300 <= response.status_code < 400 or response.status_code >= 500:
            raise classify_response(response, action)
        if response.status_code == 200:
            try:
                body = response.json()
            except ValueError:
                body = None
            if isinstance(body, dict) and isinstance(body.get("version"), str):
                version = _parse_version(body["version"]) or body["version"]
                self._server = ServerInfo(version=version, major=_major(version, 2))
                return self._server
        self._server = await self._server_info_from_openapi(action)
        return self._server

    async def _server_info_from_openapi(self, action: str) -> ServerInfo:
        try:
            async with self._client.stream(
                "GET", self.base_url + "/openapi/", headers={"Accept": _OPENAPI_ACCEPT}
            ) as response:
                head = b""
                if response.status_code == 200:
                    async for chunk in response.aiter_bytes():
                        head += chunk
                        if len(head) >= _OPENAPI_HEAD_BYTES:
                            break
        except httpx.HTTPError as exc:
            raise classify_transport(exc, action, self.base_url) from None
        text = head[:_OPENAPI_HEAD_BYTES].decode("utf-8", "replace")
        title = re.search(r"title:\s*['\"]?([^\n'\"]+)", text)
        version = re.search(r"\n\s*version:\s*['\"]?([^\n'\"]+)", text)
        if title and title.group(1).strip() in ("Django Recipes", "Tandoor"):
            parsed = _parse_version(version.group(1)) if version else None
            return ServerInfo(version=parsed, major=_major(parsed, 1))
        raise PermanentError(
            f"{self.base_url} does not look like a Tandoor server.",
            suggestion="Check the address: it is the one you open Tandoor with in a browser.",
            code="tandoor_not_tandoor",
        )

    # -- recipes ------------------------------------------------------------------------------

    def view_url(self, recipe_id: int, server: ServerInfo) -> str:
        """Browser URL: ``/recipe/<id>`` on 2.x, ``/view/recipe/<id>`` (no slash) on 1.x."""
        if server.legacy:
            return f"{self.base_url}/view/recipe/{recipe_id}"
        return f"{self.base_url}/recipe/{recipe_id}"

    async def create_recipe(self, payload: dict[str, Any]) -> dict[str, Any]:
        """``POST /api/recipe/``. A lost answer raises ``CreateUnconfirmed`` (may be saved)."""
        action = "creating the recipe"
        try:
            response = await self._client.post(
                self.base_url + "/api/recipe/", json=payload, headers=self._headers("/api/")
            )
        except httpx.HTTPError as exc:
            error = classify_transport(exc, action, self.base_url)
            if may_have_arrived(exc) and error.recoverable:
                raise CreateUnconfirmed(
                    "The recipe was sent to Tandoor but no answer came back; it may have been "
                    "saved.",
                    suggestion="The app checks Tandoor before trying again, so no copy is made.",
                    details=error.message,
                ) from None
            raise error from None
        if response.status_code >= 500:
            error = classify_response(response, action)
            raise CreateUnconfirmed(
                error.message,
                suggestion=error.suggestion,
                retry_after=error.retry_after,
                details=error.details,
            )
        if not response.is_success:
            raise classify_response(response, action)
        try:
            body = response.json()
        except ValueError:  # e.g. a proxy's HTML page with 201: it may well have been saved
            raise scrub_token(
                CreateUnconfirmed(
                    "Tandoor's answer to the new recipe is not JSON; it may have been saved.",
                    suggestion="The app checks Tandoor before trying again, so no copy is made.",
                    details=response.text[:500],
                ),
                self._token,
            ) from None
        if not isinstance(body, dict) or not isinstance(body.get("id"), int):
            raise scrub_token(
                PermanentError(
                    "Tandoor's answer to the new recipe has no id.",
                    code="tandoor_protocol",
                    details=response.text[:500],
                ),
                self._token,
            )
        return body

    async def update_recipe(self, recipe_id: int, payload: dict[str, Any]) -> dict[str, Any] | None:
        """``PATCH /api/recipe/<id>/``: the fields sent; ``steps`` and ``keywords`` replace the
        lists (ex. 65). None when the recipe does not exist (404)."""
        action = "updating the recipe"
        response = await self._send("PATCH", f"/api/recipe/{recipe_id}/", action, json=payload)
        if response.status_code == 404:
            return None
        if not response.is_success:
            raise classify_response(response, action)
        try:
            body = response.json()
        except ValueError:
            body = None
        return body if isinstance(body, dict) else {}

    async def delete_recipe(self, recipe_id: int) -> bool:
        """``DELETE /api/recipe/<id>/``; False when it was already gone."""
        action = "deleting an unfinished recipe"
        response = await self._send("DELETE", f"/api/recipe/{recipe_id}/", action)
        if response.status_code == 404:
            return False
        if not response.is_success:
            raise classify_response(response, action)
        return True

    async def get_recipe(self, recipe_id: int) -> dict[str, Any] | None:
        """The full recipe, or None when it does not exist (404)."""
        action = "reading a recipe"
        response = await self._send("GET", f"/api/recipe/{recipe_id}/", action)
        if response.status_code == 404:
            return None
        if not response.is_success:
            raise classify_response(response, action)
        try:
            body = response.json()
        except ValueError:
            raise scrub_token(
                PermanentError(
                    f"Tandoor's answer while {action} is not JSON.",
                    suggestion="Check that the address points to Tandoor itself.",
                    code="tandoor_protocol",
                    details=response.text[:500],
                ),
                self._token,
            ) from None
        return body if isinstance(body, dict) else None

    async def search_recipes(
        self, query: str, page_size: int = 100, max_pages: int = 20
    ) -> list[dict[str, Any]]:
        """``GET /api/recipe/?query=`` (overview shape: no steps, no source_url), every page up
        to ``max_pages``: a lost create must be found even when many recipes share its name
        (with only the first page, the soak made copies once more than 10 did)."""
        hits: list[dict[str, Any]] = []
        for page in range(1, max_pages + 1):
            body = await self._json(
                "GET",
                "/api/recipe/",
                "searching recipes",
                params={"query": query, "page": page, "page_size": page_size},
            )
            results = body.get("results") if isinstance(body, dict) else None
            hits.extend(r for r in results or [] if isinstance(r, dict))
            if not results or not isinstance(body, dict) or not body.get("next"):
                break
        return hits

    async def list_names(
        self, kind: str, page_size: int = 100, max_pages: int = 100
    ) -> list[tuple[str, str | None]]:
        """Every ``(name, plural_name)`` of the space's foods, units or keywords (``kind`` is
        ``food``, ``unit`` or ``keyword``), up to ``max_pages`` pages."""
        names: list[tuple[str, str | None]] = []
        for page in range(1, max_pages + 1):
            body = await self._json(
                "GET",
                f"/api/{kind}/",
                f"reading your Tandoor's {kind}s",
                params={"page": page, "page_size": page_size},
            )
            results = body.get("results") if isinstance(body, dict) else None
            for row in results or []:
                if isinstance(row, dict) and isinstance(row.get("name"), str):
                    plural = row.get("plural_name")
                    names.append((row["name"], plural if isinstance(plural, str) else None))
            if not results or not isinstance(body, dict) or not body.get("next"):
                break
        return names

    async def duplicate_check(self, source_url: str) -> DuplicateCheck:
        """``recipe-from-source`` with ``url`` and ``data``: the server fetches nothing and
        saves nothing, it only compares ``source_url`` exactly. Throttled (60/hour)."""
        body = await self._json(
            "POST",
            "/api/recipe-from-source/",
            "looking for the recipe in Tandoor",
            json={"url": source_url, "data": '{"name": "lookup probe"}'},
        )
        if not isinstance(body, dict):
            raise PermanentError(
                "Tandoor's duplicate check answered something unexpected.", code="tandoor_protocol"
            )
        if isinstance(body.get("duplicates"), list):  # 2.x
            ids = tuple(
                d["id"]
                for d in body["duplicates"]
                if isinstance(d, dict) and isinstance(d.get("id"), int)
            )
            return DuplicateCheck(found=bool(ids), ids=ids)
        return DuplicateCheck(found=bool(body.get("duplicate")))  # 1.5: a boolean only

    async def upload_image(
        self, recipe_id: int, data: bytes, filename: str, content_type: str
    ) -> dict[str, Any]:
        """Multipart ``PUT /api/recipe/<id>/image/`` with the bytes (never ``image_url``)."""
        return dict(
            await self._json(
                "PUT",
                f"/api/recipe/{recipe_id}/image/",
                "uploading the photo",
                files={"image": (filename, data, content_type)},
            )
            or {}
        )

    # -- test connection ----------------------------------------------------------------------

    async def check_connection(self) -> ConnectionCheck:
        """Tells apart: unreachable, not a Tandoor, token rejected, read-only token, OK."""
        try:
            server = await self.server_info(refresh=True)
        except PhaseError as exc:
            return ConnectionCheck(_state_of(exc), _sentence(exc))
        found = f"{server.label} at {self.base_url}"
        if not self._token:
            return ConnectionCheck(
                "no_token",
                f"Found {found}, but no API token is set. Save a token with read and write scope.",
                server,
            )
        try:
            await self._json("GET", "/api/recipe/", "checking the token", params={"page_size": 1})
        except PhaseError as exc:
            state = "token_rejected" if exc.code == "tandoor_auth" else _state_of(exc)
            if state == "token_rejected":
                return ConnectionCheck(
                    state,
                    f"Found {found}, but it rejected the token "
                    "(unknown or expired). " + (exc.suggestion or ""),
                    server,
                )
            return ConnectionCheck(state, f"Found {found}, but: {_sentence(exc)}", server)
        scope = await self._token_scope()
        if scope is not None and "write" not in scope.split():
            return ConnectionCheck(
                "read_only",
                f'Found {found}; the token works but is read-only (scope "{scope}"), so '
                'recipes cannot be saved. Create a token with scope "read write".',
                server,
            )
        if scope is None:
            return ConnectionCheck(
                "ok",
                f"Connected to {found}; the token can read (its write "
                "scope could not be confirmed).",
                server,
            )
        return ConnectionCheck(
            "ok",
            f"Connected to {found}; the token can read and write.",
            server,
            write_confirmed=True,
        )

    async def _token_scope(self) -> str | None:
        """The scope of our token from ``GET /api/access-token/``, where older tokens are
        masked except their last 4 characters. None when it cannot be told."""
        try:
            tokens = await self._json("GET", "/api/access-token/", "reading the token's scope")
        except PhaseError:
            return None
        if not isinstance(tokens, list) or not self._token:
            return None
        scopes = {
            str(entry.get("scope", ""))
            for entry in tokens
            if isinstance(entry, dict)
            and isinstance(entry.get("token"), str)
            and (
                entry["token"] == self._token
                or (entry["token"][-4:] == self._token[-4:] and len(self._token) >= 8)
            )
        }
        return scopes.pop() if len(scopes) == 1 else None


def _state_of(exc: PhaseError) -> str:
    return {
        "tandoor_unreachable": "unreachable",
        "tandoor_timeout": "timeout",
        "tandoor_tls": "tls",
        "tandoor_not_tandoor": "not_tandoor",
        "tandoor_not_found": "not_tandoor",
        "tandoor_redirect": "redirect",
        "tandoor_server_error": "server_error",
        "tandoor_auth": "token_rejected",
        "tandoor_config": "invalid_address",
    }.get(exc.code or "", "error")


_CHECK_ADVICE = {
    "tandoor_unreachable": "Check that Tandoor is running and that the address is right.",
    "tandoor_timeout": "Check that Tandoor is running and that the address is right.",
    "tandoor_server_error": "Check Tandoor's own log.",
}


def _sentence(exc: PhaseError) -> str:
    """The error as one sentence for the "test connection" answer (no "will retry" advice)."""
    message = re.sub(r" while (asking for Tandoor's version|checking the token)", "", exc.message)
    advice = _CHECK_ADVICE.get(exc.code or "", exc.suggestion)
    return f"{message} {advice}" if advice else message
