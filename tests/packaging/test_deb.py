"""The .deb from packaging/build-linux.sh: its contents, then installed and started offscreen.

As root (CI) the package is installed for real with ``dpkg -i`` and removed afterwards;
otherwise it is unpacked with ``dpkg-deb -x`` into a temporary root.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from instarecipe_desktop import APP_ID, __version__
from tests.packaging.conftest import NAME, LinuxBuild, RunApp, require_tool, user_env

# the session's first test also waits for the build (a few minutes on two busy cores)
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]
ICON_SIZES = ("16x16", "22x22", "24x24", "32x32", "48x48", "64x64", "128x128", "256x256", "512x512")


def dpkg_deb(*args: str) -> str:
    done = subprocess.run(
        [require_tool("dpkg-deb"), *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def installed_root(
    linux_build: LinuxBuild, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The file system root the package is installed under."""
    if os.geteuid() != 0:
        root = tmp_path_factory.mktemp("deb-root")
        dpkg_deb("-x", str(linux_build.deb), str(root))
        yield root
        return
    done = subprocess.run(
        ["dpkg", "-i", str(linux_build.deb)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    try:
        yield Path("/")
    finally:
        subprocess.run(["dpkg", "-r", NAME], capture_output=True, timeout=300, check=True)


def test_control_fields(linux_build: LinuxBuild) -> None:
    fields = dpkg_deb("--field", str(linux_build.deb), "Package", "Version", "Depends")
    assert f"Package: {NAME}" in fields
    assert f"Version: {__version__}" in fields
    assert "libc6 (>= 2." in fields


def test_files_land_in_their_standard_places(linux_build: LinuxBuild) -> None:
    listing = dpkg_deb("--contents", str(linux_build.deb))
    paths = {line.split()[5] for line in listing.splitlines()}
    assert f"./opt/{NAME}/{NAME}" in paths
    assert f"./usr/share/applications/{APP_ID}.desktop" in paths
    assert f"./usr/share/metainfo/{APP_ID}.metainfo.xml" in paths
    assert f"./usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg" in paths
    for size in ICON_SIZES:
        assert f"./usr/share/icons/hicolor/{size}/apps/{APP_ID}.png" in paths
    assert f"./usr/bin/{NAME} -> /opt/{NAME}/{NAME}" in listing
    owners = {line.split()[1] for line in listing.splitlines()}
    assert owners == {"root/root"}


def installed_program(root: Path) -> str:
    # /usr/bin/instarecipe-desktop is an absolute link into /opt: follow it only when installed
    return f"/usr/bin/{NAME}" if root == Path("/") else str(root / "opt" / NAME / NAME)


def test_installed_app_reports_its_version(installed_root: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [installed_program(installed_root), "--version"],
        env=user_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{NAME} {__version__}"


def test_installed_desktop_entry_and_metainfo_validate(installed_root: Path) -> None:
    share = installed_root / "usr" / "share"
    done = subprocess.run(
        [require_tool("desktop-file-validate"), str(share / "applications" / f"{APP_ID}.desktop")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout
    done = subprocess.run(
        [
            require_tool("appstreamcli"),
            "validate",
            "--no-net",
            str(share / "metainfo" / f"{APP_ID}.metainfo.xml"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout


def test_installed_app_starts_offscreen(
    installed_root: Path, tmp_path: Path, run_gui_offscreen: RunApp
) -> None:
    run_gui_offscreen([installed_program(installed_root)], tmp_path)
