"""The library's home page: ``library/index.html`` lists every recipe folder, newest first.

It is rebuilt after every save and whenever the set of folders changes (a folder removed by
hand), from each folder's ``recipe.json``. A small manifest (``.home.json``) remembers what was
read from each folder and the file's modification time, so a rebuild over thousands of recipes
reads only the folders that changed. The page is self-contained: photos are relative links, the
search box is a few lines of inline script that work offline, and a Content-Security-Policy
forbids anything from the network.
"""

from __future__ import annotations

import contextlib
import html
import json
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from instarecipe_desktop.core.files import write_atomically

HOME_NAME = "index.html"
MANIFEST_NAME = ".home.json"
RECIPE_FILE = "recipe.json"
MANIFEST_VERSION = 1

_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass(frozen=True)
class LibraryEntry:
    """What the home page shows of one recipe folder."""

    folder: str
    title: str
    author: str
    posted: str  # the post's date (ISO), "" when unknown
    saved: str  # when the recipe was first saved in the library (ISO, UTC)
    photo: str  # file name inside the folder, "" without a photo
    keywords: str
    ingredients: str  # for the search box only

    @property
    def search_text(self) -> str:
        return " ".join((self.title, self.author, self.keywords, self.ingredients)).lower()


def _iso_from_timestamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def read_entry(folder: Path) -> LibraryEntry | None:
    """The entry of one folder; None when it holds no readable ``recipe.json``."""
    path = folder / RECIPE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        modified = path.stat().st_mtime
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    author = data.get("author")
    author_name = author.get("name", "") if isinstance(author, dict) else ""
    photo = data.get("image")
    ingredients = data.get("recipeIngredient")
    return LibraryEntry(
        folder=folder.name,
        title=str(data.get("name") or folder.name),
        author=str(author_name or ""),
        posted=str(data.get("datePublished") or ""),
        saved=str(data.get("dateCreated") or _iso_from_timestamp(modified)),
        photo=photo if isinstance(photo, str) and "/" not in photo and photo else "",
        keywords=str(data.get("keywords") or ""),
        ingredients=" ".join(str(i) for i in ingredients) if isinstance(ingredients, list) else "",
    )


