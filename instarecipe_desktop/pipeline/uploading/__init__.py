"""The uploading phase: Tandoor when it is configured, else the local recipe library.

A Tandoor address without a token (gone after a restart without a keyring) is not "Tandoor
not configured": the item waits for the token (``SettingsNeeded``) instead of landing in the
library behind the person's back.

``create_uploader(settings, secrets, paths)`` returns one ``Uploader`` for the engine. It reads
the settings and the token at every upload, so configuring Tandoor later (then "Send to
Tandoor" on a library item) needs no restart; the HTTP client is kept while the Tandoor
settings stay the same and is closed by ``aclose()``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from instarecipe_desktop.core import secrets as secret_names
from instarecipe_desktop.core.errors import SettingsNeeded
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.phases import Extraction, PhaseContext, UploadOutcome
from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.core.secrets import SecretStore
from instarecipe_desktop.core.settings import Settings

if TYPE_CHECKING:
    from instarecipe_desktop.pipeline.uploading.library import LibraryUploader
    from instarecipe_desktop.pipeline.uploading.tandoor import TandoorUploader, UploadRecords

RECORDS_FILE = "tandoor_uploads.sqlite3"


@dataclass(frozen=True)
class UploadConfig:
    base_url: str
    token: str | None
    ca_bundle: str
    verify_tls: bool
    hashtags_as_keywords: bool
    author_as_keyword: bool
    reuse_names: bool = True

    @property
    def uses_tandoor(self) -> bool:
        return bool(self.base_url and self.token)

    @property
    def client_key(self) -> tuple[str, str | None, str, bool]:
        return (self.base_url, self.token, self.ca_bundle, self.verify_tls)


def read_config(settings: Settings, secrets: SecretStore) -> UploadConfig:
    """Blocking (the keyring may block): call in an executor."""
    return UploadConfig(
        base_url=str(settings.get("TANDOOR_BASE_URL") or "").strip(),
        token=secrets.get(secret_names.TANDOOR_API_TOKEN) or None,
        ca_bundle=str(settings.get("TANDOOR_CA_BUNDLE") or "").strip(),
        verify_tls=bool(settings.get("TANDOOR_VERIFY_TLS")),
        hashtags_as_keywords=bool(settings.get("HASHTAGS_AS_KEYWORDS")),
        author_as_keyword=bool(settings.get("AUTHOR_AS_KEYWORD")),
        reuse_names=bool(settings.get("TANDOOR_REUSE_NAMES")),
    )


class AutoUploader:
    """Chooses Tandoor or the library for each upload, from the current settings."""

    def __init__(self, settings: Settings, secrets: SecretStore, paths: AppPaths) -> None:
        self.settings = settings
        self.secrets = secrets
        self.paths = paths
        self._lock = asyncio.Lock()
        self._tandoor: TandoorUploader | None = None
        self._tandoor_key: tuple[str, str | None, str, bool] | None = None
        self._records: UploadRecords | None = None
        # creates to one Tandoor never overlap, also across a settings change (README pitfall 12)
        self._write_locks: dict[str, asyncio.Lock] = {}

    async def upload(
        self, ctx: PhaseContext, recipe: Recipe, extraction: Extraction
    ) -> UploadOutcome:
        config = await asyncio.to_thread(read_config, self.settings, self.secrets)
        if config.uses_tandoor:
            uploader = await self._tandoor_uploader(config)
            return await uploader.upload(ctx, recipe, extraction)
        if config.base_url:
            # never a silent fallback to the local library: the recipe waits for the token
            raise SettingsNeeded(
                "Waiting for your Tandoor API token.",
                suggestion=(
                    f"A Tandoor address is set ({config.base_url}) but no token is known (without "
                    "a system keyring it lasts only until the app quits). Enter it in Settings → "
                    "Tandoor and this recipe goes on to your Tandoor; or clear the address to "
                    "save recipes in the local library."
                ),
            )
        return await self._library(config).upload(ctx, recipe, extraction)

    def _library(self, config: UploadConfig) -> LibraryUploader:
        from instarecipe_desktop.pipeline.uploading.library import LibraryUploader

        return LibraryUploader(
            self.paths.library_dir,
            hashtags_as_keywords=config.hashtags_as_keywords,
            author_as_keyword=config.author_as_keyword,
        )

    async def _tandoor_uploader(self, config: UploadConfig) -> TandoorUploader:
        from instarecipe_desktop.pipeline.uploading.tandoor import (
            TandoorClient,
            TandoorUploader,
            UploadRecords,
            tls_verify,
        )

        async with self._lock:
            if self._tandoor is None or self._tandoor_key != config.client_key:
                if self._tandoor is not None:
                    await self._tandoor.aclose()
                    self._tandoor = None
                if self._records is None:
                    self._records = UploadRecords(self.paths.data_dir / RECORDS_FILE)
                verify = tls_verify(config.ca_bundle or None, config.verify_tls)
                client = TandoorClient(config.base_url, config.token, verify=verify)
                write_lock = self._write_locks.setdefault(client.base_url, asyncio.Lock())
                self._tandoor = TandoorUploader(client, self._records, write_lock=write_lock)
                self._tandoor_key = config.client_key
            self._tandoor.hashtags_as_keywords = config.hashtags_as_keywords
            self._tandoor.author_as_keyword = config.author_as_keyword
            self._tandoor.reuse_names = config.reuse_names
            return self._tandoor

    async def aclose(self) -> None:
        async with self._lock:
            if self._tandoor is not None:
                await self._tandoor.aclose()
                self._tandoor = None
                self._tandoor_key = None
            if self._records is not None:
                await asyncio.to_thread(self._records.close)
                self._records = None


def create_uploader(settings: Settings, secrets: SecretStore, paths: AppPaths) -> AutoUploader:
    return AutoUploader(settings, secrets, paths)


__all__ = ["AutoUploader", "UploadConfig", "create_uploader", "read_config"]
