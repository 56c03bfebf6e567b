"""Tandoor answers and transport failures -> RecoverableError / PermanentError, in words.

Codes: ``tandoor_auth`` (403: token rejected or lacking write scope), ``tandoor_validation``
(400, with the field errors spelled out), ``tandoor_unreachable`` (connection refused or lost),
``tandoor_timeout``, ``tandoor_server_error`` (5xx), ``tandoor_rate_limited`` (429),
``tandoor_tls`` (certificate not trusted), ``tandoor_redirect`` (the address redirects:
the token is never sent after a redirect), ``tandoor_not_found`` (404), ``tandoor_config``
(bad address), ``tandoor_protocol`` (an answer this client does not understand),
``tandoor_create_unconfirmed`` (the create request may have been saved but no answer came).
"""

from __future__ import annotations

import json
import ssl
from typing import Any

import httpx

from instarecipe_desktop.core.errors import PermanentError, PhaseError, RecoverableError

TOKEN_HELP = (
    'Create a token with scope "read write" in Tandoor (Settings → API) and save it in the '
    "app's settings (or run: instarecipe-desktop tandoor set-token)."
)
PERMISSION_DETAIL = "You do not have permission to perform this action."

_LIST_ITEM_LABELS = {"steps": "step", "ingredients": "ingredient", "keywords": "keyword"}
_FIELD_LABELS = {
    "name": "name",
    "description": "description",
    "servings_text": "servings text",
    "working_time": "working time",
    "waiting_time": "waiting time",
    "source_url": "source URL",
    "original_text": "original text",
    "no_amount": "no amount",
    "is_header": "header",
    "instruction": "instruction",
    "food": "food",
    "unit": "unit",
    "amount": "amount",
    "note": "note",
    "servings": "servings",
    "internal": "internal",
    "time": "time",
    "image": "image",
}


class CreateUnconfirmed(RecoverableError):
    """The create request was sent but its answer was lost: the recipe may exist."""

    def __init__(self, message: str, **kwargs: Any) -> None:
        kwargs.setdefault("code", "tandoor_create_unconfirmed")
        super().__init__(message, **kwargs)


def field_errors_in_words(body: Any) -> list[str]:
    """DRF error bodies, nested by list position, as sentences.

    ``{"steps": [{}, {"ingredients": [{}, {"food": {"name": ["This field may not be
    blank."]}}]}]}`` -> ``["step 2, ingredient 2, food name: This field may not be blank."]``
    """
    lines: list[str] = []

    def walk(node: Any, where: list[str]) -> None:
        if isinstance(node, str):
            prefix = ", ".join(where)
            lines.append(f"{prefix}: {node}" if prefix else node)
        elif isinstance(node, list):
            for child in node:
                walk(child, where)
        elif isinstance(node, dict):
            for key, child in node.items():
                if key in ("non_field_errors", "detail"):
                    walk(child, where)
                elif isinstance(child, list) and any(not isinstance(x, str) for x in child):
                    item = _LIST_ITEM_LABELS.get(key, key.replace("_", " "))
                    for index, sub in enumerate(child):
                        if sub:
                            walk(sub, [*where, f"{item} {index + 1}"])
                elif key == "name" and where and where[-1] in ("food", "unit"):
                    walk(child, [*where[:-1], f"{where[-1]} name"])
                else:
                    walk(child, [*where, _FIELD_LABELS.get(key, key.replace("_", " "))])

    walk(body, [])
    return lines


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError):
        return None


def _detail(response: httpx.Response) -> str | None:
    body = _body(response)
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return body["detail"]
    return None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def scrub_token(error: PhaseError, token: str | None) -> PhaseError:
    """The error without the token: proxies and error pages may quote the request headers,
    and the message and details are stored with the item and shown."""
    if not token:
        return error
    error.message = error.message.replace(token, "***")
    if error.suggestion:
        error.suggestion = error.suggestion.replace(token, "***")
    if error.details:
        error.details = error.details.replace(token, "***")
    error.args = (error.message,)
    return error


def _request_token(response: httpx.Response) -> str | None:
    try:
        auth = response.request.headers.get("authorization", "")
    except RuntimeError:  # a response built without a request (tests)
        return None
    return auth.partition(" ")[2].strip() or None


