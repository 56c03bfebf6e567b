"""The settings dialog, drawn from the declared schema (``core.settings.SCHEMA``).

Secrets (Tandoor token, LLM key) are written through ``SecretStore`` in an executor, never to
the settings file. Values set by environment variables are shown read-only. The Tandoor and
LLM tabs test the connection and the Instagram tab manages the session through the protocols
the wiring hands in (``ui.connections``): the dialog knows no adapter.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncWrap

from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.secrets import SecretStore
from instarecipe_desktop.core.settings import SCHEMA, Settings, SettingSpec
from instarecipe_desktop.ui import connections
from instarecipe_desktop.ui.connections import ConnectionTests, InstagramLogin, ReaderRow

log = logging.getLogger(__name__)

GROUP_ORDER = ("tandoor", "llm", "instagram", "queue", "behaviour", "recipe")

# (name, base URL, suggested model)
LLM_PRESETS: tuple[tuple[str, str, str], ...] = (
    ("OpenAI", "https://api.openai.com/v1", "gpt-4o-mini"),
    ("Ollama", "http://localhost:11434/v1", "llama3.1"),
    ("LM Studio", "http://localhost:1234/v1", ""),
)


def instagram_browsers(instagram: InstagramLogin) -> list[str]:
    """The browsers offered for a session import: exactly those the importer reads."""
    return [str(name).lower() for name in instagram.browsers]


class SettingsDialog(QDialog):
    #: the settings were saved (file and keyring); the app applies them
    saved = Signal()

    def __init__(
        self,
        settings: Settings,
        secrets: SecretStore,
        checks: ConnectionTests,
        instagram: InstagramLogin,
        paths: AppPaths | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.secrets = secrets
        self.checks = checks
        self.instagram = instagram
        self.paths = paths
        self.setWindowTitle(self.tr("InstaRecipe settings"))
        self.fields: dict[str, QWidget] = {}
        self.secret_present: dict[str, bool] = {}
        self.secret_cleared: set[str] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self.saving: asyncio.Task[Any] | None = None

        layout = QVBoxLayout(self)
        self.keyring_note = self._note("")
        self.keyring_note.setVisible(False)
        layout.addWidget(self.keyring_note)
        self.private_file = QCheckBox(
            self.tr(
                "Keep my secrets in a private file on this computer (only you can read it; "
                "it is not encrypted)"
            )
        )
        self.private_file.setObjectName("privateSecretsFile")
        self.private_file.setChecked(secrets.private_file_enabled)
        self.private_file.setVisible(False)
        layout.addWidget(self.private_file)
        self.remove_buttons: dict[str, QPushButton] = {}
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.forms: dict[str, QFormLayout] = {}
        for group in GROUP_ORDER:
            page = QWidget()
            form = QFormLayout(page)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            self.forms[group] = form
            self.tabs.addTab(page, self._group_title(group))
        self._add_llm_presets()
        for spec in SCHEMA:
            self._add_field(spec)
        self._add_tandoor_test()
        self._add_llm_test()
        self._add_instagram_session()

        self.error_label = self._note("")
        self.error_label.setStyleSheet("color: #d93025;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(620, 520)
        self._run(self._load_secrets())

    # ---- building -------------------------------------------------------------------------
    def _group_title(self, group: str) -> str:
        return {
            "tandoor": self.tr("Tandoor"),
            "llm": self.tr("LLM"),
            "instagram": self.tr("Instagram"),
            "queue": self.tr("Queue"),
            "behaviour": self.tr("Behaviour"),
            "recipe": self.tr("Recipe"),
        }[group]

    def _label(self, spec: SettingSpec) -> str:
        labels = {
            "QUEUE_CONCURRENCY": self.tr("Links at the same time"),
            "QUEUE_TIMEOUT_MS": self.tr("Phase time limit (ms)"),
            "QUEUE_PARSE_TIMEOUT_MS": self.tr("Parsing time limit (ms)"),
            "QUEUE_RETRY_ATTEMPTS": self.tr("Automatic retries"),
            "QUEUE_PROCESSING_ENABLED": self.tr("Process queued links"),
            "LLM_API_BASE_URL": self.tr("Server address"),
            "LLM_MODEL": self.tr("Model"),
            "LLM_API_KEY": self.tr("API key"),
            "RECIPE_LANGUAGE": self.tr("Recipe language"),
            "TRANSCRIBE_AUDIO": self.tr("Transcribe video speech"),
            "LLM_VISION": self.tr("Read recipes from the pictures"),
            "TRANSCRIPTION_MODEL": self.tr("Transcription model"),
            "TANDOOR_BASE_URL": self.tr("Address"),
            "TANDOOR_API_TOKEN": self.tr("API token"),
            "TANDOOR_CA_BUNDLE": self.tr("CA certificate file"),
            "TANDOOR_VERIFY_TLS": self.tr("Verify TLS certificate"),
            "TANDOOR_REUSE_NAMES": self.tr("Reuse my own foods, units and keywords"),
            "HASHTAGS_AS_KEYWORDS": self.tr("Hashtags as keywords"),
            "AUTHOR_AS_KEYWORD": self.tr("Author as keyword"),
            "INSTAGRAM_USERNAME": self.tr("Username"),
            "INSTAGRAM_MIN_INTERVAL_S": self.tr("Seconds between requests"),
            "INSTAGRAM_READ_COMMENTS": self.tr("Read the author's comments"),
            "WATCH_CLIPBOARD": self.tr("Watch the clipboard"),
            "NOTIFY_SUCCESS": self.tr("Notify when a recipe is saved"),
            "NOTIFY_FAILURE": self.tr("Notify when a link fails"),
            "NOTIFY_REVIEW": self.tr("Notify when recipes are ready for review"),
            "START_MINIMIZED": self.tr("Start minimised to the tray"),
            "CLOSE_TO_TRAY": self.tr("Closing the window keeps the app in the tray"),
            "START_AT_LOGIN": self.tr("Start at login"),
        }
        return labels.get(spec.name, spec.name.replace("_", " ").capitalize())

    @staticmethod
    def _note(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        return label

    def _add_field(self, spec: SettingSpec) -> None:
        form = self.forms.get(spec.group)
        if form is None:
            return
        value = self.settings.get(spec.name)
        widget: QWidget
        if spec.type is bool:
            box = QCheckBox(self._label(spec))
            box.setChecked(bool(value))
            widget = box
        elif spec.type is int:
            spin = QSpinBox()
            spin.setRange(
                spec.minimum if spec.minimum is not None else 0,
                spec.maximum if spec.maximum is not None else 1_000_000_000,
            )
            spin.setValue(int(value))
            widget = spin
        elif spec.choices:
            combo = QComboBox()
            combo.addItems(list(spec.choices))
            combo.setCurrentText(str(value))
            widget = combo
        else:
            line = QLineEdit(str(value) if not spec.secret else "")
            if spec.secret:
                line.setEchoMode(QLineEdit.EchoMode.Password)
                line.setPlaceholderText(self.tr("not set"))
                line.textEdited.connect(lambda _t, n=spec.name: self.secret_cleared.discard(n))
            widget = line
        widget.setToolTip(spec.description)
        widget.setObjectName(spec.name)
        overridden = (
            self.secrets.is_from_environment(spec.name)
            if spec.secret
            else self.settings.is_overridden(spec.name)
        )
        if overridden:
            widget.setEnabled(False)
            widget.setToolTip(
                spec.description
                + "\n"
                + self.tr("Set by the environment variable %1 for this run.").replace(
                    "%1", spec.name
                )
            )
        self.fields[spec.name] = widget
        if spec.type is bool:
            form.addRow(widget)
        elif spec.secret:
            row = QHBoxLayout()
            row.addWidget(widget, 1)
            clear = QPushButton(self.tr("Remove"))
            clear.setObjectName(f"{spec.name}_remove")
            clear.clicked.connect(lambda _c=False, n=spec.name: self._clear_secret(n))
            clear.setEnabled(False)  # until the secret is known to be there (_load_secrets)
            clear.setToolTip(self.tr("Forget the saved secret when you save"))
            self.remove_buttons[spec.name] = clear
            row.addWidget(clear)
            form.addRow(self._label(spec), row)
        else:
            form.addRow(self._label(spec), widget)
        hint = self._note(spec.description)
        hint.setEnabled(False)  # drawn in the palette's dim text colour
        form.addRow("", hint)

    def _add_llm_presets(self) -> None:
        self.preset = QComboBox()
        self.preset.addItem(self.tr("Custom / none (offline parser when empty)"), None)
        for name, url, model in LLM_PRESETS:
            self.preset.addItem(name, (url, model))
        self.preset.setCurrentIndex(0)
        self.preset.activated.connect(self._apply_preset)
        self.forms["llm"].addRow(self.tr("Preset"), self.preset)

    def _apply_preset(self, index: int) -> None:
        data = self.preset.itemData(index)
        if not data:
            return
        url, model = data
        url_field = self.fields["LLM_API_BASE_URL"]
        model_field = self.fields["LLM_MODEL"]
        if isinstance(url_field, QLineEdit) and url_field.isEnabled():
            url_field.setText(url)
        if isinstance(model_field, QLineEdit) and model_field.isEnabled() and model:
            model_field.setText(model)

    def _select_matching_preset(self) -> None:
        url = self.text_value("LLM_API_BASE_URL")
        for index in range(self.preset.count()):
            data = self.preset.itemData(index)
            if data and data[0] == url:
                self.preset.setCurrentIndex(index)

    def _add_tandoor_test(self) -> None:
        self.tandoor_test = QPushButton(self.tr("Test connection"))
        self.tandoor_result = self._note("")
        self.tandoor_test.clicked.connect(lambda: self._run(self._test_tandoor()))
        self.forms["tandoor"].addRow(self.tandoor_test, self.tandoor_result)

    def _add_llm_test(self) -> None:
        self.llm_test = QPushButton(self.tr("Test connection"))
        self.llm_result = self._note("")
        self.llm_test.clicked.connect(lambda: self._run(self._test_llm()))
        self.forms["llm"].addRow(self.llm_test, self.llm_result)
        self._select_matching_preset()

    def _add_instagram_session(self) -> None:
        form = self.forms["instagram"]
        self.instagram_status = self._note(self.tr("Checking…"))
        form.insertRow(0, self.tr("Session"), self.instagram_status)
        row = QHBoxLayout()
        self.browser = QComboBox()
        for name in instagram_browsers(self.instagram):
            self.browser.addItem(name.capitalize(), name)
        self.import_button = QPushButton(self.tr("Import from browser"))
        self.import_button.clicked.connect(lambda: self._run(self._import_session()))
        self.login_button = QPushButton(self.tr("Log in…"))
        self.login_button.clicked.connect(lambda: self._run(self._login()))
        self.logout_button = QPushButton(self.tr("Log out"))
        self.logout_button.clicked.connect(lambda: self._run(self._logout()))
        for widget in (self.browser, self.import_button, self.login_button, self.logout_button):
            row.addWidget(widget)
        form.insertRow(1, "", row)
        self.instagram_result = self._note("")
        form.insertRow(2, "", self.instagram_result)
        self.readers_table = self._readers_table()
        form.insertRow(3, self.tr("Readers"), self.readers_table)

    def _readers_table(self) -> QTableWidget:
        """The readers tried in order to read a post, with their state (``instagram status``)."""
        headers = [
            self.tr("Reader"),
            self.tr("Version"),
            self.tr("State"),
            self.tr("Last success"),
            self.tr("Session"),
        ]
        table = QTableWidget(0, len(headers))
        table.setObjectName("readers_table")
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.setMaximumHeight(150)
        table.setToolTip(
            self.tr(
                "Each way of reading a post, tried in this order. A reader that failed 3 times "
                "in a row rests for 30 minutes; the next one is asked instead."
            )
        )
        return table

    def show_readers(self, rows: list[ReaderRow]) -> None:
        self.readers_table.setRowCount(len(rows))
        for row, reader in enumerate(rows):
            for column, text in enumerate(reader):
                cell = QTableWidgetItem(str(text))
                cell.setToolTip(str(text))
                self.readers_table.setItem(row, column, cell)
        self.readers_table.resizeRowsToContents()

    async def _refresh_instagram(self) -> None:
        """The session line and the readers' table, read off the UI thread."""
        self.instagram_status.setText(await connections.in_executor(self.instagram.status))
        rows = await connections.in_executor(lambda: list(self.instagram.readers()))
        self.show_readers(rows)

    # ---- values ---------------------------------------------------------------------------
    def text_value(self, name: str) -> str:
        widget = self.fields[name]
        return widget.text().strip() if isinstance(widget, QLineEdit) else ""

    def values(self) -> dict[str, Any]:
        """The non-secret values as shown."""
        out: dict[str, Any] = {}
        for spec in SCHEMA:
            widget = self.fields.get(spec.name)
            if widget is None or spec.secret:
                continue
            if isinstance(widget, QCheckBox):
                out[spec.name] = widget.isChecked()
            elif isinstance(widget, QSpinBox):
                out[spec.name] = widget.value()
            elif isinstance(widget, QComboBox):
                out[spec.name] = widget.currentText()
            elif isinstance(widget, QLineEdit):
                out[spec.name] = widget.text().strip()
        return out

    def _clear_secret(self, name: str) -> None:
        field = self.fields[name]
        if isinstance(field, QLineEdit):
            field.clear()
            field.setPlaceholderText(self.tr("will be removed when you save"))
        self.secret_cleared.add(name)
        self.remove_buttons[name].setEnabled(False)

    # ---- async work -----------------------------------------------------------------------
    def _run(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("A settings action failed", exc_info=task.exception())
            self.error_label.setText(
                self.tr("That did not work: %1").replace("%1", str(task.exception()))
            )
            self.error_label.show()

    async def _load_secrets(self) -> None:
        names = [spec.name for spec in SCHEMA if spec.secret]
        present = await connections.in_executor(
            lambda: {name: bool(self.secrets.get(name)) for name in names}
        )
        self.secret_present = present
        for name, is_set in present.items():
            button = self.remove_buttons.get(name)
            if button is not None:  # nothing to remove: no Remove to press
                button.setEnabled(is_set and not self.secrets.is_from_environment(name))
            field = self.fields.get(name)
            if isinstance(field, QLineEdit) and is_set:
                if self.secrets.status.usable:
                    where = self.tr("saved in the keyring")
                elif self.secrets.private_file_enabled:
                    where = self.tr("saved in your private file")
                else:
                    where = self.tr("kept in memory until the app quits")
                field.setPlaceholderText(
                    self.tr("•••••• (%1; type to replace)").replace("%1", where)
                )
        if not self.secrets.status.usable:
            self.keyring_note.setText(
                self.secrets.status.message
                + "\n"
                + self.tr(
                    "A token entered here lasts until the app quits; after a restart, recipes for "
                    "your Tandoor wait for it. Your choices: set up a keyring and restart the "
                    "app; or enter the secrets here for this session only; or tick the box below "
                    "to keep them in a private file; or start the app with the environment "
                    "variables TANDOOR_API_TOKEN and LLM_API_KEY. They are never written to the "
                    "settings file."
                )
            )
            self.keyring_note.show()
            self.private_file.show()
        await self._refresh_instagram()

    def _secret_value(self, name: str) -> str | None:
        """The typed secret, or None when unchanged; empty string means remove."""
        if name in self.secret_cleared:
            return ""
        typed = self.text_value(name)
        return typed or None

    async def _test_tandoor(self) -> None:
        self.tandoor_result.setText(self.tr("Testing…"))
        values = self.values()
        token = self._secret_value("TANDOOR_API_TOKEN")
        if token is None:
            token = await connections.in_executor(self.secrets.get, "TANDOOR_API_TOKEN") or ""
        ok, message = await self.checks.test_tandoor(
            values["TANDOOR_BASE_URL"],
            token,
            values["TANDOOR_CA_BUNDLE"],
            bool(values["TANDOOR_VERIFY_TLS"]),
        )
        self.tandoor_result.setText(("✔ " if ok else "✘ ") + message)

    async def _test_llm(self) -> None:
        self.llm_result.setText(self.tr("Testing…"))
        key = self._secret_value("LLM_API_KEY") or ""
        ok, message = await self.checks.test_llm(self.values(), key)
        self.llm_result.setText(("✔ " if ok else "✘ ") + message)

    async def _import_session(self) -> None:
        self.instagram_result.setText(self.tr("Reading the browser's cookies…"))
        browser = str(self.browser.currentData())
        _ok, message = await connections.in_executor(self.instagram.import_session, browser, None)
        self.instagram_result.setText(message)
        await self._refresh_instagram()

    async def _login(self) -> None:
        username = self.text_value("INSTAGRAM_USERNAME")
        if not username:
            self.instagram_result.setText(self.tr("Enter your Instagram username first."))
            return
        # a modal dialog runs a nested Qt loop: never directly inside a coroutine
        password, ok = await asyncWrap(
            QInputDialog.getText,
            self,
            self.tr("Log in to Instagram"),
            self.tr("Password of %1 (used once, never stored):").replace("%1", username),
            QLineEdit.EchoMode.Password,
        )
        if not ok or not password:
            return
        loop = asyncio.get_running_loop()

        def ask_code() -> str | None:  # runs on the executor thread
            return asyncio.run_coroutine_threadsafe(self._ask_code(), loop).result()

        self.instagram_result.setText(self.tr("Logging in…"))
        _ok, message = await connections.in_executor(
            self.instagram.log_in, username, password, ask_code
        )
        self.instagram_result.setText(message)
        await self._refresh_instagram()

    async def _ask_code(self) -> str | None:
        code, ok = await asyncWrap(
            QInputDialog.getText,
            self,
            self.tr("Two-factor code"),
            self.tr("Code from your authenticator app or SMS:"),
        )
        return code if ok else None

    async def _logout(self) -> None:
        _ok, message = await connections.in_executor(self.instagram.log_out)
        self.instagram_result.setText(message)
        await self._refresh_instagram()

    # ---- saving ---------------------------------------------------------------------------
    def save(self) -> asyncio.Task[Any]:
        """Validate, then write (file and keyring off the UI thread); closes when done."""
        if self.saving is None or self.saving.done():
            self.saving = self._run(self._save())
        return self.saving

    async def _save(self) -> bool:
        self.error_label.hide()
        values = self.values()
        problems: list[str] = []
        before_autostart = bool(self.settings.get("START_AT_LOGIN"))
        for name, value in values.items():
            if self.settings.is_overridden(name):
                continue
            try:
                self.settings.set(name, value)
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            self.error_label.setText("\n".join(problems))
            self.error_label.show()
            return False
        self.buttons.setEnabled(False)
        try:
            if self.private_file.isChecked() != self.secrets.private_file_enabled:
                await connections.in_executor(
                    self.secrets.use_private_file, self.private_file.isChecked()
                )
            for spec in SCHEMA:
                if not spec.secret or self.secrets.is_from_environment(spec.name):
                    continue
                secret = self._secret_value(spec.name)
                if secret is None:
                    continue
                await connections.in_executor(self.secrets.set, spec.name, secret)
            await connections.in_executor(self.settings.save)
            wanted_autostart = bool(self.settings.get("START_AT_LOGIN"))
            if wanted_autostart != before_autostart:
                ok, message = await connections.in_executor(
                    connections.set_start_at_login, wanted_autostart
                )
                if not ok:
                    self.error_label.setText(message)
                    self.error_label.show()
        except OSError as exc:
            self.error_label.setText(
                self.tr("The settings could not be saved: %1").replace("%1", str(exc))
            )
            self.error_label.show()
            return False
        finally:
            self.buttons.setEnabled(True)
        self.saved.emit()
        self.accept()
        return True

    def done(self, result: int) -> None:
        for task in list(self._tasks):
            if task is not self.saving:
                task.cancel()
        super().done(result)
