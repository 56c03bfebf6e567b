"""The extraction phase: link -> post text, metadata and thumbnail (the engine's ``Extractor``).

Blocking instaloader calls run one at a time on a dedicated single-thread executor (requests to
Instagram are serialised by construction); the pacer spaces them. Everything that can fail is
turned into a ``PhaseError``; optional extras (author comments, thumbnail, transcript) never fail
the item: what went wrong is written to the item's log instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import httpx
from instaloader import Instaloader, Post

from instarecipe_desktop.core.errors import PermanentError, PhaseError
from instarecipe_desktop.core.links import LinkRejected, PostLink, parse_post_link
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.phases import Extraction, PhaseContext
from instarecipe_desktop.core.secrets import LLM_API_KEY, SecretStore
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.extraction import media
from instarecipe_desktop.pipeline.extraction.errors import PASTE_HINT, classify
from instarecipe_desktop.pipeline.extraction.loader import REQUEST_TIMEOUT_S, make_loader
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.post_data import (
    PostFacts,
    author_comments,
    compose_text,
    describe_post,
)
from instarecipe_desktop.pipeline.extraction.session import InstagramSession, SessionVault
from instarecipe_desktop.pipeline.extraction.share import resolve_share_link
from instarecipe_desktop.pipeline.extraction.transcribe import transcribe_video

log = logging.getLogger(__name__)
T = TypeVar("T")


class InstagramExtractor:
    def __init__(
        self,
        settings: Settings,
        secrets: SecretStore,
        paths: AppPaths,
        *,
        pacer: RequestPacer | None = None,
        http_client: httpx.AsyncClient | None = None,
        share_base_url: str | None = None,
        request_timeout: float = REQUEST_TIMEOUT_S,
    ) -> None:
        self._settings = settings
        self._secrets = secrets
        self._paths = paths
        self._vault = SessionVault(secrets)
        self.pacer = pacer or RequestPacer(float(settings.get("INSTAGRAM_MIN_INTERVAL_S")))
        self._http = http_client or media.new_http_client()
        self._owns_http = http_client is None
        self._share_base_url = share_base_url
        self._request_timeout = request_timeout
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="instagram")
        self._turn = asyncio.Lock()  # one Instagram operation waits for its turn at a time
        self._loader: Instaloader | None = None
        self._loader_key: str | None = None

    # -- the phase ---------------------------------------------------------------------------
    async def extract(self, ctx: PhaseContext) -> Extraction:
        item = ctx.item
        given = item.post or {}
        if (
            given.get("manual") or given.get("textSource") == "manual"
        ) and item.results.extracted_text:
            # the person gave the text: nothing to fetch (the engine normally skips us)
            return Extraction.from_item(item)
        link = self._parse(item.url)
        if link.is_share:
            ctx.progress(5, "Resolving link")
            async with self._turn:
                await self._paced_wait(None)
                self.pacer.mark_request()
                try:
                    link = await resolve_share_link(self._http, link, base_url=self._share_base_url)
                except PhaseError as exc:
                    if exc.code == "instagram_rate_limited":
                        self.pacer.rate_limited(exc.retry_after)
                    raise
            ctx.log(f"The share link leads to {link.url}")
        ctx.progress(15, "Fetching post")
        session = await self._run_blocking(self._vault.load)
        shortcode = link.shortcode
        if not shortcode:
            raise PermanentError("The link did not lead to a post.", code="invalid_link")
        facts, post = await self._instagram(
            session, lambda loader: self._fetch(loader, shortcode, link)
        )
        comments = await self._comments(ctx, session, post, facts)
        thumbnail = await self._thumbnail(ctx, facts)
        transcript = await self._transcript(ctx, facts)
        text = compose_text(facts.caption, facts.post["author"], comments, transcript)
        facts.post["authorComments"] = len(comments)
        facts.post["transcribed"] = bool(transcript)
        if not text.strip():
            raise PermanentError(
                "The post has no caption, so there is no recipe text to read.",
                suggestion="If the recipe is spoken in the video, turn on transcription in "
                f"Settings. {PASTE_HINT}",
                code="no_text",
            )
        ctx.progress(100, "Post fetched")
        return Extraction(text=text, post=facts.post, thumbnail=thumbnail)

    async def aclose(self) -> None:
        self.pacer.close()
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self._loader is not None:
            self._loader.close()
        if self._owns_http:
            await self._http.aclose()

    # -- steps -------------------------------------------------------------------------------
    @staticmethod
    def _parse(url: str) -> PostLink:
        try:
            return parse_post_link(url)
        except LinkRejected as exc:
            raise PermanentError(exc.reason, code="invalid_link") from None

    @staticmethod
    def _fetch(loader: Instaloader, shortcode: str, link: PostLink) -> tuple[PostFacts, Post]:
        post = Post.from_shortcode(loader.context, shortcode)
        kind = "reel" if link.kind == "reel" else "p"
        return describe_post(post, f"https://www.instagram.com/{kind}/{post.shortcode}/"), post

    async def _comments(
        self, ctx: PhaseContext, session: InstagramSession | None, post: Post, facts: PostFacts
    ) -> list[str]:
        if not facts.comments_hint or not self._settings.get("INSTAGRAM_READ_COMMENTS"):
            return []
        if session is None:
            ctx.log(
                "The caption says the recipe is in the comments; log in to Instagram in "
                "Settings so that they can be read.",
                "warning",
            )
            return []
        ctx.progress(40, "Reading the author's comments")
        try:
            found = await self._instagram(session, lambda _loader: author_comments(post))
        except PhaseError as exc:
            ctx.log(f"The comments could not be read: {exc.message}", "warning")
            return []
        ctx.log(f"Added {len(found)} comment(s) by the author.")
        return found

    async def _thumbnail(self, ctx: PhaseContext, facts: PostFacts) -> str | None:
        if not facts.thumbnail_url:
            return None
        ctx.progress(55, "Downloading image")
        try:
            data = await media.fetch_bytes(
                self._http, facts.thumbnail_url, max_bytes=media.IMAGE_CAP_BYTES
            )
        except PhaseError as exc:
            ctx.log(f"The image could not be downloaded: {exc.message}", "warning")
            return None
        if not media.looks_like_image(data):
            ctx.log("The image link did not send an image.", "warning")
            return None
        relative = Path("media") / f"{facts.post['shortcode']}{media.image_extension(data)}"
        await self._run_blocking(media.save_atomically, ctx.data_dir / relative, data)
        return relative.as_posix()

    async def _transcript(self, ctx: PhaseContext, facts: PostFacts) -> str | None:
        if not self._settings.get("TRANSCRIBE_AUDIO") or not facts.video_url:
            return None
        base_url = self._settings.get("LLM_API_BASE_URL")
        if not base_url:
            ctx.log("Transcription is on but no LLM server is set in Settings.", "warning")
            return None
        ctx.progress(65, "Downloading video")

        def on_bytes(received: int, total: int | None) -> None:
            if total:
                ctx.progress(65 + int(15 * received / total), "Downloading video")

        try:
            video = await media.fetch_bytes(
                self._http, facts.video_url, max_bytes=media.VIDEO_CAP_BYTES, progress=on_bytes
            )
            ctx.progress(80, "Transcribing")
            api_key = await self._run_blocking(self._secrets.get, LLM_API_KEY)
            transcript = await transcribe_video(
                video,
                base_url=base_url,
                api_key=api_key,
                model=self._settings.get("TRANSCRIPTION_MODEL") or "whisper-1",
            )
        except PhaseError as exc:
            ctx.log(f"The video was not transcribed: {exc.message}", "warning")
            return None
        ctx.log(f"Transcribed the video ({len(transcript)} characters).")
        return transcript

    # -- Instagram calls ---------------------------------------------------------------------
    async def _instagram(
        self, session: InstagramSession | None, call: Callable[[Instaloader], T]
    ) -> T:
        """Run ``call(loader)`` on the Instagram thread, paced; errors come out classified."""
        loader = self._loader_for(session)
        async with self._turn:
            await self._paced_wait(session)
            try:
                return await self._run_blocking(call, loader)
            except PhaseError:
                raise
            except Exception as exc:
                problem = classify(exc, logged_in=session is not None)
                if problem.code == "instagram_rate_limited":
                    self.pacer.rate_limited(problem.retry_after)
                raise problem from None

    async def _paced_wait(self, session: InstagramSession | None) -> None:
        try:
            await self.pacer.wait_async()
        except Exception as exc:
            raise classify(exc, logged_in=session is not None) from None

    def _loader_for(self, session: InstagramSession | None) -> Instaloader:
        key = session.fingerprint() if session else ""
        if self._loader is None or key != self._loader_key:
            if self._loader is not None:
                self._loader.close()
                self.pacer.reset_cooldown()  # a new session deserves a fresh try
            self._loader = make_loader(
                self.pacer,
                request_timeout=self._request_timeout,
                username=session.username if session else None,
                cookies=session.cookies if session else None,
            )
            self._loader_key = key
        return self._loader

    async def _run_blocking(self, func: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, func, *args)
