"""Reader 3: the post's public embed page, read anonymously when the APIs refuse.

Uses ``requests`` on the Instagram thread like the other readers, so one pacer spaces every
request. The page is capped in size; its failure forms (login wall, removed post, rate limit)
become the same classified errors the API readers give.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import requests

from instarecipe_desktop.core.errors import PermanentError, RecoverableError
from instarecipe_desktop.pipeline.extraction.errors import (
    NETWORK_RETRY_S,
    PASTE_HINT,
    SETTINGS_HINT,
    classify,
    rate_limited,
)
from instarecipe_desktop.pipeline.extraction.loader import REQUEST_TIMEOUT_S
from instarecipe_desktop.pipeline.extraction.media import USER_AGENT
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.post_data import (
    MEDIA_TYPES,
    PostFacts,
    says_recipe_in_comments,
)
from instarecipe_desktop.pipeline.extraction.readers import EMBED_VERSION
from instarecipe_desktop.pipeline.extraction.readers.base import (
    InstagramThread,
    ReadRequest,
    paced_wait,
)
from instarecipe_desktop.pipeline.extraction.readers.embed_page import (
    EmbedPost,
    looks_removed,
    read_embed_page,
)

PAGE_CAP_BYTES = 3 * 1024 * 1024


class EmbedReader:
    name = "embed"

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
        self._session = requests.Session()
        self._session.headers["User-Agent"] = USER_AGENT

    def version(self) -> str:
        return EMBED_VERSION

    async def read(self, request: ReadRequest) -> PostFacts:
        async with self._thread.turn:
            await paced_wait(self._pacer, logged_in=False)
            try:
                html = await self._thread.run(self._fetch, request.shortcode)
            except (PermanentError, RecoverableError):
                raise
            except Exception as exc:
                raise classify(exc) from None
        return self._facts(request, html)

    def close(self) -> None:
        self._session.close()

    def _fetch(self, shortcode: str) -> str:
        self._pacer.before_request()
        url = f"https://www.instagram.com/p/{shortcode}/embed/captioned/"
        with self._session.get(url, timeout=self._timeout, stream=True) as response:
            final_path = requests.utils.urlparse(response.url).path
            if response.status_code == 429:
                wait = self._pacer.rate_limited(_retry_after(response))
                raise rate_limited(wait, "embed page: 429 Too Many Requests")
            if final_path.startswith("/accounts/login") or response.status_code == 401:
                raise PermanentError(
                    "Instagram shows this post only to logged-in visitors.",
                    suggestion=f"Please {SETTINGS_HINT}. {PASTE_HINT}",
                    code="login_required",
                    details=f"embed page redirected to {final_path}",
                )
            if response.status_code in (404, 410):
                raise _removed(f"embed page: {response.status_code}")
            if response.status_code >= 500:
                raise RecoverableError(
                    "Instagram is having trouble right now (server error).",
                    suggestion="It is tried again in a minute.",
                    code="instagram_unavailable",
                    retry_after=NETWORK_RETRY_S,
                    details=f"embed page: {response.status_code}",
                )
            if response.status_code != 200:
                raise _unexpected(f"embed page: {response.status_code}")
            body = bytearray()
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > PAGE_CAP_BYTES:
                    raise _unexpected("embed page larger than 3 MB")
            return body.decode(response.encoding or "utf-8", errors="replace")

    @staticmethod
    def _facts(request: ReadRequest, html: str) -> PostFacts:
        if looks_removed(html):
            raise _removed("embed page says the post is broken or removed")
        shown = read_embed_page(html)
        if not shown.found:
            if "login" in html.lower() and "Caption" not in html:
                raise PermanentError(
                    "Instagram shows this post only to logged-in visitors.",
                    suggestion=f"Please {SETTINGS_HINT}. {PASTE_HINT}",
                    code="login_required",
                    details="embed page shows a login wall",
                )
            raise _unexpected("embed page without caption or picture")
        return _to_facts(request, shown)


def _to_facts(request: ReadRequest, shown: EmbedPost) -> PostFacts:
    typename = "GraphSidecar" if len(shown.pictures) > 1 else shown.typename
    date = (
        datetime.fromtimestamp(shown.taken_at, UTC).isoformat().replace("+00:00", "Z")
        if shown.taken_at
        else None
    )
    video_url = shown.video_url if shown.is_video else None
    facts = PostFacts(
        post={
            "shortcode": request.shortcode,
            "canonicalUrl": request.canonical_url,
            "author": shown.author,
            "authorName": shown.author_name,
            "date": date,
            "isVideo": shown.is_video,
            "mediaType": MEDIA_TYPES.get(typename, typename.lower()),
            "hashtags": _hashtags(shown.caption),
            "carouselSize": max(1, len(shown.pictures)),
            "videoUrl": video_url,
            "manual": False,
        },
        caption=shown.caption,
        thumbnail_url=shown.pictures[0] if shown.pictures else None,
        video_url=video_url,
        picture_urls=list(shown.pictures),
    )
    facts.comments_hint = says_recipe_in_comments(shown.caption)
    return facts


def _hashtags(caption: str) -> list[str]:
    return list(dict.fromkeys(tag.lower() for tag in re.findall(r"#(\w+)", caption)))


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else None


def _removed(details: str) -> PermanentError:
    return PermanentError(
        "The post is private or was deleted.",
        suggestion="Check the link in your browser. If you can see the post there, "
        f"{SETTINGS_HINT}, or paste the caption yourself.",
        code="post_unavailable",
        details=details,
    )


def _unexpected(details: str) -> RecoverableError:
    return RecoverableError(
        "Instagram sent an answer this app does not understand.",
        suggestion=f"It is tried again later. {PASTE_HINT}",
        code="instagram_unexpected",
        retry_after=NETWORK_RETRY_S * 5,
        details=details,
    )
