"""SecretStore: environment, then the backend handed in, then memory; every secret it sets is
scrubbed from the logs. The system keyring adapter (integration.keychain) on the test keyring."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from instarecipe_desktop.core.logging_setup import configure_logging, remove_handlers
from instarecipe_desktop.core.paths import AppPaths, resolve_paths
from instarecipe_desktop.core.secrets import (
    LLM_API_KEY,
    SERVICE,
    TANDOOR_API_TOKEN,
    SecretBackendError,
    SecretStore,
)
from instarecipe_desktop.integration.keychain import SystemKeyring
from instarecipe_desktop.wiring.secrets import open_secret_store


class BrokenBackend:
    """A keyring that is there but refuses every call (locked, D-Bus gone)."""

    name = "tests.BrokenBackend"
    usable = True

    def get(self, service: str, key: str) -> str | None:
        raise SecretBackendError("locked")

    def set(self, service: str, key: str, value: str) -> None:
        raise SecretBackendError("locked")

    def delete(self, service: str, key: str) -> None:
        raise SecretBackendError("locked")


@pytest.fixture
def logged() -> Iterator[AppPaths]:
    paths = resolve_paths().ensure()
    configure_logging(paths)
    yield paths
    remove_handlers()


def test_secret_round_trip_through_keyring_file(data_dir: Path, tmp_path: Path) -> None:
    store = open_secret_store(environ={})
    assert store.status.usable
    assert store.status.backend == "tests.support.memory_keyring.MemoryKeyring"
    store.set(TANDOOR_API_TOKEN, "tda_secret_value")
    assert open_secret_store(environ={}).get(TANDOOR_API_TOKEN) == "tda_secret_value"
    assert "tda_secret_value" in (tmp_path / "keyring.json").read_text()
    store.delete(TANDOOR_API_TOKEN)
    assert open_secret_store(environ={}).get(TANDOOR_API_TOKEN) is None
    store.delete(TANDOOR_API_TOKEN)  # deleting what is not there is fine


def test_environment_overrides_keyring() -> None:
    open_secret_store(environ={}).set(LLM_API_KEY, "from-keyring")
    store = open_secret_store(environ={LLM_API_KEY: "from-env"})
    assert store.get(LLM_API_KEY) == "from-env"
    assert store.is_from_environment(LLM_API_KEY)


def test_without_usable_keyring_secrets_stay_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    assert not SystemKeyring().usable
    store = open_secret_store(environ={})
    assert not store.status.usable
    assert "memory" in store.status.message
    store.set(TANDOOR_API_TOKEN, "only-in-memory")
    assert store.get(TANDOOR_API_TOKEN) == "only-in-memory"
    assert open_secret_store(environ={}).get(TANDOOR_API_TOKEN) is None


def test_without_a_backend_the_store_keeps_secrets_in_memory(tmp_path: Path) -> None:
    store = SecretStore(environ={})
    assert not store.status.usable and store.status.backend == "memory"
    store.set(TANDOOR_API_TOKEN, "tda_memory_only_value")
    assert store.get(TANDOOR_API_TOKEN) == "tda_memory_only_value"
    assert SecretStore(environ={}).get(TANDOOR_API_TOKEN) is None
    assert not (tmp_path / "keyring.json").exists()  # the keyring was never asked


def test_a_refusing_backend_loses_nothing_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    store = SecretStore(environ={}, backend=BrokenBackend())
    assert store.status.usable
    with caplog.at_level(logging.WARNING):
        store.set(TANDOOR_API_TOKEN, "tda_kept_in_memory_value")
    assert store.get(TANDOOR_API_TOKEN) == "tda_kept_in_memory_value"
    assert "Saving TANDOOR_API_TOKEN in the keyring failed (locked)" in caplog.text
    store.delete(TANDOOR_API_TOKEN)  # the memory copy goes; the refusal is logged, not raised
    assert store.get(TANDOOR_API_TOKEN) is None
    assert "Deleting TANDOOR_API_TOKEN from the keyring failed: locked" in caplog.text


def test_a_secret_set_through_the_store_never_appears_in_the_log(logged: AppPaths) -> None:
    secret = "typed-in-the-welcome-0123"  # no token shape: only the store's word scrubs it
    odd = "correct horse battery staple"
    store = open_secret_store(environ={})
    store.set(TANDOOR_API_TOKEN, secret)
    store.set(LLM_API_KEY, odd)
    log = logging.getLogger("instarecipe_desktop.test")
    log.warning("the server said: %s / %s", secret, odd)
    log.info("keyring entry %s for %s", odd, SERVICE)
    text = logged.log_file.read_text()
    assert "the server said:" in text and "keyring entry" in text
    assert secret not in text and odd not in text


def test_a_secret_read_from_the_keyring_is_scrubbed_too(logged: AppPaths) -> None:
    import keyring

    keyring.set_password(SERVICE, LLM_API_KEY, "stored by an earlier run 42")
    assert open_secret_store(environ={}).get(LLM_API_KEY) == "stored by an earlier run 42"
    logging.getLogger("instarecipe_desktop.test").warning("key: stored by an earlier run 42")
    text = logged.log_file.read_text()
    assert "key: [redacted]" in text


def test_without_a_keyring_the_private_file_is_opt_in_and_owner_only(tmp_path: Path) -> None:
    import os
    import stat

    from instarecipe_desktop.core.secrets import private_file_in

    path = private_file_in(tmp_path / "config")
    store = SecretStore(environ={}, private_file=path)  # no backend: no keyring
    assert store.lasts_until_quit and not store.private_file_enabled
    store.set(TANDOOR_API_TOKEN, "tda_typed_before_opting_in")
    assert not path.exists()  # never a file behind the person's back

    store.use_private_file(True)
    assert path.is_file() and not store.lasts_until_quit
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "private file" in store.status.message and str(path) in store.status.message
    store.set(LLM_API_KEY, "sk-second")
    restarted = SecretStore(environ={}, private_file=path)  # the next start of the app
    assert restarted.get(TANDOOR_API_TOKEN) == "tda_typed_before_opting_in"
    assert restarted.get(LLM_API_KEY) == "sk-second"
    restarted.delete(LLM_API_KEY)
    assert SecretStore(environ={}, private_file=path).get(LLM_API_KEY) is None

    restarted.use_private_file(False)  # opting out deletes the file, keeps this session's
    assert not path.exists() and restarted.lasts_until_quit
    assert restarted.get(TANDOOR_API_TOKEN) == "tda_typed_before_opting_in"
    assert SecretStore(environ={}, private_file=path).get(TANDOOR_API_TOKEN) is None


def test_with_a_keyring_the_private_file_is_never_used(tmp_path: Path) -> None:
    store = open_secret_store(environ={}, config_dir=tmp_path / "config")
    assert store.status.usable and not store.lasts_until_quit
    store.use_private_file(True)
    store.set(TANDOOR_API_TOKEN, "tda_in_the_keyring")
    assert not (tmp_path / "config" / "secrets.json").exists()
