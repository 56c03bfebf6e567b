"""Wiring of the desktop app: settings, secrets, the phase adapters, the QueueManager and the
window, tray, notifications, clipboard watcher and single-instance server, all on one qasync
loop. ``run_app`` returns when the person quits, after a clean shutdown (running phases are
cancelled and resume next time, everything is persisted)."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from instarecipe_desktop.core.items import QueueEvent
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.phases import Phases
from instarecipe_desktop.core.secrets import TANDOOR_API_TOKEN, SecretStore
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.core.store import StoreError, writable_problem
from instarecipe_desktop.ui.actions import AppActions
from instarecipe_desktop.ui.clipboard_watcher import ClipboardWatcher
from instarecipe_desktop.ui.folder_watcher import FolderWatcher
from instarecipe_desktop.ui.main_window import MainWindow
from instarecipe_desktop.ui.notifications import Notification, Notifier
from instarecipe_desktop.ui.queue_controller import QueueController
from instarecipe_desktop.ui.queue_filter import QueueFilter
from instarecipe_desktop.ui.queue_model import QueueTableModel
from instarecipe_desktop.ui.settings_dialog import SettingsDialog
from instarecipe_desktop.ui.single_instance import InstanceServer
from instarecipe_desktop.ui.thumbnails import ThumbnailCache
from instarecipe_desktop.ui.tray import TrayController, tray_state
from instarecipe_desktop.ui.ui_state import UiState
from instarecipe_desktop.ui.welcome import WelcomeDialog
from instarecipe_desktop.wiring import services
from instarecipe_desktop.wiring.deferred_phases import deferred
from instarecipe_desktop.wiring.secrets import open_secret_store

log = logging.getLogger(__name__)

FIRST_PAGE = 300
PAGE = 150  # one page per turn of the loop: about a frame of snapshots


class DesktopApp(QObject):
    """Owns the window and everything around it for one run of the app."""

    def __init__(
        self,
        qapp: QApplication,
        paths: AppPaths,
        settings: Settings,
        secrets: SecretStore,
        manager: QueueManager,
        server: InstanceServer | None,
    ) -> None:
        super().__init__()
        self.qapp = qapp
        self.paths = paths
        self.settings = settings
        self.secrets = secrets
        self.manager = manager
        self.server = server
        self.state = UiState(paths.config_dir)
        self._quit = asyncio.Event()
        self._unsubscribe: list[Callable[[], None]] = []

        self.app_actions = AppActions(self)
        self.controller = QueueController(manager, self)
        self.thumbnails = ThumbnailCache(paths.data_dir, parent=self)
        self.model = QueueTableModel(self.thumbnails, self)
        # the newest items now, the rest page by page once the window shows (snapshots of
        # 10,000 items take a second)
        first = manager.page(limit=FIRST_PAGE)
        items = list(reversed(first.items))
        self.model.set_items(items)
        self.model.loading_older = first.has_more
        self.tray = TrayController(self.app_actions, self)
        self.window = MainWindow(
            self.controller,
            self.model,
            self.app_actions,
            self.state,
            settings.get,
            lambda: self.tray.icon.isVisible(),
        )
        self.notifier = Notifier(lambda name: bool(settings.get(name)), items, self)
        self.clipboard = ClipboardWatcher(
            QGuiApplication.clipboard(), self.controller.is_queued, self
        )
        self._settings_dialog: SettingsDialog | None = None
        self.library_watcher = FolderWatcher(self)
        self._library_folders: tuple[str, ...] | None = None
        self._wire()

    # ---- wiring ---------------------------------------------------------------------------
    def _wire(self) -> None:
        self._unsubscribe.append(self.manager.subscribe(self.model.apply_event))
        self._unsubscribe.append(self.manager.subscribe(self.notifier.on_event))
        self._unsubscribe.append(self.manager.subscribe(self._on_event))
        a = self.app_actions
        a.show_window.triggered.connect(self.toggle_window)
        a.settings.triggered.connect(self.open_settings)
        a.open_library.triggered.connect(lambda: self.controller.run(self.open_library()))
        self.library_watcher.changed.connect(
            lambda: self.controller.run(self.library_folders_changed())
        )
        a.quit.triggered.connect(self.request_quit)
        a.watch_clipboard.setChecked(bool(self.settings.get("WATCH_CLIPBOARD")))
        a.watch_clipboard.toggled.connect(self._watch_clipboard_toggled)
        self.clipboard.set_enabled(a.watch_clipboard.isChecked())
        self.clipboard.linksFound.connect(self._clipboard_links)
        self.notifier.notify.connect(self.show_notification)
        self.tray.notificationClicked.connect(self.notification_clicked)
        self.tray.activated.connect(self.toggle_window)
        self.window.quitRequested.connect(self.request_quit)
        self.window.hiddenToTray.connect(self._hidden_to_tray)
        if self.server is not None:
            self.server.linksReceived.connect(self.links_from_another_start)
        self._tray_timer = QTimer(self)
        self._tray_timer.setSingleShot(True)
        self._tray_timer.setInterval(250)
        self._tray_timer.timeout.connect(self._update_tray)

    def start(self, links: Sequence[str], minimized: bool) -> None:
        # What is loaded now (the whole queue, the window) lives as long as the app: keep it out
        # of the cyclic GC's full collections, which otherwise walk every stored item and stall
        # the UI for hundreds of milliseconds with 10,000 items.
        gc.freeze()
        tray_shown = self.tray.show()
        self._update_tray()
        for problem in [*self.settings.problems, *self.manager.problems]:
            self.window.show_message("warning", problem)
        if not (minimized and tray_shown):
            self.window.show()
        if links:
            self.controller.run(self.controller.add_text("\n".join(links)))
        if self.model.loading_older:
            self.controller.run(self.load_older_items())
        self.controller.run(self.watch_library())
        self.controller.run(self.check_tandoor_token())

    async def load_older_items(self) -> None:
        """Fill the table with the older items, one page per turn of the loop."""
        offset = self.model.rowCount()
        try:
            while True:
                await asyncio.sleep(0)
                self.model.flush()  # events older than the page first
                page = self.manager.page(limit=PAGE, offset=offset)
                self.model.append_older(page.items)
                self.notifier.know(page.items)
                offset += len(page.items)
                if not page.has_more or not page.items:
                    break
        finally:
            self.model.flush()
            self.model.loading_older = False
        if self.model.rowCount() != sum(self.manager.counts().values()):
            # items were removed while loading and the pages shifted: load it all once
            self.model.set_items(self.manager.all_items())
        gc.freeze()  # the loaded queue, too (see start)

    def adapters_built(self, building: asyncio.Future[Phases]) -> None:
        if building.cancelled() or building.exception() is None:
            return
        log.error("The phase adapters could not be built: %s", building.exception())
        self.window.show_message(
            "error",
            self.tr("Links cannot be processed: %1").replace("%1", str(building.exception())),
        )

    # ---- events ---------------------------------------------------------------------------
    def _on_event(self, _event: QueueEvent) -> None:
        if not self._tray_timer.isActive():
            self._tray_timer.start()

    def _update_tray(self) -> None:
        counts = self.manager.counts()
        self.tray.set_state(tray_state(counts), self.window.counts_label.text() or "InstaRecipe")

    def show_notification(self, notification: Notification) -> None:
        if self.window.isVisible() or not self.tray.show_notification(notification):
            self.window.show_notification(notification, self.notification_clicked)

    def notification_clicked(self, notification: Notification) -> None:
        if notification.url:
            self.window.open_url(notification.url)
            return
        self.window.bring_to_front()
        if notification.review:
            self.window.set_filter(QueueFilter.REVIEW)
        if notification.item_id:
            self.window.highlight(notification.item_id)

    def links_from_another_start(self, links: list[str]) -> None:
        self.window.bring_to_front()
        if links:
            self.controller.run(self.controller.add_text("\n".join(links)))

    def _clipboard_links(self, links: list[str]) -> None:
        self.controller.run(self._add_from_clipboard(links))

    async def _add_from_clipboard(self, links: list[str]) -> None:
        outcome = await self.controller.add_text("\n".join(links), quiet_rejection=True)
        if outcome.added and not self.window.isVisible():
            count = len(outcome.added)
            title = (
                self.tr("Added 1 recipe link")
                if count == 1
                else self.tr("Added %n recipe links").replace("%n", str(count))
            )
            self.tray.show_notification(
                Notification(title, outcome.added[0].url, "info", outcome.added[0].id)
            )

    def _watch_clipboard_toggled(self, enabled: bool) -> None:
        self.clipboard.set_enabled(enabled)
        if bool(self.settings.get("WATCH_CLIPBOARD")) != enabled:
            self.settings.set("WATCH_CLIPBOARD", enabled)
            self.controller.run(asyncio.to_thread(self.settings.save))

    def _hidden_to_tray(self) -> None:
        if not self.state.flag("hints/closeToTray"):
            self.state.set_flag("hints/closeToTray")
            self.tray.show_notification(
                Notification(
                    self.tr("InstaRecipe is still running"),
                    self.tr(
                        "It keeps watching for links in the tray. Use Quit in its menu to end it."
                    ),
                    "info",
                )
            )

    def toggle_window(self) -> None:
        if self.window.isVisible() and self.window.isActiveWindow():
            self.window.save_state()
            self.window.hide()
        else:
            self.window.bring_to_front()

    # ---- the local recipe library -----------------------------------------------------------
    async def open_library(self) -> bool:
        """Bring the library's home page up to date, then open it in the browser."""
        loop = asyncio.get_running_loop()
        try:
            home = await loop.run_in_executor(None, _rebuild_library_home, self.paths)
        except OSError as exc:
            self.window.show_message(
                "error",
                self.tr("The recipe library could not be opened: %1").replace(
                    "%1", exc.strerror or str(exc)
                ),
            )
            return False
        return self.window.open_url(home.resolve().as_uri())

    async def watch_library(self) -> None:
        """Rebuild the home page when recipe folders come or go (removed by hand, say)."""
        loop = asyncio.get_running_loop()
        library = self.paths.library_dir
        try:
            await loop.run_in_executor(None, lambda: library.mkdir(parents=True, exist_ok=True))
        except OSError as exc:
            log.warning("The recipe library folder cannot be watched: %s", exc)
            return
        if not self.library_watcher.watch(library):
            log.warning("The recipe library folder cannot be watched: %s", library)

    async def library_folders_changed(self) -> None:
        loop = asyncio.get_running_loop()
        folders = await loop.run_in_executor(None, _library_folder_names, self.paths)
        if folders == self._library_folders:
            return  # only the app's own files changed (the page itself, a photo)
        self._library_folders = folders
        try:
            await loop.run_in_executor(None, _rebuild_library_home, self.paths)
        except OSError as exc:
            log.warning("The library's home page could not be updated: %s", exc)

    # ---- settings and first run -----------------------------------------------------------
    def open_settings(self) -> SettingsDialog:
        if self._settings_dialog is not None:
            self._settings_dialog.raise_()
            self._settings_dialog.activateWindow()
            return self._settings_dialog
        # parented to the window even when it is hidden (opened from the tray), and deleted by
        # Qt on the UI thread when closed: never left to Python's collector on another thread
        # imported here: the pipeline (openai, instaloader) loads off the UI thread at start-up
        from instarecipe_desktop.wiring.connections import InstagramSessions, PipelineConnections

        dialog = SettingsDialog(
            self.settings,
            self.secrets,
            PipelineConnections(self.secrets),
            InstagramSessions(self.secrets, self.settings, self.paths.data_dir),
            self.paths,
            self.window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.settings_saved)
        dialog.finished.connect(lambda _code: setattr(self, "_settings_dialog", None))
        self._settings_dialog = dialog
        dialog.open()
        return dialog

    def settings_saved(self) -> None:
        self.manager.settings_changed()
        self.app_actions.watch_clipboard.setChecked(bool(self.settings.get("WATCH_CLIPBOARD")))
        self.controller.run(self.check_tandoor_token())

    async def check_tandoor_token(self) -> bool:
        """A Tandoor address but no token (after a restart without a keyring): a standing
        banner asks for it, and recipes wait for it (never the local library silently).
        True when the banner is up."""
        url = str(self.settings.get("TANDOOR_BASE_URL") or "").strip()
        token = await asyncio.get_running_loop().run_in_executor(
            None, self.secrets.get, TANDOOR_API_TOKEN
        )
        bar = self.window.message_bar
        if not url or token:
            bar.clear_banner()
            return False
        text = self.tr(
            "Recipes for your Tandoor (%1) wait for its API token: none is known to the app."
        ).replace("%1", url)
        if self.secrets.lasts_until_quit:
            text += " " + self.tr(
                "Without a system keyring it is kept only until the app quits; Settings can keep "
                "it in a private file."
            )
        bar.set_banner("warning", text, self.tr("Enter token…"), self.ask_for_token)
        return True

    def ask_for_token(self) -> SettingsDialog:
        dialog = self.open_settings()
        dialog.tabs.setCurrentIndex(0)  # Tandoor
        dialog.fields[TANDOOR_API_TOKEN].setFocus()
        return dialog

    def maybe_welcome(self) -> WelcomeDialog | None:
        if self.state.flag("firstRun/done") or os.environ.get("INSTARECIPE_NO_WELCOME"):
            return None
        configured = self.settings.get("TANDOOR_BASE_URL") or self.settings.get("LLM_API_BASE_URL")
        if configured:
            self.state.set_flag("firstRun/done")
            return None
        from instarecipe_desktop.wiring.connections import PipelineConnections

        dialog = WelcomeDialog(
            self.settings, self.secrets, PipelineConnections(self.secrets), self.window
        )
        dialog.finished.connect(lambda _code: self.state.set_flag("firstRun/done"))
        dialog.finished.connect(lambda _code: self.settings_saved())
        dialog.open()
        return dialog

    # ---- quitting -------------------------------------------------------------------------
    def request_quit(self) -> None:
        self._quit.set()

    async def wait_for_quit(self) -> None:
        await self._quit.wait()

    async def shutdown(self) -> None:
        self._tray_timer.stop()
        self.library_watcher.stop()
        self.window.quitting = True
        self.window.save_state()
        self.clipboard.set_enabled(False)
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self.window.hide()
        self.tray.hide()
        if self.server is not None:
            self.server.close()
        await self.controller.cancel_tasks()
        await self.manager.close()
        self.thumbnails.close()
        self.window.deleteLater()


