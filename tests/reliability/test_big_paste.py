"""Pasting 1,000 links queues them all without holding the event loop (and so the window) for
the whole paste: the loop gets a turn between batches. (The stall in milliseconds is measured
by ``python bench/gui_paste.py``.)"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.ui.queue_controller import QueueController


def test_a_thousand_links_paste_lets_the_loop_run(qapp: Any, data_dir: Path) -> None:
    links = [f"https://www.instagram.com/reel/Big{n:05d}/?igsh=x" for n in range(1000)]
    text = "\n".join(f"{link} \u200f look!" for link in links)

    async def scenario() -> tuple[list[int], int]:
        manager = await QueueManager.open(
            resolve_paths(data_dir).ensure(), Settings(None, environ={}), None
        )
        try:
            controller = QueueController(manager)
            seen: list[int] = []
            done = asyncio.Event()

            async def other_work() -> None:  # stands for painting, input, timers
                while not done.is_set():
                    seen.append(len(manager.all_items()))
                    await asyncio.sleep(0)

            watcher = asyncio.ensure_future(other_work())
            await asyncio.sleep(0)
            outcome = await controller.add_text(text)
            done.set()
            await watcher
            return seen, len(outcome.added)
        finally:
            await manager.close()

    seen, added = asyncio.run(scenario())
    assert added == 1000
    during = [count for count in seen if 0 < count < 1000]
    assert len(during) >= 10, "the paste held the event loop from start to end"
