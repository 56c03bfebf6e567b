"""The settings page lists every declared setting; the CLI page every queue verb."""

from __future__ import annotations

from pathlib import Path

from instarecipe_desktop.core.settings import SCHEMA

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_setting_is_documented_with_its_default() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    for spec in SCHEMA:
        rows = [line for line in text.splitlines() if line.startswith(f"| `{spec.name}` |")]
        assert rows, f"{spec.name} is missing from docs/settings.md"
        if spec.type is bool:
            assert f"`{str(spec.default).lower()}`" in rows[0], spec.name
        elif spec.default != "":
            assert f"`{spec.default}`" in rows[0], spec.name


def test_every_queue_verb_is_documented() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for verb in ("add", "list", "show", "retry", "resend", "remove", "run", "review", "approve"):
        assert f"### `{verb}" in text, verb
