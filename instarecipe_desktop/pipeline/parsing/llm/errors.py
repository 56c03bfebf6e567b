"""openai SDK exceptions -> ``RecoverableError`` / ``PermanentError`` with words a person reads.

Recoverable (the queue retries with backoff): 429, 5xx, 408/409, timeouts, connection errors.
Permanent: a rejected key, an unknown model or address, a request the server refuses.
"""

from __future__ import annotations

import email.utils
import math
import ssl
import time
from typing import Any

import httpx2
import openai

from instarecipe_desktop.core.errors import PermanentError, PhaseError, RecoverableError

SETTINGS_HINT = "Check the LLM settings (Settings → LLM)."
SCHEMA_KEYWORDS = (
    "response_format",
    "json_schema",
    "json_object",
    "structured output",
    "schema",
    "response format",
)


def retry_after_seconds(headers: Any) -> float | None:
    """Seconds from ``retry-after-ms`` / ``retry-after`` (number or HTTP date), else None."""
    if headers is None:
        return None
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / divisor
        except ValueError:
            parsed = email.utils.parsedate_tz(value)
            if parsed is None:
                continue
            seconds = email.utils.mktime_tz(parsed) - time.time()
        if math.isfinite(seconds):
            return max(0.0, seconds)
    return None


def server_message(exc: openai.APIError) -> str:
    """The server's own error text (OpenAI: {"error": {"message"}}, others: various)."""
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            message = inner.get("message") or inner.get("detail")
            if message:
                return str(message)
        elif isinstance(inner, str):
            return inner
        if body.get("detail"):
            return str(body["detail"])
    elif isinstance(body, str) and body.strip():
        return body.strip()[:300]
    return exc.message


def is_response_format_refusal(exc: openai.APIStatusError) -> bool:
    """A 400/422 that says the server does not support the requested ``response_format``."""
    if exc.status_code not in (400, 422):
        return False
    text = f"{exc.message} {server_message(exc)} {exc.param or ''}".lower()
    return any(word in text for word in SCHEMA_KEYWORDS)


def address_problem(base_url: str) -> PermanentError | None:
    """A permanent error when the configured address cannot be a server's address."""
    try:
        url = httpx2.URL(base_url)
    except (httpx2.InvalidURL, TypeError, ValueError):
        url = None
    if url is not None and url.scheme in ("http", "https") and url.host:
        return None
    return PermanentError(
        f"The LLM server address '{base_url}' is not a web address.",
        suggestion="Enter it like http://localhost:11434/v1 or "
        "https://api.openai.com/v1 in Settings → LLM.",
        code="llm_bad_address",
    )


def _scrub(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


def classify(
    exc: openai.OpenAIError,
    *,
    base_url: str,
    model: str,
    api_key: str | None = None,
) -> PhaseError:
    """The phase error for an SDK exception (never raises)."""
    error = _classify(exc, base_url=base_url, model=model, has_key=bool(api_key))
    error.message = _scrub(error.message, api_key)
    error.details = _scrub(error.details, api_key) if error.details else None
    error.args = (error.message,)
    return error


def _certificate_problem(exc: BaseException) -> bool:
    """True when the connection failed on certificate verification (anywhere in the chain)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(
            current
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


def _classify(exc: openai.OpenAIError, *, base_url: str, model: str, has_key: bool) -> PhaseError:
    if isinstance(exc, openai.APITimeoutError):
        return RecoverableError(
            "The LLM server did not answer in time.",
            suggestion="A local model may need more time: raise the "
            "parsing time limit in Settings if this keeps "
            "happening.",
            code="llm_timeout",
        )
    if isinstance(exc, openai.APIConnectionError) and _certificate_problem(exc):
        return PermanentError(
            f"The certificate of the LLM server at {base_url} is not "
            "trusted, so nothing was sent to it.",
            suggestion="Use the server's https address with a certificate "
            "your system trusts (or add its CA to the system's "
            "certificates).",
            code="llm_tls",
        )
    if isinstance(exc, openai.APIConnectionError):
        return RecoverableError(
            f"Could not reach the LLM server at {base_url}.",
            suggestion="Check that the server is running and the address is right.",
            code="llm_unreachable",
        )
    if not isinstance(exc, openai.APIStatusError):
        return PermanentError(
            f"The LLM server's answer could not be read ({exc}).",
            suggestion=SETTINGS_HINT,
            code="llm_error",
        )
    said = server_message(exc)
    details = f"HTTP {exc.status_code}: {said}"
    if isinstance(exc, openai.RateLimitError):
        if "insufficient_quota" in f"{exc.code} {said}".lower() or exc.code == "insufficient_quota":
            return PermanentError(
                "The LLM account has no credit left.",
                suggestion="Add credit or billing details at your provider, then retry.",
                code="llm_quota",
                details=details,
            )
        return RecoverableError(
            "The LLM server is rate limiting requests.",
            suggestion="It is retried automatically after a pause.",
            code="llm_rate_limited",
            details=details,
            retry_after=retry_after_seconds(exc.response.headers),
        )
    if isinstance(exc, openai.AuthenticationError):
        if not has_key:
            return PermanentError(
                "The LLM server needs an API key.",
                suggestion="Enter the key in Settings → LLM.",
                code="llm_auth",
                details=details,
            )
        return PermanentError(
            "The LLM server rejected the API key.",
            suggestion="Check the API key in Settings → LLM.",
            code="llm_auth",
            details=details,
        )
    if isinstance(exc, openai.PermissionDeniedError):
        return PermanentError(
            "The LLM server refused access to this model.",
            suggestion=f"Check that your key may use the model '{model}' (Settings → LLM).",
            code="llm_forbidden",
            details=details,
        )
    if isinstance(exc, openai.NotFoundError):
        return PermanentError(
            f"The LLM server does not know the model '{model}' or the address {base_url}.",
            suggestion="Check the model name and the server address (it "
            "usually ends in /v1) in Settings → LLM.",
            code="llm_not_found",
            details=details,
        )
    if exc.status_code >= 500 or exc.status_code in (408, 409):
        return RecoverableError(
            f"The LLM server had a problem (HTTP {exc.status_code}).",
            suggestion="It is retried automatically.",
            code="llm_server_error",
            details=details,
            retry_after=retry_after_seconds(exc.response.headers),
        )
    return PermanentError(
        f"The LLM server refused the request: {said}",
        suggestion=f"The model '{model}' may not support this kind of request; "
        f"try another model. {SETTINGS_HINT}",
        code="llm_bad_request",
        details=details,
    )
