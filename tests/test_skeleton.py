import subprocess
import sys

from instarecipe_desktop import __version__
from instarecipe_desktop.core.items import ItemStatus, PhaseName, PhaseStatus, QueueItem
from instarecipe_desktop.core.recipe import Ingredient, Recipe, Step


def test_version_comes_from_package_metadata() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "instarecipe_desktop", "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == f"instarecipe-desktop {__version__}"
    assert __version__ != "0.0.0+unknown"


def test_queue_item_json_round_trip_keeps_web_app_names() -> None:
    item = QueueItem(url="https://www.instagram.com/p/ABCDE12345/", shortcode="ABCDE12345")
    item.phase(PhaseName.EXTRACTION).status = PhaseStatus.COMPLETED
    item.results.extracted_text = "caption"
    data = item.to_json()
    assert set(data) >= {"id", "url", "status", "phases", "results", "createdAt", "updatedAt"}
    assert [p["name"] for p in data["phases"]] == ["extraction", "parsing", "uploading"]
    assert data["status"] == "pending"
    assert data["createdAt"].endswith("Z")
    back = QueueItem.from_json(data)
    assert back == item
    assert back.next_phase() is PhaseName.PARSING
    assert back.status is ItemStatus.PENDING


def test_recipe_json_round_trip_marks_missing_amounts() -> None:
    recipe = Recipe(name="Soup", steps=[Step("Boil.", [Ingredient("salt", note="to taste")])])
    data = recipe.to_json()
    assert data["steps"][0]["ingredients"][0]["noAmount"] is True
    assert Recipe.from_json(data) == recipe


def test_every_subpackage_is_listed_for_the_wheel() -> None:
    """pyproject lists packages explicitly (resources/ is mapped in); a new one must be added."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    listed = set(
        tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    on_disk = {
        ".".join(init.parent.relative_to(root).parts)
        for init in (root / "instarecipe_desktop").rglob("__init__.py")
    }
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"


def test_a_closed_pipe_ends_a_verb_quietly(tmp_path) -> None:
    """``instarecipe-desktop parse caption.txt | head -1`` must not print a traceback."""
    caption = tmp_path / "caption.txt"
    lines = "".join(f"{n} g item{n}\n" for n in range(1, 400))  # > a pipe buffer of JSON
    caption.write_text(f"Pasta\n\nIngredients:\n{lines}\nMethod:\n1. Cook it all.\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "instarecipe_desktop", "parse", "--offline", str(caption)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `head -1` exiting
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert "Traceback" not in stderr


def test_no_module_of_the_app_is_imported_by_name() -> None:
    """Readers, mypy and PyInstaller see every dependency: plain imports only. The one module
    loaded by name is a test's phase factory (``INSTARECIPE_PHASE_FACTORY``), never the app's."""
    import re
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "instarecipe_desktop"
    by_name = re.compile(r"\bimport_module\(|\b__import__\(|\bimportlib\.util\b")
    found = {
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if by_name.search(path.read_text(encoding="utf-8"))
    }
    assert found == {"wiring/services.py"}
