"""Logging: a rotating file in the log folder plus stderr, with secrets scrubbed from both.

The scrubber replaces every secret value it knows (``remember_secret``; ``configure_logging``
registers the SecretStore's values) and anything shaped like a token (``Bearer ...``,
Tandoor's ``tda_...``, OpenAI-style ``sk-...``) in the message, its arguments and tracebacks.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from instarecipe_desktop.core.paths import AppPaths

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
MAX_BYTES = 1_000_000
BACKUPS = 5
REDACTED = "[redacted]"
_TOKEN_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[^\s'\",;]+"),
    re.compile(r"(?i)(token\s+)[A-Za-z0-9_\-.]{16,}"),
    re.compile(r"()\btda_[A-Za-z0-9_\-]+"),
    re.compile(r"()\bsk-[A-Za-z0-9_\-]{8,}"),
)
_MIN_SECRET_LENGTH = 4  # shorter values would redact ordinary words


class SecretScrubber(logging.Filter):
    """A handler filter that rewrites each record without secrets (message and traceback)."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._secrets: set[str] = set()

    def remember(self, value: str | None) -> None:
        if value and len(value) >= _MIN_SECRET_LENGTH:
            with self._lock:
                self._secrets.add(value)

    def scrub(self, text: str) -> str:
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        for pattern in _TOKEN_PATTERNS:
            text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = self.scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info)
        return True


SCRUBBER = SecretScrubber()


def remember_secret(value: str | None) -> None:
    """Make sure ``value`` never appears in a log line (call when a secret is entered)."""
    SCRUBBER.remember(value)


def configure_logging(
    paths: AppPaths | None,
    *,
    secrets: Iterable[str] = (),
    verbose: bool = False,
    stderr: TextIO | None = None,
    stderr_level: int | None = None,
) -> Path | None:
    """Set up the root logger; returns the log file (None when it cannot be written).

    The file gets INFO and up (DEBUG with ``verbose``); stderr gets WARNING and up unless
    ``stderr_level`` says otherwise. Safe to call again (handlers are replaced).
    """
    for value in secrets:
        remember_secret(value)
    root = logging.getLogger()
    remove_handlers()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    formatter = logging.Formatter(LOG_FORMAT)

    console = logging.StreamHandler(stderr or sys.stderr)
    console.setLevel(
        stderr_level
        if stderr_level is not None
        else (logging.DEBUG if verbose else logging.WARNING)
    )
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    _install(root, console)

    log_file: Path | None = None
    if paths is not None:
        try:
            paths.log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            file_handler = logging.handlers.RotatingFileHandler(
                paths.log_file, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
            )
            file_handler.setFormatter(formatter)
            file_handler.setLevel(logging.DEBUG if verbose else logging.INFO)
            _install(root, file_handler)
            log_file = paths.log_file
        except OSError as exc:
            logging.getLogger(__name__).warning("Cannot write the log file: %s", exc)
    return log_file


def remove_handlers() -> None:
    """Remove (and close) the handlers ``configure_logging`` installed."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_instarecipe", False):
            root.removeHandler(handler)
            handler.close()


def _install(root: logging.Logger, handler: logging.Handler) -> None:
    handler.addFilter(SCRUBBER)
    handler._instarecipe = True  # type: ignore[attr-defined]
    root.addHandler(handler)
