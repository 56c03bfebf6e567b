"""Every command of the app as one ``QAction``, shared by the toolbar, menus, the context menu
and the tray so that their checked and enabled states always agree."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from instarecipe_desktop.ui.icons import icon


class AppActions(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

        def make(
            text: str,
            icon_name: str | None = None,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            checkable: bool = False,
            tip: str | None = None,
        ) -> QAction:
            action = QAction(text, self)
            if icon_name:
                action.setIcon(icon(icon_name))
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            action.setCheckable(checkable)
            if tip:
                action.setToolTip(tip)
                action.setStatusTip(tip)
            return action

        self.add_from_clipboard = make(
            self.tr("Add from clipboard"),
            "paste",
            tip=self.tr("Queue the Instagram links on the clipboard"),
        )
        self.import_saved = make(
            self.tr("Import saved posts…"),
            "open",
            "Ctrl+O",
            tip=self.tr(
                "Queue saved posts from Instagram's data export, or the links in a text file"
            ),
        )
        self.pause_import = make(
            self.tr("Pause import"),
            "pause",
            checkable=True,
            tip=self.tr("Hold the imported posts not started yet; the rest of the queue goes on"),
        )
        self.pause_import.toggled.connect(self._pause_import_toggled)
        self.retry = make(
            self.tr("Retry"), "retry", "Ctrl+R", tip=self.tr("Try the selected failed links again")
        )
        self.retry_all_failed = make(self.tr("Retry all failed"), "retry-all", "Ctrl+Shift+R")
        self.remove = make(
            self.tr("Remove"),
            "remove",
            QKeySequence.StandardKey.Delete,
            tip=self.tr("Remove the selected links from the queue"),
        )
        self.open_recipe = make(
            self.tr("Open recipe"),
            "open",
            "Return",
            tip=self.tr("Open the saved recipe in your browser"),
        )
        self.open_post = make(self.tr("Open post on Instagram"), None, "Ctrl+I")
        self.copy_link = make(self.tr("Copy link"), "copy", QKeySequence.StandardKey.Copy)
        self.paste_caption = make(
            self.tr("Paste caption text…"),
            "paste",
            "Ctrl+T",
            tip=self.tr("Give the caption yourself when Instagram blocks"),
        )
        self.send_to_tandoor = make(self.tr("Send to Tandoor"), "upload")
        self.send_again = make(
            self.tr("Send again"),
            "upload",
            tip=self.tr("Put this recipe into the same Tandoor recipe again (it is replaced)"),
        )
        self.upload_again = make(
            self.tr("Send again as a new recipe"),
            "upload",
            tip=self.tr("Make a separate copy in Tandoor; the first one stays"),
        )
        self.parse_again = make(self.tr("Parse again"), "parse")
        self.review = make(
            self.tr("Review recipe"),
            None,
            "Ctrl+E",
            tip=self.tr("Check and edit the recipe beside the post's text, then save it"),
        )
        self.cancel = make(self.tr("Stop"), None)
        self.pause = make(
            self.tr("Pause processing"),
            "pause",
            "Ctrl+P",
            checkable=True,
            tip=self.tr("Links are still accepted while paused"),
        )
        self.watch_clipboard = make(
            self.tr("Watch clipboard"),
            "clipboard",
            checkable=True,
            tip=self.tr("Queue Instagram links you copy"),
        )
        self.pause.toggled.connect(self._pause_toggled)
        self.settings = make(self.tr("Settings…"), "settings")
        # the desktop's own Preferences key where it has one, Ctrl+, everywhere
        self.settings.setShortcuts(
            [
                QKeySequence("Ctrl+,"),
                *QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences),
            ]
        )
        self.open_library = make(
            self.tr("Recipe library"),
            "open",
            tip=self.tr("Open the page that lists the recipes saved on this computer"),
        )
        self.show_window = make(self.tr("Show window"), None)
        self.quit = make(self.tr("Quit"), "quit", "Ctrl+Q")

    def _pause_import_toggled(self, paused: bool) -> None:
        self.pause_import.setText(self.tr("Resume import") if paused else self.tr("Pause import"))
        self.pause_import.setIcon(icon("resume" if paused else "pause"))

    def _pause_toggled(self, paused: bool) -> None:
        """The button says what it will do: Resume while paused."""
        if paused:
            self.pause.setText(self.tr("Resume processing"))
            self.pause.setIcon(icon("resume"))
            self.pause.setToolTip(self.tr("Start processing the waiting links again"))
        else:
            self.pause.setText(self.tr("Pause processing"))
            self.pause.setIcon(icon("pause"))
            self.pause.setToolTip(self.tr("Links are still accepted while paused"))
        self.pause.setStatusTip(self.pause.toolTip())
