"""Reading the export: every shape and form, mojibake, bad input in words, caps, zip bombs."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from instarecipe_desktop.core import export_files
from instarecipe_desktop.core.bulk_import import UnknownCollection, plan_import
from instarecipe_desktop.core.export_files import ExportRefused, read_export
from instarecipe_desktop.core.saved_export import (
    fix_mojibake,
    read_export_html,
    read_export_json,
    read_links_text,
)
from tests.bulk_import.exports import SAVED_DIR, mojibake, recipes_export


def counts(plan) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {c.name: c.count for c in plan.collections}


@pytest.mark.parametrize("form", ["json", "html"])
def test_a_whole_export_zip_lists_collections_and_every_saved_post(
    tmp_path: Path, form: str
) -> None:
    export = recipes_export()
    reading = read_export(export.write_zip(tmp_path / "instagram-chef-2026.zip", form=form))
    plan = plan_import(reading)
    assert counts(plan) == {"Recipes 🍝": 4, "Desserts": 1, "Travel": 1}
    assert [link.shortcode for link in plan.links] == [code for _a, code, _k in export.posts]
    assert plan.links[1].url == "https://www.instagram.com/reel/CxBBBB00002/"
    recipes = plan.collections[0]
    assert recipes.authors[0] == "chef.anna"  # two of its four posts
    assert "café.bob" in recipes.authors  # mojibake undone


@pytest.mark.parametrize("form", ["json", "html"])
def test_choosing_collections_keeps_only_their_posts(tmp_path: Path, form: str) -> None:
    reading = read_export(recipes_export().write_zip(tmp_path / "e.zip", form=form))
    plan = plan_import(reading, ["Desserts", "travel"])  # case does not matter
    assert [link.shortcode for link in plan.links] == ["CxDDDD00004", "CxEEEE00005"]
    assert counts(plan)["Recipes 🍝"] == 4  # every collection is still listed


def test_an_unknown_collection_names_the_ones_that_exist(tmp_path: Path) -> None:
    reading = read_export(recipes_export().write_zip(tmp_path / "e.zip"))
    with pytest.raises(UnknownCollection) as caught:
        plan_import(reading, ["Recipes 🍝", "Breakfast"])
    assert caught.value.missing == ["Breakfast"]
    assert '"Recipes 🍝", "Desserts", "Travel"' in str(caught.value)


def test_the_unpacked_folder_and_a_single_file_read_the_same(tmp_path: Path) -> None:
    archive = recipes_export().write_zip(tmp_path / "e.zip")
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(archive) as z:
        z.extractall(folder)
    from_folder = plan_import(read_export(folder))
    assert counts(from_folder) == {"Recipes 🍝": 4, "Desserts": 1, "Travel": 1}
    assert len(from_folder.links) == 6
    only_collections = plan_import(read_export(folder / SAVED_DIR / "saved_collections.json"))
    assert len(only_collections.links) == 5  # the post saved without a collection is not in it
    only_saved = plan_import(read_export(folder / SAVED_DIR / "saved_posts.json"))
    assert len(only_saved.links) == 6 and only_saved.collections == []


def test_liked_posts_come_only_when_their_file_is_given(tmp_path: Path) -> None:
    export = recipes_export()
    export.liked = [("someone", "CxLIKE00001"), ("chef.anna", "CxAAAA00001")]
    archive = export.write_zip(tmp_path / "e.zip")
    assert "CxLIKE00001" not in {link.shortcode for link in plan_import(read_export(archive)).links}
    liked = tmp_path / "liked_posts.json"
    liked.write_text(export.liked_posts_json(), encoding="utf-8")
    assert [link.shortcode for link in plan_import(read_export(liked)).links] == [
        "CxLIKE00001",
        "CxAAAA00001",
    ]


def test_mojibake_is_fixed_and_correct_text_is_kept() -> None:
    assert fix_mojibake(mojibake("Recetas de la abuela 🍝 — crème brûlée")) == (
        "Recetas de la abuela 🍝 — crème brûlée"
    )
    assert fix_mojibake("Café") == "Café"  # already right: Latin-1 bytes are not UTF-8
    assert fix_mojibake("日本の料理") == "日本の料理"  # not Latin-1 at all
    assert fix_mojibake("plain") == "plain"


def test_the_2024_label_values_shapes_are_read() -> None:
    owner = {"title": "Owner", "dict": [{"dict": [{"label": "Username", "value": "chef.anna"}]}]}
    saved = [
        {
            "timestamp": 1720000000,
            "media": [],
            "label_values": [
                {
                    "label": "URL",
                    "value": "https://www.instagram.com/reel/CxLV000001/",
                    "href": "https://www.instagram.com/reel/CxLV000001/",
                },
                owner,
            ],
        }
    ]
    posts = read_export_json("saved_posts.json", json.dumps(saved)).posts
    assert [(p.url, p.author, p.saved_at) for p in posts] == [
        ("https://www.instagram.com/reel/CxLV000001/", "chef.anna", 1720000000)
    ]
    collections = {
        "saved_saved_collections": [
            {
                "label_values": [
                    {"label": "Name", "value": mojibake("Sopas 🍲")},
                    {
                        "title": "Media",
                        "dict": [
                            {
                                "dict": [
                                    {
                                        "label": "URL",
                                        "href": "https://www.instagram.com/p/CxLV000002/",
                                    },
                                    owner,
                                ]
                            },
                        ],
                    },
                ]
            }
        ]
    }
    found = read_export_json("saved_collections.json", json.dumps(collections))
    assert found.collections == ["Sopas 🍲"]
    assert [(p.collection, p.author) for p in found.posts] == [("Sopas 🍲", "chef.anna")]


def test_a_json_file_of_another_shape_is_said_and_skipped(tmp_path: Path) -> None:
    other = tmp_path / "saved_posts.json"
    other.write_text(json.dumps({"profile_user": [{"name": "x"}]}), encoding="utf-8")
    reading = read_export(other)
    assert reading.files[0].posts == []
    assert "JSON of another shape (profile_user)" in reading.problems[0]
    broken = tmp_path / "saved_collections.json"
    broken.write_text('{"saved_saved_collections": [', encoding="utf-8")
    assert "is not valid JSON" in read_export(broken).problems[0]


def test_html_with_no_links_finds_nothing_and_any_html_page_gives_its_links() -> None:
    assert read_export_html("notes.html", "<html><body><p>soup</p></body></html>").posts == []
    page = (
        '<html><body><p>My list</p><a href="https://www.instagram.com/p/CxHT000001/?igsh=1">a</a>'
        '<a href="https://example.com/">b</a><p>also instagram.com/reel/CxHT000002/</p></body></html>'
    )
    assert [p.url for p in read_export_html("list.html", page).posts] == [
        "https://www.instagram.com/p/CxHT000001/?igsh=1"
    ]
    text_only = "<html><body><p>see instagram.com/reel/CxHT000002/ please</p></body></html>"
    assert [p.url for p in read_export_html("t.html", text_only).posts] == [
        "https://www.instagram.com/reel/CxHT000002/"
    ]


def test_links_in_any_text_including_profiles_and_stories_to_be_rejected() -> None:
    text = (
        "great: https://www.instagram.com/p/CxTX000001/ and instagram.com/reel/CxTX000002/?igsh=x,"
        " https://www.instagram.com/CxTX000003/reel/ no; https://www.instagram.com/chef.anna/\n"
        "https://www.instagram.com/stories/chef.anna/3300000000/ https://example.org/p/CxTX000004/"
    )
    plan_urls = [p.url for p in read_links_text("links.txt", text).posts]
    assert plan_urls[:2] == [
        "https://www.instagram.com/p/CxTX000001/",
        "https://www.instagram.com/reel/CxTX000002/",
    ]
    assert "https://www.instagram.com/chef.anna/" in plan_urls
    assert "https://www.instagram.com/stories/chef.anna/3300000000/" in plan_urls
    assert not any("example.org" in url for url in plan_urls)


def test_rejected_links_carry_their_reason(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text(
        "https://www.instagram.com/p/CxRJ000001/\nhttps://www.instagram.com/chef.anna/\n"
        "https://www.instagram.com/stories/chef.anna/3300000000/\n",
        encoding="utf-8",
    )
    plan = plan_import(read_export(notes))
    assert plan.found == 3 and len(plan.links) == 1
    reasons = {r.url: r.reason for r in plan.rejected}
    assert "profile" in reasons["https://www.instagram.com/chef.anna/"]
    assert "story" in reasons["https://www.instagram.com/stories/chef.anna/3300000000/"]


def test_a_zip_that_is_not_an_export_has_nothing_to_read(tmp_path: Path) -> None:
    archive = tmp_path / "holiday.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("IMG_0001.jpg", b"\xff\xd8" * 100)
        z.writestr("notes/readme.txt", "https://www.instagram.com/p/CxNOPE0001/")
    reading = read_export(archive)
    assert reading.files == [] and "saved_posts.json" in reading.looked_for


def test_a_file_named_zip_that_is_not_one_is_said(tmp_path: Path) -> None:
    fake = tmp_path / "export.zip"
    fake.write_bytes(b"PK\x03\x04 truncated download")
    with pytest.raises(ExportRefused, match="is not a zip file"):
        read_export(fake)


def test_a_binary_file_is_not_text(tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\x00\x00" * 100)
    reading = read_export(binary)
    assert reading.files[0].posts == [] and "not a text file" in reading.problems[0]


def test_a_huge_file_is_refused_in_words_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "links.txt"
    with big.open("wb") as handle:  # sparse: 2 GB without writing them
        handle.truncate(2 * 1024**3)
    with pytest.raises(ExportRefused) as caught:
        read_export(big)
    assert "2.0 GB" in str(caught.value) and "64.0 MB" in str(caught.value)


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "export.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{SAVED_DIR}/saved_posts.json", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(ExportRefused, match="zip bomb"):
        read_export(bomb)


def test_a_member_larger_than_the_cap_is_refused_before_it_is_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_files, "MAX_FILE_BYTES", 200)
    archive = recipes_export().write_zip(tmp_path / "e.zip")
    with pytest.raises(ExportRefused, match="more than a saved-posts file can be"):
        read_export(archive)


def test_too_many_entries_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_files, "MAX_ENTRIES", 4)
    archive = recipes_export().write_zip(tmp_path / "e.zip")
    with pytest.raises(ExportRefused, match="holds 5 entries"):
        read_export(archive)


def test_a_damaged_member_is_skipped_with_a_reason(tmp_path: Path) -> None:
    archive = tmp_path / "e.zip"
    payload = recipes_export().saved_posts_json().encode()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{SAVED_DIR}/saved_posts.json", payload)
    data = bytearray(archive.read_bytes())
    start = data.index(b"saved_posts.json") + len(b"saved_posts.json")
    for i in range(start + 10, start + 40):  # inside the compressed stream
        data[i] ^= 0xFF
    archive.write_bytes(bytes(data))
    reading = read_export(archive)
    assert reading.files == []
    assert "damaged" in reading.problems[0] and "skipped" in reading.problems[0]


def test_a_missing_path_is_said(tmp_path: Path) -> None:
    with pytest.raises(ExportRefused, match="does not exist"):
        read_export(tmp_path / "nope.zip")
