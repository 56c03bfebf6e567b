"""``instarecipe-desktop tandoor check / set-token`` and the fake Tandoor as a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakes.fake_tandoor import READ_ONLY_TOKEN, TOKEN, V15, FakeTandoor


def _cli(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "instarecipe_desktop", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_set_token_then_check(tandoor: FakeTandoor) -> None:
    saved = _cli("tandoor", "set-token", stdin=TOKEN + "\n")
    assert saved.returncode == 0, saved.stderr
    assert TOKEN not in saved.stdout + saved.stderr
    check = _cli("tandoor", "check", env={"TANDOOR_BASE_URL": tandoor.base_url})
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"Tandoor {tandoor.version}" in check.stdout
    assert "can read and write" in check.stdout
    assert TOKEN not in check.stdout + check.stderr
    assert check.stdout.count("\n") == 1  # one sentence


def test_check_reports_problems_with_exit_code(tandoor: FakeTandoor) -> None:
    read_only = _cli(
        "tandoor",
        "check",
        "--base-url",
        tandoor.base_url,
        env={"TANDOOR_API_TOKEN": READ_ONLY_TOKEN},
    )
    assert read_only.returncode == 1 and "read-only" in read_only.stdout
    nothing = _cli("tandoor", "check")
    assert nothing.returncode == 1 and "local library" in nothing.stdout
    assert "Traceback" not in read_only.stderr + nothing.stderr


def test_set_token_refuses_empty_input() -> None:
    result = _cli("tandoor", "set-token", stdin="\n")
    assert result.returncode == 2 and "No token" in result.stderr


@pytest.fixture
def fake_process() -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.fake_tandoor", "--port", "0", "--version", V15],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield process, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_fake_runs_as_a_process_with_a_control_api(
    fake_process: tuple[subprocess.Popen[str], str],
) -> None:
    process, base = fake_process
    with httpx.Client(base_url=base, timeout=10) as http:
        assert http.get("/api/server-settings/current/").status_code == 404  # 1.5 flavour
        fault = http.post(
            "/__fake__/faults",
            json={"kind": "status", "method": "POST", "path": "/api/recipe/", "status": 503},
        )
        assert fault.status_code == 201
        auth = {"Authorization": f"Bearer {TOKEN}"}
        assert (
            http.post("/api/recipe/", json={"name": "x", "steps": []}, headers=auth).status_code
            == 503
        )
        created = http.post("/api/recipe/", json={"name": "x", "steps": []}, headers=auth)
        assert created.status_code == 201 and created.json()["created_by"] == 1
        state = http.get("/__fake__/state").json()
        assert state["version"] == V15 and [r["name"] for r in state["recipes"]] == ["x"]
        assert http.post("/__fake__/reset").status_code == 204
        assert http.get("/__fake__/state").json()["recipes"] == []
    assert process.poll() is None


def test_run_stops_with_one_message_when_tandoor_refuses_the_token(
    tandoor: FakeTandoor, tmp_path: Path
) -> None:
    """Real parsing (offline) and the real uploader in a subprocess: exit 1, one 'stopped'
    line, the items wait (not failed)."""
    env = {
        "TANDOOR_BASE_URL": tandoor.base_url,
        "TANDOOR_API_TOKEN": READ_ONLY_TOKEN,
        "REVIEW_BEFORE_SAVING": "never",
    }
    caption = tmp_path / "caption.txt"
    caption.write_text(
        "Fluffy pancakes\n\nIngredients:\n- 200 g flour\n- 2 eggs\n- 300 ml milk\n\n"
        "Instructions:\n1. Whisk everything into a smooth batter.\n2. Fry in a hot pan.\n",
        encoding="utf-8",
    )
    for code in ("STOPpost1", "STOPpost2"):
        added = _cli(
            "add", "--text-file", str(caption), f"https://www.instagram.com/p/{code}/", env=env
        )
        assert added.returncode == 0, added.stderr
    run = _cli("run", "--until-idle", env=env)
    assert run.returncode == 1, run.stderr
    stopped = [line for line in run.stderr.splitlines() if line.startswith("stopped")]
    assert len(stopped) == 1 and "lacks write scope" in stopped[0]
    assert not any(line.startswith("failed") for line in run.stderr.splitlines())
    assert "0 failed, 0 running, 2 waiting" in run.stderr
    listed = json.loads(_cli("list", env=env).stdout)
    assert {item["status"] for item in listed["items"]} == {"pending"}
    assert tandoor.recipes == {}
    assert READ_ONLY_TOKEN not in run.stdout + run.stderr
