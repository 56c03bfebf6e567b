"""Helpers to run the real app as a subprocess and watch its queue through the database."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtNetwork import QLocalSocket

from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.ui.single_instance import server_name

REPO = Path(__file__).resolve().parents[2]


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Poll a condition about another process. No Qt event loop runs in the test process
    meanwhile: these tests only watch the app from outside."""
    deadline = time.monotonic() + timeout_s
    pause = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        pause.wait(0.1)


def let_time_pass(seconds: float) -> None:
    """Give the app (another process) time to paint; not a synchronisation."""
    threading.Event().wait(seconds)


def app_env(data_dir: Path, script: dict[str, Any] | None = None, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "INSTARECIPE_DATA_DIR": str(data_dir),
            "INSTARECIPE_PHASE_FACTORY": "tests.support.fake_phases:make_phases",
            "INSTARECIPE_FAKE_PHASES": json.dumps(script or {}),
            "INSTARECIPE_NO_WELCOME": "1",
            "PYTHONPATH": str(REPO),
        }
    )
    env.update(extra)
    return env


def start_app(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "instarecipe_desktop", *args],
        env=env,
        cwd=REPO,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "instarecipe_desktop", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def is_listening(data_dir: Path) -> bool:
    socket = QLocalSocket()
    socket.connectToServer(server_name(resolve_paths(data_dir).data_dir))
    ok = socket.waitForConnected(200)
    socket.abort()
    return ok


def statuses(data_dir: Path) -> dict[str, str]:
    """shortcode -> status, read from the app's database (read-only)."""
    database = data_dir / "queue.sqlite3"
    if not database.exists():
        return {}
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as conn:
            return {
                str(code): str(status)
                for code, status in conn.execute("SELECT shortcode, status FROM items")
            }
    except sqlite3.OperationalError:  # the table does not exist yet
        return {}