def _rebuild_library_home(paths: AppPaths) -> Path:
    """Blocking; imported here so that the window's start does not load the uploaders."""
    from instarecipe_desktop.pipeline.uploading.library.home import rebuild_home

    return rebuild_home(paths.library_dir)


def _library_folder_names(paths: AppPaths) -> tuple[str, ...]:
    from instarecipe_desktop.pipeline.uploading.library.home import recipe_folders

    return tuple(folder.name for folder in recipe_folders(paths.library_dir))


def _quit_on_signals(app: DesktopApp) -> None:
    """SIGINT / SIGTERM end the app cleanly (items persisted, phases resume next time)."""
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_args: loop.call_soon_threadsafe(app.request_quit))
    # Python runs signal handlers only when it gets control: wake it regularly
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(300)


async def run_app(
    qapp: QApplication,
    paths: AppPaths,
    links: Sequence[str],
    minimized: bool,
    server: InstanceServer | None,
) -> int:
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, paths.ensure)
    settings = await loop.run_in_executor(None, Settings, paths.settings_file)
    secrets = await loop.run_in_executor(
        None, lambda: open_secret_store(config_dir=paths.config_dir)
    )
    await loop.run_in_executor(
        None, secrets.known_values
    )  # read once: scrubbed from every log line
    # the adapters' imports take seconds: build them while the queue opens and the window shows
    building = loop.run_in_executor(None, services.build_phases, settings, secrets, paths)
    try:
        # a read-only folder or a full disk: say so plainly instead of failing later
        problem = await loop.run_in_executor(None, writable_problem, paths.database)
        if problem:
            raise StoreError(problem)
        manager = await QueueManager.open(paths, settings, deferred(building))
    except Exception as exc:  # a store that cannot be used: say so, no traceback
        if isinstance(exc, StoreError):
            log.error("The app could not start: %s", exc)
        else:
            log.exception("The app could not start")
        building.cancel()
        QMessageBox.critical(
            None,
            "InstaRecipe",
            QApplication.translate("app", "InstaRecipe could not start:\n%1").replace(
                "%1", str(exc)
            ),
        )
        return 1
    app = DesktopApp(qapp, paths, settings, secrets, manager, server)
    building.add_done_callback(app.adapters_built)
    _quit_on_signals(app)
    if server is not None:
        server.listen()
    app.start(links, minimized or bool(settings.get("START_MINIMIZED")))
    await manager.start()
    app.maybe_welcome()
    await app.wait_for_quit()
    await app.shutdown()
    return 0
