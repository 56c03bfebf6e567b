"""Streamed downloads of the post's image and video from Instagram's CDN (links expire: we keep
the bytes). Every download has a size cap, a per-read timeout and an overall deadline, so a
stalling or endless server cannot hang the queue."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx

from instarecipe_desktop.core.errors import PermanentError, PhaseError, RecoverableError
from instarecipe_desktop.core.files import write_atomically

IMAGE_CAP_BYTES = 15 * 1024 * 1024
VIDEO_CAP_BYTES = 25 * 1024 * 1024  # the transcription endpoint's limit
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/142.0.0.0 Safari/537.36"
)

Progress = Callable[[int, int | None], None]  # bytes so far, total (None when unknown)


class MediaTooLarge(PermanentError):
    def __init__(self, cap: int) -> None:
        super().__init__(
            f"The file is larger than {cap // (1024 * 1024)} MB.", code="media_too_large"
        )
        self.cap = cap


def new_http_client(read_timeout_s: float = 20.0) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=httpx.Timeout(read_timeout_s, connect=10.0),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,
    )


async def fetch_bytes(
    client: httpx.AsyncClient,
    url: str,
    *,
    max_bytes: int,
    deadline_s: float = 120.0,
    progress: Progress | None = None,
) -> bytes:
    """The body of ``url``, at most ``max_bytes``; raises ``PhaseError`` (never httpx's)."""
    try:
        async with asyncio.timeout(deadline_s):
            async with client.stream("GET", url) as response:
                if response.status_code in (403, 404, 410):
                    raise PermanentError(
                        f"The media link answered {response.status_code} (it may have expired).",
                        code="media_gone",
                    )
                if response.status_code != 200:
                    raise RecoverableError(
                        f"The media server answered {response.status_code}.",
                        code="media_unavailable",
                        retry_after=60.0,
                    )
                declared = response.headers.get("Content-Length")
                total = int(declared) if declared and declared.isdigit() else None
                if total is not None and total > max_bytes:
                    raise MediaTooLarge(max_bytes)
                chunks: list[bytes] = []
                received = 0
                async for chunk in response.aiter_bytes():
                    received += len(chunk)
                    if received > max_bytes:
                        raise MediaTooLarge(max_bytes)
                    chunks.append(chunk)
                    if progress is not None:
                        progress(received, total)
                return b"".join(chunks)
    except PhaseError:
        raise
    except (TimeoutError, httpx.TimeoutException):
        raise RecoverableError(
            "Downloading the media timed out.", code="network", retry_after=60.0
        ) from None
    except httpx.HTTPError as exc:
        raise RecoverableError(
            f"Downloading the media failed ({type(exc).__name__}).",
            code="network",
            retry_after=60.0,
        ) from None


def image_extension(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return ".png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    return ".jpg"


def looks_like_image(data: bytes) -> bool:
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    )


def save_atomically(path: Path, data: bytes) -> None:
    write_atomically(path, data)
