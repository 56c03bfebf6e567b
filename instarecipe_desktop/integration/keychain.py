"""The system keyring (``keyring``: Secret Service, KWallet, macOS Keychain, Windows Credential
Locker) as the ``core.secrets.SecretBackend``; the wiring hands it to ``SecretStore``.

We deliberately do not depend on ``keyrings.alt``: without a usable keyring, secrets stay in
memory rather than in a plaintext file. Calls can block (D-Bus, unlock prompts).
"""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors

from instarecipe_desktop.core.secrets import SecretBackendError


def _usable(backend: keyring.backend.KeyringBackend) -> bool:
    try:
        return float(backend.priority) > 0  # type: ignore[arg-type]
    except Exception:  # a backend may raise from priority when it is not usable
        return False


class SystemKeyring:
    """keyring's chosen backend (``PYTHON_KEYRING_BACKEND`` or its own pick), read once."""

    def __init__(self) -> None:
        self._backend = keyring.get_keyring()
        self.name = f"{type(self._backend).__module__}.{type(self._backend).__name__}"
        self.usable = _usable(self._backend)

    def get(self, service: str, key: str) -> str | None:
        try:
            return self._backend.get_password(service, key)
        except keyring.errors.KeyringError as exc:
            raise SecretBackendError(type(exc).__name__) from exc

    def set(self, service: str, key: str, value: str) -> None:
        try:
            self._backend.set_password(service, key, value)
        except keyring.errors.KeyringError as exc:
            raise SecretBackendError(type(exc).__name__) from exc

    def delete(self, service: str, key: str) -> None:
        try:
            self._backend.delete_password(service, key)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored under that key
        except keyring.errors.KeyringError as exc:
            raise SecretBackendError(type(exc).__name__) from exc
