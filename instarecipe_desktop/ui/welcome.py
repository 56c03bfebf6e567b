"""First run: a short welcome through Tandoor and LLM setup. Everything can be skipped: with
neither, links still become recipes in the local library through the offline parser.

The Tandoor and LLM pages check what was typed with the same *Test connection* as Settings
(``ConnectionTests``): Next runs the test first, and a failure is said in words before going
on (Next again keeps the values anyway). Without a keyring the Tandoor page says the token
lasts until the app quits and offers the opt-in private file."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from instarecipe_desktop.core.secrets import LLM_API_KEY, TANDOOR_API_TOKEN, SecretStore
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.ui import connections
from instarecipe_desktop.ui.connections import ConnectionTests
from instarecipe_desktop.ui.icons import app_icon
from instarecipe_desktop.ui.settings_dialog import LLM_PRESETS

log = logging.getLogger(__name__)


def _text(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class _CheckedPage(QWizardPage):
    """A page whose Next (or Start) asks ``check`` first; False keeps the person here."""

    def __init__(self, check: Callable[[], bool]) -> None:
        super().__init__()
        self._check = check

    def validatePage(self) -> bool:
        return self._check()


class _Check:
    """One page's Test connection: the values last tested and what came of it."""

    def __init__(self) -> None:
        self.values: tuple[str, ...] | None = None
        self.ok = False
        self.task: asyncio.Task[Any] | None = None

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()


