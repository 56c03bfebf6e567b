"""The main window: add field, filter and search, the queue table, the details pane, a message
bar and a status bar with counts. It asks the ``QueueController`` for everything it changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from instarecipe_desktop.core.items import ItemStatus, PhaseName, PhaseStatus, QueueItem
from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.ui.actions import AppActions
from instarecipe_desktop.ui.caption_dialog import CaptionDialog
from instarecipe_desktop.ui.clipboard_watcher import copy_to_clipboard
from instarecipe_desktop.ui.delegates import StatusDelegate
from instarecipe_desktop.ui.details_pane import DetailsPane
from instarecipe_desktop.ui.icons import app_icon
from instarecipe_desktop.ui.import_flow import IMPORT_SUFFIXES, ImportFlow
from instarecipe_desktop.ui.import_progress_bar import ImportProgressBar
from instarecipe_desktop.ui.message_bar import MessageBar
from instarecipe_desktop.ui.notifications import Notification
from instarecipe_desktop.ui.queue_controller import QueueController
from instarecipe_desktop.ui.queue_filter import QueueFilter, QueueFilterProxy
from instarecipe_desktop.ui.queue_model import Column, ItemRole, QueueTableModel
from instarecipe_desktop.ui.ui_state import UiState


def open_result(url: str) -> bool:
    """Open a recipe URL (Tandoor) or a local recipe page (a path or file URL)."""
    qurl = QUrl(url)
    if not qurl.scheme() or len(qurl.scheme()) == 1:  # a plain path (or a Windows drive)
        qurl = QUrl.fromLocalFile(url)
    return QDesktopServices.openUrl(qurl)


class MainWindow(QMainWindow):
    #: closing the window should end the app (no tray to stay in)
    quitRequested = Signal()
    #: the window was hidden into the tray
    hiddenToTray = Signal()

    def __init__(
        self,
        controller: QueueController,
        model: QueueTableModel,
        actions: AppActions,
        state: UiState,
        setting: Callable[[str], Any],
        tray_available: Callable[[], bool],
    ) -> None:
        super().__init__()
        self.controller = controller
        self.model = model
        self.app_actions = actions
        self.state = state
        self.setting = setting
        self.tray_available = tray_available
        self.quitting = False
        self._stop_shown: str | None = None  # the stop reason last shown as a message
        self.setWindowTitle("InstaRecipe")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.setMinimumSize(720, 420)

        self.proxy = QueueFilterProxy(self)
        self.proxy.setSourceModel(model)

        self._build_toolbar()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        self.message_bar = MessageBar()
        layout.addWidget(self.message_bar)
        layout.addLayout(self._build_filter_row())

        self.table = QTableView()
        self.table.setObjectName("queueTable")
        self.table.setModel(self.proxy)
        self.table.viewport().setObjectName("queueTableViewport")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setIconSize(
            self.table.iconSize().expandedTo(self.table.iconSize().__class__(40, 40))
        )
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(48)
        self.table.setItemDelegateForColumn(Column.STATUS, StatusDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in (
            (Column.THUMBNAIL, 52),
            (Column.TITLE, 280),
            (Column.AUTHOR, 120),
            (Column.STATUS, 240),
            (Column.UPDATED, 90),
            (Column.DESTINATION, 100),
        ):
            header.resizeSection(column, width)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(self._double_clicked)
        for action in (actions.remove, actions.open_recipe, actions.copy_link):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.table.addAction(action)
        # the tray menu's shortcuts work in the window too (a shortcut needs a widget)
        for action in (actions.quit, actions.settings, actions.pause):
            self.addAction(action)

        self.details = DetailsPane(actions)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.counts_label = QLabel()
        self.processing_label = QLabel()
        self.import_progress = ImportProgressBar(actions.pause_import)
        self.statusBar().addWidget(self.counts_label, 1)
        self.statusBar().addPermanentWidget(self.import_progress)
        self.statusBar().addPermanentWidget(self.processing_label)
        self.import_flow = ImportFlow(controller, setting, actions.pause_import, self)
        self.import_flow.progressChanged.connect(self.import_progress.show_progress)
        self.file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.file_menu.addAction(actions.import_saved)
        self.file_menu.addSeparator()
        self.file_menu.addAction(actions.settings)
        self.file_menu.addAction(actions.quit)

        # Ctrl+V anywhere in the window queues the clipboard's links (the add field keeps its
        # own paste while it has the focus)
        self.paste_shortcut = QShortcut(QKeySequence.StandardKey.Paste, self)
        self.paste_shortcut.activated.connect(self.add_from_clipboard)

        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        model.itemChanged.connect(self._item_changed)
        model.itemRemoved.connect(self._item_changed)
        model.rowsInserted.connect(self._schedule_status)
        model.rowsRemoved.connect(self._schedule_status)
        model.dataChanged.connect(self._schedule_status)
        controller.message.connect(self.show_message)
        controller.highlight.connect(self.highlight)
        controller.tryNowOffered.connect(self.offer_try_now)
        controller.pausedChanged.connect(self._paused_changed)
        self._connect_actions()

        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(200)
        self._status_timer.timeout.connect(self.update_status)
        # "2 min ago" ages: repaint the visible rows now and then (no model signal needed)
        self._age_timer = QTimer(self)
        self._age_timer.setInterval(30_000)
        self._age_timer.timeout.connect(self.table.viewport().update)
        self._age_timer.start()
        self._restore_state()
        self.update_status()
        self._update_actions()

    # ---- building -------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Main"))
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.add_field = QLineEdit()
        self.add_field.setPlaceholderText(self.tr("Paste an Instagram post or reel link…"))
        self.add_field.setClearButtonEnabled(True)
        self.add_field.setMinimumWidth(260)
        self.add_field.returnPressed.connect(self._add_from_field)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.clicked.connect(self._add_from_field)
        bar.addWidget(self.add_field)
        bar.addWidget(self.add_button)
        bar.addAction(self.app_actions.import_saved)
        bar.addSeparator()
        for action in (
            self.app_actions.retry,
            self.app_actions.retry_all_failed,
            self.app_actions.remove,
            self.app_actions.pause,
        ):
            bar.addAction(action)
        spacer = QWidget()
        spacer.setSizePolicy(
            spacer.sizePolicy().Policy.Expanding, spacer.sizePolicy().Policy.Preferred
        )
        bar.addWidget(spacer)
        bar.addAction(self.app_actions.open_library)
        bar.addAction(self.app_actions.settings)
        self.addToolBar(bar)
        self.toolbar = bar

    def _build_filter_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[QueueFilter, QToolButton] = {}
        for value, text in (
            (QueueFilter.ALL, self.tr("All")),
            (QueueFilter.ACTIVE, self.tr("Active")),
            (QueueFilter.REVIEW, self.tr("Ready for review")),
            (QueueFilter.DONE, self.tr("Done")),
            (QueueFilter.FAILED, self.tr("Failed")),
        ):
            button = QToolButton()
            button.setText(text)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.clicked.connect(lambda _c=False, v=value: self.set_filter(v))
            self.filter_group.addButton(button)
            self.filter_buttons[value] = button
            row.addWidget(button)
        self.filter_buttons[QueueFilter.ALL].setChecked(True)
        row.addStretch(1)
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText(self.tr("Search title, author, link…"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMaximumWidth(320)
        self.search_field.textChanged.connect(self.proxy.set_search_text)
        row.addWidget(self.search_field)
        return row

    def _connect_actions(self) -> None:
        a = self.app_actions
        a.retry.triggered.connect(
            lambda: self.controller.run(self.controller.retry(self.selected_ids()))
        )
        a.retry_all_failed.triggered.connect(
            lambda: self.controller.run(self.controller.retry_all_failed())
        )
        a.remove.triggered.connect(self.remove_selected)
        a.open_recipe.triggered.connect(self.open_selected_recipe)
        a.open_post.triggered.connect(self.open_selected_post)
        a.copy_link.triggered.connect(self.copy_selected_link)
        a.paste_caption.triggered.connect(self.ask_caption)
        a.send_to_tandoor.triggered.connect(lambda: self._reprocess(PhaseName.UPLOADING))
        a.send_again.triggered.connect(lambda: self._resend(as_new=False))
        a.upload_again.triggered.connect(lambda: self._resend(as_new=True))
        a.parse_again.triggered.connect(lambda: self._reprocess(PhaseName.PARSING))
        a.cancel.triggered.connect(self._cancel_selected)
        a.review.triggered.connect(self.details.open_editor)
        self.addAction(a.review)
        self.details.editor.approveRequested.connect(self._approve)
        a.add_from_clipboard.triggered.connect(self.add_from_clipboard)
        a.import_saved.triggered.connect(self.import_flow.choose_file)
        a.pause.toggled.connect(self.controller.set_paused)

    # ---- selection ------------------------------------------------------------------------
    def selected_items(self) -> list[QueueItem]:
        rows = self.table.selectionModel().selectedRows()
        items = [index.data(ItemRole) for index in rows]
        return [item for item in items if isinstance(item, QueueItem)]

    def selected_ids(self) -> list[str]:
        return [item.id for item in self.selected_items()]

    def current_item(self) -> QueueItem | None:
        items = self.selected_items()
        return items[0] if len(items) == 1 else None

    def _selection_changed(self) -> None:
        self.details.show_item(self.current_item())
        self._update_actions()

    def _item_changed(self, item_id: str) -> None:
        shown = self.details.item
        if shown is not None and shown.id == item_id:
            self.details.show_item(self.model.item(item_id))
        if item_id in self.selected_ids():
            self._update_actions()

    def _update_actions(self) -> None:
        items = self.selected_items()
        one = items[0] if len(items) == 1 else None
        failed = [i for i in items if i.status in (ItemStatus.ERROR, ItemStatus.UNHEALTHY)]
        a = self.app_actions
        a.retry.setEnabled(bool(failed))
        a.remove.setEnabled(bool(items))
        a.open_recipe.setEnabled(bool(one and one.results.tandoor_url))
        a.open_post.setEnabled(one is not None)
        a.copy_link.setEnabled(one is not None)
        a.paste_caption.setEnabled(bool(one and failed and one.needs_text()))
        parsed = bool(
            one
            and one.phase(PhaseName.EXTRACTION).status == PhaseStatus.COMPLETED
            and one.status not in (ItemStatus.IN_PROGRESS, ItemStatus.PENDING)
        )
        a.parse_again.setEnabled(parsed)
        a.review.setEnabled(bool(one and self.details.editable(one)))
        uploaded = bool(
            one
            and one.results.recipe
            and one.status not in (ItemStatus.IN_PROGRESS, ItemStatus.PENDING)
        )
        a.send_to_tandoor.setEnabled(bool(uploaded and one and one.destination != "tandoor"))
        saved_in_tandoor = bool(
            one and one.status == ItemStatus.SUCCESS and one.destination == "tandoor"
        )
        a.send_again.setEnabled(bool(uploaded and saved_in_tandoor))
        a.upload_again.setEnabled(bool(uploaded and saved_in_tandoor))
        a.cancel.setEnabled(
            bool(
                one
                and one.status in (ItemStatus.PENDING, ItemStatus.IN_PROGRESS, ItemStatus.UNHEALTHY)
            )
        )

    # ---- actions --------------------------------------------------------------------------
    def add_text(self, text: str) -> None:
        if text.strip():
            self.controller.run(self.controller.add_text(text))

    def _add_from_field(self) -> None:
        text = self.add_field.text()
        if text.strip():
            self.add_field.clear()
            self.add_text(text)

    def add_from_clipboard(self) -> None:
        text = QGuiApplication.clipboard().text()
        if text.strip():
            self.add_text(text)
        else:
            self.show_message("warning", self.tr("The clipboard holds no text."))

    def remove_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.controller.run(self.controller.remove(ids))

    def open_selected_recipe(self) -> None:
        item = self.current_item()
        if item is not None:
            self.open_recipe(item)

    def open_recipe(self, item: QueueItem) -> bool:
        if item.status == ItemStatus.SUCCESS and item.results.tandoor_url:
            return self.open_url(item.results.tandoor_url)
        return False

    def open_url(self, url: str) -> bool:
        """Open in the desktop's browser; without one, say so and copy the address."""
        if open_result(url):
            return True
        copy_to_clipboard(QGuiApplication.clipboard(), url)
        self.show_message(
            "warning",
            self.tr(
                "No web browser could be opened for %1. The address is copied: paste it into a "
                "browser, or set a default browser in your desktop's settings."
            ).replace("%1", url),
        )
        return False

    def open_selected_post(self) -> None:
        item = self.current_item()
        if item is not None:
            self.open_url(item.url)

    def copy_selected_link(self) -> None:
        item = self.current_item()
        if item is not None:
            copy_to_clipboard(QGuiApplication.clipboard(), item.url)
            self.show_message("info", self.tr("Link copied."))

    def ask_caption(self) -> CaptionDialog | None:
        item = self.current_item()
        if item is None:
            return None
        dialog = CaptionDialog(item.url, self, item.results.extracted_text or "")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.controller.run(self.controller.provide_text(item.id, dialog.text()))
        )
        dialog.open()
        return dialog

    def _reprocess(self, phase: PhaseName, options: dict[str, Any] | None = None) -> None:
        item = self.current_item()
        if item is not None:
            self.controller.run(self.controller.reprocess(item.id, phase, options))

    def _approve(self, item_id: str, recipe: Recipe | None) -> None:
        self.controller.run(self._approve_item(item_id, recipe))

    async def _approve_item(self, item_id: str, recipe: Recipe | None) -> None:
        if (
            await self.controller.approve(item_id, recipe)
            and self.details.editor.item_id == item_id
        ):
            self.details.editor.mark_saved()

    def _resend(self, *, as_new: bool) -> None:
        item = self.current_item()
        if item is not None:
            self.controller.run(self.controller.resend(item.id, as_new=as_new))

    def _cancel_selected(self) -> None:
        item = self.current_item()
        if item is not None:
            self.controller.run(self.controller.cancel(item.id))

    def _double_clicked(self, index: QModelIndex) -> None:
        item = index.data(ItemRole)
        if isinstance(item, QueueItem) and not self.open_recipe(item):
            self.select_item(item.id)

    def _context_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        a = self.app_actions
        for action in (
            a.open_recipe,
            a.open_post,
            a.copy_link,
            None,
            a.review,
            a.retry,
            a.paste_caption,
            a.parse_again,
            a.send_to_tandoor,
            a.send_again,
            a.upload_again,
            a.cancel,
            None,
            a.remove,
        ):
            if action is None:
                menu.addSeparator()
            elif action.isEnabled():
                menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(position))

    # ---- filter, highlight ----------------------------------------------------------------
    def set_filter(self, value: QueueFilter) -> None:
        self.filter_buttons[value].setChecked(True)
        self.proxy.set_queue_filter(value)

    def select_item(self, item_id: str) -> bool:
        row = self.model.row_of(item_id)
        if row is None:
            return False
        proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not proxy_index.isValid():  # filtered out: show everything
            self.search_field.clear()
            self.set_filter(QueueFilter.ALL)
            proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(proxy_index, flags)
        self.table.scrollTo(proxy_index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def highlight(self, item_id: str) -> None:
        """The web app's ``?highlight=<id>``: select the row and flash it."""
        self.model.flush()
        if self.select_item(item_id):
            self.model.flash(item_id)

    # ---- messages and status --------------------------------------------------------------
    def show_message(self, level: str, text: str) -> None:
        self.message_bar.show_message(level, text)

    def offer_try_now(self, item_id: str, text: str) -> None:
        self.message_bar.show_message(
            "info",
            text,
            self.tr("Try now"),
            lambda: self.controller.run(self.controller.try_now(item_id)),
        )

    def show_notification(
        self, notification: Notification, on_click: Callable[[Notification], None]
    ) -> None:
        action = self.tr("Open recipe") if notification.url else self.tr("Show")
        text = (
            notification.title
            if not notification.body
            else f"{notification.title} — {notification.body}"
        )
        self.message_bar.show_message(
            notification.level, text, action, lambda: on_click(notification)
        )

    def _paused_changed(self, paused: bool) -> None:
        """Pause is kept across restarts: a person who paused does not want a surprise run."""
        self.state.set_flag("queue/paused", paused)
        self.state.sync()
        self._schedule_status()

    def _schedule_status(self, *_args: object) -> None:
        if not self._status_timer.isActive():
            self._status_timer.start()

    def update_status(self) -> None:
        counts = self.controller.manager.counts()
        total = sum(counts.values())
        success = counts.get(ItemStatus.SUCCESS, 0)
        failed = counts.get(ItemStatus.ERROR, 0)
        parts = [
            self.tr("1 link") if total == 1 else self.tr("%1 links").replace("%1", str(total)),
            self.tr("%1 waiting").replace("%1", str(counts.get(ItemStatus.PENDING, 0))),
            self.tr("%1 working").replace("%1", str(counts.get(ItemStatus.IN_PROGRESS, 0))),
            self.tr("%1 saved").replace("%1", str(success)),
            self.tr("%1 failed").replace("%1", str(failed)),
        ]
        retrying = counts.get(ItemStatus.UNHEALTHY, 0)
        if retrying:
            parts.append(self.tr("%1 will retry").replace("%1", str(retrying)))
        if success + failed:
            parts.append(
                self.tr("%1% success").replace("%1", str(round(100 * success / (success + failed))))
            )
        self.counts_label.setText(" · ".join(parts))
        paused = self.controller.manager.paused
        blocked = self.controller.manager.processing_blocked
        stopped = self.controller.manager.stop_reason
        if stopped and stopped != self._stop_shown:  # said once, not at every event
            self.show_message("error", stopped)
        self._stop_shown = stopped
        if blocked:
            self.processing_label.setText(self.tr("Waiting for the other InstaRecipe"))
        elif stopped:
            self.processing_label.setText(self.tr("Stopped: see the message"))
        elif not self.controller.manager.processing_enabled:
            self.processing_label.setText(self.tr("Processing off (Settings → Queue)"))
        else:
            self.processing_label.setText(self.tr("Paused") if paused else self.tr("Processing"))
        self.processing_label.setToolTip(blocked or stopped or "")
        self.app_actions.pause.setChecked(paused)
        self.app_actions.retry_all_failed.setEnabled(bool(failed or retrying))

    # ---- drag and drop --------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasText() or mime.hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """A dropped export (zip, folder, its files) or text/HTML file is imported; links and
        text are queued as if pasted."""
        mime = event.mimeData()
        files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        importable = [p for p in files if p.is_dir() or p.suffix.lower() in IMPORT_SUFFIXES]
        if importable:
            event.acceptProposedAction()
            for path in importable:
                self.import_flow.start(str(path))
            return
        text = mime.text() if mime.hasText() else " ".join(u.toString() for u in mime.urls())
        event.acceptProposedAction()
        self.add_text(text)

    # ---- state and closing ----------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.state.bytes("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 680)
        header = self.state.bytes("table/header")
        if header is not None:
            self.table.horizontalHeader().restoreState(header)
        splitter = self.state.bytes("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        if self.state.flag("queue/paused"):
            self.controller.set_paused(True)
        try:
            self.set_filter(QueueFilter(self.state.text("table/filter", QueueFilter.ALL)))
        except ValueError:
            self.set_filter(QueueFilter.ALL)

    def save_state(self) -> None:
        self.state.set_bytes("window/geometry", self.saveGeometry())
        self.state.set_bytes("table/header", self.table.horizontalHeader().saveState())
        self.state.set_bytes("window/splitter", self.splitter.saveState())
        self.state.set_text("table/filter", self.proxy.queue_filter.value)
        self.state.sync()

    def bring_to_front(self) -> None:
        self.show()
        self.setWindowState(
            (self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
        )
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        if self.quitting:
            event.accept()
            return
        if self.setting("CLOSE_TO_TRAY") and self.tray_available():
            event.ignore()
            self.hide()
            self.hiddenToTray.emit()
            return
        event.accept()
        self.quitRequested.emit()
