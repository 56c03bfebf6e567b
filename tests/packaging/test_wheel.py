"""The wheel is complete: resources inside, both entry points, and it runs from a fresh venv."""

from __future__ import annotations

import configparser
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from instarecipe_desktop import APP_ID
from tests.packaging.conftest import CAPTION, REPO, user_env
from tests.packaging.test_desktop_files import read_desktop

# the session's first test also waits for the build (a few minutes on two busy cores)
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def test_wheel_carries_every_resource_and_module(built_wheel: Path) -> None:
    with zipfile.ZipFile(built_wheel) as wheel:
        names = set(wheel.namelist())
        entry_points = wheel.read(
            f"instarecipe_desktop-{VERSION}.dist-info/entry_points.txt"
        ).decode()
    resources = {
        "instarecipe_desktop/resources/" + path.relative_to(REPO / "resources").as_posix()
        for path in (REPO / "resources").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    modules = {
        path.relative_to(REPO).as_posix() for path in (REPO / "instarecipe_desktop").rglob("*.py")
    }
    assert resources <= names, sorted(resources - names)
    assert modules <= names, sorted(modules - names)
    assert f"instarecipe_desktop/resources/linux/{APP_ID}.desktop" in names
    assert "instarecipe_desktop/resources/icons/app.svg" in names
    points = configparser.ConfigParser()
    points.read_string(entry_points)
    assert points["console_scripts"]["instarecipe-desktop"] == "instarecipe_desktop.cli:main"
    assert points["gui_scripts"]["instarecipe-desktop-gui"] == "instarecipe_desktop.cli:main"


def test_wheel_installs_into_a_fresh_venv_and_runs(built_wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    env = user_env(tmp_path)  # without PYTHONPATH: pip would take the checkout as installed
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(built_wheel)],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    program = target / "bin" / "instarecipe-desktop"

    version = subprocess.run(
        [str(program), "--version"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert version.stdout.strip() == f"instarecipe-desktop {VERSION}", version.stderr
    module = subprocess.run(
        [str(python), "-m", "instarecipe_desktop", "--version"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert module.stdout == version.stdout
    parsed = subprocess.run(
        [str(program), "parse", "--offline", "-"],
        input=CAPTION,
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert parsed.returncode == 0, parsed.stderr
    assert '"spaghetti"' in parsed.stdout

    installed = subprocess.run(
        [str(program), "--install-desktop-entry"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert installed.returncode == 0, installed.stderr
    entry = Path(env["XDG_DATA_HOME"]) / "applications" / f"{APP_ID}.desktop"
    assert read_desktop(entry)["Desktop Entry"]["Exec"] == f"{program} %U"
    assert sys.executable not in entry.read_text()  # this venv's app, not the test runner's
