"""A real process killed with SIGKILL in the middle of a phase; the next run resumes there."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_cli_queue import cli, lines

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def test_sigkill_during_parsing_resumes_at_parsing(tmp_path: Path, data_dir: Path) -> None:
    record = tmp_path / "calls.jsonl"
    item = lines(cli("add", "https://www.instagram.com/p/AAAAA1/").stdout)[0]
    env = dict(os.environ)
    env["INSTARECIPE_PHASE_FACTORY"] = "tests.support.fake_phases:make_phases"
    env["INSTARECIPE_FAKE_PHASES"] = json.dumps(
        {"outcomes": {"parsing": ["hang"]}, "announce": True, "record": str(record)}
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "instarecipe_desktop", "run"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert proc.stderr is not None
        for line in proc.stderr:  # blocks until the fake parser has started
            if line.startswith("fake-phase start parsing"):
                break
        else:
            pytest.fail("the run ended before parsing started")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    database = data_dir / "queue.sqlite3"
    conn = sqlite3.connect(database)
    status, data = conn.execute(
        "SELECT status, data FROM items WHERE id = ?", (item["id"],)
    ).fetchone()
    conn.close()
    stored = json.loads(data)
    assert status in ("in_progress", "pending")
    assert stored["phases"][0]["status"] == "completed"  # extraction's output was on disk
    assert stored["results"]["extractedText"].startswith("Fake caption of AAAAA1")

    resumed = cli("run", "--until-idle", script={"record": str(record)})
    assert resumed.returncode == 0, resumed.stderr
    final = json.loads(cli("show", item["id"]).stdout)
    assert final["status"] == "success"
    assert any("app stopped while this was running" in e["message"] for e in final["log"])
    starts = [(c["phase"]) for c in lines(record.read_text()) if c["event"] == "start"]
    assert starts == ["extraction", "parsing", "parsing", "uploading"]
