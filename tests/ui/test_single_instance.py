"""Single instance: a second start hands its links to the running app (two real processes)."""

from __future__ import annotations

import signal
from pathlib import Path

from tests.ui.processes import (
    app_env,
    is_listening,
    run_cli,
    start_app,
    statuses,
    wait_until,
)


def test_second_start_hands_links_to_the_running_app(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = app_env(data_dir)
    first = start_app(env, log=tmp_path / "first.log")
    try:
        wait_until(lambda: is_listening(data_dir) or first.poll() is not None, 30, "the app")
        assert first.poll() is None, (tmp_path / "first.log").read_text()
        second = run_cli(env, "https://www.instagram.com/reel/HANDED1/?igsh=x",
                         "https://instagr.am/p/HANDED2/")
        assert second.returncode == 0, second.stderr
        assert "already running: handed it 2 link(s)" in second.stdout
        wait_until(lambda: statuses(data_dir) == {"HANDED1": "success",
                                                        "HANDED2": "success"}, 30, "the app")
    finally:
        first.send_signal(signal.SIGTERM)
        code = first.wait(timeout=30)
    log = (tmp_path / "first.log").read_text()
    assert code == 0, log
    assert "Traceback" not in log
    # a third start after the first has quit becomes the running app itself
    assert not is_listening(data_dir)
