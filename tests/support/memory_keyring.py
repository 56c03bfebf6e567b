"""A keyring backend that keeps secrets in memory (and, for tests that span processes, in a
JSON file named by ``INSTARECIPE_TEST_KEYRING_FILE``). Selected with
``PYTHON_KEYRING_BACKEND=tests.support.memory_keyring.MemoryKeyring``."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self._values: dict[str, str] = {}

    def _file(self) -> Path | None:
        name = os.environ.get("INSTARECIPE_TEST_KEYRING_FILE")
        return Path(name) if name else None

    def _load(self) -> dict[str, str]:
        path = self._file()
        if path is None:
            return self._values
        try:
            return json.loads(path.read_text())
        except FileNotFoundError:
            return {}

    def _save(self, values: dict[str, str]) -> None:
        path = self._file()
        if path is None:
            self._values = values
        else:
            path.write_text(json.dumps(values))

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\0{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        values = self._load()
        values[f"{service}\0{username}"] = password
        self._save(values)

    def delete_password(self, service: str, username: str) -> None:
        values = self._load()
        if values.pop(f"{service}\0{username}", None) is None:
            raise PasswordDeleteError(username)
        self._save(values)
