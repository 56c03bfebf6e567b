"""What the settings dialog and the welcome need from the outside world, as small protocols.

The wiring hands the dialogs an object for each (``wiring.connections``); the dialogs never
import an adapter. Every method returns ``(ok, message)`` in words and never raises for an
expected failure. The Instagram methods block (instaloader, cookie files, the keyring): the
dialogs call them through ``in_executor``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeVar

from instarecipe_desktop.integration.autostart import set_autostart
from instarecipe_desktop.integration.launch import launch_command

Result = tuple[bool, str]
T = TypeVar("T")


class ConnectionTests(Protocol):
    """The Tandoor and LLM "Test connection" buttons, with the values typed in the dialog."""

    async def test_tandoor(
        self, base_url: str, token: str, ca_bundle: str, verify_tls: bool
    ) -> Result: ...

    async def test_llm(self, settings_values: dict[str, Any], api_key: str) -> Result: ...


class ReaderRow(NamedTuple):
    """One reader of Instagram posts as the settings' Instagram page lists it, in words."""

    reader: str
    version: str
    state: str  # ok / resting until HH:MM / failing: reason / not installed
    last_success: str
    session: str  # present / none / not used (never the session itself)


class InstagramLogin(Protocol):
    """The person's Instagram session. Blocking: call each method in an executor."""

    #: browsers whose session can be imported, as the importer names them (lower case)
    browsers: Sequence[str]

    def status(self) -> str: ...

    def readers(self) -> Sequence[ReaderRow]:
        """Each reader in the order they are tried, with its state and last success."""
        ...

    def import_session(self, browser: str, profile: Path | None) -> Result: ...

    def log_in(
        self, username: str, password: str, ask_code: Callable[[], str | None]
    ) -> Result: ...

    def log_out(self) -> Result: ...


def set_start_at_login(enabled: bool) -> Result:
    """Blocking: call in an executor."""
    try:
        set_autostart(enabled, [*launch_command(), "--minimized"])
    except OSError as exc:
        return False, f"Could not change starting at login: {exc}"
    return True, ""


async def in_executor(function: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)
