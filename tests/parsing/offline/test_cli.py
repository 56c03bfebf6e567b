"""``instarecipe-desktop parse`` in a subprocess, as the eval scorer runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import FIXTURES

RECIPE = (FIXTURES / "pool057_dallaska-old-fashioned.txt").read_text(encoding="utf-8")


def run(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "instarecipe_desktop", "parse", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_offline_from_stdin_prints_recipe_json() -> None:
    proc = run("--offline", "-", stdin=RECIPE)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["name"] == "Dallaska Old Fashioned"
    ingredients = [i for s in data["steps"] for i in s["ingredients"]]
    assert [(i["amount"], i["unit"]) for i in ingredients][:3] == [
        (1.5, "cup"),
        (6.0, "dash"),
        (2.5, "oz"),
    ]
    assert {"servings", "workingTime", "keywords", "language", "sourceUrl"} <= set(data)
    assert data["sourceUrl"] is None


def test_no_recipe_exits_3_with_a_message() -> None:
    proc = run("--offline", stdin="Sunset in Kyoto 🌅 #travel #japan")
    assert proc.returncode == 3
    assert proc.stdout == ""
    assert "No recipe found in this post." in proc.stderr
    assert "Traceback" not in proc.stderr


def test_reads_a_file_and_keeps_a_given_url(tmp_path: Path) -> None:
    caption = tmp_path / "caption.txt"
    caption.write_text(RECIPE, encoding="utf-8")
    proc = run(str(caption), "--offline", "--url", "https://www.instagram.com/reel/X1/")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["sourceUrl"] == "https://www.instagram.com/reel/X1/"


def test_missing_file_exits_2_without_traceback(tmp_path: Path) -> None:
    proc = run(str(tmp_path / "nope.txt"), "--offline")
    assert proc.returncode == 2
    assert "Cannot read" in proc.stderr and "Traceback" not in proc.stderr


def test_without_offline_flag_and_no_llm_the_built_in_parser_answers() -> None:
    proc = run("-", stdin=RECIPE, env={"LLM_API_BASE_URL": ""})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["name"] == "Dallaska Old Fashioned"
