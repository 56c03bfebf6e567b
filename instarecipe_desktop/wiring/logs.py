"""The app's logging: ``core.logging_setup`` plus the adapters' chatty libraries kept quiet."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from instarecipe_desktop.core.logging_setup import configure_logging
from instarecipe_desktop.core.paths import AppPaths

#: libraries the adapters use that log every request at INFO
QUIET_LOGGERS = ("httpx", "httpcore", "openai", "asyncio")


def setup_logging(
    paths: AppPaths | None, *, secrets: Iterable[str] = (), verbose: bool = False
) -> Path | None:
    """``configure_logging``, then the libraries at WARNING (DEBUG with ``verbose``)."""
    log_file = configure_logging(paths, secrets=secrets, verbose=verbose)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.WARNING)
    return log_file
