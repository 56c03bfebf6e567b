"""packaging/sync_metainfo.py: CHANGELOG.md sections become AppStream releases."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from types import ModuleType

import pytest

from tests.packaging.conftest import load_script


@pytest.fixture(scope="module")
def sync() -> ModuleType:
    return load_script("sync_metainfo")


CHANGELOG = """# Changelog

## [Unreleased]
### Added
- Not released yet.

## [1.1.0] - 2027-02-03
### Fixed
- Links with `igsh` parameters are recognised
  also inside longer text.
### Added
- A **bold** new [feature](https://example.org) & more.

## [1.0.0] - 2027-01-01
### Added
- First release.
"""

METAINFO = """<?xml version="1.0" encoding="UTF-8"?>
<component type="desktop-application">
  <id>x.y.Z</id>
  <releases>
    <release version="0.0.1" date="2020-01-01"/>
  </releases>
</component>
"""


def test_released_sections_become_releases_newest_first(sync: ModuleType) -> None:
    releases = sync.parse_changelog(CHANGELOG)
    assert [(r.version, r.date) for r in releases] == [
        ("1.1.0", "2027-02-03"),
        ("1.0.0", "2027-01-01"),
    ]
    assert releases[0].sections == [
        ("Fixed", ["Links with `igsh` parameters are recognised also inside longer text."]),
        ("Added", ["A **bold** new [feature](https://example.org) & more."]),
    ]


def test_synced_metainfo_replaces_only_the_releases_block(sync: ModuleType) -> None:
    text = sync.synced_metainfo(METAINFO, CHANGELOG)
    root = ET.fromstring(text.encode())
    assert root.findtext("id") == "x.y.Z"
    releases = root.findall("releases/release")
    assert [r.get("version") for r in releases] == ["1.1.0", "1.0.0"]
    items = [li.text for li in releases[0].findall("description/ul/li")]
    assert items == [
        "Links with igsh parameters are recognised also inside longer text.",
        "A bold new feature & more.",
    ]
    assert [p.text for p in releases[0].findall("description/p")] == ["Fixed:", "Added:"]
    assert sync.synced_metainfo(text, CHANGELOG) == text  # idempotent


def test_metainfo_without_releases_block_is_refused(sync: ModuleType) -> None:
    with pytest.raises(ValueError, match="no <releases>"):
        sync.synced_metainfo("<component><id>a</id></component>", CHANGELOG)
