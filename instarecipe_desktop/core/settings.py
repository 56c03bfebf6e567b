"""One declared settings schema, read from a JSON file with environment overrides.

Names are the web app's (``QUEUE_CONCURRENCY``, ``TANDOOR_BASE_URL``, ...), so the same
environment variables work. Secret settings are declared here too (so the settings dialog can
draw them) but are never read from or written to the settings file: they live in the keyring
(see ``core.secrets``); an environment variable may still provide one for scripts.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from instarecipe_desktop.core.files import write_atomically

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SettingSpec:
    name: str
    type: type  # bool, int, str
    default: Any
    description: str
    group: str
    secret: bool = False
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] | None = None

    def parse(self, raw: Any) -> Any:
        """Convert a file or environment value; raises ValueError with a clear message."""
        if self.type is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(f"{self.name}: expected true or false, got {raw!r}")
        if self.type is int:
            try:
                value = int(str(raw).strip())
            except ValueError:
                raise ValueError(f"{self.name}: expected a whole number, got {raw!r}") from None
            if self.minimum is not None and value < self.minimum:
                raise ValueError(f"{self.name}: must be at least {self.minimum}, got {value}")
            if self.maximum is not None and value > self.maximum:
                raise ValueError(f"{self.name}: must be at most {self.maximum}, got {value}")
            return value
        text = "" if raw is None else str(raw).strip()
        if self.choices and text not in self.choices:
            raise ValueError(f"{self.name}: must be one of {', '.join(self.choices)}")
        return text


SCHEMA: tuple[SettingSpec, ...] = (
    # queue (names kept from the web app)
    SettingSpec(
        "QUEUE_CONCURRENCY",
        int,
        2,
        "Links processed at the same time.",
        "queue",
        minimum=1,
        maximum=16,
    ),
    SettingSpec(
        "QUEUE_TIMEOUT_MS",
        int,
        30000,
        "Time limit of one phase, in milliseconds.",
        "queue",
        minimum=1000,
        maximum=3_600_000,
    ),
    SettingSpec(
        "QUEUE_PARSE_TIMEOUT_MS",
        int,
        300000,
        "Time limit of the parsing phase (a local model can be slow), in milliseconds.",
        "queue",
        minimum=1000,
        maximum=3_600_000,
    ),
    SettingSpec(
        "QUEUE_RETRY_ATTEMPTS",
        int,
        3,
        "Automatic retries of a recoverable failure before the item is marked failed.",
        "queue",
        minimum=0,
        maximum=20,
    ),
    SettingSpec(
        "QUEUE_PROCESSING_ENABLED",
        bool,
        True,
        "Process queued links (off: links are still accepted and wait).",
        "queue",
    ),
    # LLM
    SettingSpec(
        "LLM_API_BASE_URL",
        str,
        "",
        "OpenAI-compatible server, e.g. https://api.openai.com/v1 or "
        "http://localhost:11434/v1 (empty: the built-in offline parser).",
        "llm",
    ),
    SettingSpec("LLM_MODEL", str, "", "Model name, e.g. gpt-4o-mini or llama3.1.", "llm"),
    SettingSpec(
        "LLM_API_KEY",
        str,
        "",
        "API key of the LLM server (kept in the keyring).",
        "llm",
        secret=True,
    ),
    SettingSpec(
        "RECIPE_LANGUAGE",
        str,
        "",
        "Language of saved recipes, e.g. en or de (empty: keep the post's language).",
        "recipe",
    ),
    SettingSpec(
        "TRANSCRIBE_AUDIO",
        bool,
        False,
        "Transcribe the video's speech through the LLM server and add it to the text.",
        "llm",
    ),
    SettingSpec("TRANSCRIPTION_MODEL", str, "whisper-1", "Model used for transcription.", "llm"),
    SettingSpec(
        "LLM_VISION",
        bool,
        False,
        "When the caption holds no recipe, send the post's pictures (up to 5, as downloaded, "
        "at most 4 MB each) with the text to the LLM server to read the recipe shown on them. "
        "The model must accept images.",
        "llm",
    ),
    # Tandoor
    SettingSpec(
        "TANDOOR_BASE_URL",
        str,
        "",
        "Address of your Tandoor, e.g. https://recipes.example.org "
        "(empty: recipes are saved in the local library).",
        "tandoor",
    ),
    SettingSpec(
        "TANDOOR_API_TOKEN",
        str,
        "",
        "Tandoor API token with read and write scope (kept in the keyring).",
        "tandoor",
        secret=True,
    ),
    SettingSpec(
        "TANDOOR_CA_BUNDLE",
        str,
        "",
        "CA certificate file for a Tandoor with a self-signed certificate.",
        "tandoor",
    ),
    SettingSpec(
        "TANDOOR_VERIFY_TLS",
        bool,
        True,
        "Verify Tandoor's TLS certificate (turning this off is unsafe).",
        "tandoor",
    ),
    SettingSpec(
        "TANDOOR_REUSE_NAMES",
        bool,
        True,
        "Reuse the foods, units and keywords your Tandoor already has when a name matches "
        "ignoring case, accents and plurals (off: names are sent as the recipe has them).",
        "tandoor",
    ),
    SettingSpec(
        "HASHTAGS_AS_KEYWORDS", bool, False, "Add the post's hashtags as keywords.", "recipe"
    ),
    SettingSpec("AUTHOR_AS_KEYWORD", bool, False, "Add the post's author as a keyword.", "recipe"),
    SettingSpec(
        "REVIEW_BEFORE_SAVING",
        str,
        "uncertain",
        "Hold parsed recipes for your review before saving: uncertain (only those the parser "
        "is unsure of or whose amounts are not in the post), always, or never.",
        "recipe",
        choices=("uncertain", "always", "never"),
    ),
    # Instagram
    SettingSpec(
        "INSTAGRAM_USERNAME", str, "", "Instagram account whose session is used.", "instagram"
    ),
    SettingSpec(
        "INSTAGRAM_MIN_INTERVAL_S",
        int,
        4,
        "Seconds between two requests to Instagram (protects your IP from blocks).",
        "instagram",
        minimum=0,
        maximum=600,
    ),
    SettingSpec(
        "INSTAGRAM_READ_COMMENTS",
        bool,
        True,
        "Read the author's comments when the caption says the recipe is there.",
        "instagram",
    ),
    # behaviour
    SettingSpec(
        "WATCH_CLIPBOARD", bool, True, "Queue Instagram links copied to the clipboard.", "behaviour"
    ),
    SettingSpec("NOTIFY_SUCCESS", bool, True, "Notify when a recipe is saved.", "behaviour"),
    SettingSpec("NOTIFY_FAILURE", bool, True, "Notify when a link fails.", "behaviour"),
    SettingSpec(
        "NOTIFY_REVIEW",
        bool,
        True,
        "Notify when recipes are ready for review (once per batch).",
        "behaviour",
    ),
    SettingSpec(
        "START_MINIMIZED", bool, False, "Start in the tray without showing the window.", "behaviour"
    ),
    SettingSpec(
        "CLOSE_TO_TRAY", bool, True, "Closing the window keeps the app in the tray.", "behaviour"
    ),
    SettingSpec("START_AT_LOGIN", bool, False, "Start the app when you log in.", "behaviour"),
)

SPECS: dict[str, SettingSpec] = {spec.name: spec for spec in SCHEMA}
SECRET_NAMES: frozenset[str] = frozenset(s.name for s in SCHEMA if s.secret)


class SettingsError(ValueError):
    pass


class Settings:
    """Non-secret settings: defaults < settings file < environment.

    Values set from the environment win for this run but are not written back to the file.
    """

    def __init__(self, path: Path | None, environ: dict[str, str] | None = None) -> None:
        self.path = path
        self._environ = dict(os.environ if environ is None else environ)
        self._file_values: dict[str, Any] = {}
        self.problems: list[str] = []  # human-readable, e.g. a bad value in the file
        if path is not None:
            self._load()

    def _load(self) -> None:
        assert self.path is not None
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            self.problems.append(
                f"The settings file {self.path} could not be read ({exc}); defaults are used."
            )
            return
        if not isinstance(raw, dict):
            self.problems.append(
                f"The settings file {self.path} is not a JSON object; defaults are used."
            )
            return
        for name, value in raw.items():
            spec = SPECS.get(name)
            if spec is None or spec.secret:
                continue  # unknown keys are ignored; secrets are never read from the file
            try:
                self._file_values[name] = spec.parse(value)
            except ValueError as exc:
                self.problems.append(str(exc))

    def env_value(self, name: str) -> Any | None:
        spec = SPECS[name]
        if name not in self._environ:
            return None
        try:
            return spec.parse(self._environ[name])
        except ValueError as exc:
            if str(exc) not in self.problems:
                self.problems.append(str(exc))
            return None

    def is_overridden(self, name: str) -> bool:
        """True when the environment sets this value (the UI shows it read-only)."""
        return self.env_value(name) is not None

    def get(self, name: str) -> Any:
        spec = SPECS[name]
        env = self.env_value(name)
        if env is not None:
            return env
        if spec.secret:
            return spec.default
        return self._file_values.get(name, spec.default)

    def __getitem__(self, name: str) -> Any:
        return self.get(name)

    def set(self, name: str, value: Any) -> None:
        spec = SPECS[name]
        if spec.secret:
            raise SettingsError(f"{name} is a secret: store it with core.secrets, not in the file")
        self._file_values[name] = spec.parse(value)

    def items(self) -> Iterator[tuple[SettingSpec, Any]]:
        for spec in SCHEMA:
            yield spec, self.get(spec.name)

    def save(self) -> None:
        """Write the file atomically (temp file + rename), mode 0600, without any secret."""
        if self.path is None:
            return
        data = {k: v for k, v in self._file_values.items() if k not in SECRET_NAMES}
        text = json.dumps(data, indent=2, sort_keys=True) + "\n"
        write_atomically(self.path, text.encode("utf-8"))
