"""The extraction phase: link -> post text, metadata and pictures (the engine's ``Extractor``).

The post is read by a chain of readers (instaloader, yt-dlp, the public embed page; see
``readers``), whose blocking calls run one at a time on one Instagram thread, spaced by one
pacer. Everything that can fail is turned into a ``PhaseError``; optional extras (author
comments, pictures, transcript) never fail the item: what went wrong is written to the item's
log instead.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import httpx
from instaloader import Post

from instarecipe_desktop.core.errors import PermanentError, PhaseError
from instarecipe_desktop.core.links import LinkRejected, PostLink, parse_post_link
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.phases import Extraction, PhaseContext
from instarecipe_desktop.core.secrets import LLM_API_KEY, SecretStore
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.extraction import media
from instarecipe_desktop.pipeline.extraction.errors import PASTE_HINT
from instarecipe_desktop.pipeline.extraction.loader import REQUEST_TIMEOUT_S
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.post_data import PostFacts, compose_text
from instarecipe_desktop.pipeline.extraction.readers import READER_NAMES
from instarecipe_desktop.pipeline.extraction.readers.base import (
    InstagramThread,
    PostReader,
    ReadRequest,
)
from instarecipe_desktop.pipeline.extraction.readers.chain import ReaderChain
from instarecipe_desktop.pipeline.extraction.readers.embed_reader import EmbedReader
from instarecipe_desktop.pipeline.extraction.readers.health import READERS_FILE, ReaderHealth
from instarecipe_desktop.pipeline.extraction.readers.instaloader_reader import InstaloaderReader
from instarecipe_desktop.pipeline.extraction.session import InstagramSession, SessionVault
from instarecipe_desktop.pipeline.extraction.share import resolve_share_link
from instarecipe_desktop.pipeline.extraction.transcribe import transcribe_video

log = logging.getLogger(__name__)

PICTURES_CAP = 10  # pictures of a carousel kept for the parser (the photo included)


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
        readers: Sequence[str] = READER_NAMES,
        health: ReaderHealth | None = None,
    ) -> None:
        self._settings = settings
        self._secrets = secrets
        self._paths = paths
        self._vault = SessionVault(secrets)
        self.pacer = pacer or RequestPacer(float(settings.get("INSTAGRAM_MIN_INTERVAL_S")))
        self._http = http_client or media.new_http_client()
        self._owns_http = http_client is None
        self._share_base_url = share_base_url
        self._thread = InstagramThread()
        self._session_key: str | None = None  # the session of the last read ("" for none)
        self._instaloader = InstaloaderReader(
            self.pacer, self._thread, request_timeout=request_timeout
        )
        self.chain = ReaderChain(
            [self._reader(name, request_timeout) for name in readers],
            health or ReaderHealth(paths.data_dir / READERS_FILE),
            self.pacer,
        )

    def _reader(self, name: str, request_timeout: float) -> PostReader:
        if name == "instaloader":
            return self._instaloader
        if name == "yt-dlp":
            from instarecipe_desktop.pipeline.extraction.readers.ytdlp_reader import YtDlpReader

            return YtDlpReader(self.pacer, self._thread, request_timeout=request_timeout)
        if name == "embed":
            return EmbedReader(self.pacer, self._thread, request_timeout=request_timeout)
        raise ValueError(f"unknown reader {name!r} (known: {', '.join(READER_NAMES)})")

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
            async with self._thread.turn:
                await self._share_wait()
                self.pacer.mark_request()
                try:
                    link = await resolve_share_link(self._http, link, base_url=self._share_base_url)
                except PhaseError as exc:
                    if exc.code == "instagram_rate_limited":
                        self.pacer.rate_limited(exc.retry_after)
                    raise
            ctx.log(f"The share link leads to {link.url}")
        ctx.progress(15, "Fetching post")
        session = await self._thread.run(self._vault.load)
        self._note_session(ctx, session)
        shortcode = link.shortcode
        if not shortcode:
            raise PermanentError("The link did not lead to a post.", code="invalid_link")
        request = ReadRequest(shortcode, "reel" if link.kind == "reel" else "p", session)
        facts = await self.chain.read(request, ctx.log)
        comments = await self._comments(ctx, request, facts)
        thumbnail, pictures = await self._pictures(ctx, facts)
        transcript = await self._transcript(ctx, facts)
        text = compose_text(facts.caption, facts.post["author"], comments, transcript)
        facts.post["authorComments"] = len(comments)
        facts.post["transcribed"] = bool(transcript)
        if pictures:
            facts.post["pictures"] = pictures
        if not text.strip() and pictures and self._pictures_go_to_the_model():
            ctx.log("The post has no caption; its pictures are sent to the model (LLM_VISION).")
        elif not text.strip():
            raise PermanentError(
                "The post has no caption, so there is no recipe text to read.",
                suggestion="If the recipe is spoken in the video, turn on transcription in "
                f"Settings. {PASTE_HINT}",
                code="no_text",
            )
        ctx.progress(100, "Post fetched")
        return Extraction(text=text, post=facts.post, thumbnail=thumbnail)

    def _note_session(self, ctx: PhaseContext, session: InstagramSession | None) -> None:
        """A session imported while the app runs wakes the rested readers and the pacer."""
        key = session.fingerprint() if session else ""
        if session is not None and self._session_key not in (None, key):
            self.chain.health.wake()
            self.pacer.reset_cooldown()
            ctx.log("A new Instagram session is in use: every reader is asked again.")
        self._session_key = key

    def _pictures_go_to_the_model(self) -> bool:
        """LLM_VISION is on and an LLM is set (the offline parser reads text only)."""
        return bool(self._settings.get("LLM_VISION")) and bool(
            str(self._settings.get("LLM_API_BASE_URL")).strip()
        )

    async def aclose(self) -> None:
        self.pacer.close()
        self._thread.shutdown()
        for reader in self.chain.readers:
            reader.close()
        if self._owns_http:
            await self._http.aclose()

    # -- steps -------------------------------------------------------------------------------
    @staticmethod
    def _parse(url: str) -> PostLink:
        try:
            return parse_post_link(url)
        except LinkRejected as exc:
            raise PermanentError(exc.reason, code="invalid_link") from None

    async def _share_wait(self) -> None:
        from instarecipe_desktop.pipeline.extraction.readers.base import paced_wait

        await paced_wait(self.pacer, logged_in=False)

    async def _comments(
        self, ctx: PhaseContext, request: ReadRequest, facts: PostFacts
    ) -> list[str]:
        if not facts.comments_hint or not self._settings.get("INSTAGRAM_READ_COMMENTS"):
            return []
        if request.session is None:
            ctx.log(
                "The caption says the recipe is in the comments; log in to Instagram in "
                "Settings so that they can be read.",
                "warning",
            )
            return []
        if not isinstance(facts.source, Post):
            ctx.log(
                "The caption says the recipe is in the comments, but only instaloader reads "
                "comments and it did not read this post.",
                "warning",
            )
            return []
        ctx.progress(40, "Reading the author's comments")
        try:
            found = await self._instaloader.comments(request.session, facts.source)
        except PhaseError as exc:
            ctx.log(f"The comments could not be read: {exc.message}", "warning")
            return []
        ctx.log(f"Added {len(found)} comment(s) by the author.")
        return found

    async def _pictures(self, ctx: PhaseContext, facts: PostFacts) -> tuple[str | None, list[str]]:
        """Downloads the post's pictures: the first usable one is the photo (the thumbnail);
        a carousel's others are kept beside it for the parser, at most ``PICTURES_CAP``."""
        urls = list(
            dict.fromkeys(
                facts.picture_urls or ([facts.thumbnail_url] if facts.thumbnail_url else [])
            )
        )
        if not urls:
            return None, []
        if len(urls) > PICTURES_CAP:
            ctx.log(
                f"The post has {len(urls)} pictures; the first {PICTURES_CAP} are kept.", "info"
            )
            urls = urls[:PICTURES_CAP]
        ctx.progress(55, "Downloading image" if len(urls) == 1 else "Downloading pictures")
        shortcode = facts.post["shortcode"]
        saved: list[str] = []
        for index, url in enumerate(urls):
            try:
                data = await media.fetch_bytes(self._http, url, max_bytes=media.IMAGE_CAP_BYTES)
            except PhaseError as exc:
                ctx.log(f"The image could not be downloaded: {exc.message}", "warning")
                continue
            if not media.looks_like_image(data):
                ctx.log("The image link did not send an image.", "warning")
                continue
            stem = shortcode if not saved else f"{shortcode}-{index + 1}"
            relative = Path("media") / f"{stem}{media.image_extension(data)}"
            await self._thread.run(media.save_atomically, ctx.data_dir / relative, data)
            saved.append(relative.as_posix())
        if len(urls) > 1 and saved:
            ctx.log(f"Kept {len(saved)} of the carousel's {len(urls)} pictures.")
        return (saved[0] if saved else None), saved

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
            api_key = await self._thread.run(self._secrets.get, LLM_API_KEY)
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