def _load_manifest(library_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((library_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    folders = data.get("folders")
    return folders if isinstance(folders, dict) else {}


def recipe_folders(library_dir: Path) -> list[Path]:
    """The library's recipe folders (hidden names and loose files are not recipes)."""
    try:
        return sorted(p for p in library_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []


def collect_entries(library_dir: Path) -> list[LibraryEntry]:
    """Every recipe folder's entry, newest saved first; unchanged folders come from the manifest."""
    known = _load_manifest(library_dir)
    entries: list[LibraryEntry] = []
    fresh: dict[str, Any] = {}
    for folder in recipe_folders(library_dir):
        try:
            stamp = (folder / RECIPE_FILE).stat().st_mtime_ns
        except OSError:
            continue
        cached = known.get(folder.name)
        entry: LibraryEntry | None = None
        if isinstance(cached, dict) and cached.get("mtime") == stamp:
            with contextlib.suppress(TypeError):
                entry = LibraryEntry(**cached["entry"])
        if entry is None:
            entry = read_entry(folder)
        if entry is None:
            continue
        entries.append(entry)
        fresh[folder.name] = {"mtime": stamp, "entry": asdict(entry)}
    entries.sort(key=lambda e: (e.saved, e.folder), reverse=True)
    manifest = {"version": MANIFEST_VERSION, "folders": fresh}
    write_atomically(
        library_dir / MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    )
    return entries


def rebuild_home(library_dir: Path) -> Path:
    """Write ``library/index.html`` for the folders there now; blocking (call in a thread).

    Saves running side by side each rebuild in turn, so the last page written lists them all.
    """
    library_dir.mkdir(parents=True, exist_ok=True)
    key = library_dir.resolve()
    with _locks_guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        entries = collect_entries(library_dir)
        page = render_home(entries)
        target = library_dir / HOME_NAME
        write_atomically(target, page.encode("utf-8"), mode=0o644)
    return target


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _day(iso: str) -> str:
    """ "2026-12-04T10:00:00Z" -> "2026-12-04" (unknown formats are shown as they are)."""
    return iso[:10] if len(iso) >= 10 and iso[4] == "-" and iso[7] == "-" else iso


_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 64rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; background: #fff; }
@media (prefers-color-scheme: dark) { body { color: #eee; background: #1e1e1e; }
  .card { border-color: #444; } .meta { color: #aaa; } input { background: #2a2a2a; color: #eee; } }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: baseline; }
h1 { margin: 0 1rem 0 0; }
input[type=search] { font-size: 1rem; padding: .4rem .6rem; min-width: 16rem; flex: 1; }
ul.recipes { list-style: none; padding: 0; display: grid; gap: 1rem;
             grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); }
.card { border: 1px solid #ddd; border-radius: 8px; overflow: hidden; }
.card a { color: inherit; text-decoration: none; display: block; }
.card img, .card .nophoto { width: 100%; aspect-ratio: 1; object-fit: cover; display: block;
                            background: #8883; }
.card .text { padding: .5rem .7rem .7rem; }
.card h2 { font-size: 1rem; margin: 0 0 .3rem; }
.meta { color: #555; font-size: .85rem; margin: 0; }
.empty { color: #777; }
"""

# All words must match, like the app's own search box; nothing leaves the page.
_SCRIPT = """
(function () {
  var box = document.getElementById('search');
  var cards = Array.prototype.slice.call(document.querySelectorAll('li.card'));
  var none = document.getElementById('nomatch');
  var count = document.getElementById('count');
  function apply() {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var text = card.getAttribute('data-search');
      var hit = words.every(function (w) { return text.indexOf(w) !== -1; });
      card.hidden = !hit;
      if (hit) { shown += 1; }
    });
    if (none) { none.hidden = shown !== 0 || cards.length === 0; }
    if (count) { count.textContent = String(shown); }
  }
  box.addEventListener('input', apply);
  apply();
})();
"""

_POLICY = (
    "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'"
)


def _card(entry: LibraryEntry) -> str:
    href = quote(entry.folder) + "/" + HOME_NAME
    if entry.photo:
        picture = (
            f'<img src="{_e(quote(entry.folder) + "/" + quote(entry.photo))}" alt="" '
            'loading="lazy">'
        )
    else:
        picture = '<div class="nophoto"></div>'
    meta = []
    if entry.author:
        meta.append(f"by {_e(entry.author)}")
    if entry.posted:
        meta.append(f"posted {_e(_day(entry.posted))}")
    meta.append(f"saved {_e(_day(entry.saved))}")
    return (
        f'<li class="card" data-search="{_e(entry.search_text)}">'
        f'<a href="{_e(href)}">{picture}<div class="text">'
        f"<h2>{_e(entry.title)}</h2>"
        f'<p class="meta">{" · ".join(meta)}</p>'
        "</div></a></li>"
    )


def render_home(entries: list[LibraryEntry]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Recipe library</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        "<h1>Recipe library</h1>",
        f'<p class="meta"><span id="count">{len(entries)}</span> of {len(entries)} recipes</p>',
        '<input type="search" id="search" placeholder="Search title, author, ingredient…" '
        'aria-label="Search the recipes" autofocus>',
        "</header>",
    ]
    if entries:
        parts.append('<ul class="recipes">')
        parts.extend(_card(entry) for entry in entries)
        parts.append("</ul>")
        parts.append('<p class="empty" id="nomatch" hidden>No recipe matches your search.</p>')
    else:
        parts.append(
            '<p class="empty">No recipes yet. Recipes saved without Tandoor appear here, '
            "newest first.</p>"
        )
    parts += [f"<script>{_SCRIPT}</script>", "</body>", "</html>", ""]
    return "\n".join(parts)


__all__ = [
    "HOME_NAME",
    "LibraryEntry",
    "collect_entries",
    "read_entry",
    "rebuild_home",
    "recipe_folders",
    "render_home",
]
