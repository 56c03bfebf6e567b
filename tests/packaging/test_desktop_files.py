"""The shipped .desktop file and AppStream metainfo: valid for Debian's tools, one app id."""

from __future__ import annotations

import configparser
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

from instarecipe_desktop import APP_ID
from tests.packaging.conftest import REPO, require_tool

LINUX = REPO / "resources" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


def read_desktop(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser


def test_desktop_file_passes_desktop_file_validate() -> None:
    done = subprocess.run(
        [require_tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr


def test_metainfo_passes_appstreamcli_validate() -> None:
    done = subprocess.run(
        [require_tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stdout.lower().replace("errors: 0", "")


def test_one_reverse_dns_id_for_desktop_file_metainfo_and_icon() -> None:
    entry = read_desktop(DESKTOP)["Desktop Entry"]
    assert entry["Icon"] == APP_ID
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert root.findtext("icon[@type='stock']") == APP_ID
    assert root.findtext("provides/binary") == "instarecipe-desktop"


def test_desktop_entry_takes_urls_and_offers_add_from_clipboard() -> None:
    desktop = read_desktop(DESKTOP)
    entry = desktop["Desktop Entry"]
    assert entry["Exec"] == "instarecipe-desktop %U"
    actions = [name for name in entry["Actions"].split(";") if name]
    names = {desktop[f"Desktop Action {action}"]["Name"] for action in actions}
    assert names == {"Add link from clipboard"}


def test_metainfo_has_a_screenshot_and_releases_that_follow_the_changelog() -> None:
    root = ET.parse(METAINFO).getroot()
    screenshot = root.find("screenshots/screenshot[@type='default']")
    assert screenshot is not None and screenshot.findtext("caption")
    # the image is the repository's own screenshot, served raw from the main branch
    image = screenshot.findtext("image", "")
    prefix = "https://raw.githubusercontent.com/instarecipe/instarecipe-desktop/main/"
    assert image.startswith(prefix)
    assert (REPO / image.removeprefix(prefix)).is_file(), f"{image} is not in the repository"
    # the <releases> block is exactly what packaging/sync_metainfo.py writes from CHANGELOG.md
    done = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "sync_metainfo.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    releases = root.findall("releases/release")
    assert releases, "no release in the metainfo"
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert releases[0].get("version") == version, "CHANGELOG.md has no section for this version"
    assert releases[0].findall("description/ul/li")
