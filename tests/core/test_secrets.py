from pathlib import Path

from instarecipe_desktop.core.secrets import LLM_API_KEY, TANDOOR_API_TOKEN, SecretStore


def test_secret_round_trip_through_keyring_file(data_dir: Path, tmp_path: Path) -> None:
    store = SecretStore(environ={})
    assert store.status.usable
    store.set(TANDOOR_API_TOKEN, "tda_secret_value")
    assert SecretStore(environ={}).get(TANDOOR_API_TOKEN) == "tda_secret_value"
    assert "tda_secret_value" in (tmp_path / "keyring.json").read_text()
    store.delete(TANDOOR_API_TOKEN)
    assert SecretStore(environ={}).get(TANDOOR_API_TOKEN) is None


def test_environment_overrides_keyring() -> None:
    SecretStore(environ={}).set(LLM_API_KEY, "from-keyring")
    store = SecretStore(environ={LLM_API_KEY: "from-env"})
    assert store.get(LLM_API_KEY) == "from-env"
    assert store.is_from_environment(LLM_API_KEY)


def test_without_usable_keyring_secrets_stay_in_memory(monkeypatch) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    store = SecretStore(environ={})
    assert not store.status.usable
    assert "memory" in store.status.message
    store.set(TANDOOR_API_TOKEN, "only-in-memory")
    assert store.get(TANDOOR_API_TOKEN) == "only-in-memory"
    assert SecretStore(environ={}).get(TANDOOR_API_TOKEN) is None
