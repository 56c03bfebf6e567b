"""Single instance: a second start hands its links to the running app (two real processes)."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

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
        second = run_cli(
            env, "https://www.instagram.com/reel/HANDED1/?igsh=x", "https://instagr.am/p/HANDED2/"
        )
        assert second.returncode == 0, second.stderr
        assert "already running: handed it 2 link(s)" in second.stdout
        wait_until(
            lambda: statuses(data_dir) == {"HANDED1": "success", "HANDED2": "success"},
            30,
            "the app",
        )
    finally:
        first.send_signal(signal.SIGTERM)
        code = first.wait(timeout=30)
    log = (tmp_path / "first.log").read_text()
    assert code == 0, log
    assert "Traceback" not in log
    # a third start after the first has quit becomes the running app itself
    assert not is_listening(data_dir)


def test_add_link_from_clipboard_action_hands_the_clipboard_link_over(
    qapp: Any, tmp_path: Path
) -> None:
    """The desktop entry's action runs ``instarecipe-desktop --add-from-clipboard``: the link
    on the clipboard goes to the running app; other clipboard text goes nowhere."""
    from instarecipe_desktop.wiring.gui_main import clipboard_links, gui_main

    assert clipboard_links("secret note, not a link") == []
    data_dir = tmp_path / "data"
    env = app_env(data_dir)
    first = start_app(env, log=tmp_path / "first.log")
    try:
        wait_until(lambda: is_listening(data_dir) or first.poll() is not None, 30, "the app")
        assert first.poll() is None, (tmp_path / "first.log").read_text()
        qapp.clipboard().setText("look at this https://www.instagram.com/reel/CLIPPED1/?igsh=q")
        assert gui_main(["--add-from-clipboard", "--data-dir", str(data_dir)]) == 0
        wait_until(lambda: statuses(data_dir) == {"CLIPPED1": "success"}, 30, "the link")
    finally:
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=30) == 0
