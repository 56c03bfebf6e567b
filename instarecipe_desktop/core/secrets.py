"""Secrets (Tandoor token, LLM key, Instagram session) in the OS keyring.

Lookup order: environment variable (``TANDOOR_API_TOKEN``, ``LLM_API_KEY``; for scripts and CI),
then the keyring, then this process's memory. When no keyring backend is usable (a Linux box
without a Secret Service gives keyring's ``fail`` backend), secrets are kept in memory until the
app quits, and ``status`` says so in words. A plaintext file is never used behind the person's
back (we deliberately do not depend on ``keyrings.alt``).

Keyring calls can block (D-Bus, unlock prompts): the GUI calls these in an executor.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import keyring
import keyring.backend
import keyring.errors

log = logging.getLogger(__name__)

SERVICE = "instarecipe-desktop"
TANDOOR_API_TOKEN = "TANDOOR_API_TOKEN"
LLM_API_KEY = "LLM_API_KEY"
INSTAGRAM_SESSION = "INSTAGRAM_SESSION"
SECRET_KEYS: tuple[str, ...] = (TANDOOR_API_TOKEN, LLM_API_KEY, INSTAGRAM_SESSION)
_ENV_OVERRIDABLE = frozenset({TANDOOR_API_TOKEN, LLM_API_KEY})


@dataclass(frozen=True)
class KeyringStatus:
    usable: bool
    backend: str
    message: str


def _backend_usable(backend: keyring.backend.KeyringBackend) -> bool:
    try:
        return float(backend.priority) > 0  # type: ignore[arg-type]
    except Exception:  # a backend may raise from priority when it is not usable
        return False


class SecretStore:
    def __init__(self, environ: dict[str, str] | None = None, service: str = SERVICE) -> None:
        self._environ = dict(os.environ if environ is None else environ)
        self._service = service
        self._memory: dict[str, str] = {}
        backend = keyring.get_keyring()
        self._usable = _backend_usable(backend)
        name = f"{type(backend).__module__}.{type(backend).__name__}"
        if self._usable:
            message = f"Secrets are kept in the system keyring ({type(backend).__name__})."
        else:
            message = (
                "No system keyring is available (on Linux, install and unlock a Secret Service "
                "such as GNOME Keyring or KWallet). Secrets are kept in memory only and are "
                "forgotten when the app quits."
            )
        self.status = KeyringStatus(usable=self._usable, backend=name, message=message)

    def is_from_environment(self, name: str) -> bool:
        return name in _ENV_OVERRIDABLE and bool(self._environ.get(name))

    def get(self, name: str) -> str | None:
        if self.is_from_environment(name):
            return self._environ[name]
        if name in self._memory:
            return self._memory[name]
        if not self._usable:
            return None
        try:
            return keyring.get_password(self._service, name)
        except keyring.errors.KeyringError as exc:
            log.warning("Reading %s from the keyring failed: %s", name, type(exc).__name__)
            return None

    def set(self, name: str, value: str) -> None:
        if not value:
            self.delete(name)
            return
        if self._usable:
            try:
                keyring.set_password(self._service, name, value)
                self._memory.pop(name, None)
                return
            except keyring.errors.KeyringError as exc:
                log.warning(
                    "Saving %s in the keyring failed (%s); keeping it in memory",
                    name,
                    type(exc).__name__,
                )
        self._memory[name] = value

    def delete(self, name: str) -> None:
        self._memory.pop(name, None)
        if not self._usable:
            return
        try:
            keyring.delete_password(self._service, name)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            log.warning("Deleting %s from the keyring failed: %s", name, type(exc).__name__)

    def known_values(self) -> list[str]:
        """Every secret value this process knows, for scrubbing logs."""
        values = [v for v in (self.get(name) for name in SECRET_KEYS) if v]
        return values
