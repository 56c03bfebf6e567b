"""Secrets (Tandoor token, LLM key, Instagram session): environment, then a secret backend.

Lookup order: environment variable (``TANDOOR_API_TOKEN``, ``LLM_API_KEY``; for scripts and CI),
then the backend (the system keyring: ``integration.keychain``, handed in by the wiring), then
this process's memory. Without a usable backend (none handed in, or a Linux box without a Secret
Service), secrets are kept in memory until the app quits, and ``status`` says so in words. A
plaintext file is never used behind the person's back: only when the person opts in
(``use_private_file``) are they kept in ``private_file`` (``secrets.json`` in the config folder,
created readable by the owner only, not encrypted). The file existing is the opt-in; it is
never used while a keyring works.

Every secret value set through or read from the store is registered for log scrubbing.
Backend calls can block (D-Bus, unlock prompts): the GUI calls these in an executor.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from instarecipe_desktop.core.logging_setup import remember_secret

log = logging.getLogger(__name__)

SERVICE = "instarecipe-desktop"
TANDOOR_API_TOKEN = "TANDOOR_API_TOKEN"
LLM_API_KEY = "LLM_API_KEY"
INSTAGRAM_SESSION = "INSTAGRAM_SESSION"
SECRET_KEYS: tuple[str, ...] = (TANDOOR_API_TOKEN, LLM_API_KEY, INSTAGRAM_SESSION)
_ENV_OVERRIDABLE = frozenset({TANDOOR_API_TOKEN, LLM_API_KEY})
PRIVATE_FILE_NAME = "secrets.json"


def private_file_in(config_dir: Path) -> Path:
    """Where the opt-in private secrets file lives (used only without a keyring)."""
    return config_dir / PRIVATE_FILE_NAME


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
        private_file: Path | None = None,
    ) -> None:
        self._environ = dict(os.environ if environ is None else environ)
        self._service = service
        self._memory: dict[str, str] = {}  # the fallback: this process only
        self._backend = backend if backend is not None and backend.usable else None
        self._backend_name = backend.name if backend is not None else "memory"
        self.private_file = private_file
        self.status = self._status()

    def _status(self) -> KeyringStatus:
        if self._backend is not None:
            short = self._backend.name.rsplit(".", 1)[-1]
            message = f"Secrets are kept in the system keyring ({short})."
        elif self.private_file_enabled:
            message = (
                "No system keyring is available. As you chose, secrets are kept in the private "
                f"file {self.private_file} (readable only by you, not encrypted)."
            )
        else:
            message = (
                "No system keyring is available (on Linux, install and unlock a Secret Service "
                "such as GNOME Keyring or KWallet). Secrets are kept in memory only and are "
                "forgotten when the app quits."
            )
        return KeyringStatus(
            usable=self._backend is not None, backend=self._backend_name, message=message
        )

    # ---- the opt-in private file (only without a keyring) --------------------------------
    @property
    def lasts_until_quit(self) -> bool:
        """True when a secret entered now is forgotten when the app quits."""
        return self._backend is None and not self.private_file_enabled

    @property
    def private_file_enabled(self) -> bool:
        return self.private_file is not None and self.private_file.is_file()

    def _read_file(self) -> dict[str, str]:
        if self.private_file is None or not self.private_file.is_file():
            return {}
        try:
            data = json.loads(self.private_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("The private secrets file cannot be read: %s", type(exc).__name__)
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if k in SECRET_KEYS and isinstance(v, str)}

    def _write_file(self, values: dict[str, str]) -> None:
        """Atomically, created readable by the owner only."""
        assert self.private_file is not None
        folder = self.private_file.parent
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".secrets-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(values, out)
            os.chmod(temp, 0o600)
            os.replace(temp, self.private_file)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def use_private_file(self, enabled: bool) -> None:
        """Opt in (the secrets known now move into the file) or out (the file is deleted and
        its secrets stay in memory until the app quits). Blocking: call in an executor.
        Raises ``OSError`` when the file cannot be written or deleted."""
        if self.private_file is None or self._backend is not None:
            return
        if enabled == self.private_file_enabled:
            return
        if enabled:
            self._write_file(dict(self._memory))
            self._memory.clear()
        else:
            self._memory.update(self._read_file())
            self.private_file.unlink()
        self.status = self._status()

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
            return self._read_file().get(name)
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
        elif self.private_file_enabled:
            self._write_file({**self._read_file(), name: value})
            return
        self._memory[name] = value

    def delete(self, name: str) -> None:
        self._memory.pop(name, None)
        if self._backend is None:
            stored = self._read_file()
            if stored.pop(name, None) is not None:
                self._write_file(stored)
            return
        try:
            self._backend.delete(self._service, name)
        except SecretBackendError as exc:
            log.warning("Deleting %s from the keyring failed: %s", name, exc)

    def known_values(self) -> list[str]:
        """Every secret value this process knows, for scrubbing logs."""
        values = [v for v in (self.get(name) for name in SECRET_KEYS) if v]
        return values
