"""First run: the welcome can be skipped, or fills Tandoor and LLM settings (secrets to the
keyring); the app shows it only once and not when something is configured."""

from __future__ import annotations

from typing import Any

import keyring
import keyring.backends.fail
from PySide6.QtWidgets import QApplication, QWizard

from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.secrets import SERVICE, SecretStore
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.ui.welcome import WelcomeDialog
from instarecipe_desktop.wiring.app import DesktopApp
from instarecipe_desktop.wiring.connections import PipelineConnections
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.fakes.fake_llm import FakeLLM
from tests.fakes.fake_tandoor import TOKEN, FakeTandoor
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


def _welcome_at_tandoor(qtbot: Any, secrets: SecretStore, settings: Settings) -> WelcomeDialog:
    dialog = WelcomeDialog(settings, secrets, PipelineConnections(secrets))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.next()  # the intro
    assert dialog.currentPage().title() == "Your Tandoor (optional)"
    return dialog


def test_welcome_tests_a_bad_tandoor_address_and_says_so_before_going_on(
    qtbot: Any, qloop: Any, settings: Settings
) -> None:
    dialog = _welcome_at_tandoor(qtbot, open_secret_store(), settings)
    tandoor_page = dialog.currentId()
    dialog.tandoor_url.setText("localhost:1")
    next_button = dialog.button(QWizard.WizardButton.NextButton)
    next_button.click()  # runs the same Test connection as Settings first
    qtbot.waitUntil(lambda: dialog.tandoor_result.text().startswith("✘"), timeout=15_000)
    assert dialog.currentId() == tandoor_page  # said in words, not gone on
    said = dialog.tandoor_result.text()
    assert "press Next again" in said and len(said) > 40
    next_button.click()  # the person keeps it anyway: their choice, now informed
    assert dialog.currentId() != tandoor_page


def test_welcome_goes_on_by_itself_when_the_fake_tandoor_answers(
    qtbot: Any, qloop: Any, settings: Settings
) -> None:
    dialog = _welcome_at_tandoor(qtbot, open_secret_store(), settings)
    tandoor_page = dialog.currentId()
    with FakeTandoor() as server:
        dialog.tandoor_url.setText(server.base_url)
        dialog.tandoor_token.setText(TOKEN)
        dialog.button(QWizard.WizardButton.NextButton).click()
        qtbot.waitUntil(lambda: dialog.currentId() != tandoor_page, timeout=15_000)
    assert dialog.tandoor_result.text().startswith("✔")
    assert keyring.get_password(SERVICE, "TANDOOR_API_TOKEN") is None  # testing saves nothing


def test_welcome_llm_page_uses_the_same_test_against_the_fake_llm(
    qtbot: Any, qloop: Any, settings: Settings
) -> None:
    dialog = _welcome_at_tandoor(qtbot, open_secret_store(), settings)
    dialog.next()  # nothing typed for Tandoor: no test, straight on
    llm_page = dialog.currentId()
    finish = dialog.button(QWizard.WizardButton.FinishButton)
    dialog.llm_url.setText("http://localhost:1/v1")
    dialog.llm_model.setText("any")
    finish.click()
    qtbot.waitUntil(lambda: dialog.llm_result.text().startswith("✘"), timeout=20_000)
    assert dialog.isVisible() and dialog.currentId() == llm_page
    assert "press Start again" in dialog.llm_result.text()
    with FakeLLM() as server:
        dialog.llm_url.setText(server.base_url)
        dialog.llm_model.setText("")
        dialog.llm_key.setText("sk-any")
        with qtbot.waitSignal(dialog.accepted, timeout=20_000):
            finish.click()
    assert dialog.llm_result.text().startswith("✔"), dialog.llm_result.text()


def test_without_a_keyring_the_welcome_says_the_token_lasts_until_quit_and_offers_the_file(
    qtbot: Any, qloop: Any, run: Runner, settings: Settings, paths: AppPaths
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        secrets = open_secret_store(config_dir=paths.config_dir)
        dialog = _welcome_at_tandoor(qtbot, secrets, settings)
        note = dialog.keyring_note.text()
        assert (
            "lasts only until the app quits" in note and "kept in your system keyring" not in note
        )
        assert dialog.private_file.isVisibleTo(dialog) and not dialog.private_file.isChecked()
        dialog.private_file.setChecked(True)
        assert "private file" in dialog.keyring_note.text()
        dialog.tandoor_token.setText("tda_welcome_in_the_file")
        dialog.accept()
        assert dialog.saving is not None
        run(dialog.saving)
        restarted = open_secret_store(config_dir=paths.config_dir)
        assert restarted.get("TANDOOR_API_TOKEN") == "tda_welcome_in_the_file"
        assert "tda_welcome_in_the_file" not in paths.settings_file.read_text()
    finally:
        keyring.set_keyring(previous)


def test_with_a_keyring_the_welcome_says_so_and_offers_no_file(
    qtbot: Any, qloop: Any, settings: Settings
) -> None:
    dialog = _welcome_at_tandoor(qtbot, open_secret_store(), settings)
    assert dialog.keyring_note.text() == "The token is kept in your system keyring."
    assert not dialog.private_file.isVisibleTo(dialog)
