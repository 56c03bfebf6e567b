"""``import`` and ``add --from-file`` end to end, in a subprocess, over a real queue file."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.bulk_import.exports import recipes_export


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "instarecipe_desktop", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def summary(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def queued_codes(data_dir: Path) -> list[str]:
    with sqlite3.connect(data_dir / "queue.sqlite3") as conn:
        return sorted(row[0] for row in conn.execute("SELECT shortcode FROM items"))


@pytest.mark.parametrize("form", ["json", "html"])
def test_importing_chosen_collections_then_everything(
    tmp_path: Path, data_dir: Path, form: str
) -> None:
    archive = recipes_export().write_zip(tmp_path / "instagram-chef.zip", form=form)
    first = cli("import", str(archive), "--collection", "Recipes 🍝", "--collection", "Travel")
    assert first.returncode == 0, first.stderr
    assert summary(first) == {
        "found": 5,
        "queued": 5,
        "alreadyQueued": 0,
        "rejected": 0,
        "collections": [
            {"name": "Recipes 🍝", "count": 4},
            {"name": "Desserts", "count": 1},
            {"name": "Travel", "count": 1},
        ],
    }
    assert queued_codes(data_dir) == [
        "CxAAAA00001",
        "CxBBBB00002",
        "CxCCCC00003",
        "CxDDDD00004",
        "CxEEEE00005",
    ]
    again = summary(cli("import", str(archive)))
    assert (again["found"], again["queued"], again["alreadyQueued"]) == (6, 1, 5)
    assert len(queued_codes(data_dir)) == 6
    third = summary(cli("import", str(archive)))
    assert (third["queued"], third["alreadyQueued"]) == (0, 6)


def test_dry_run_queues_nothing_and_gives_the_reasons(tmp_path: Path, data_dir: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text(
        "https://www.instagram.com/p/CxDR000001/ https://www.instagram.com/chef.anna/\n"
        "https://www.instagram.com/stories/chef.anna/3300000000/",
        encoding="utf-8",
    )
    result = cli("import", str(notes), "--dry-run")
    assert result.returncode == 0
    data = summary(result)
    assert (data["found"], data["queued"], data["wouldQueue"], data["rejected"]) == (3, 0, 1, 2)
    reasons = {r["url"]: r["reason"] for r in data["rejectedLinks"]}
    assert "profile" in reasons["https://www.instagram.com/chef.anna/"]
    assert "rejected https://www.instagram.com/chef.anna/" in result.stderr
    assert not (data_dir / "queue.sqlite3").exists() or queued_codes(data_dir) == []


def test_an_unknown_collection_exits_2_listing_the_names(tmp_path: Path, data_dir: Path) -> None:
    archive = recipes_export().write_zip(tmp_path / "e.zip")
    result = cli("import", str(archive), "--collection", "Breakfast", "--collection", "Travel")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "no collection named 'Breakfast'" in result.stderr
    assert '"Recipes 🍝", "Desserts", "Travel"' in result.stderr
    assert not (data_dir / "queue.sqlite3").exists()  # nothing half-queued: not even Travel


def test_nothing_usable_exits_2_saying_what_was_looked_for(tmp_path: Path) -> None:
    archive = tmp_path / "holiday.zip"
    import zipfile

    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("IMG_0001.jpg", b"\xff\xd8" * 10)
    result = cli("import", str(archive))
    assert result.returncode == 2
    assert "saved_posts.json, saved_collections.json, liked_posts.json" in result.stderr
    assert "Traceback" not in result.stderr
    page = tmp_path / "page.html"
    page.write_text("<html><body>no links</body></html>", encoding="utf-8")
    empty = cli("import", str(page))
    assert empty.returncode == 2 and "no Instagram post links were found" in empty.stderr
    only_profiles = tmp_path / "profiles.txt"
    only_profiles.write_text("https://www.instagram.com/chef.anna/", encoding="utf-8")
    rejected = cli("import", str(only_profiles))
    assert rejected.returncode == 2 and summary(rejected)["rejected"] == 1
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("saved_posts.json", b" " * (30 * 1024 * 1024))
    refused = cli("import", str(bomb))
    assert refused.returncode == 2 and "zip bomb" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_add_from_file_queues_every_link_in_any_text(tmp_path: Path, data_dir: Path) -> None:
    notes = tmp_path / "links.txt"
    notes.write_text(
        "dinner ideas:\nhttps://www.instagram.com/p/CxAF000001/?igsh=abc "
        "instagram.com/reel/CxAF000002/\n\n* https://www.instagram.com/reel/CxAF000001/\n",
        encoding="utf-8",
    )
    result = cli("add", "--from-file", str(notes))
    assert result.returncode == 0, result.stderr
    assert summary(result)["queued"] == 2
    assert queued_codes(data_dir) == ["CxAF000001", "CxAF000002"]
    both = cli("add", "--from-file", str(notes), "https://www.instagram.com/p/CxAF000003/")
    assert both.returncode == 2 and "goes without URLs" in both.stderr
    neither = cli("add")
    assert neither.returncode == 2 and "--from-file" in neither.stderr
