"""Where the app keeps its files: platform directories, overridable for tests and portable use.

``--data-dir DIR`` (CLI) or ``INSTARECIPE_DATA_DIR`` moves everything (data, config, logs) below
one folder; ``INSTARECIPE_CONFIG_DIR`` moves only the settings file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_DIR_NAME = "instarecipe-desktop"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "queue.sqlite3"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def library_dir(self) -> Path:
        return self.data_dir / "library"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "instarecipe-desktop.log"

    def ensure(self) -> AppPaths:
        for directory in (self.data_dir, self.config_dir, self.log_dir, self.media_dir):
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """Paths from an explicit data dir, else ``INSTARECIPE_DATA_DIR``, else the platform's."""
    chosen = data_dir or os.environ.get("INSTARECIPE_DATA_DIR")
    config_override = os.environ.get("INSTARECIPE_CONFIG_DIR")
    if chosen:
        base = Path(chosen).expanduser().resolve()
        return AppPaths(
            data_dir=base,
            config_dir=Path(config_override) if config_override else base / "config",
            log_dir=base / "logs",
        )
    return AppPaths(
        data_dir=Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False)),
        config_dir=Path(config_override)
        if config_override
        else Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_DIR_NAME, appauthor=False)),
    )
