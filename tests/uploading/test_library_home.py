"""The local library's home page: every recipe folder, newest first, searchable offline."""

from __future__ import annotations

import asyncio
import html.parser
import json
import os
import shutil
from pathlib import Path

from PySide6.QtQml import QJSEngine

from instarecipe_desktop.pipeline.uploading.library import LibraryUploader
from instarecipe_desktop.pipeline.uploading.library.home import (
    HOME_NAME,
    collect_entries,
    rebuild_home,
)
from tests.uploading.conftest import make_context, make_extraction, sample_recipe


class _Cards(html.parser.HTMLParser):
    """The cards of a home page: link, photo, title, meta line and search text, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, str]] = []
        self.scripts: list[str] = []
        self.csp = ""
        self._field: str | None = None
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a["content"]
        if tag == "li" and a.get("class") == "card":
            self.cards.append({"search": a["data-search"], "title": "", "meta": ""})
        elif self.cards and tag == "a" and "href" not in self.cards[-1]:
            self.cards[-1]["href"] = a["href"]
        elif self.cards and tag == "img":
            self.cards[-1]["photo"] = a["src"]
        elif tag == "h2":
            self._field = "title"
        elif tag == "p" and a.get("class") == "meta" and self.cards:
            self._field = "meta"
        elif tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "p"):
            self._field = None
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        elif self._field and self.cards:
            self.cards[-1][self._field] += data


def _home(library: Path) -> _Cards:
    parsed = _Cards()
    parsed.feed((library / HOME_NAME).read_text(encoding="utf-8"))
    return parsed


async def _save(library: LibraryUploader, data_dir: Path, code: str, name: str, **post: str):
    post_data = {"canonicalUrl": f"https://www.instagram.com/p/{code}/", **post}
    ctx = make_context(data_dir, shortcode=code, post=post_data)
    return await library.upload(
        ctx, sample_recipe(name=name), make_extraction(data_dir, image=None, post=post_data)
    )


def _age(folder: Path, created: str) -> None:
    """Pretend a recipe was first saved at ``created`` (saves within one second tie)."""
    path = folder / "recipe.json"
    data = json.loads(path.read_text())
    data["dateCreated"] = created
    path.write_text(json.dumps(data))


async def test_every_save_lists_the_recipe_newest_first(data_dir: Path, png: bytes) -> None:
    library_dir = data_dir / "library"
    library = LibraryUploader(library_dir)
    post = {"canonicalUrl": "https://www.instagram.com/p/AAA111/", "author": "chef_anna"}
    post["date"] = "2024-05-01T08:00:00Z"
    first = await library.upload(
        make_context(data_dir, shortcode="AAA111", post=post),
        sample_recipe(name='Pasta <b>"bold"</b> & co'),
        make_extraction(data_dir, image=png, post=post),
    )
    home = _home(library_dir)
    assert [c["title"] for c in home.cards] == ['Pasta <b>"bold"</b> & co']  # escaped text
    card = home.cards[0]
    assert card["href"] == f"{first.recipe_id}/index.html"
    assert card["photo"] == f"{first.recipe_id}/photo.png"
    assert (library_dir / card["photo"]).read_bytes() == png
    assert "by chef_anna" in card["meta"] and "posted 2024-05-01" in card["meta"]
    assert "saved 20" in card["meta"]
    assert "spaghetti" in card["search"] and "chef_anna" in card["search"]

    _age(library_dir / first.recipe_id, "2026-01-01T00:00:00Z")
    second = await _save(library, data_dir, "BBB222", "Soup")
    home = _home(library_dir)
    assert [c["title"] for c in home.cards] == ["Soup", 'Pasta <b>"bold"</b> & co']
    assert "photo" not in home.cards[0]  # no photo: a blank square, no broken image
    assert home.cards[0]["href"] == f"{second.recipe_id}/index.html"


async def test_saving_again_keeps_the_place_and_shows_the_new_name(data_dir: Path) -> None:
    library_dir = data_dir / "library"
    library = LibraryUploader(library_dir)
    old = await _save(library, data_dir, "AAA111", "Old name")
    _age(library_dir / old.recipe_id, "2026-01-01T00:00:00Z")
    await _save(library, data_dir, "BBB222", "Newer recipe")
    renamed = await _save(library, data_dir, "AAA111", "Better name")  # parse again
    data = json.loads((library_dir / renamed.recipe_id / "recipe.json").read_text())
    assert data["dateCreated"] == "2026-01-01T00:00:00Z"  # first save kept
    assert [c["title"] for c in _home(library_dir).cards] == ["Newer recipe", "Better name"]


async def test_a_folder_removed_by_hand_leaves_the_page_at_the_next_rebuild(
    data_dir: Path,
) -> None:
    library_dir = data_dir / "library"
    library = LibraryUploader(library_dir)
    gone = await _save(library, data_dir, "AAA111", "Goes away")
    await _save(library, data_dir, "BBB222", "Stays")
    shutil.rmtree(library_dir / gone.recipe_id)
    rebuild_home(library_dir)
    assert [c["title"] for c in _home(library_dir).cards] == ["Stays"]
    # and the last one removed: the page says the library is empty, in words
    for folder in library_dir.iterdir():
        if folder.is_dir():
            shutil.rmtree(folder)
    rebuild_home(library_dir)
    page = (library_dir / HOME_NAME).read_text()
    assert _home(library_dir).cards == [] and "No recipes yet" in page


async def test_rebuild_reads_only_changed_folders_and_sees_edits(data_dir: Path) -> None:
    library_dir = data_dir / "library"
    library = LibraryUploader(library_dir)
    saved = await _save(library, data_dir, "AAA111", "First")
    recipe_file = library_dir / saved.recipe_id / "recipe.json"
    # the manifest is what a rebuild trusts while the file is unchanged ...
    manifest = json.loads((library_dir / ".home.json").read_text())
    manifest["folders"][saved.recipe_id]["entry"]["title"] = "From the manifest"
    (library_dir / ".home.json").write_text(json.dumps(manifest))
    assert [e.title for e in collect_entries(library_dir)] == ["From the manifest"]
    # ... and a changed file is read again
    data = json.loads(recipe_file.read_text())
    data["name"] = "Edited by hand"
    recipe_file.write_text(json.dumps(data))
    stat = recipe_file.stat()
    os.utime(recipe_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert [e.title for e in collect_entries(library_dir)] == ["Edited by hand"]


async def test_broken_or_foreign_folders_do_not_break_the_page(data_dir: Path) -> None:
    library_dir = data_dir / "library"
    library = LibraryUploader(library_dir)
    await _save(library, data_dir, "AAA111", "Good")
    (library_dir / "broken-XYZ").mkdir()
    (library_dir / "broken-XYZ" / "recipe.json").write_text("{not json")
    (library_dir / "empty-folder").mkdir()
    (library_dir / "notes.txt").write_text("mine")
    (library_dir / ".home.json").write_text("[garbage")
    rebuild_home(library_dir)
    assert [c["title"] for c in _home(library_dir).cards] == ["Good"]
    assert (library_dir / "notes.txt").read_text() == "mine"


async def test_saves_side_by_side_all_reach_the_page(data_dir: Path) -> None:
    library_dir = data_dir / "library"
    library = LibraryUploader(library_dir)
    await asyncio.gather(*(_save(library, data_dir, f"CODE{n}", f"Recipe {n}") for n in range(8)))
    titles = sorted(c["title"] for c in _home(library_dir).cards)
    assert titles == sorted(f"Recipe {n}" for n in range(8))


def _run_search(page: _Cards, query: str) -> dict[str, object]:
    """Run the page's own script in a real JavaScript engine over a minimal DOM."""
    engine = QJSEngine()
    cards = json.dumps([c["search"] for c in page.cards])
    dom = f"""
    var listeners = {{}};
    var box = {{ value: '', addEventListener: function (t, f) {{ listeners[t] = f; }} }};
    var none = {{ hidden: true }};
    var count = {{ textContent: '' }};
    var cards = {cards}.map(function (s) {{
      return {{ hidden: false, getAttribute: function () {{ return s; }} }};
    }});
    var document = {{
      getElementById: function (id) {{
        return id === 'search' ? box : id === 'nomatch' ? none : id === 'count' ? count : null;
      }},
      querySelectorAll: function () {{ return cards; }}
    }};
    """
    for code in (dom, page.scripts[-1], f"box.value = {json.dumps(query)}; listeners.input();"):
        result = engine.evaluate(code)
        assert not result.isError(), result.toString()
    shown = engine.evaluate("JSON.stringify(cards.map(function (c) { return !c.hidden; }))")
    return {
        "shown": json.loads(shown.toString()),
        "nomatch_hidden": engine.evaluate("none.hidden").toBool(),
        "count": engine.evaluate("count.textContent").toString(),
    }


async def test_the_search_box_filters_in_the_page_itself(data_dir: Path, qapp: object) -> None:
    library_dir = data_dir / "library"
    library = LibraryUploader(library_dir)
    soup = await _save(library, data_dir, "AAA111", "Tomato Soup", author="nonna_rosa")
    _age(library_dir / soup.recipe_id, "2026-01-01T00:00:00Z")
    await _save(library, data_dir, "BBB222", "Lemon Cake", author="baker_ben")
    page = _home(library_dir)
    assert [c["title"] for c in page.cards] == ["Lemon Cake", "Tomato Soup"]
    assert "default-src 'none'" in page.csp  # nothing is fetched from anywhere

    assert _run_search(page, "")["shown"] == [True, True]
    assert _run_search(page, "TOMATO")["shown"] == [False, True]  # any case
    assert _run_search(page, "rosa soup")["shown"] == [False, True]  # every word must match
    assert _run_search(page, "spaghetti")["shown"] == [True, True]  # ingredients too
    nothing = _run_search(page, "soup baker")
    assert nothing == {"shown": [False, False], "nomatch_hidden": False, "count": "0"}
    assert _run_search(page, "cake")["count"] == "1"
