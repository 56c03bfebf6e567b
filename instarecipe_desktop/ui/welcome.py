"""First run: a short welcome through Tandoor and LLM setup. Everything can be skipped: with
neither, links still become recipes in the local library through the offline parser."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from instarecipe_desktop.core.secrets import LLM_API_KEY, TANDOOR_API_TOKEN, SecretStore
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.ui import connections
from instarecipe_desktop.ui.icons import app_icon
from instarecipe_desktop.ui.settings_dialog import LLM_PRESETS

log = logging.getLogger(__name__)


def _text(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class WelcomeDialog(QWizard):
    def __init__(
        self, settings: Settings, secrets: SecretStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.secrets = secrets
        self.saving: asyncio.Task[Any] | None = None
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

        tandoor = QWizardPage()
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
            _text(
                self.tr(
                    "In Tandoor: Settings → API → new token, scope "
                    "“read write”. It is kept in your system keyring."
                )
            ),
        )
        self.addPage(tandoor)

        llm = QWizardPage()
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
        self.addPage(llm)
        self.accepted.connect(self.save)

    def _preset(self, index: int) -> None:
        url, model = self.preset.itemData(index)
        self.llm_url.setText(url)
        self.llm_model.setText(model)

    def save(self) -> asyncio.Task[Any]:
        self.saving = asyncio.ensure_future(self._save())
        return self.saving

    async def _save(self) -> None:
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
