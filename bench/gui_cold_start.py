"""Cold start to window shown with 10,000 stored items, and resident memory.

    python bench/gui_cold_start.py [--items 10000] [--runs 3]

Each run starts a fresh Python process (imports included) running the real app
(``gui_main``) offscreen with fake phases, and reports the time from process start to the
main window shown and to its queue table first painted, then the resident memory once the
app has settled. Aims: under 1.5 s to the window; under 200 MB.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def child(started: float) -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])

    class Watch(QObject):
        shown: float | None = None
        painted: float | None = None

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            from instarecipe_desktop.ui.main_window import MainWindow

            kind = event.type()
            if kind == QEvent.Type.Show and self.shown is None and isinstance(obj, MainWindow):
                self.shown = time.time() - started
            elif (
                kind == QEvent.Type.Paint
                and self.shown is not None
                and self.painted is None
                and obj.objectName() == "queueTableViewport"
            ):
                self.painted = time.time() - started
                app.removeEventFilter(self)
                QTimer.singleShot(2000, report)
            return False

    def report() -> None:
        from bench.gui_support import rss_mb

        print(f"shown {watch.shown:.3f} painted {watch.painted:.3f} rss {rss_mb():.0f}", flush=True)
        os.kill(os.getpid(), signal.SIGTERM)  # the app quits cleanly on SIGTERM

    watch = Watch()
    app.installEventFilter(watch)
    from instarecipe_desktop.wiring.gui_main import gui_main

    return gui_main([])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        return child(args.child)

    sys.path.insert(0, str(REPO))
    from bench.gui_support import populate

    data_dir = Path(tempfile.mkdtemp(prefix="gui-cold-"))
    populate(data_dir, args.items)
    env = dict(
        os.environ,
        INSTARECIPE_DATA_DIR=str(data_dir),
        QT_QPA_PLATFORM="offscreen",
        INSTARECIPE_PHASE_FACTORY="tests.support.fake_phases:make_phases",
        INSTARECIPE_NO_WELCOME="1",
        PYTHONPATH=str(REPO),
        PYTHON_KEYRING_BACKEND="tests.support.memory_keyring.MemoryKeyring",
    )
    results = []
    for _ in range(args.runs):
        started = time.time()
        done = subprocess.run(
            [sys.executable, __file__, "--child", repr(started)],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        line = next((x for x in done.stdout.splitlines() if x.startswith("shown")), None)
        if done.returncode != 0 or line is None:
            print(done.stdout, done.stderr, file=sys.stderr)
            return 1
        parts = line.split()
        results.append((float(parts[1]), float(parts[3]), float(parts[5])))
    shown = [r[0] for r in results]
    painted = [r[1] for r in results]
    rss = [r[2] for r in results]
    print(
        f"cold start with {args.items} stored items ({args.runs} runs, load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):"
    )
    print(f"  window shown: median {statistics.median(shown):.2f} s, best {min(shown):.2f} s")
    print(f"  table painted: median {statistics.median(painted):.2f} s, best {min(painted):.2f} s")
    print(f"  resident memory, settled: median {statistics.median(rss):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
