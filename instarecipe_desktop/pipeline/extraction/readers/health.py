"""Each reader's record: last success, last failure and why, failures in a row, rest.

Kept in ``readers.json`` in the data folder (no secrets: reasons are the classified messages),
so that ``instagram status`` run from another process sees what the app saw.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from instarecipe_desktop.core.files import write_atomically

log = logging.getLogger(__name__)

REST_AFTER_FAILURES = 3  # failures in a row that rest a reader
REST_S = 30 * 60.0
READERS_FILE = "readers.json"  # in the data folder


@dataclass
class ReaderRecord:
    failures_in_row: int = 0
    rested_until: float = 0.0  # wall-clock seconds (epoch)
    last_success: str | None = None  # ISO time
    last_failure: str | None = None
    last_failure_reason: str | None = None


class ReaderHealth:
    def __init__(
        self,
        path: Path | None,
        *,
        clock: Callable[[], float] = time.time,
        rest_after: int = REST_AFTER_FAILURES,
        rest_s: float = REST_S,
    ) -> None:
        self._path = path
        self._clock = clock
        self.rest_after = rest_after
        self.rest_s = rest_s
        self.records: dict[str, ReaderRecord] = self._load()

    def record(self, name: str) -> ReaderRecord:
        return self.records.setdefault(name, ReaderRecord())

    def rest_remaining(self, name: str) -> float:
        return max(0.0, self.record(name).rested_until - self._clock())

    def succeeded(self, name: str) -> None:
        record = self.record(name)
        record.failures_in_row = 0
        record.rested_until = 0.0
        record.last_success = self._now_iso()
        self._save()

    def failed(self, name: str, reason: str, *, counts: bool, rest_s: float | None = None) -> bool:
        """Note a failure; ``counts`` when it says the reader is broken (not the post gone).
        ``rest_s`` rests at once (the API asked us to wait). True when the reader is now rested."""
        record = self.record(name)
        record.last_failure = self._now_iso()
        record.last_failure_reason = reason
        rested = False
        if counts:
            record.failures_in_row += 1
            if rest_s is None and record.failures_in_row >= self.rest_after:
                rest_s = self.rest_s
        if rest_s:
            record.rested_until = self._clock() + rest_s
            rested = True
        self._save()
        return rested

    def wake(self) -> None:
        """A new session was imported: every reader deserves a fresh try."""
        for record in self.records.values():
            record.rested_until = 0.0
            record.failures_in_row = 0
        self._save()

    def _now_iso(self) -> str:
        moment = datetime.fromtimestamp(self._clock(), UTC)
        return moment.isoformat(timespec="seconds").replace("+00:00", "Z")

    def _load(self) -> dict[str, ReaderRecord]:
        if self._path is None or not self._path.exists():
            return {}
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
            return {str(name): ReaderRecord(**fields) for name, fields in raw.items()}
        except (OSError, ValueError, TypeError) as exc:
            log.warning(
                "The readers' record %s could not be read (%s); starting afresh.", self._path, exc
            )
            return {}

    def _save(self) -> None:
        if self._path is None:
            return
        data = {name: asdict(record) for name, record in self.records.items()}
        try:
            write_atomically(self._path, json.dumps(data, indent=1).encode())
        except OSError as exc:
            log.warning("The readers' record could not be saved: %s", exc)


def load_health(path: Path) -> ReaderHealth:
    return ReaderHealth(path)
