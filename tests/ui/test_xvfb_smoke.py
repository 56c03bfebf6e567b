"""Smoke test of the real window under Xvfb: start the app, add a link handled by fake phases,
wait for it to finish, save a screenshot (``INSTARECIPE_SCREENSHOT=path`` keeps a copy)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.processes import (
    app_env,
    is_listening,
    let_time_pass,
    run_cli,
    start_app,
    statuses,
    wait_until,
)

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed (apt-get install xvfb; scripts/test.sh does it)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()  # Xvfb writes the free display it took
    assert number, "Xvfb did not start"
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def test_real_window_processes_a_link_and_is_captured(tmp_path: Path, xvfb_display: str) -> None:
    data_dir = tmp_path / "data"
    script = {
        "latency": {"extraction": 0.2, "parsing": 0.2, "uploading": 0.2},
        "items": {
            "FAILS1": {
                "outcomes": {
                    "extraction": [
                        {
                            "kind": "permanent",
                            "message": "The post is private or was deleted.",
                            "suggestion": "Open it on Instagram; paste the caption if you can see it.",
                        }
                    ]
                }
            },
            "SLOW1": {"latency": {"parsing": 600}},
        },
    }
    env = app_env(data_dir, script, DISPLAY=xvfb_display, QT_QPA_PLATFORM="xcb")
    log = tmp_path / "app.log"
    app = start_app(env, "https://www.instagram.com/p/SMOKE1/", log=log)
    try:
        wait_until(lambda: is_listening(data_dir) or app.poll() is not None, 30, "the app")
        assert app.poll() is None, log.read_text()
        # more links, the way a second start hands them over
        handed = run_cli(
            env,
            "https://www.instagram.com/reel/SMOKE2/",
            "https://www.instagram.com/p/FAILS1/",
            "https://www.instagram.com/p/SLOW1/",
        )
        assert handed.returncode == 0, handed.stderr
        wait_until(
            lambda: (
                statuses(data_dir)
                == {
                    "SMOKE1": "success",
                    "SMOKE2": "success",
                    "FAILS1": "error",
                    "SLOW1": "in_progress",
                }
            ),
            30,
            "the app",
        )
        let_time_pass(0.6)  # let the window paint the last changes (not a synchronisation)
        shot = tmp_path / "screenshot.png"
        subprocess.run(
            ["import", "-display", xvfb_display, "-window", "root", str(shot)],
            check=True,
            timeout=60,
        )
        assert shot.stat().st_size > 10_000
        keep = os.environ.get("INSTARECIPE_SCREENSHOT")
        if keep:
            shutil.copyfile(shot, keep)
    finally:
        app.send_signal(signal.SIGTERM)
        code = app.wait(timeout=30)
    text = log.read_text()
    assert code == 0, text
    assert "Traceback" not in text
    # the running phase was stopped and will resume next time, nothing lost
    assert statuses(data_dir)["SLOW1"] in {"pending", "in_progress"}
