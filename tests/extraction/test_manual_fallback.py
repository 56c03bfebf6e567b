"""The manual fallback end to end through the CLI with the real adapters: the person gives the
caption (file or stdin), the item skips Instagram and is parsed and saved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

CAPTION = (
    "Lemon pasta 🍋\n\nIngredients:\n- 200 g spaghetti\n- 1 lemon\n- 50 g parmesan\n\n"
    "Boil the pasta. Toss with lemon juice and cheese.\n"
)


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    environ = dict(os.environ)
    environ.pop("INSTARECIPE_PHASE_FACTORY", None)  # the real adapters
    # any attempt to reach Instagram (or anything else) would fail at once
    environ.update(
        {
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "HTTP_PROXY": "http://127.0.0.1:9",
            "NO_PROXY": "",
            "TANDOOR_BASE_URL": "",
            "LLM_API_BASE_URL": "",
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "instarecipe_desktop", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=environ,
        timeout=90,
    )


def item_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[0])


def test_text_file_path_end_to_end(tmp_path: Path) -> None:
    caption = tmp_path / "caption.txt"
    caption.write_text(CAPTION, encoding="utf-8")
    added = item_json(
        cli("add", "https://instagram.com/reel/C7reel00001/?igsh=abc", "--text-file", str(caption))
    )
    assert added["phases"][0]["status"] == "completed"
    assert added["url"] == "https://www.instagram.com/reel/C7reel00001/"

    run = cli("run", "--until-idle")
    assert run.returncode == 0, run.stderr
    shown = json.loads(cli("show", "C7reel00001").stdout)
    assert shown["status"] == "success", shown.get("error")
    assert shown["results"]["extractedText"] == CAPTION
    assert shown["results"]["recipe"]["name"].startswith("Lemon pasta")
    foods = [i["food"] for s in shown["results"]["recipe"]["steps"] for i in s["ingredients"]]
    assert foods == ["spaghetti", "lemon", "parmesan"]
    assert shown["post"].get("textSource") == "manual" or shown["post"].get("manual") is True
    assert "Traceback" not in run.stderr


def test_text_from_stdin_and_bad_input(tmp_path: Path) -> None:
    added = item_json(
        cli(
            "add",
            "--text-file",
            "-",
            "https://www.instagram.com/p/C7photo0001/",
            stdin="Soup\n1 onion\nBoil water.",
        )
    )
    assert added["results"]["extractedText"] == "Soup\n1 onion\nBoil water."

    missing = cli(
        "add", "--text-file", str(tmp_path / "nope.txt"), "https://www.instagram.com/p/C7carousel1/"
    )
    assert missing.returncode == 2 and "cannot read" in missing.stderr

    profile = cli(
        "add", "--text-file", "-", "https://www.instagram.com/chef.anna/", stdin="some text"
    )
    assert profile.returncode == 2
    assert "profile, not a post" in profile.stderr
    assert "Traceback" not in profile.stderr + missing.stderr
