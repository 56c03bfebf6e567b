"""Secrets (Tandoor token, LLM key, Instagram session): environment, then a secret backend.

Lookup order: environment variable (``TANDOOR_API_TOKEN``, ``LLM_API_KEY``; for scripts and CI),
then the backend (the system keyring: ``integration.keychain``, handed in by the wiring), then
this process's memory. Without a usable backend (none handed in, or a Linux box without a Secret
Service), secrets are kept in memory until the app quits, and ``status`` says so in words. A
plaintext file is never used behind the person's back.

Every secret value set through or read from the store is registered for log scrubbing.
Backend calls can block (D-Bus, unlock prompts): the GUI calls these in an executor.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Protocol

from instarecipe_desktop.core.logging_setup import remember_secret

log = logging.getLogger(__name__)

SERVICE = "instarecipe-desktop"
TANDOOR_API_TOKEN = "TANDOOR_API_TOKEN"
LLM_API_KEY = "LLM_API_KEY"
INSTAGRAM_SESSION = "INSTAGRAM_SESSION"
SECRET_KEYS: tuple[str, ...] = (TANDOOR_API_TOKEN, LLM_API_KEY, INSTAGRAM_SESSION)
_ENV_OVERRIDABLE = frozenset({TANDOOR_API_TOKEN, LLM_API_KEY})


class SecretBackendError(Exception):
    """A backend could not read, write or delete a secret (locked, D-Bus gone, refused)."""


class SecretBackend(Protocol):
    """Where secrets persist between runs (the system keyring). Calls may block."""

    @property
    def name(self) -> str:
        """Which backend this is, for the status line (``module.Class``)."""
        ...

    @property
    def usable(self) -> bool:
        """False when the backend cannot keep anything (keyring's ``fail`` backend)."""
        ...

    def get(self, service: str, key: str) -> str | None:
        """The stored value, None when there is none. Raises ``SecretBackendError``."""
        ...

    def set(self, service: str, key: str, value: str) -> None:
        """Raises ``SecretBackendError``."""
        ...

    def delete(self, service: str, key: str) -> None:
        """Deleting a missing key is not an error. Raises ``SecretBackendError``."""
        ...


class SecretReader(Protocol):
    """What reads secrets: the store, or values typed in a dialog over it (not yet saved)."""

    def get(self, name: str) -> str | None: ...


@dataclass(frozen=True)
class KeyringStatus:
    usable: bool
    backend: str
    message: str


class SecretStore:
    def __init__(
        self,
        environ: dict[str, str] | None = None,
        service: str = SERVICE,
        backend: SecretBackend | None = None,
    ) -> None:
        self._environ = dict(os.environ if environ is None else environ)
        self._service = service
        self._memory: dict[str, str] = {}  # the fallback: this process only
        self._backend = backend if backend is not None and backend.usable else None
        if self._backend is not None:
            message = (
                f"Secrets are kept in the system keyring ({self._backend.name.rsplit('.', 1)[-1]})."
            )
        else:
            message = (
                "No system keyring is available (on Linux, install and unlock a Secret Service "
                "such as GNOME Keyring or KWallet). Secrets are kept in memory only and are "
                "forgotten when the app quits."
            )
        name = backend.name if backend is not None else "memory"
        self.status = KeyringStatus(usable=self._backend is not None, backend=name, message=message)

    def is_from_environment(self, name: str) -> bool:
        return name in _ENV_OVERRIDABLE and bool(self._environ.get(name))

    def get(self, name: str) -> str | None:
        value = self._lookup(name)
        remember_secret(value)  # whoever reads it may log near it
        return value

    def _lookup(self, name: str) -> str | None:
        if self.is_from_environment(name):
            return self._environ[name]
        if name in self._memory:
            return self._memory[name]
        if self._backend is None:
            return None
        try:
            return self._backend.get(self._service, name)
        except SecretBackendError as exc:
            log.warning("Reading %s from the keyring failed: %s", name, exc)
            return None

    def set(self, name: str, value: str) -> None:
        """Keep ``value`` (empty deletes) and make sure it never appears in a log line."""
        if not value:
            self.delete(name)
            return
        remember_secret(value)
        if self._backend is not None:
            try:
                self._backend.set(self._service, name, value)
                self._memory.pop(name, None)
                return
            except SecretBackendError as exc:
                log.warning("Saving %s in the keyring failed (%s); keeping it in memory", name, exc)
        self._memory[name] = value

    def delete(self, name: str) -> None:
        self._memory.pop(name, None)
        if self._backend is None:
            return
        try:
            self._backend.delete(self._service, name)
        except SecretBackendError as exc:
            log.warning("Deleting %s from the keyring failed: %s", name, exc)

    def known_values(self) -> list[str]:
        """Every secret value this process knows, for scrubbing logs."""
        values = [v for v in (self.get(name) for name in SECRET_KEYS) if v]
        return values
