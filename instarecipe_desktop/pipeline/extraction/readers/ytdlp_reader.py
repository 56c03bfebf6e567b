"""Reader 2: yt-dlp used as a library, with the same imported session as cookies.

Logged in, yt-dlp asks ``api/v1/media/{id}/info/``; anonymous, it reads the start page's token
and the post's page. Every request goes through ``PacedYoutubeDL.urlopen`` (our pacer) on the
Instagram thread, over yt-dlp's ``requests`` handler. Nothing is downloaded by yt-dlp: it gives
the caption, author, pictures and the video's address, which the extraction then downloads with
its own size cap (for transcription). The cookies live in memory only (no cookie file).
"""

from __future__ import annotations

import http.cookiejar
import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from instarecipe_desktop.core.errors import PermanentError, PhaseError, RecoverableError
from instarecipe_desktop.pipeline.extraction.errors import (
    NETWORK_RETRY_S,
    PASTE_HINT,
    SETTINGS_HINT,
    classify,
    rate_limited,
)
from instarecipe_desktop.pipeline.extraction.loader import REQUEST_TIMEOUT_S
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.post_data import (
    MEDIA_TYPES,
    PostFacts,
    says_recipe_in_comments,
)
from instarecipe_desktop.pipeline.extraction.readers.base import (
    InstagramThread,
    ReadRequest,
    paced_wait,
)
from instarecipe_desktop.pipeline.extraction.readers.instaloader_reader import package_version
from instarecipe_desktop.pipeline.extraction.session import InstagramSession

log = logging.getLogger(__name__)


class _QuietLogger:
    """yt-dlp's messages go to our debug log, never to the terminal."""

    def debug(self, msg: str) -> None:
        log.debug("yt-dlp: %s", msg)

    info = debug

    def warning(self, msg: str) -> None:
        log.debug("yt-dlp warning: %s", msg)

    def error(self, msg: str) -> None:
        log.debug("yt-dlp error: %s", msg)


def _make_ytdlp(pacer: RequestPacer, timeout: float, session: InstagramSession | None) -> Any:
    from yt_dlp import YoutubeDL

    class PacedYoutubeDL(YoutubeDL):  # type: ignore[misc]
        def urlopen(self, req: Any) -> Any:
            pacer.before_request()
            return super().urlopen(req)

        def build_request_director(self, handlers: Any, preferences: Any = None) -> Any:
            # the requests handler: one HTTP stack with instaloader (and the tests' fake)
            prefer = {lambda rh, _request: 1000 if rh.RH_KEY == "Requests" else 0}
            return super().build_request_director(handlers, set(preferences or ()) | prefer)

    ydl = PacedYoutubeDL(
        {
            "quiet": True,
            "no_warnings": True,
            "noprogress": True,
            "logger": _QuietLogger(),
            "skip_download": True,
            "ignore_no_formats_error": True,  # photo posts have no video
            "socket_timeout": timeout,
            "cachedir": False,
            "compat_opts": ["no-certifi"],  # honour the system's (or a proxy's) CA bundle
            "extractor_retries": 0,
        }
    )
    if session is not None:
        for name, value in session.cookies.items():
            ydl.cookiejar.set_cookie(_cookie(name, value))
    return ydl


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, value, None, False, ".instagram.com", True, True, "/", True,
        True, None, False, None, None, {},
    )  # fmt: skip


class YtDlpReader:
    name = "yt-dlp"

    def __init__(
        self,
        pacer: RequestPacer,
        thread: InstagramThread,
        *,
        request_timeout: float = REQUEST_TIMEOUT_S,
    ) -> None:
        self._pacer = pacer
        self._thread = thread
        self._timeout = request_timeout
        self._ydl: Any = None
        self._ydl_key: str | None = None

    def version(self) -> str:
        return package_version("yt-dlp")

    async def read(self, request: ReadRequest) -> PostFacts:
        logged_in = request.session is not None
        async with self._thread.turn:
            await paced_wait(self._pacer, logged_in=logged_in)
            try:
                info = await self._thread.run(self._extract, request)
            except PhaseError:
                raise
            except ImportError as exc:  # a copy of the app without yt-dlp: the others read
                raise PermanentError(
                    "yt-dlp is not installed in this copy of the app.",
                    suggestion="Install the app again, or 'pip install yt-dlp' beside it.",
                    code="reader_not_installed",
                    details=str(exc),
                ) from None
            except Exception as exc:
                problem = classify_ytdlp(exc, logged_in=logged_in)
                if problem.code == "instagram_rate_limited" and "429" in (problem.details or ""):
                    self._pacer.rate_limited(problem.retry_after)
                raise problem from None
        return facts_from_info(request, info)

    def close(self) -> None:
        if self._ydl is not None:
            self._ydl.close()

    def _extract(self, request: ReadRequest) -> dict[str, Any]:
        key = request.session.fingerprint() if request.session else ""
        if self._ydl is None or key != self._ydl_key:
            if self._ydl is not None:
                self._ydl.close()
            self._ydl = _make_ytdlp(self._pacer, self._timeout, request.session)
            self._ydl_key = key
        info = self._ydl.extract_info(
            f"https://www.instagram.com/p/{request.shortcode}/", download=False, process=False
        )
        if not isinstance(info, dict):
            raise PermanentError("yt-dlp found nothing in this post.", code="instagram_unexpected")
        return info


def _best_thumbnail(entry: dict[str, Any]) -> str | None:
    thumbnails = [t for t in entry.get("thumbnails") or [] if isinstance(t, dict) and t.get("url")]
    if thumbnails:  # yt-dlp lists Instagram's candidates smallest first
        best = max(thumbnails, key=lambda t: (t.get("width") or 0) * (t.get("height") or 0))
        if not best.get("width"):
            best = thumbnails[-1]
        return str(best["url"])
    url = entry.get("thumbnail")
    return url if isinstance(url, str) and url else None


