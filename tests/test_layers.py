"""The layer contracts of pyproject.toml ([tool.importlinter]) hold, and they do catch a
violation: a copy of the package with one forbidden import breaks the right contract."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    if not LINT_IMPORTS.is_file():
        pytest.fail("lint-imports is missing: install the test extra (pip install -e '.[test]')")
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_of_the_package(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    shutil.copytree(
        REPO / "instarecipe_desktop",
        root / "instarecipe_desktop",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_layer_contracts_hold() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("files", "contract", "broken"),
    [
        ({"core/keychain_shortcut.py": "import keyring"}, "core knows nothing", "keyring"),
        (
            {"core/window_shortcut.py": "from instarecipe_desktop.ui import formatting"},
            "core knows nothing",
            "instarecipe_desktop.ui",
        ),
        ({"pipeline/qt_shortcut.py": "import PySide6.QtCore"}, "pipeline (the phase", "PySide6"),
        (
            {
                "ui/adapter_shortcut.py": "from instarecipe_desktop.pipeline.uploading import tandoor"
            },
            "ui reaches the adapters",
            "instarecipe_desktop.pipeline",
        ),
        (
            {
                "pipeline/parsing/offline/uses_llm.py": "from instarecipe_desktop.pipeline.parsing import llm",
                "pipeline/parsing/llm/uses_offline.py": "from instarecipe_desktop.pipeline.parsing import offline",
            },
            "no import cycles",
            "instarecipe_desktop.pipeline.parsing",
        ),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, files: dict[str, str], contract: str, broken: str
) -> None:
    root = copy_of_the_package(tmp_path)
    for module, line in files.items():
        (root / "instarecipe_desktop" / module).write_text(line + "\n")
    result = lint_imports(root)
    assert result.returncode == 1, result.stdout + result.stderr
    report = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in report and broken in report, report
