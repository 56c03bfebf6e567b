"""The settings dialog's buttons that reach the outside world, through the pipeline adapters.

Every function returns ``(ok, message)`` in words and never raises for an expected failure. An
adapter that is not installed yet gives a clear message instead of breaking the dialog.
Blocking work (instaloader, cookie files) runs in an executor.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from instarecipe_desktop.core.errors import PhaseError
from instarecipe_desktop.core.secrets import SecretStore
from instarecipe_desktop.core.settings import Settings

log = logging.getLogger(__name__)

Result = tuple[bool, str]


class _Overlay:
    """Secrets as typed in the dialog, falling back to the store (values are not saved)."""

    def __init__(self, secrets: SecretStore, values: dict[str, str]) -> None:
        self._secrets = secrets
        self._values = values

    def get(self, name: str) -> str | None:
        return self._values.get(name) or self._secrets.get(name)


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        log.info("%s is not available", name)
        return None


async def test_tandoor(base_url: str, token: str, ca_bundle: str, verify_tls: bool) -> Result:
    check_module = _module("instarecipe_desktop.pipeline.uploading.tandoor.check")
    if check_module is None or not hasattr(check_module, "check_tandoor"):
        return False, "The Tandoor connection test is not available in this build."
    check = await check_module.check_tandoor(
        base_url, token or None, ca_bundle=ca_bundle, verify_tls=verify_tls
    )
    return bool(check.ok), str(check.message)


async def test_llm(settings_values: dict[str, Any], secrets: SecretStore, api_key: str) -> Result:
    llm = _module("instarecipe_desktop.pipeline.parsing.llm.parser")
    if llm is None or not hasattr(llm, "LLMRecipeParser"):
        return False, "The LLM connection test is not available in this build."
    if not str(settings_values.get("LLM_API_BASE_URL", "")).strip():
        return False, "Enter the address of an OpenAI-compatible server first."
    environ = {
        k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in settings_values.items()
    }
    overlay = _Overlay(secrets, {"LLM_API_KEY": api_key} if api_key else {})
    try:
        parser = llm.LLMRecipeParser.from_settings(Settings(None, environ=environ), overlay)
    except PhaseError as exc:
        return False, str(exc)
    try:
        check = await parser.test_connection()
        return bool(check.ok), str(check.message)
    except PhaseError as exc:
        return False, str(exc)
    finally:
        await parser.aclose()


def instagram_status(secrets: SecretStore) -> str:
    """Blocking (keyring): call in an executor."""
    session_module = _module("instarecipe_desktop.pipeline.extraction.session")
    if session_module is None:
        return "Instagram sessions are not available in this build."
    session = session_module.SessionVault(secrets).load()
    if session is None:
        return "Not logged in: public posts only, and Instagram blocks sooner."
    state = "verified" if session.verified else "not verified yet"
    return f"Logged in as {session.username} (from {session.source}, {state})."


def _pacer(settings: Settings) -> Any:
    pacing = importlib.import_module("instarecipe_desktop.pipeline.extraction.pacing")
    return pacing.RequestPacer(float(settings.get("INSTAGRAM_MIN_INTERVAL_S")))


def import_instagram_session(
    secrets: SecretStore, settings: Settings, browser: str, profile: Path | None
) -> Result:
    """Blocking: call in an executor."""
    session_module = _module("instarecipe_desktop.pipeline.extraction.session")
    if session_module is None:
        return False, "Instagram sessions are not available in this build."
    try:
        session, _check = session_module.import_browser_session(
            browser,
            profile,
            _pacer(settings),
            username_hint=str(settings.get("INSTAGRAM_USERNAME")),
        )
    except (session_module.SessionError, OSError, PhaseError) as exc:
        return False, str(exc)
    session_module.SessionVault(secrets).save(session)
    return True, f"Session of {session.username} imported from {browser.capitalize()}."


def login_instagram(
    secrets: SecretStore,
    settings: Settings,
    username: str,
    password: str,
    ask_code: Callable[[], str | None],
) -> Result:
    """Blocking: call in an executor; ``ask_code`` is called from that thread."""
    session_module = _module("instarecipe_desktop.pipeline.extraction.session")
    if session_module is None:
        return False, "Instagram sessions are not available in this build."
    try:
        session = session_module.login_with_password(username, password, _pacer(settings), ask_code)
    except (session_module.SessionError, OSError, PhaseError) as exc:
        return False, str(exc)
    session_module.SessionVault(secrets).save(session)
    return True, f"Logged in as {session.username}."


def logout_instagram(secrets: SecretStore) -> Result:
    """Blocking: call in an executor."""
    session_module = _module("instarecipe_desktop.pipeline.extraction.session")
    if session_module is None:
        return False, "Instagram sessions are not available in this build."
    session_module.SessionVault(secrets).delete()
    return True, "Logged out: the Instagram session was deleted from this computer."


def set_start_at_login(enabled: bool) -> Result:
    """Blocking: call in an executor."""
    autostart = _module("instarecipe_desktop.integration.autostart")
    if autostart is None:
        return False, "Starting at login is not available in this build."
    launch = importlib.import_module("instarecipe_desktop.integration.launch")
    try:
        autostart.set_autostart(enabled, [*launch.launch_command(), "--minimized"])
    except OSError as exc:
        return False, f"Could not change starting at login: {exc}"
    return True, ""


async def in_executor(function: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)
