"""The app's secret store: ``core.secrets.SecretStore`` backed by the system keyring."""

from __future__ import annotations

from instarecipe_desktop.core.secrets import SecretStore
from instarecipe_desktop.integration.keychain import SystemKeyring


def open_secret_store(environ: dict[str, str] | None = None) -> SecretStore:
    """Blocking (the keyring may talk to D-Bus): the GUI calls it in an executor."""
    return SecretStore(environ, backend=SystemKeyring())
