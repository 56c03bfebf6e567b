"""The settings dialog: drawn from the schema, secrets to the keyring (never the file),
environment overrides read-only, connection tests through the real adapters on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtWidgets import QCheckBox, QLineEdit, QSpinBox

from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.secrets import SERVICE, SecretStore
from instarecipe_desktop.core.settings import SCHEMA, Settings
from instarecipe_desktop.ui.connections import ReaderRow
from instarecipe_desktop.ui.settings_dialog import SettingsDialog
from instarecipe_desktop.wiring.connections import InstagramSessions, PipelineConnections
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.fakes.fake_llm import FakeLLM
from tests.fakes.fake_tandoor import READ_ONLY_TOKEN, TOKEN, FakeTandoor
from tests.ui.conftest import Runner

SECRET_TOKEN = "tda_secret_token_value_0123456789"
SECRET_KEY = "sk-test-secret-key-0123456789"


@pytest.fixture
def dialog(
    qtbot: Any, qloop: Any, settings: Settings, paths: AppPaths, run: Runner
) -> Iterator[SettingsDialog]:
    dialog = make_dialog(settings, open_secret_store(), paths)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog._tasks)  # secrets and Instagram status loaded
    yield dialog


def make_dialog(settings: Settings, secrets: SecretStore, paths: AppPaths) -> SettingsDialog:
    """The dialog as the app builds it: the real adapters behind its protocols."""
    return SettingsDialog(
        settings,
        secrets,
        PipelineConnections(secrets),
        InstagramSessions(secrets, settings, paths.data_dir),
        paths,
    )


def field(dialog: SettingsDialog, name: str) -> Any:
    return dialog.fields[name]


def test_every_schema_setting_has_a_field_in_its_tab(dialog: SettingsDialog) -> None:
    assert set(dialog.fields) == {spec.name for spec in SCHEMA}
    assert isinstance(field(dialog, "QUEUE_CONCURRENCY"), QSpinBox)
    assert isinstance(field(dialog, "WATCH_CLIPBOARD"), QCheckBox)
    token = field(dialog, "TANDOOR_API_TOKEN")
    assert isinstance(token, QLineEdit) and token.echoMode() == QLineEdit.EchoMode.Password
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == ["Tandoor", "LLM", "Instagram", "Queue", "Behaviour", "Recipe"]


def test_secrets_go_to_the_keyring_and_never_to_the_settings_file(
    qtbot: Any, dialog: SettingsDialog, settings: Settings, paths: AppPaths, run: Runner
) -> None:
    field(dialog, "TANDOOR_BASE_URL").setText("https://recipes.example.org")
    qtbot.keyClicks(field(dialog, "TANDOOR_API_TOKEN"), SECRET_TOKEN)
    qtbot.keyClicks(field(dialog, "LLM_API_KEY"), SECRET_KEY)
    field(dialog, "QUEUE_CONCURRENCY").setValue(4)
    field(dialog, "NOTIFY_FAILURE").setChecked(False)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    assert keyring.get_password(SERVICE, "TANDOOR_API_TOKEN") == SECRET_TOKEN
    assert keyring.get_password(SERVICE, "LLM_API_KEY") == SECRET_KEY
    text = paths.settings_file.read_text()
    assert SECRET_TOKEN not in text and SECRET_KEY not in text
    assert "TANDOOR_API_TOKEN" not in text and "LLM_API_KEY" not in text
    reread = Settings(paths.settings_file, environ={})
    assert reread.get("TANDOOR_BASE_URL") == "https://recipes.example.org"
    assert reread.get("QUEUE_CONCURRENCY") == 4
    assert reread.get("NOTIFY_FAILURE") is False
    assert not dialog.isVisible()


def test_a_secret_entered_in_the_dialog_is_scrubbed_from_logs(
    qtbot: Any, dialog: SettingsDialog
) -> None:
    from instarecipe_desktop.core.logging_setup import SCRUBBER

    typed = "plain-looking-secret-4711"  # no token shape: only remembering it can hide it
    assert typed in SCRUBBER.scrub(f"connecting with {typed}")
    qtbot.keyClicks(field(dialog, "LLM_API_KEY"), typed)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    assert typed not in SCRUBBER.scrub(f"connecting with {typed}")


def test_a_saved_secret_is_kept_unless_replaced_or_removed(
    qtbot: Any, qloop: Any, settings: Settings, paths: AppPaths
) -> None:
    keyring.set_password(SERVICE, "TANDOOR_API_TOKEN", SECRET_TOKEN)
    keyring.set_password(SERVICE, "LLM_API_KEY", SECRET_KEY)
    dialog = make_dialog(settings, open_secret_store(), paths)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "keyring" in field(dialog, "TANDOOR_API_TOKEN").placeholderText())
    assert field(dialog, "TANDOOR_API_TOKEN").text() == ""  # never shown back
    dialog.findChild(type(dialog.tandoor_test), "LLM_API_KEY_remove").click()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    assert keyring.get_password(SERVICE, "TANDOOR_API_TOKEN") == SECRET_TOKEN
    assert keyring.get_password(SERVICE, "LLM_API_KEY") is None


def test_values_from_the_environment_are_read_only_and_not_written(
    qtbot: Any, qloop: Any, paths: AppPaths
) -> None:
    settings = Settings(
        paths.settings_file, environ={"QUEUE_CONCURRENCY": "7", "TANDOOR_API_TOKEN": "from-env"}
    )
    dialog = make_dialog(
        settings, open_secret_store(environ={"TANDOOR_API_TOKEN": "from-env"}), paths
    )
    qtbot.addWidget(dialog)
    spin = field(dialog, "QUEUE_CONCURRENCY")
    assert spin.value() == 7 and not spin.isEnabled()
    assert "environment variable" in spin.toolTip()
    assert not field(dialog, "TANDOOR_API_TOKEN").isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    text = paths.settings_file.read_text()
    assert "QUEUE_CONCURRENCY" not in text and "from-env" not in text
    assert keyring.get_password(SERVICE, "TANDOOR_API_TOKEN") is None


def test_without_a_keyring_the_dialog_says_so_and_keeps_secrets_in_memory(
    qtbot: Any, qloop: Any, settings: Settings, paths: AppPaths
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        secrets = open_secret_store()
        dialog = make_dialog(settings, secrets, paths)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.keyring_note.isVisibleTo(dialog))
        note = dialog.keyring_note.text()
        assert secrets.status.message in note
        assert "for this session only" in note and "TANDOOR_API_TOKEN" in note
        qtbot.keyClicks(field(dialog, "TANDOOR_API_TOKEN"), SECRET_TOKEN)
        with qtbot.waitSignal(dialog.saved, timeout=5000):
            dialog.save()
        assert secrets.get("TANDOOR_API_TOKEN") == SECRET_TOKEN
        assert SECRET_TOKEN not in paths.settings_file.read_text()
    finally:
        keyring.set_keyring(previous)


def test_llm_preset_fills_the_address_and_model(dialog: SettingsDialog) -> None:
    index = dialog.preset.findText("Ollama")
    dialog.preset.setCurrentIndex(index)
    dialog.preset.activated.emit(index)
    assert field(dialog, "LLM_API_BASE_URL").text() == "http://localhost:11434/v1"
    assert field(dialog, "LLM_MODEL").text() == "llama3.1"


def test_tandoor_test_connection_against_a_fake_tandoor(qtbot: Any, dialog: SettingsDialog) -> None:
    with FakeTandoor() as server:
        field(dialog, "TANDOOR_BASE_URL").setText(server.base_url)
        qtbot.keyClicks(field(dialog, "TANDOOR_API_TOKEN"), TOKEN)
        dialog.tandoor_test.click()
        qtbot.waitUntil(lambda: dialog.tandoor_result.text().startswith(("✔", "✘")), timeout=10_000)
        assert dialog.tandoor_result.text().startswith("✔"), dialog.tandoor_result.text()
        field(dialog, "TANDOOR_API_TOKEN").setText("tda_wrong")
        dialog.tandoor_test.click()
        qtbot.waitUntil(lambda: dialog.tandoor_result.text().startswith("✘"), timeout=10_000)
        assert "token" in dialog.tandoor_result.text()
        field(dialog, "TANDOOR_API_TOKEN").setText(READ_ONLY_TOKEN)
    assert keyring.get_password(SERVICE, "TANDOOR_API_TOKEN") is None  # testing saves nothing


def test_llm_test_connection_against_a_fake_server(qtbot: Any, dialog: SettingsDialog) -> None:
    with FakeLLM() as server:
        field(dialog, "LLM_API_BASE_URL").setText(server.base_url)
        field(dialog, "LLM_MODEL").setText("")
        qtbot.keyClicks(field(dialog, "LLM_API_KEY"), "sk-any")
        dialog.llm_test.click()
        qtbot.waitUntil(lambda: dialog.llm_result.text().startswith(("✔", "✘")), timeout=10_000)
        assert dialog.llm_result.text().startswith("✔"), dialog.llm_result.text()
    field(dialog, "LLM_API_BASE_URL").setText("")
    dialog.llm_test.click()
    qtbot.waitUntil(lambda: "Enter the address" in dialog.llm_result.text())


def test_instagram_tab_shows_the_session_state(dialog: SettingsDialog) -> None:
    assert dialog.instagram_status.text().startswith("Not logged in")
    dialog.logout_button.click()


class RecordingInstagram:
    """An ``InstagramLogin`` that records what the dialog asks of it."""

    browsers = ("firefox", "librewolf", "chrome")

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.logged_in_as: str | None = None

    def status(self) -> str:
        return f"Logged in as {self.logged_in_as}." if self.logged_in_as else "Not logged in."

    def readers(self) -> list[ReaderRow]:
        session = "present" if self.logged_in_as else "none (anonymous)"
        return [
            ReaderRow("instaloader", "4.16", "resting until 21:42", "never", session),
            ReaderRow("yt-dlp", "not installed", "not installed", "never", session),
        ]

    def import_session(self, browser: str, profile: Any) -> tuple[bool, str]:
        self.calls.append(("import", browser))
        self.logged_in_as = "cook"
        return True, f"Session of cook imported from {browser.capitalize()}."

    def log_in(self, username: str, password: str, ask_code: Any) -> tuple[bool, str]:
        self.calls.append(("log_in", username))
        return False, "Instagram did not accept the username or password."

    def log_out(self) -> tuple[bool, str]:
        self.calls.append(("log_out",))
        self.logged_in_as = None
        return True, "Logged out."


def test_the_browsers_offered_are_those_the_session_importer_reads(dialog: SettingsDialog) -> None:
    from instarecipe_desktop.pipeline.extraction.browsers import SUPPORTED_BROWSERS

    offered = [dialog.browser.itemData(i) for i in range(dialog.browser.count())]
    assert offered == list(SUPPORTED_BROWSERS)
    assert "librewolf" in offered and "safari" not in offered  # the importer rejects Safari


def test_the_instagram_tab_works_through_the_protocol_it_is_handed(
    qtbot: Any, qloop: Any, settings: Settings, paths: AppPaths
) -> None:
    secrets = open_secret_store()
    instagram = RecordingInstagram()
    dialog = SettingsDialog(settings, secrets, PipelineConnections(secrets), instagram, paths)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.instagram_status.text() == "Not logged in.")
    assert [dialog.browser.itemText(i) for i in range(dialog.browser.count())] == [
        "Firefox",
        "Librewolf",
        "Chrome",
    ]
    dialog.browser.setCurrentIndex(1)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.instagram_status.text() == "Logged in as cook.")
    assert instagram.calls == [("import", "librewolf")]
    assert dialog.instagram_result.text() == "Session of cook imported from Librewolf."
    dialog.logout_button.click()
    qtbot.waitUntil(lambda: dialog.instagram_status.text() == "Not logged in.")
    assert instagram.calls[-1] == ("log_out",)
    qtbot.waitUntil(lambda: table_rows(dialog)[0][4] == "none (anonymous)")
    assert table_rows(dialog)[1][:3] == ["yt-dlp", "not installed", "not installed"]


def table_rows(dialog: SettingsDialog) -> list[list[str]]:
    table = dialog.readers_table
    return [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


def test_the_instagram_tab_lists_each_reader_as_the_record_says(
    qtbot: Any, qloop: Any, settings: Settings, paths: AppPaths
) -> None:
    from instarecipe_desktop.pipeline.extraction.readers.health import READERS_FILE, ReaderHealth
    from instarecipe_desktop.pipeline.extraction.readers.status import local_hh_mm
    from instarecipe_desktop.pipeline.extraction.session import InstagramSession, SessionVault

    health = ReaderHealth(paths.data_dir / READERS_FILE, rest_after=1)
    health.failed(
        "instaloader", "Instagram sent an answer this app does not understand.", counts=True
    )
    health.succeeded("yt-dlp")
    secrets = SecretStore()
    SessionVault(secrets).save(
        InstagramSession(
            username="cook", source="firefox", cookies={"sessionid": "1%3Asecret-cookie"}
        )
    )
    dialog = make_dialog(settings, secrets, paths)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.readers_table.rowCount() == 3)
    rows = table_rows(dialog)
    headers = [
        dialog.readers_table.horizontalHeaderItem(c).text()
        for c in range(dialog.readers_table.columnCount())
    ]
    assert headers == ["Reader", "Version", "State", "Last success", "Session"]
    assert [r[0] for r in rows] == ["instaloader", "yt-dlp", "the public embed page"]
    until = local_hh_mm(
        ReaderHealth(paths.data_dir / READERS_FILE).record("instaloader").rested_until
    )
    assert rows[0][2] == f"resting until {until}" and rows[0][3] == "never"
    assert rows[0][4] == "present"
    assert rows[1][2] == "ok" and rows[1][3] != "never"
    assert rows[2][4] == "not used (always anonymous)"
    assert not any("secret-cookie" in cell for row in rows for cell in row)


def test_remove_is_disabled_when_there_is_no_secret_to_remove(
    qtbot: Any, qloop: Any, settings: Settings, paths: AppPaths
) -> None:
    keyring.set_password(SERVICE, "LLM_API_KEY", SECRET_KEY)
    dialog = make_dialog(settings, open_secret_store(), paths)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "keyring" in field(dialog, "LLM_API_KEY").placeholderText())
    token_remove = dialog.remove_buttons["TANDOOR_API_TOKEN"]
    key_remove = dialog.remove_buttons["LLM_API_KEY"]
    assert not token_remove.isEnabled()  # no token saved: nothing to remove
    assert key_remove.isEnabled()
    key_remove.click()
    assert not key_remove.isEnabled()  # pressed once: it will be removed on Save


def test_without_a_keyring_settings_offer_the_private_file_and_it_survives_a_restart(
    qtbot: Any, qloop: Any, settings: Settings, paths: AppPaths
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        secrets = open_secret_store(config_dir=paths.config_dir)
        dialog = make_dialog(settings, secrets, paths)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.private_file.isVisible())
        assert "lasts until the app quits" in dialog.keyring_note.text()
        dialog.private_file.setChecked(True)
        qtbot.keyClicks(field(dialog, "TANDOOR_API_TOKEN"), SECRET_TOKEN)
        with qtbot.waitSignal(dialog.saved, timeout=5000):
            dialog.save()
        restarted = open_secret_store(config_dir=paths.config_dir)
        assert restarted.get("TANDOOR_API_TOKEN") == SECRET_TOKEN
        assert SECRET_TOKEN not in paths.settings_file.read_text()
        again = make_dialog(settings, restarted, paths)
        qtbot.addWidget(again)
        qtbot.waitUntil(
            lambda: "private file" in field(again, "TANDOOR_API_TOKEN").placeholderText()
        )
        assert again.private_file.isChecked()
    finally:
        keyring.set_keyring(previous)
