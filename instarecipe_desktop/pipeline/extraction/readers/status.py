"""What ``instagram status`` and the settings' Instagram page show of each reader.

Read from the readers' record (``readers.json``, written by whichever process read posts) and
the installed packages, without importing the readers' libraries (yt-dlp takes long to load).
Holds no secret: whether a session is present, never the session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from instarecipe_desktop.pipeline.extraction.readers import (
    EMBED_VERSION,
    READER_LABELS,
    READER_NAMES,
    READER_PACKAGES,
    USES_SESSION,
)
from instarecipe_desktop.pipeline.extraction.readers.health import READERS_FILE, ReaderHealth


@dataclass(frozen=True)
class ReaderStatus:
    name: str
    label: str
    version: str | None  # None: not installed
    state: str  # "ok", "resting", "failing", "not installed"
    rested_until: float | None  # epoch seconds, while resting
    reason: str | None  # why it failed last (resting or failing)
    failures_in_row: int
    last_success: str | None  # ISO time, UTC
    last_failure: str | None
    uses_session: bool
    session_present: bool

    @property
    def state_text(self) -> str:
        """The state in words: ok / resting until HH:MM / failing: reason / not installed."""
        if self.state == "resting" and self.rested_until is not None:
            return f"resting until {local_hh_mm(self.rested_until)}"
        if self.state == "failing":
            return f"failing: {self.reason}" if self.reason else "failing"
        return self.state

    @property
    def last_success_text(self) -> str:
        return when_text(self.last_success)

    @property
    def session_text(self) -> str:
        if not self.uses_session:
            return "not used (always anonymous)"
        return "present" if self.session_present else "none (anonymous)"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "version": self.version,
            "installed": self.version is not None,
            "state": self.state,
            "stateText": self.state_text,
            "restedUntil": iso_utc(self.rested_until) if self.rested_until else None,
            "reason": self.reason,
            "failuresInRow": self.failures_in_row,
            "lastSuccess": self.last_success,
            "lastFailure": self.last_failure,
            "usesSession": self.uses_session,
            "sessionPresent": self.session_present if self.uses_session else None,
        }


def local_hh_mm(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%H:%M")


def when_text(iso: str | None) -> str:
    """An ISO time of the record as the person reads it: local date and time, or never."""
    if not iso:
        return "never"
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def iso_utc(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def installed_version(name: str) -> str | None:
    """The reader's version, or None when its library is not installed (its distribution's
    metadata is what says so; the bundle ships it, see packaging/instarecipe-desktop.spec)."""
    package = READER_PACKAGES.get(name)
    if package is None:
        return EMBED_VERSION
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def reader_statuses(
    data_dir: Path,
    *,
    session_present: bool,
    clock: Callable[[], float] = time.time,
    versions: Callable[[str], str | None] = installed_version,
) -> list[ReaderStatus]:
    """Each reader in the order the chain tries them."""
    health = ReaderHealth(data_dir / READERS_FILE, clock=clock)
    now = clock()
    out = []
    for name in READER_NAMES:
        record = health.records.get(name)
        found = versions(name)
        rested_until = record.rested_until if record and record.rested_until > now else None
        if found is None:
            state = "not installed"
        elif rested_until is not None:
            state = "resting"
        elif record is not None and record.failures_in_row > 0:
            state = "failing"
        else:
            state = "ok"
        out.append(
            ReaderStatus(
                name=name,
                label=READER_LABELS.get(name, name),
                version=found,
                state=state,
                rested_until=rested_until,
                reason=record.last_failure_reason if record and state != "ok" else None,
                failures_in_row=record.failures_in_row if record else 0,
                last_success=record.last_success if record else None,
                last_failure=record.last_failure if record else None,
                uses_session=USES_SESSION.get(name, False),
                session_present=session_present,
            )
        )
    return out
