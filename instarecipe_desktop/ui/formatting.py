"""Words and numbers for the queue: status names, "2 min ago", durations (translatable)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from instarecipe_desktop.core.items import ItemStatus, PhaseName, QueueItem, utcnow


def _t(text: str) -> str:
    return QCoreApplication.translate("format", text)


def status_label(status: ItemStatus) -> str:
    return {
        ItemStatus.PENDING: _t("Waiting"),
        ItemStatus.IN_PROGRESS: _t("Working"),
        ItemStatus.SUCCESS: _t("Saved"),
        ItemStatus.ERROR: _t("Failed"),
        ItemStatus.UNHEALTHY: _t("Will retry"),
    }[status]


def item_status_label(item: QueueItem) -> str:
    """The status column's word; an item held for review is "Ready for review"."""
    if item.waiting_for_review:
        return _t("Ready for review")
    if item.waiting_for_settings:
        return _t("Waiting for the token")
    return status_label(item.status)


def phase_label(phase: PhaseName) -> str:
    return {
        PhaseName.EXTRACTION: _t("Reading the post"),
        PhaseName.PARSING: _t("Understanding the recipe"),
        PhaseName.UPLOADING: _t("Saving"),
    }[phase]


def relative_time(moment: datetime | None, now: datetime | None = None) -> str:
    if moment is None:
        return ""
    seconds = int(((now or utcnow()) - moment).total_seconds())
    if seconds < 45:
        return _t("just now")
    minutes = round(seconds / 60)
    if minutes < 60:
        return _t("%n min ago").replace("%n", str(minutes))
    hours = round(seconds / 3600)
    if hours < 24:
        return _t("%n h ago").replace("%n", str(hours))
    days = round(seconds / 86400)
    if days < 7:
        return _t("%n d ago").replace("%n", str(days))
    return moment.astimezone().strftime("%Y-%m-%d")


def duration(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return ""
    seconds = max(0.0, (end - start).total_seconds())
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60)} s"


def author(item: QueueItem) -> str:
    post = item.post or {}
    name = (
        post.get("author")
        or post.get("ownerUsername")
        or post.get("owner")
        or post.get("username")
        or ""
    )
    return f"@{name}" if name and not str(name).startswith("@") else str(name)


def destination_label(item: QueueItem) -> str:
    if item.destination == "tandoor":
        return "Tandoor"
    if item.destination == "library":
        return _t("Local library")
    return ""
