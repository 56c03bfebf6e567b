"""Suite-wide test environment: no real keyring, no real user folders, Qt offscreen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# CI explores the same examples every run (a fresh random find must not fail a landing);
# developers' runs stay random and keep finding new cases
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.support.memory_keyring.MemoryKeyring"
# settings that a developer's shell might carry must not leak into tests
for _name in (
    "QUEUE_CONCURRENCY",
    "QUEUE_TIMEOUT_MS",
    "QUEUE_RETRY_ATTEMPTS",
    "QUEUE_PROCESSING_ENABLED",
    "LLM_API_BASE_URL",
    "LLM_MODEL",
    "LLM_API_KEY",
    "TANDOOR_BASE_URL",
    "TANDOOR_API_TOKEN",
    "INSTARECIPE_DATA_DIR",
    "INSTARECIPE_CONFIG_DIR",
):
    os.environ.pop(_name, None)

REPO_ROOT = Path(__file__).resolve().parent.parent
# copies of what the suite uses from the shared folder beside the repository: tests/data/README.md
TEST_DATA_DIR = REPO_ROOT / "tests" / "data"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data dir, config dir and keyring file."""
    data_dir = tmp_path / "appdata"
    monkeypatch.setenv("INSTARECIPE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("INSTARECIPE_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))  # subprocesses find tests.support
    return data_dir


@pytest.fixture
def data_dir(_isolated_dirs: Path) -> Path:
    return _isolated_dirs


@pytest.fixture
def test_data_dir() -> Path:
    """Recorded Tandoor exchanges and labelled captions, inside the repository."""
    return TEST_DATA_DIR
