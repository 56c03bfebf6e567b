"""What the window remembers between runs (geometry, column widths, filter, one-time hints).

Kept apart from the settings file: it is the window's state, not the person's settings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings


class UiState:
    def __init__(self, config_dir: Path) -> None:
        self._store = QSettings(str(config_dir / "window-state.ini"), QSettings.Format.IniFormat)

    def bytes(self, key: str) -> QByteArray | None:
        value = self._store.value(key)
        return value if isinstance(value, QByteArray) else None

    def set_bytes(self, key: str, value: QByteArray) -> None:
        self._store.setValue(key, value)

    def text(self, key: str, default: str = "") -> str:
        value = self._store.value(key, default)
        return str(value) if value is not None else default

    def set_text(self, key: str, value: str) -> None:
        self._store.setValue(key, value)

    def flag(self, key: str) -> bool:
        return str(self._store.value(key, "false")).lower() == "true"

    def set_flag(self, key: str, value: bool = True) -> None:
        self._store.setValue(key, "true" if value else "false")

    def sync(self) -> None:
        self._store.sync()
