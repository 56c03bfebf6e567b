"""Fixtures of the desktop UI tests: a qasync loop inside pytest-qt, a real QueueManager over
real SQLite with scriptable fake phases, and the real window offscreen.

qasync traps (see DESIGN.md): ``loop.stop()`` calls ``app.exit()`` after which every
``qtbot.wait*`` returns at once, so the loop is torn down by hand here; tests are plain
functions that drive coroutines with ``run(...)`` (``qtbot.waitUntil``), never ``async def``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from instarecipe_desktop.core.backoff import Backoff
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import AppPaths, resolve_paths
from instarecipe_desktop.core.processor import EngineTuning
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.ui.actions import AppActions
from instarecipe_desktop.ui.main_window import MainWindow
from instarecipe_desktop.ui.queue_controller import QueueController
from instarecipe_desktop.ui.queue_model import QueueTableModel
from instarecipe_desktop.ui.ui_state import UiState
from tests.support.fake_phases import FakePhases

FAST = EngineTuning(backoff=Backoff(base=0.01, factor=2.0, jitter=0.0))

Runner = Callable[..., Any]


def post_url(n: int | str) -> str:
    return f"https://www.instagram.com/p/CODE{n}xyz/"


@pytest.fixture(autouse=True)
def collect_qt_garbage_here() -> Iterator[None]:
    """Collect each test's dropped Qt objects on the GUI thread. Left to the cyclic GC, a
    QObject in a reference cycle (a DesktopApp, a window) may be destroyed in whatever thread
    happens to trigger a collection (an executor worker): its timers cannot be unregistered
    from there, and Qt later fires a timer of a freed object (a segfault in
    QTimerInfoList::activateTimers, seen after the LLM tests about one run in two)."""
    yield
    gc.collect()


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    for _ in range(200):
        if all(task.done() for task in pending):
            break
        qapp.processEvents()
    with contextlib.suppress(RuntimeError, TypeError):
        qapp.aboutToQuit.disconnect(loop._after_run_forever)
    loop._after_run_forever()
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
    asyncio.events._set_running_loop(None)
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def run(qloop: qasync.QEventLoop, qtbot: Any) -> Runner:
    """``run(coro)``: drive a coroutine on the qasync loop from a plain test; returns its result."""

    def runner(coro: Coroutine[Any, Any, Any] | asyncio.Future[Any], timeout: int = 10_000) -> Any:
        task = asyncio.ensure_future(coro, loop=qloop)
        qtbot.waitUntil(task.done, timeout=timeout)
        return task.result()

    return runner


@pytest.fixture
def paths() -> AppPaths:
    return resolve_paths().ensure()


@pytest.fixture
def fake() -> FakePhases:
    return FakePhases()


@pytest.fixture
def settings(paths: AppPaths) -> Settings:
    return Settings(paths.settings_file, environ={})


@pytest.fixture
def manager(
    run: Runner, paths: AppPaths, settings: Settings, fake: FakePhases
) -> Iterator[QueueManager]:
    manager = run(QueueManager.open(paths, settings, fake.phases(), tuning=FAST))
    run(manager.start())
    yield manager
    run(manager.close())


@pytest.fixture
def controller(manager: QueueManager, qapp: QApplication) -> Iterator[QueueController]:
    controller = QueueController(manager)
    yield controller


@pytest.fixture
def window(
    qtbot: Any,
    controller: QueueController,
    manager: QueueManager,
    paths: AppPaths,
    settings: Settings,
    run: Runner,
) -> Iterator[MainWindow]:
    model = QueueTableModel()
    model.set_items(manager.all_items())
    manager.subscribe(model.apply_event)
    actions = AppActions()
    window = MainWindow(
        controller, model, actions, UiState(paths.config_dir), settings.get, lambda: False
    )
    qtbot.addWidget(window)
    window.show()
    yield window
    window.quitting = True
    run(controller.cancel_tasks())


class UrlCatcher(QObject):
    """Receives the URLs the app asks the desktop to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def opened_urls() -> Iterator[list[str]]:
    catcher = UrlCatcher()
    for scheme in ("http", "https", "file"):
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
    yield catcher.urls
    for scheme in ("http", "https", "file"):
        QDesktopServices.unsetUrlHandler(scheme)
