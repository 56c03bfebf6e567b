"""The queue item, exactly as the web app had it, plus what the desktop needs.

JSON form (``to_json``) uses the web app's camelCase names::

    QueueItem { id, url, status, phases[3], results?, error?, createdAt, updatedAt,
                shortcode, attempts, nextRetryAt?, destination?, post?, usage?, errorDetail?,
                awaitingReview?, reviewReason? }

``error`` is the web app's string, the message in words; ``errorDetail`` carries the rest
(kind, phase, suggestion, code, details). Rows stored before that split, with ``error`` as one
object, still read.

An item held for the person's review (``awaitingReview``) stays ``pending`` with its uploading
phase not started; the engine does not pick it up until it is approved (core.review).

Timestamps are timezone-aware UTC ``datetime`` objects in Python and ISO 8601 strings in JSON.
"""

from __future__ import annotations

import copy
import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum, StrEnum
from typing import Any


def utcnow() -> datetime:
    return datetime.now(UTC)


_ATOMS = (str, int, float, bool, type(None), datetime, Enum)


def _copy(value: Any) -> Any:
    """Deep copy of an item's data (dataclasses, lists, dicts, atoms): 3x faster than
    ``copy.deepcopy`` because it needs no memo; items are copied on every change event."""
    if isinstance(value, _ATOMS):
        return value
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value)(
            **{f.name: _copy(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        )
    return copy.deepcopy(value)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class ItemStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    SUCCESS = "success"
    ERROR = "error"
    UNHEALTHY = "unhealthy"  # recoverable failure, an automatic retry is scheduled


class PhaseName(StrEnum):
    EXTRACTION = "extraction"
    PARSING = "parsing"
    UPLOADING = "uploading"


PHASE_ORDER: tuple[PhaseName, ...] = (PhaseName.EXTRACTION, PhaseName.PARSING, PhaseName.UPLOADING)


class PhaseStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ERROR = "error"


class ErrorKind(StrEnum):
    RECOVERABLE = "recoverable"
    PERMANENT = "permanent"


@dataclass
class PhaseState:
    name: PhaseName
    status: PhaseStatus = PhaseStatus.PENDING
    started_at: datetime | None = None
    completed_at: datetime | None = None
    progress: int | None = None  # 0-100
    message: str | None = None  # what the phase is doing now, e.g. "Downloading image"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name.value, "status": self.status.value}
        if self.started_at:
            data["startedAt"] = _iso(self.started_at)
        if self.completed_at:
            data["completedAt"] = _iso(self.completed_at)
        if self.progress is not None:
            data["progress"] = self.progress
        if self.message:
            data["message"] = self.message
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PhaseState:
        return cls(
            name=PhaseName(data["name"]),
            status=PhaseStatus(data.get("status", "pending")),
            started_at=_parse_iso(data.get("startedAt")),
            completed_at=_parse_iso(data.get("completedAt")),
            progress=data.get("progress"),
            message=data.get("message"),
        )


@dataclass
class ItemError:
    """What went wrong, in words a person understands, and what to do about it."""

    message: str
    kind: ErrorKind = ErrorKind.PERMANENT
    phase: PhaseName | None = None
    suggestion: str | None = None
    code: str | None = None  # stable machine-readable reason, e.g. "instagram_rate_limited"
    details: str | None = None  # e.g. the raw LLM answer; shown on request, never a traceback

    def to_json(self) -> dict[str, Any]:
        return {"message": self.message, **self.detail_json()}

    def detail_json(self) -> dict[str, Any]:
        """Everything but the message: the item JSON's ``errorDetail``."""
        data: dict[str, Any] = {"kind": self.kind.value}
        for key in ("suggestion", "code", "details"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.phase:
            data["phase"] = self.phase.value
        return data

    @classmethod
    def from_item_json(cls, error: Any, detail: Any) -> ItemError | None:
        """From an item's ``error`` (the message) and ``errorDetail``; an ``error`` that is an
        object is a row stored before the split and carries everything itself."""
        if not error:
            return None
        if isinstance(error, dict):
            return cls.from_json(error)
        return cls.from_json(
            {**(detail if isinstance(detail, dict) else {}), "message": str(error)}
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ItemError:
        return cls(
            message=data["message"],
            kind=ErrorKind(data.get("kind", "permanent")),
            phase=PhaseName(data["phase"]) if data.get("phase") else None,
            suggestion=data.get("suggestion"),
            code=data.get("code"),
            details=data.get("details"),
        )


@dataclass
class ItemResults:
    """Outputs of finished phases. ``recipe`` is the Recipe JSON (see core.recipe)."""

    recipe: dict[str, Any] | None = None
    tandoor_url: str | None = None  # browser URL of the result (Tandoor, or the local page)
    extracted_text: str | None = None
    thumbnail: str | None = None  # path of the downloaded image, relative to the data dir

    def to_json(self) -> dict[str, Any]:
        data = {
            "recipe": self.recipe,
            "tandoorUrl": self.tandoor_url,
            "extractedText": self.extracted_text,
            "thumbnail": self.thumbnail,
        }
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ItemResults:
        data = data or {}
        return cls(
            recipe=data.get("recipe"),
            tandoor_url=data.get("tandoorUrl"),
            extracted_text=data.get("extractedText"),
            thumbnail=data.get("thumbnail"),
        )


@dataclass
class LogEntry:
    """One line of an item's own log: what a phase did, attempts, token usage."""

    at: datetime
    message: str
    phase: PhaseName | None = None
    level: str = "info"  # info | warning | error

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"at": _iso(self.at), "message": self.message, "level": self.level}
        if self.phase:
            data["phase"] = self.phase.value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LogEntry:
        return cls(
            at=_parse_iso(data["at"]) or utcnow(),
            message=data["message"],
            phase=PhaseName(data["phase"]) if data.get("phase") else None,
            level=data.get("level", "info"),
        )


def new_phases() -> list[PhaseState]:
    return [PhaseState(name=name) for name in PHASE_ORDER]


# item options the uploading phase reads (set by the manager's reprocess and resend)
FORCE_NEW_RECIPE = "forceNewRecipe"  # upload again as a separate new recipe
UPDATE_IN_PLACE = "updateInPlace"  # put the recipe into the one already made for the post


@dataclass
class QueueItem:
    url: str
    shortcode: str | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: ItemStatus = ItemStatus.PENDING
    phases: list[PhaseState] = field(default_factory=new_phases)
    results: ItemResults = field(default_factory=ItemResults)
    error: ItemError | None = None
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    # desktop additions
    attempts: int = 0  # automatic + manual attempts of the current failing phase
    next_retry_at: datetime | None = None
    destination: str | None = None  # "tandoor" | "library", once uploaded
    post: dict[str, Any] | None = None  # extraction metadata: author, date, hashtags, ...
    usage: dict[str, Any] | None = None  # LLM token usage of the parsing phase
    options: dict[str, Any] = field(default_factory=dict)  # e.g. {"forceNewRecipe": True}
    log: list[LogEntry] = field(default_factory=list)
    awaiting_review: bool = False  # parsed, held until the person approves it (stays pending)
    review_reason: str | None = None  # why it is held, in words

    @property
    def waiting_for_review(self) -> bool:
        """Held for review: pending, but not for the engine to pick up."""
        return self.awaiting_review and self.status is ItemStatus.PENDING

    @property
    def waiting_for_settings(self) -> bool:
        """Waits for the person to change a setting (e.g. enter the Tandoor token), not for a
        timed retry: the engine leaves it alone until the settings change."""
        return (
            self.status is ItemStatus.UNHEALTHY
            and self.next_retry_at is None
            and self.error is not None
            and self.error.code == "waiting_for_settings"
        )

    def phase(self, name: PhaseName) -> PhaseState:
        return self.phases[PHASE_ORDER.index(name)]

    def next_phase(self) -> PhaseName | None:
        """The first phase that has not completed: where processing (or a retry) resumes."""
        for state in self.phases:
            if state.status != PhaseStatus.COMPLETED:
                return state.name
        return None

    def needs_text(self) -> bool:
        """True when the person's own copy of the post's text would help: Instagram could not
        be read, or the text it gave held no recipe (the recipe may be in a comment)."""
        if self.phase(PhaseName.EXTRACTION).status != PhaseStatus.COMPLETED:
            return True
        return self.error is not None and self.error.code == "no_recipe"

    @property
    def progress(self) -> int:
        """Overall progress 0-100 over the three phases."""
        total = 0.0
        for state in self.phases:
            if state.status == PhaseStatus.COMPLETED:
                total += 100
            elif state.progress:
                total += state.progress
        return round(total / len(self.phases))

    @property
    def title(self) -> str:
        """The recipe's name once parsed, else the link."""
        if self.results.recipe and self.results.recipe.get("name"):
            return str(self.results.recipe["name"])
        return self.url

    def clone(self) -> QueueItem:
        """A copy that its receiver may keep or change freely."""
        copied: QueueItem = _copy(self)
        return copied

    def to_json(self, include_log: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "status": self.status.value,
            "phases": [state.to_json() for state in self.phases],
            "results": self.results.to_json(),
            "createdAt": _iso(self.created_at),
            "updatedAt": _iso(self.updated_at),
            "shortcode": self.shortcode,
            "attempts": self.attempts,
            "progress": self.progress,
        }
        if self.error:
            data["error"] = self.error.message
            data["errorDetail"] = self.error.detail_json()
        if self.next_retry_at:
            data["nextRetryAt"] = _iso(self.next_retry_at)
        if self.destination:
            data["destination"] = self.destination
        if self.post is not None:
            data["post"] = self.post
        if self.usage is not None:
            data["usage"] = self.usage
        if self.options:
            data["options"] = self.options
        if self.awaiting_review:
            data["awaitingReview"] = True
            data["reviewReason"] = self.review_reason
        if include_log:
            data["log"] = [entry.to_json() for entry in self.log]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QueueItem:
        phases = [PhaseState.from_json(p) for p in data.get("phases") or []]
        if [p.name for p in phases] != list(PHASE_ORDER):
            by_name = {p.name: p for p in phases}
            phases = [by_name.get(name, PhaseState(name=name)) for name in PHASE_ORDER]
        return cls(
            id=data["id"],
            url=data["url"],
            shortcode=data.get("shortcode"),
            status=ItemStatus(data.get("status", "pending")),
            phases=phases,
            results=ItemResults.from_json(data.get("results")),
            error=ItemError.from_item_json(data.get("error"), data.get("errorDetail")),
            created_at=_parse_iso(data.get("createdAt")) or utcnow(),
            updated_at=_parse_iso(data.get("updatedAt")) or utcnow(),
            attempts=int(data.get("attempts") or 0),
            next_retry_at=_parse_iso(data.get("nextRetryAt")),
            destination=data.get("destination"),
            post=data.get("post"),
            usage=data.get("usage"),
            options=dict(data.get("options") or {}),
            log=[LogEntry.from_json(e) for e in data.get("log") or []],
            awaiting_review=bool(data.get("awaitingReview", False)),
            review_reason=data.get("reviewReason"),
        )


@dataclass(frozen=True)
class QueueStatusUpdate:
    """The web app's server-sent event, kept field for field."""

    item_id: str
    status: ItemStatus
    timestamp: datetime
    progress: int | None = None
    results: dict[str, Any] | None = None
    error: str | None = None  # the message in words, as the item's ``error``
    error_detail: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "itemId": self.item_id,
            "status": self.status.value,
            "timestamp": _iso(self.timestamp),
        }
        if self.progress is not None:
            data["progress"] = self.progress
        if self.results is not None:
            data["results"] = self.results
        if self.error is not None:
            data["error"] = self.error
        if self.error_detail is not None:
            data["errorDetail"] = self.error_detail
        return data


class QueueEventType(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    REMOVED = "removed"


@dataclass(frozen=True)
class QueueEvent:
    """What subscribers of the QueueManager receive. ``item`` is a snapshot (a copy)."""

    type: QueueEventType
    item: QueueItem
    update: QueueStatusUpdate

    @classmethod
    def of(cls, type_: QueueEventType, item: QueueItem) -> QueueEvent:
        snapshot = item.clone()
        return cls(
            type=type_,
            item=snapshot,
            update=QueueStatusUpdate(
                item_id=snapshot.id,
                status=snapshot.status,
                timestamp=snapshot.updated_at,
                progress=snapshot.progress,
                results=snapshot.results.to_json() or None,
                error=snapshot.error.message if snapshot.error else None,
                error_detail=snapshot.error.detail_json() if snapshot.error else None,
            ),
        )
