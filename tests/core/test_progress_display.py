"""The progress display of `run`: a live status line on a terminal, plain lines otherwise."""

from __future__ import annotations

import io

from instarecipe_desktop.cli.queue_commands import ProgressDisplay
from instarecipe_desktop.core.items import ItemStatus
from tests.core.conftest import post_url
from tests.support.fake_phases import FakePhases


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


async def test_terminal_gets_a_status_line_and_outcome_lines(manager_factory) -> None:
    fake = FakePhases(
        items={
            "CODE2xyz": {
                "outcomes": {
                    "parsing": [
                        {
                            "kind": "permanent",
                            "message": "No recipe in this post.",
                            "suggestion": "Paste the recipe yourself.",
                        }
                    ]
                }
            }
        }
    )
    stream = Terminal()
    async with manager_factory(fake) as manager:
        display = ProgressDisplay(stream, manager, interval=0)
        manager.subscribe(display.on_event)
        await manager.enqueue(post_url(1))
        await manager.enqueue(post_url(2))
        await manager.wait_until_idle()
        display.finish()
    text = stream.getvalue()
    assert "\r\x1b[KQueue: " in text
    assert ": extraction" in text or ": parsing" in text  # what is running now
    assert "saved     Recipe from CODE1xyz  ->  http://tandoor.invalid/recipe/1/\n" in text
    assert "failed    CODE2xyz: No recipe in this post. Paste the recipe yourself.\n" in text
    assert text.endswith("Queue: 1 saved, 1 failed, 0 running, 0 waiting, 0 to retry\n")


async def test_pipe_gets_plain_lines_only(manager_factory) -> None:
    stream = io.StringIO()
    async with manager_factory(FakePhases()) as manager:
        display = ProgressDisplay(stream, manager)
        manager.subscribe(display.on_event)
        await manager.enqueue(post_url(1))
        await manager.wait_until_idle()
        assert manager.counts()[ItemStatus.SUCCESS] == 1
        display.finish()
    assert "\x1b" not in stream.getvalue() and "\r" not in stream.getvalue()
    assert stream.getvalue().splitlines() == [
        "started   CODE1xyz",
        "saved     Recipe from CODE1xyz  ->  http://tandoor.invalid/recipe/1/",
        "Queue: 1 saved, 0 failed, 0 running, 0 waiting, 0 to retry",
    ]
