"""The PyInstaller bundle, built once by packaging/build-linux.sh, runs on its own."""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path

import pytest
from PyInstaller.archive.readers import CArchiveReader

from instarecipe_desktop import APP_ID, __version__
from tests.packaging.conftest import (
    CAPTION,
    NAME,
    REPO,
    LinuxBuild,
    RunApp,
    require_tool,
    user_env,
)
from tests.packaging.test_desktop_files import read_desktop

# the session's first test also waits for the build (a few minutes on two busy cores)
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]


def run(
    argv: list[str], tmp_path: Path, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        input=stdin,
        env=user_env(tmp_path, **env),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bundle_reports_the_package_version(linux_build: LinuxBuild, tmp_path: Path) -> None:
    done = run([str(linux_build.bundle / NAME), "--version"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{NAME} {__version__}"
    assert done.stderr == ""


def test_bundle_parses_a_caption_offline(linux_build: LinuxBuild, tmp_path: Path) -> None:
    done = run([str(linux_build.bundle / NAME), "parse", "--offline", "-"], tmp_path, stdin=CAPTION)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    recipe = json.loads(done.stdout)
    foods = {ingredient["food"] for step in recipe["steps"] for ingredient in step["ingredients"]}
    # the parser's finer points are tested elsewhere: here, that it runs from the bundle
    assert any("spaghetti" in food for food in foods), recipe


def test_bundle_runs_the_desktop_app_offscreen(
    linux_build: LinuxBuild, tmp_path: Path, run_gui_offscreen: RunApp
) -> None:
    run_gui_offscreen([str(linux_build.bundle / NAME)], tmp_path)


@pytest.mark.xvfb
def test_bundle_shows_a_real_x11_window(
    linux_build: LinuxBuild, tmp_path: Path, run_gui_offscreen: RunApp, xvfb_display: str
) -> None:
    """The xcb platform plugin and the X11 libraries it needs are in the bundle and load."""
    run_gui_offscreen(
        [str(linux_build.bundle / NAME)], tmp_path, QT_QPA_PLATFORM="xcb", DISPLAY=xvfb_display
    )


def test_bundle_carries_the_modules_loaded_at_run_time(linux_build: LinuxBuild) -> None:
    archive = CArchiveReader(str(linux_build.bundle / NAME))
    modules = set(archive.open_embedded_archive("PYZ.pyz").toc)
    expected = {
        "qasync",
        "keyring.backends.SecretService",
        "keyring.backends.fail",
        "instarecipe_desktop.integration.autostart",
        "instarecipe_desktop.wiring.app",
        "instarecipe_desktop.pipeline.parsing.offline",
    }
    assert expected <= modules, sorted(expected - modules)
    # every module of the app itself, however lazily it is imported
    sources = {
        ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for path in (REPO / "instarecipe_desktop").rglob("*.py")
    }
    assert sources <= modules, sorted(sources - modules)
    assert not any(name.split(".")[0] in {"hypothesis", "pytest", "tkinter"} for name in modules)


def test_bundle_leaves_out_what_the_app_does_not_use(linux_build: LinuxBuild) -> None:
    qt = linux_build.bundle / "_internal" / "PySide6" / "Qt"
    assert (qt / "plugins" / "platforms" / "libqxcb.so").is_file()
    assert (qt / "plugins" / "platforms" / "libqoffscreen.so").is_file()
    assert (qt / "plugins" / "iconengines" / "libqsvgicon.so").is_file()
    assert not (qt / "translations").exists()
    assert not (qt / "plugins" / "platformthemes" / "libqgtk3.so").exists()
    assert not list(qt.glob("plugins/sqldrivers/*")) and not list(qt.glob("plugins/tls/*"))
    assert not list((linux_build.bundle / "_internal").glob("libgtk-3*"))
    assert not list(qt.glob("lib/libQt6Qml*")) and not list(qt.glob("lib/libQt6Quick*"))
    # stripped: no symbol table left in Qt's biggest library
    symbols = subprocess.run(
        [require_tool("nm"), str(qt / "lib" / "libQt6Gui.so.6")], capture_output=True, text=True
    )
    assert "no symbols" in symbols.stderr


def test_bundle_installs_its_menu_entry_with_every_icon_size(
    linux_build: LinuxBuild, tmp_path: Path
) -> None:
    env = user_env(tmp_path)
    done = run([str(linux_build.bundle / NAME), "--install-desktop-entry"], tmp_path)
    assert done.returncode == 0, done.stderr
    data_home = Path(env["XDG_DATA_HOME"])
    entry = read_desktop(data_home / "applications" / f"{APP_ID}.desktop")["Desktop Entry"]
    assert entry["Exec"] == f"{(linux_build.bundle / NAME).resolve()} %U"
    icons = {
        path.relative_to(data_home / "icons" / "hicolor").parts[0]
        for path in (data_home / "icons" / "hicolor").glob(f"*/apps/{APP_ID}.*")
    }
    assert icons == {
        "16x16",
        "22x22",
        "24x24",
        "32x32",
        "48x48",
        "64x64",
        "128x128",
        "256x256",
        "512x512",
        "scalable",
    }


def test_tarball_holds_the_bundle_in_a_versioned_folder(linux_build: LinuxBuild) -> None:
    with tarfile.open(linux_build.tarball) as tar:
        members = {member.name: member for member in tar.getmembers()}
    top = f"{NAME}-{__version__}"
    executable = members[f"{top}/{NAME}"]
    assert executable.mode & 0o111 and executable.uid == 0
    assert f"{top}/_internal/instarecipe_desktop/resources/icons/app.svg" in members
    assert all(name == top or name.startswith(top + "/") for name in members)
