"""Importing saved posts from the window: pick or drop a file, read it off the GUI thread, let
the person choose collections, queue them in one go, and follow the batch to its end (with its
own pause: the rest of the queue goes on).

The export is read and planned in an executor (a zip of a few megabytes takes a second of
parsing, a frame is 16 ms); queueing hands the manager one list, which it adds in chunks with
the event loop free in between.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QWidget

from instarecipe_desktop.core.bulk_import import ImportPlan, plan_import
from instarecipe_desktop.core.export_files import ExportReading, ExportRefused, read_export
from instarecipe_desktop.core.import_progress import BatchProgress
from instarecipe_desktop.core.items import QueueEvent
from instarecipe_desktop.core.links import PostLink
from instarecipe_desktop.core.store import StoreError
from instarecipe_desktop.ui.import_dialog import ImportDialog
from instarecipe_desktop.ui.queue_controller import QueueController

log = logging.getLogger(__name__)

FILE_FILTER = "Instagram export or links (*.zip *.json *.html *.htm *.txt);;All files (*)"
#: what a dropped file must look like to be imported (anything else is read as link text)
IMPORT_SUFFIXES = frozenset({".zip", ".json", ".html", ".htm", ".txt", ".csv", ".md"})
REFRESH_MS = 500


def read_and_plan(path: Path) -> tuple[ExportReading, ImportPlan | None]:
    """Read and plan in one executor job (no plan when nothing was found)."""
    reading = read_export(path)
    return reading, (plan_import(reading) if reading.files else None)


class ImportFlow(QObject):
    #: the progress line of the running import ("" once it is over)
    progressChanged = Signal(str)

    def __init__(
        self,
        controller: QueueController,
        setting: Callable[[str], Any],
        pause_action: QAction,
        parent_widget: QWidget,
    ) -> None:
        super().__init__(parent_widget)
        self.controller = controller
        self.setting = setting
        self.pause_action = pause_action
        self.parent_widget = parent_widget
        self.dialog: ImportDialog | None = None
        self.progress: BatchProgress | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._refresh)
        pause_action.setEnabled(False)
        pause_action.toggled.connect(self.set_batch_paused)

    @property
    def interval_s(self) -> float:
        return float(self.setting("INSTAGRAM_MIN_INTERVAL_S") or 0)

    @property
    def batch_paused(self) -> bool:
        return self.pause_action.isChecked()

    # ---- starting -------------------------------------------------------------------------
    def choose_file(self) -> QFileDialog:
        """Ask for the export (non-blocking: the window keeps working behind the dialog)."""
        picker = QFileDialog(self.parent_widget, self.tr("Import saved posts"))
        picker.setObjectName("importFilePicker")
        picker.setFileMode(QFileDialog.FileMode.ExistingFile)
        picker.setNameFilter(self.tr(FILE_FILTER))
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.fileSelected.connect(self.start)
        picker.open()
        return picker

    def start(self, path: str) -> asyncio.Task[ImportDialog | None]:
        return self.controller.run(self.import_path(path))

    async def import_path(self, path: str) -> ImportDialog | None:
        """Read ``path`` and open the dialog; problems become messages in the window."""
        loop = asyncio.get_running_loop()
        name = Path(path).name or path
        self.controller.message.emit("info", self.tr("Reading %1…").replace("%1", name))
        try:
            reading, plan = await loop.run_in_executor(None, read_and_plan, Path(path))
        except ExportRefused as exc:
            self.controller.message.emit("error", str(exc))
            return None
        if plan is None:
            self.controller.message.emit(
                "error",
                self.tr(
                    "No saved posts were found in %1: it holds none of %2. Choose Instagram's "
                    "data export (the zip or its folder), one of those files, or a text file "
                    "with post links."
                )
                .replace("%1", name)
                .replace("%2", reading.looked_for),
            )
            return None
        if not plan.links and not plan.liked:
            self.controller.message.emit(
                "warning",
                self.tr("None of the links in %1 is an Instagram post or reel.").replace("%1", name)
                if plan.rejected
                else self.tr("No Instagram post links were found in %1.").replace("%1", name),
            )
            return None
        if reading.problems:
            more = len(reading.problems) - 1
            text = reading.problems[0] + (
                self.tr(" (and %n more)").replace("%n", str(more)) if more else ""
            )
            self.controller.message.emit("warning", text)
        dialog = ImportDialog(
            plan, name, self.interval_s, self.controller.manager.has_post_key, self.parent_widget
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.controller.run(self.queue(dialog.chosen_links())))
        dialog.destroyed.connect(self._dialog_gone)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_gone(self) -> None:
        self.dialog = None

    # ---- queueing and following ---------------------------------------------------------
    async def queue(self, links: list[PostLink]) -> int:
        try:
            result = await self.controller.manager.enqueue_links(links, hold=self.batch_paused)
        except StoreError as exc:
            self.controller.message.emit(
                "error", self.tr("Nothing was queued: %1").replace("%1", str(exc))
            )
            return 0
        text = (
            self.tr("Queued 1 post") if result.created == 1 else self.tr("Queued %n posts")
        ).replace("%n", f"{result.created:,}")
        if result.already_queued:
            text += (
                self.tr(" (1 was already in the queue)")
                if result.already_queued == 1
                else self.tr(" (%n were already in the queue)")
            ).replace("%n", f"{result.already_queued:,}")
        self.controller.message.emit("info", text + ".")
        if result.item_ids:
            self._follow(result.item_ids)
        return result.created

    def _follow(self, item_ids: list[str]) -> None:
        """Follow these items (with the unread ones of a running import: one progress line)."""
        if self.progress is not None and not self.progress.finished:
            item_ids = [*self.progress.unread_ids(), *item_ids]
        self._stop_timer()
        self.progress = BatchProgress(item_ids, self.interval_s)
        self.progress.set_paused(self.batch_paused)
        self._unsubscribe = self.controller.manager.subscribe(self._on_event)
        self.pause_action.setEnabled(True)
        self._dirty = True
        self._refresh()
        self._timer.start()

    def set_batch_paused(self, paused: bool) -> None:
        """Hold (or let go) the imported posts not read yet; the rest of the queue goes on."""
        manager = self.controller.manager
        progress = self.progress
        if progress is None:
            return
        if paused:
            manager.hold(progress.unread_ids())
        else:
            manager.release(progress.unread_ids())
        progress.set_paused(paused)
        self._dirty = True
        self._refresh()

    def _on_event(self, event: QueueEvent) -> None:
        if self.progress is not None and self.progress.on_event(event):
            self._dirty = True

    def paused_reason(self) -> str | None:
        if self.batch_paused:
            return self.tr("paused")
        if self.controller.manager.paused:
            return self.tr("processing is paused")
        return None

    def _refresh(self) -> None:
        progress = self.progress
        if progress is None:
            return
        if progress.finished:
            self.controller.message.emit(
                "info", self.tr("Import finished: %1.").replace("%1", progress.text())
            )
            self._finish()
            return
        reason = self.paused_reason()
        if self._dirty or reason is None:  # the time left changes while it runs
            self._dirty = False
            self.progressChanged.emit(progress.text(paused=reason))

    def _finish(self) -> None:
        self._stop_timer()
        self.progress = None  # first: unchecking the pause has nothing left to release
        self.pause_action.setChecked(False)
        self.pause_action.setEnabled(False)
        self.progressChanged.emit("")

    def _stop_timer(self) -> None:
        self._timer.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
