"""The adapters behind the dialogs' protocols (``ui.connections``): connection tests and the
Instagram session, through plain imports of the pipeline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from instarecipe_desktop.core.errors import PhaseError
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.secrets import SecretStore
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.extraction.browsers import SUPPORTED_BROWSERS
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.readers.health import READERS_FILE, ReaderHealth
from instarecipe_desktop.pipeline.extraction.readers.status import reader_statuses
from instarecipe_desktop.pipeline.extraction.session import (
    SessionError,
    SessionVault,
    import_browser_session,
    login_with_password,
)
from instarecipe_desktop.pipeline.parsing.llm.parser import LLMRecipeParser
from instarecipe_desktop.pipeline.uploading.tandoor.check import check_tandoor
from instarecipe_desktop.ui.connections import ReaderRow

Result = tuple[bool, str]


class _Overlay:
    """Secrets as typed in the dialog, falling back to the store (values are not saved)."""

    def __init__(self, secrets: SecretStore, values: dict[str, str]) -> None:
        self._secrets = secrets
        self._values = values

    def get(self, name: str) -> str | None:
        return self._values.get(name) or self._secrets.get(name)


class PipelineConnections:
    """``ConnectionTests`` against the real Tandoor and LLM clients."""

    def __init__(self, secrets: SecretStore) -> None:
        self.secrets = secrets

    async def test_tandoor(
        self, base_url: str, token: str, ca_bundle: str, verify_tls: bool
    ) -> Result:
        check = await check_tandoor(
            base_url, token or None, ca_bundle=ca_bundle, verify_tls=verify_tls
        )
        return bool(check.ok), str(check.message)

    async def test_llm(self, settings_values: dict[str, Any], api_key: str) -> Result:
        if not str(settings_values.get("LLM_API_BASE_URL", "")).strip():
            return False, "Enter the address of an OpenAI-compatible server first."
        environ = {
            k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in settings_values.items()
        }
        overlay = _Overlay(self.secrets, {"LLM_API_KEY": api_key} if api_key else {})
        try:
            parser = LLMRecipeParser.from_settings(Settings(None, environ=environ), overlay)
        except PhaseError as exc:
            return False, str(exc)
        try:
            check = await parser.test_connection()
            return bool(check.ok), str(check.message)
        except PhaseError as exc:
            return False, str(exc)
        finally:
            await parser.aclose()


class InstagramSessions:
    """``InstagramLogin`` through the session importer and instaloader's login."""

    browsers: Sequence[str] = SUPPORTED_BROWSERS

    def __init__(
        self, secrets: SecretStore, settings: Settings, data_dir: Path | None = None
    ) -> None:
        self.secrets = secrets
        self.settings = settings
        self.data_dir = data_dir or resolve_paths().data_dir  # where readers.json is

    def _pacer(self) -> RequestPacer:
        return RequestPacer(float(self.settings.get("INSTAGRAM_MIN_INTERVAL_S")))

    def status(self) -> str:
        session = SessionVault(self.secrets).load()
        if session is None:
            return "Not logged in: public posts only, and Instagram blocks sooner."
        state = "verified" if session.verified else "not verified yet"
        return f"Logged in as {session.username} (from {session.source}, {state})."

    def readers(self) -> list[ReaderRow]:
        present = SessionVault(self.secrets).load() is not None
        return [
            ReaderRow(
                reader.label,
                reader.version or "not installed",
                reader.state_text,
                reader.last_success_text,
                reader.session_text,
            )
            for reader in reader_statuses(self.data_dir, session_present=present)
        ]

    def _wake_readers(self) -> None:
        """A new session deserves a fresh try of every rested reader."""
        if (self.data_dir / READERS_FILE).exists():
            ReaderHealth(self.data_dir / READERS_FILE).wake()

    def import_session(self, browser: str, profile: Path | None) -> Result:
        try:
            session, _check = import_browser_session(
                browser,
                profile,
                self._pacer(),
                username_hint=str(self.settings.get("INSTAGRAM_USERNAME")),
            )
        except (SessionError, OSError, PhaseError) as exc:
            return False, str(exc)
        SessionVault(self.secrets).save(session)
        self._wake_readers()
        return True, f"Session of {session.username} imported from {browser.capitalize()}."

    def log_in(self, username: str, password: str, ask_code: Callable[[], str | None]) -> Result:
        try:
            session = login_with_password(username, password, self._pacer(), ask_code)
        except (SessionError, OSError, PhaseError) as exc:
            return False, str(exc)
        SessionVault(self.secrets).save(session)
        self._wake_readers()
        return True, f"Logged in as {session.username}."

    def log_out(self) -> Result:
        SessionVault(self.secrets).delete()
        return True, "Logged out: the Instagram session was deleted from this computer."
