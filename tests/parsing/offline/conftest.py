"""Fixtures of the offline parser tests: labelled captions and the eval scorer's own matching."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def scorer(test_data_dir: Path) -> ModuleType:
    """tests/data/eval/score.py (copied from shared/) as a module, so tests match ingredients exactly as the eval does."""
    spec = importlib.util.spec_from_file_location("eval_score", test_data_dir / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_labels(folder: Path) -> list[dict[str, Any]]:
    return json.loads((folder / "labels.json").read_text(encoding="utf-8"))