class WelcomeDialog(QWizard):
    def __init__(
        self,
        settings: Settings,
        secrets: SecretStore,
        checks: ConnectionTests | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.secrets = secrets
        self.checks = checks
        self.saving: asyncio.Task[Any] | None = None
        self._tandoor_check = _Check()
        self._llm_check = _Check()
        self.setWindowTitle(self.tr("Welcome to InstaRecipe"))
        self.setWindowIcon(app_icon())
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Skip"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Start"))

        intro = QWizardPage()
        intro.setTitle(self.tr("Recipes from Instagram, in your Tandoor"))
        layout = QVBoxLayout(intro)
        layout.addWidget(
            _text(
                self.tr(
                    "Copy the link of a recipe post or reel: InstaRecipe notices it on the clipboard, "
                    "reads the post, turns it into a recipe and saves it.\n\nTwo optional steps follow: "
                    "your Tandoor (where recipes go) and an LLM (which reads captions best). Skip them "
                    "and recipes are saved as web pages in a local library, read by the built-in "
                    "offline parser. You can change this any time in Settings."
                )
            )
        )
        self.addPage(intro)

        tandoor = _CheckedPage(self._tandoor_page_done)
        tandoor.setTitle(self.tr("Your Tandoor (optional)"))
        form = QFormLayout(tandoor)
        self.tandoor_url = QLineEdit(str(settings.get("TANDOOR_BASE_URL")))
        self.tandoor_url.setPlaceholderText("https://recipes.example.org")
        self.tandoor_token = QLineEdit()
        self.tandoor_token.setEchoMode(QLineEdit.EchoMode.Password)
        self.tandoor_token.setPlaceholderText(self.tr("API token with read and write scope"))
        form.addRow(self.tr("Address"), self.tandoor_url)
        form.addRow(self.tr("API token"), self.tandoor_token)
        form.addRow(
            "",
            _text(self.tr("In Tandoor: Settings → API → new token, scope “read write”.")),
        )
        self.private_file = QCheckBox(
            self.tr(
                "Keep my secrets in a private file on this computer (only you can read it; "
                "it is not encrypted)"
            )
        )
        self.private_file.setObjectName("welcomePrivateFile")
        self.private_file.setVisible(not secrets.status.usable)
        self.private_file.setChecked(secrets.private_file_enabled)
        self.keyring_note = _text(self._where_secrets_go())
        self.keyring_note.setObjectName("welcomeKeyringNote")
        self.private_file.toggled.connect(
            lambda _on: self.keyring_note.setText(self._where_secrets_go())
        )
        form.addRow("", self.keyring_note)
        form.addRow("", self.private_file)
        self.tandoor_test = QPushButton(self.tr("Test connection"))
        self.tandoor_result = _text("")
        self.tandoor_result.setObjectName("welcomeTandoorResult")
        self.tandoor_test.clicked.connect(lambda: self._start_tandoor_test(None))
        form.addRow(self.tandoor_test, self.tandoor_result)
        self.addPage(tandoor)

        llm = _CheckedPage(self._llm_page_done)
        llm.setTitle(self.tr("An LLM to read captions (optional)"))
        form = QFormLayout(llm)
        self.preset = QComboBox()
        self.preset.addItem(self.tr("None: the offline parser"), ("", ""))
        for name, url, model in LLM_PRESETS:
            self.preset.addItem(name, (url, model))
        self.llm_url = QLineEdit(str(settings.get("LLM_API_BASE_URL")))
        self.llm_model = QLineEdit(str(settings.get("LLM_MODEL")))
        self.llm_key = QLineEdit()
        self.llm_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.llm_key.setPlaceholderText(self.tr("not needed for Ollama or LM Studio"))
        self.preset.activated.connect(self._preset)
        form.addRow(self.tr("Preset"), self.preset)
        form.addRow(self.tr("Server address"), self.llm_url)
        form.addRow(self.tr("Model"), self.llm_model)
        form.addRow(self.tr("API key"), self.llm_key)
        self.llm_test = QPushButton(self.tr("Test connection"))
        self.llm_result = _text("")
        self.llm_result.setObjectName("welcomeLlmResult")
        self.llm_test.clicked.connect(lambda: self._start_llm_test(None))
        form.addRow(self.llm_test, self.llm_result)
        self.addPage(llm)
        self.accepted.connect(self.save)

    def _where_secrets_go(self) -> str:
        if self.secrets.status.usable:
            return self.tr("The token is kept in your system keyring.")
        if self.private_file.isChecked():
            return self.tr(
                "There is no system keyring on this computer: the token is kept in a private "
                "file that only you can read (not encrypted)."
            )
        return self.tr(
            "There is no system keyring on this computer: the token lasts only until the app "
            "quits, and after a restart recipes wait for it. Tick the box below to keep it in a "
            "private file instead, or set up a keyring (GNOME Keyring, KWallet)."
        )

    # ---- checking before going on ---------------------------------------------------------
    def _tandoor_values(self) -> tuple[str, ...]:
        return (self.tandoor_url.text().strip(), self.tandoor_token.text().strip())

    def _llm_values(self) -> tuple[str, ...]:
        return (
            self.llm_url.text().strip(),
            self.llm_model.text().strip(),
            self.llm_key.text().strip(),
        )

    def _page_done(
        self, check: _Check, values: tuple[str, ...], start: Callable[..., None]
    ) -> bool:
        """Go on when nothing was typed, when these values passed, or when the person was told
        they failed and pressed Next again; otherwise test first (and go on when it passes)."""
        if self.checks is None or not values[0]:
            return True
        if check.running:
            return False
        if check.values == values:
            return True  # passed, or failed and said so: the person's choice now
        start(self.button(self._forward_button()))
        return False

    def _forward_button(self) -> QWizard.WizardButton:
        return (
            QWizard.WizardButton.FinishButton
            if self.currentId() == self.pageIds()[-1]
            else QWizard.WizardButton.NextButton
        )

    def _tandoor_page_done(self) -> bool:
        return self._page_done(
            self._tandoor_check, self._tandoor_values(), self._start_tandoor_test
        )

    def _llm_page_done(self) -> bool:
        return self._page_done(self._llm_check, self._llm_values(), self._start_llm_test)

    def _start_tandoor_test(self, then: QPushButton | None) -> None:
        if self.checks is not None and not self._tandoor_check.running:
            self._tandoor_check.task = asyncio.ensure_future(self._test_tandoor(then))

    def _start_llm_test(self, then: QPushButton | None) -> None:
        if self.checks is not None and not self._llm_check.running:
            self._llm_check.task = asyncio.ensure_future(self._test_llm(then))

    async def _test_tandoor(self, then: QPushButton | None) -> None:
        assert self.checks is not None
        values = self._tandoor_values()
        url, token = values
        if not url:
            self.tandoor_result.setText(self.tr("✘ Enter your Tandoor's address first."))
            return
        self.tandoor_result.setText(self.tr("Testing…"))
        ok, message = await self.checks.test_tandoor(url, token, "", True)
        self._checked(self._tandoor_check, values, ok, message, self.tandoor_result, then)

    async def _test_llm(self, then: QPushButton | None) -> None:
        assert self.checks is not None
        values = self._llm_values()
        url, model, key = values
        self.llm_result.setText(self.tr("Testing…"))
        ok, message = await self.checks.test_llm({"LLM_API_BASE_URL": url, "LLM_MODEL": model}, key)
        self._checked(self._llm_check, values, ok, message, self.llm_result, then)

    def _checked(
        self,
        check: _Check,
        values: tuple[str, ...],
        ok: bool,
        message: str,
        label: QLabel,
        then: QPushButton | None,
    ) -> None:
        check.values, check.ok = values, ok
        if ok:
            label.setText("✔ " + message)
            if then is not None:
                check.task = None  # this test is over: the click below may go on
                then.click()  # the Next (or Start) that asked for the test
            return
        label.setText(
            "✘ "
            + message
            + "\n"
            + self.tr("Fix it, or press %1 again to keep it as it is.").replace(
                "%1", self.buttonText(self._forward_button()).replace("&", "").strip(" <>")
            )
        )

    def _preset(self, index: int) -> None:
        url, model = self.preset.itemData(index)
        self.llm_url.setText(url)
        self.llm_model.setText(model)

    def save(self) -> asyncio.Task[Any]:
        self.saving = asyncio.ensure_future(self._save())
        return self.saving

    async def _save(self) -> None:
        if self.private_file.isChecked() != self.secrets.private_file_enabled:
            try:
                await connections.in_executor(
                    self.secrets.use_private_file, self.private_file.isChecked()
                )
            except OSError as exc:
                log.warning("The private secrets file could not be changed: %s", exc)
        for name, value in (
            ("TANDOOR_BASE_URL", self.tandoor_url.text().strip()),
            ("LLM_API_BASE_URL", self.llm_url.text().strip()),
            ("LLM_MODEL", self.llm_model.text().strip()),
        ):
            if not self.settings.is_overridden(name):
                self.settings.set(name, value)
        for name, secret in (
            (TANDOOR_API_TOKEN, self.tandoor_token.text().strip()),
            (LLM_API_KEY, self.llm_key.text().strip()),
        ):
            if secret:
                await connections.in_executor(self.secrets.set, name, secret)
        await connections.in_executor(self.settings.save)