def _video_url(entry: dict[str, Any]) -> str | None:
    """A progressive format (video and sound in one file), smallest first: it is only
    transcribed, and must fit the download cap."""
    formats = [
        f
        for f in entry.get("formats") or []
        if isinstance(f, dict)
        and f.get("url")
        and f.get("acodec") != "none"
        and str(f.get("url", "")).startswith("http")
        and "dash" not in str(f.get("format_id"))
    ]
    if not formats:
        return None
    formats.sort(key=lambda f: f.get("height") or 0)
    return str(formats[0]["url"])


def facts_from_info(request: ReadRequest, info: dict[str, Any]) -> PostFacts:
    """The item's facts from yt-dlp's (unprocessed) info dict; a carousel is a playlist."""
    entries = [e for e in info.get("entries") or [] if isinstance(e, dict)]
    is_carousel = info.get("_type") == "playlist" or bool(entries)
    slides = entries if is_carousel else [info]
    pictures = [url for url in (_best_thumbnail(e) for e in slides) if url]
    videos = [url for url in (_video_url(e) for e in slides) if url]
    is_video = not is_carousel and bool(videos)
    typename = "GraphSidecar" if is_carousel else ("GraphVideo" if is_video else "GraphImage")
    caption = info.get("description") if isinstance(info.get("description"), str) else ""
    timestamp = info.get("timestamp")
    date = (
        datetime.fromtimestamp(timestamp, UTC).isoformat().replace("+00:00", "Z")
        if isinstance(timestamp, int)
        else None
    )
    video_url = videos[0] if is_video else None
    facts = PostFacts(
        post={
            "shortcode": request.shortcode,
            "canonicalUrl": request.canonical_url,
            "author": str(info.get("channel") or ""),
            "authorName": str(info.get("uploader") or ""),
            "date": date,
            "isVideo": is_video,
            "mediaType": MEDIA_TYPES[typename],
            "hashtags": _hashtags(caption or ""),
            "carouselSize": max(1, len(slides)),
            "videoUrl": video_url,
            "manual": False,
        },
        caption=caption or "",
        thumbnail_url=pictures[0] if pictures else None,
        video_url=video_url,
        picture_urls=pictures,
    )
    facts.comments_hint = says_recipe_in_comments(facts.caption)
    return facts


def _hashtags(caption: str) -> list[str]:
    import re

    return list(dict.fromkeys(tag.lower() for tag in re.findall(r"#(\w+)", caption)))


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        exc_info = getattr(current, "exc_info", None)
        if isinstance(exc_info, tuple) and len(exc_info) > 1:
            todo.append(exc_info[1])
        todo.extend([getattr(current, "cause", None), current.__cause__, current.__context__])


def _status(chain: Iterable[BaseException]) -> int | None:
    for item in chain:
        response = getattr(item, "response", None)
        status = getattr(item, "status", None) or getattr(response, "status", None)
        if isinstance(status, int):
            return status
    return None


def classify_ytdlp(exc: BaseException, *, logged_in: bool) -> PhaseError:
    """yt-dlp's errors (``DownloadError`` wrapping ``ExtractorError`` wrapping ``HTTPError``)
    as the same classified errors the other readers give."""
    chain = list(_causes(exc))
    details = "; ".join(f"{type(e).__name__}: {e}" for e in chain)[:2000]
    lowered = details.lower()
    status = _status(chain)
    if status == 429:
        return rate_limited(None, f"yt-dlp: 429 Too Many Requests; {details}")
    if "rate-limit" in lowered or "please wait a few minutes" in lowered:
        return rate_limited(None, details)
    if "checkpoint" in lowered or "challenge_required" in lowered:
        return PermanentError(
            "Instagram wants to confirm it is really you (a security checkpoint).",
            suggestion=f"Open instagram.com in your browser, follow its instructions, then "
            f"{SETTINGS_HINT}.",
            code="instagram_checkpoint",
            details=details,
        )
    if status == 404:
        return PermanentError(
            "The post is private or was deleted.",
            suggestion="Check the link in your browser. If you can see the post there, "
            f"{SETTINGS_HINT}, or paste the caption yourself.",
            code="post_unavailable",
            details=details,
        )
    if status in (401, 403) or any(
        words in lowered
        for words in ("login", "registered users", "cookies", "empty media response")
    ):
        if logged_in:
            return PermanentError(
                "Your Instagram session has expired or was logged out.",
                suggestion=f"Please {SETTINGS_HINT} again.",
                code="instagram_session_expired",
                details=details,
            )
        return PermanentError(
            "Instagram shows this post only to logged-in visitors.",
            suggestion=f"Please {SETTINGS_HINT}. {PASTE_HINT}",
            code="login_required",
            details=details,
        )
    if status is not None and status >= 500:
        return RecoverableError(
            "Instagram is having trouble right now (server error).",
            suggestion="It is tried again in a minute.",
            code="instagram_unavailable",
            retry_after=NETWORK_RETRY_S,
            details=details,
        )
    if any(type(e).__name__ in {"TransportError", "ConnectionError"} for e in chain) or (
        "timed out" in lowered
    ):
        return RecoverableError(
            "Instagram could not be reached.",
            suggestion="Check your internet connection; it is tried again.",
            code="network",
            retry_after=NETWORK_RETRY_S,
            details=details,
        )
    problem = classify(exc, logged_in=logged_in)
    problem.details = details
    return problem
