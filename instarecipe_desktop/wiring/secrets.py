"""The app's secret store: ``core.secrets.SecretStore`` backed by the system keyring."""

from __future__ import annotations

from pathlib import Path

from instarecipe_desktop.core.secrets import SecretStore, private_file_in
from instarecipe_desktop.integration.keychain import SystemKeyring


def open_secret_store(
    environ: dict[str, str] | None = None, config_dir: Path | None = None
) -> SecretStore:
    """Blocking (the keyring may talk to D-Bus): the GUI calls it in an executor.
    ``config_dir``: where the opt-in private file is looked for (without a keyring)."""
    private_file = private_file_in(config_dir) if config_dir is not None else None
    return SecretStore(environ, backend=SystemKeyring(), private_file=private_file)
