"""First run: the welcome can be skipped, or fills Tandoor and LLM settings (secrets to the
keyring); the app shows it only once and not when something is configured."""

from __future__ import annotations

from typing import Any

import keyring
from PySide6.QtWidgets import QApplication, QWizard

from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.secrets import SERVICE
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.ui.welcome import WelcomeDialog
from instarecipe_desktop.wiring.app import DesktopApp
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.ui.conftest import Runner


def test_welcome_saves_tandoor_and_llm_with_secrets_in_the_keyring(
    qtbot: Any, qloop: Any, run: Runner, settings: Settings, paths: AppPaths
) -> None:
    dialog = WelcomeDialog(settings, open_secret_store())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tandoor_url.setText("https://recipes.example.org")
    dialog.tandoor_token.setText("tda_welcome_secret")
    index = dialog.preset.findText("Ollama")
    dialog.preset.setCurrentIndex(index)
    dialog.preset.activated.emit(index)
    assert dialog.llm_url.text() == "http://localhost:11434/v1"
    dialog.accept()
    assert dialog.saving is not None
    run(dialog.saving)
    reread = Settings(paths.settings_file, environ={})
    assert reread.get("TANDOOR_BASE_URL") == "https://recipes.example.org"
    assert reread.get("LLM_MODEL") == "llama3.1"
    assert keyring.get_password(SERVICE, "TANDOOR_API_TOKEN") == "tda_welcome_secret"
    assert "tda_welcome_secret" not in paths.settings_file.read_text()


def test_skipping_changes_nothing(
    qtbot: Any, qloop: Any, settings: Settings, paths: AppPaths
) -> None:
    dialog = WelcomeDialog(settings, open_secret_store())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.buttonText(QWizard.WizardButton.CancelButton) == "Skip"
    dialog.tandoor_url.setText("https://typed.but.skipped")
    dialog.reject()
    assert dialog.saving is None
    assert not paths.settings_file.exists()


def test_the_app_welcomes_once(
    qapp: QApplication,
    qtbot: Any,
    paths: AppPaths,
    settings: Settings,
    manager: QueueManager,
    run: Runner,
    monkeypatch: Any,
) -> None:
    monkeypatch.delenv("INSTARECIPE_NO_WELCOME", raising=False)
    app = DesktopApp(qapp, paths, settings, open_secret_store(), manager, None)
    app.start([], minimized=False)
    dialog = app.maybe_welcome()
    assert isinstance(dialog, WelcomeDialog)
    dialog.reject()
    assert app.maybe_welcome() is None  # skipped once: not again
    run(app.shutdown())
    again = DesktopApp(qapp, paths, settings, open_secret_store(), manager, None)
    assert again.maybe_welcome() is None
    again.window.quitting = True
    again.window.deleteLater()


def test_no_welcome_when_tandoor_is_configured(
    qapp: QApplication, paths: AppPaths, manager: QueueManager, run: Runner, monkeypatch: Any
) -> None:
    monkeypatch.delenv("INSTARECIPE_NO_WELCOME", raising=False)
    settings = Settings(None, environ={"TANDOOR_BASE_URL": "https://recipes.example.org"})
    app = DesktopApp(qapp, paths, settings, open_secret_store(), manager, None)
    assert app.maybe_welcome() is None
    run(app.shutdown())
