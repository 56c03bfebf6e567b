"""What both uploaders read from an item besides the recipe: source URL, extra keywords, photo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from instarecipe_desktop.core.phases import Extraction, PhaseContext


@dataclass(frozen=True)
class Photo:
    data: bytes
    filename: str
    content_type: str


def _post(ctx: PhaseContext, extraction: Extraction) -> dict[str, Any]:
    """Extraction metadata, falling back to what the item stored."""
    merged: dict[str, Any] = dict(ctx.item.post or {})
    merged.update(extraction.post or {})
    return merged


def source_url(ctx: PhaseContext, extraction: Extraction) -> str:
    """The canonical post URL (exact string: Tandoor's duplicate check compares it verbatim)."""
    canonical = _post(ctx, extraction).get("canonicalUrl")
    return str(canonical).strip() if canonical else ctx.item.url.strip()


def author_name(post: dict[str, Any]) -> str | None:
    for key in ("author", "ownerUsername", "owner", "username"):
        value = post.get(key)
        if isinstance(value, dict):
            value = value.get("username") or value.get("name")
        if isinstance(value, str) and value.strip():
            return value.strip().lstrip("@")
    return None


def hashtags(post: dict[str, Any]) -> list[str]:
    tags = post.get("hashtags") or []
    return [str(t).lstrip("#") for t in tags if isinstance(t, str) and t.strip("# ")]


def extra_keywords(
    ctx: PhaseContext, extraction: Extraction, *, with_hashtags: bool, with_author: bool
) -> list[str]:
    post = _post(ctx, extraction)
    words = hashtags(post) if with_hashtags else []
    author = author_name(post) if with_author else None
    if author:
        words.append(author)
    return words


def post_metadata(ctx: PhaseContext, extraction: Extraction) -> dict[str, Any]:
    return _post(ctx, extraction)


_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"GIF8", "image/gif", ".gif"),
    (b"RIFF", "image/webp", ".webp"),
)


def sniff_image(data: bytes) -> tuple[str, str] | None:
    """(content type, suffix) from the first bytes, or None when it is not a known image."""
    for magic, content_type, suffix in _MAGIC:
        if data.startswith(magic) and (magic != b"RIFF" or data[8:12] == b"WEBP"):
            return content_type, suffix
    return None


def thumbnail_path(data_dir: Path, relative: str | None) -> Path | None:
    """The thumbnail file, only if it lies inside the data dir."""
    if not relative:
        return None
    base = data_dir.resolve()
    path = (base / relative).resolve()
    if base != path and base not in path.parents:
        return None
    return path


def read_photo(data_dir: Path, relative: str | None) -> Photo | None:
    """Blocking read of the downloaded thumbnail (call in an executor). None when absent."""
    path = thumbnail_path(data_dir, relative)
    if path is None or not path.is_file():
        return None
    data = path.read_bytes()
    kind = sniff_image(data)
    if kind is None:
        return None
    content_type, suffix = kind
    return Photo(data=data, filename=path.stem + suffix, content_type=content_type)
