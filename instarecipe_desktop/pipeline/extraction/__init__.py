"""Extraction from Instagram: links, the instaloader adapter, sessions, transcripts.

``create_extractor(settings, secrets, paths)`` is what ``services.build_phases`` calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the extractor pulls in instaloader; CLI verbs import this package cheaply
    from instarecipe_desktop.core.paths import AppPaths
    from instarecipe_desktop.core.secrets import SecretStore
    from instarecipe_desktop.core.settings import Settings
    from instarecipe_desktop.pipeline.extraction.extractor import InstagramExtractor

__all__ = ["create_extractor"]


def create_extractor(
    settings: Settings, secrets: SecretStore, paths: AppPaths
) -> InstagramExtractor:
    """The extraction adapter (no network until a link is processed; has ``aclose()``)."""
    from instarecipe_desktop.pipeline.extraction.extractor import InstagramExtractor

    return InstagramExtractor(settings, secrets, paths)
