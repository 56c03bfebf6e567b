"""The post's pictures as image parts of a chat message (``LLM_VISION``).

When the caption holds no recipe, the recipe is often written on the pictures of a carousel.
The pictures the extraction downloaded (``post.pictures``, else the photo) are sent as OpenAI
chat content parts with base64 ``data:`` URLs, capped in number and size; what is left out is
said in the item's log.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openai

MAX_PICTURES = 5  # sent per post (a carousel of 20 sends its first five)
MAX_PICTURE_BYTES = 4 * 1024 * 1024  # one picture as downloaded (no resizing here)
MAX_TOTAL_BYTES = 12 * 1024 * 1024  # all pictures of one request

PICTURES_NOTE = (
    "The post's pictures follow (in the order of the post). The recipe may be written on them: "
    "read the ingredients and steps shown on the pictures, together with the text."
)

_MIME_BY_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def image_mime(data: bytes) -> str | None:
    for magic, mime in _MIME_BY_MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass
class Pictures:
    """What will be sent, and in words what was left out and why."""

    parts: list[dict[str, Any]] = field(default_factory=list)
    total_bytes: int = 0
    left_out: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.parts)


def picture_paths(post: dict[str, Any], thumbnail: str | None) -> list[str]:
    """The downloaded pictures of the post, relative to the data folder, photo first."""
    listed = post.get("pictures")
    found = [p for p in listed if isinstance(p, str) and p] if isinstance(listed, list) else []
    if not found and thumbnail:
        found = [thumbnail]
    return list(dict.fromkeys(found))


def load_pictures(data_dir: Path, relatives: list[str]) -> Pictures:
    """Reads and encodes the pictures (blocking: run in an executor)."""
    out = Pictures()
    if len(relatives) > MAX_PICTURES:
        out.left_out.append(
            f"the post has {len(relatives)} pictures; only the first {MAX_PICTURES} are sent"
        )
        relatives = relatives[:MAX_PICTURES]
    media = data_dir.resolve()
    for relative in relatives:
        path = (data_dir / relative).resolve()
        if media not in path.parents:
            out.left_out.append(f"{relative} is outside the data folder")
            continue
        try:
            size = path.stat().st_size
            if size > MAX_PICTURE_BYTES:
                out.left_out.append(
                    f"{relative} is {size / 1e6:.1f} MB (at most {MAX_PICTURE_BYTES / 1e6:.0f} "
                    "MB are sent)"
                )
                continue
            if out.total_bytes + size > MAX_TOTAL_BYTES:
                out.left_out.append(
                    f"{relative} would pass {MAX_TOTAL_BYTES / 1e6:.0f} MB for all pictures"
                )
                continue
            data = path.read_bytes()
        except OSError as exc:
            out.left_out.append(f"{relative} could not be read ({exc.strerror or exc})")
            continue
        mime = image_mime(data)
        if mime is None:
            out.left_out.append(f"{relative} is not a JPEG, PNG, WebP or GIF picture")
            continue
        encoded = base64.b64encode(data).decode("ascii")
        out.parts.append(
            {"type": "image_url", "image_url": {"url": f"data:{mime};base64,{encoded}"}}
        )
        out.total_bytes += len(data)
    return out


def with_pictures(text_message: str, pictures: Pictures) -> list[dict[str, Any]]:
    """The user message's content: the post's text, the note, then the pictures."""
    return [{"type": "text", "text": f"{text_message}\n\n{PICTURES_NOTE}"}, *pictures.parts]


def is_image_refusal(exc: openai.APIStatusError) -> bool:
    """A server or model that does not take pictures: any 400 (or 413, too large) on the
    request that carried them, since the same request without them was accepted (LM Studio:
    "Model does not support images", OpenAI: "image_url is only supported by certain models",
    vLLM: "not a multimodal model", Ollama: "does not support images")."""
    return exc.status_code in (400, 413, 415, 422)


def refusal_words(exc: openai.APIStatusError) -> str:
    """The server's own reason, short, for the item's log."""
    body = exc.body
    message: Any = None
    if isinstance(body, dict):
        error = body.get("error", body)
        message = error.get("message") if isinstance(error, dict) else error
    text = str(message or exc.message or f"HTTP {exc.status_code}").strip()
    return text[:300]
