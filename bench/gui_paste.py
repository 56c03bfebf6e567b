"""Pasting 1,000 links into the real window (offscreen): the worst event-loop stall while they
are queued, and the time until every row is in the table. Figures, not assertions.

    python bench/gui_paste.py [--links 1000] [--rows 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.support.memory_keyring.MemoryKeyring")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication

from bench.gui_support import run_on_qt_loop


async def main(args: argparse.Namespace, qapp: QApplication) -> None:
    from bench.gui_support import populate
    from instarecipe_desktop.core.manager import QueueManager
    from instarecipe_desktop.core.paths import resolve_paths
    from instarecipe_desktop.core.settings import Settings
    from instarecipe_desktop.wiring.app import DesktopApp
    from instarecipe_desktop.wiring.secrets import open_secret_store
    from tests.support.fake_phases import FakePhases

    data_dir = Path(tempfile.mkdtemp(prefix="paste-bench-"))
    populate(data_dir, args.rows)
    paths = resolve_paths(data_dir).ensure()
    settings = Settings(None, environ={})
    fake = FakePhases(latency={"extraction": 0.01, "parsing": 0.01, "uploading": 0.01})
    manager = await QueueManager.open(paths, settings, fake.phases())
    app = DesktopApp(qapp, paths, settings, open_secret_store(), manager, None)
    app.clipboard.set_enabled(False)
    app.start([], minimized=False)
    await manager.start()
    while app.model.loading_older:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)

    for processing in (False, True):
        if processing:
            manager.resume()
        else:
            manager.pause()
        offset = 0 if not processing else args.links
        text = "\n".join(
            f"https://www.instagram.com/reel/Paste{n + offset:05d}/?igsh=abc \u200f see this one!"
            for n in range(args.links)
        )
        gaps: list[float] = []
        stop = asyncio.Event()

        async def ticker(stop: asyncio.Event = stop, gaps: list[float] = gaps) -> None:
            last = time.perf_counter()
            while not stop.is_set():
                await asyncio.sleep(0.001)
                now = time.perf_counter()
                gaps.append((now - last) * 1000 - 1.0)
                last = now

        before = app.window.proxy.rowCount()
        tick = asyncio.ensure_future(ticker())
        await asyncio.sleep(0.05)
        start = time.perf_counter()
        app.window.add_text(text)  # what a paste (Ctrl+V, drop, the add field) calls
        while app.window.proxy.rowCount() < before + args.links:
            await asyncio.sleep(0.001)
        app.window.table.viewport().repaint()
        visible = (time.perf_counter() - start) * 1000
        await asyncio.sleep(0.2)
        stop.set()
        await tick
        ordered = sorted(gaps)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        label = "while processing" if processing else "processing paused"
        print(
            f"paste {args.links} links ({label}, {before} rows before): all rows in "
            f"{visible:.0f} ms; event-loop stall worst {max(gaps):.1f} ms, p99 {p99:.1f} ms, "
            f"median {statistics.median(gaps):.2f} ms; load {os.getloadavg()[0]:.1f}"
        )
    await manager.wait_until_idle()
    app.request_quit()
    await app.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--links", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=2000)
    options = parser.parse_args()
    run_on_qt_loop(lambda application: main(options, application))