def classify_response(response: httpx.Response, action: str) -> PhaseError:
    """An error for a non-2xx answer; ``action`` reads like "creating the recipe"."""
    return scrub_token(_classify_response(response, action), _request_token(response))


def _classify_response(response: httpx.Response, action: str) -> PhaseError:
    status = response.status_code
    details = response.text[:2000] if response.text else None
    if status == 403:
        detail = _detail(response)
        if detail == PERMISSION_DETAIL:
            message = "Tandoor rejected the token: it lacks write scope (it is read-only)."
        else:
            message = "Tandoor rejected the token (or it lacks write scope)."
        # every other upload would be refused the same way: one message, the rest wait
        return PermanentError(
            message, suggestion=TOKEN_HELP, code="tandoor_auth", details=detail, stops_queue=True
        )
    if status == 400:
        words = field_errors_in_words(_body(response)) or [response.text[:300] or "no details"]
        return PermanentError(
            f"Tandoor refused the data while {action}: " + "; ".join(words),
            suggestion="Edit the recipe and send it again.",
            code="tandoor_validation",
            details=details,
        )
    if status == 429:
        return RecoverableError(
            f"Tandoor asked to slow down while {action}.",
            suggestion="The app will try again later.",
            code="tandoor_rate_limited",
            retry_after=_retry_after(response),
        )
    if status >= 500:
        return RecoverableError(
            f"Tandoor had an internal error (HTTP {status}) while {action}.",
            suggestion="The app will try again later; if it keeps happening, check Tandoor's log.",
            code="tandoor_server_error",
            retry_after=_retry_after(response),
            details=details,
        )
    if 300 <= status < 400:
        location = response.headers.get("location", "another address")
        return PermanentError(
            f"The Tandoor address redirects to {location}; the token is not sent after a redirect.",
            suggestion="Set the Tandoor address to the final address (for example https://…).",
            code="tandoor_redirect",
        )
    if status == 404:
        return PermanentError(
            f'Tandoor answered "not found" while {action}.',
            suggestion="Check the Tandoor address in the settings (it is the address of the "
            "start page, without /api).",
            code="tandoor_not_found",
            details=details,
        )
    return PermanentError(
        f"Tandoor answered HTTP {status} while {action}, which the app does not understand.",
        suggestion="Check the Tandoor address and version.",
        code="tandoor_protocol",
        details=details,
    )


def _is_certificate_error(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def classify_transport(exc: httpx.HTTPError, action: str, base_url: str) -> PhaseError:
    """An error for a request that got no answer."""
    if _is_certificate_error(exc):
        return PermanentError(
            f"The TLS certificate of {base_url} is not trusted.",
            suggestion="For a self-signed certificate, set its CA file in the settings "
            "(TANDOOR_CA_BUNDLE).",
            code="tandoor_tls",
            details=str(exc),
        )
    if isinstance(exc, httpx.TimeoutException):
        return RecoverableError(
            f"Tandoor at {base_url} did not answer in time while {action}.",
            suggestion="The app will try again later.",
            code="tandoor_timeout",
        )
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return PermanentError(
            f"The Tandoor address {base_url!r} is not a valid http(s) address.",
            suggestion="Set it like https://recipes.example.org in the settings.",
            code="tandoor_config",
        )
    how = (
        "nothing answers at this address, or it refused the connection"
        if isinstance(exc, httpx.ConnectError)
        else "the connection was cut"
    )
    return RecoverableError(
        f"Tandoor at {base_url} cannot be reached ({how}) while {action}.",
        suggestion="Check that Tandoor is running and the address is right; the app will try "
        "again later.",
        code="tandoor_unreachable",
        details=str(exc) or None,
    )


def may_have_arrived(exc: httpx.HTTPError) -> bool:
    """False only when the request certainly never reached the server."""
    never_sent = (
        httpx.ConnectError,
        httpx.ConnectTimeout,
        httpx.PoolTimeout,
        httpx.UnsupportedProtocol,
        httpx.InvalidURL,
    )
    return not isinstance(exc, never_sent)
