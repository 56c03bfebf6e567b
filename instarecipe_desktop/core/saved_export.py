"""The saved posts in Instagram's data export ("Download your information"), from its files.

Pure functions over the text of one file: ``read_export_json`` for the JSON form, and
``read_export_html`` for the HTML form; both return ``SavedPost`` entries (a link as written in
the export, its author, the collection it was saved to) and never raise on odd content: what
they cannot read is said in ``ExportFile.problems``.

Known JSON shapes (they changed over the years; all are read):

- ``saved_posts.json``: ``{"saved_saved_media": [{"title": "<author>", "string_map_data":
  {"Saved on": {"href": "https://www.instagram.com/p/CODE/", "timestamp": 1690000000}}}]}``
  (older: ``saved_media`` / ``saved_posts``, or a bare list).
- ``saved_collections.json``: ``{"saved_saved_collections": [...]}``, a flat list: an entry
  with ``string_map_data.Name.value`` and no ``href`` starts a collection (``"title":
  "Collection"``), the entries after it carry ``string_map_data.Name.href`` (the post) and
  ``Added Time``.
- the 2024+ "label_values" form of both: ``{"label_values": [{"label": "URL", "href": ...},
  {"title": "Owner", "dict": [{"dict": [{"label": "Username", "value": ...}]}]}]}``; a
  collection is ``{"label_values": [{"label": "Name", "value": ...}, {"title": "Media",
  "dict": [{"dict": [<URL, Owner>]}]}]}``.
- ``liked_posts.json``: ``{"likes_media_likes": [{"title": "<author>", "string_list_data":
  [{"href": ..., "timestamp": ...}]}]}``.

Text in these files is often UTF-8 that was decoded as Latin-1 and written again ("CafÃ©"):
``fix_mojibake`` undoes that.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from instarecipe_desktop.core.links import find_post_links

_HREF_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


@dataclass(frozen=True)
class SavedPost:
    url: str  # as written in the export (canonicalised later, when it is queued)
    author: str | None = None
    collection: str | None = None  # None: saved without a collection (or a liked post)
    saved_at: int | None = None  # Unix time, when the export says


@dataclass
class ExportFile:
    """What one file of the export holds."""

    name: str  # the file's path inside the export, for messages
    kind: str  # "saved_posts" | "saved_collections" | "liked_posts" | "links"
    posts: list[SavedPost] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)  # in the order they appear
    problems: list[str] = field(default_factory=list)


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1 ("CafÃ© ðŸ\x8d\x9d" -> "Café 🍝"); other text is kept."""
    if not text or text.isascii():
        return text
    try:
        fixed = text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
    return fixed


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = fix_mojibake(value).strip()
    return text or None


def _timestamp(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    return None


def kind_of(name: str) -> str:
    """The kind of an export file by its name (``links`` for any other text)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    stem = base.rsplit(".", 1)[0]
    if stem.startswith("saved_posts") or stem == "saved_media":
        return "saved_posts"
    if stem.startswith("saved_collections"):
        return "saved_collections"
    if stem.startswith("liked_posts") or stem == "likes_media_likes":
        return "liked_posts"
    return "links"


# -- JSON ---------------------------------------------------------------------------------------

_MEDIA_KEYS = ("saved_saved_media", "saved_media", "saved_posts")
_COLLECTION_KEYS = ("saved_saved_collections", "saved_collections")
_LIKED_KEYS = ("likes_media_likes", "liked_posts", "likes")
_TIME_KEYS = ("Saved on", "Added Time", "Time", "Liked on")


def read_export_json(name: str, text: str) -> ExportFile:
    """The posts of one JSON file of the export (saved posts, collections or likes)."""
    result = ExportFile(name=name, kind=kind_of(name))
    try:
        data = json.loads(text)
    except ValueError as exc:
        result.problems.append(f"{name} is not valid JSON ({exc}); it was skipped.")
        return result
    entries: list[Any] | None = None
    flat_collections = False
    if isinstance(data, list):
        entries = data
        flat_collections = result.kind == "saved_collections"
    elif isinstance(data, dict):
        for key in _COLLECTION_KEYS:
            if isinstance(data.get(key), list):
                entries, flat_collections = data[key], True
                result.kind = "saved_collections"
                break
        else:
            for key in (*_MEDIA_KEYS, *_LIKED_KEYS):
                if isinstance(data.get(key), list):
                    entries = data[key]
                    if key in _LIKED_KEYS:
                        result.kind = "liked_posts"
                    elif result.kind == "links":
                        result.kind = "saved_posts"
                    break
    if entries is None:
        keys = ", ".join(sorted(data)[:5]) if isinstance(data, dict) else type(data).__name__
        result.problems.append(
            f"{name} is JSON of another shape ({keys}), not Instagram's saved posts, "
            "collections or likes; it was skipped."
        )
        return result
    if flat_collections:
        _read_collections(entries, result)
    else:
        for entry in entries:
            _read_media_entry(entry, None, result)
    return result


def _read_media_entry(entry: Any, collection: str | None, result: ExportFile) -> None:
    if not isinstance(entry, dict):
        return
    labels = entry.get("label_values")
    if isinstance(labels, list):
        _read_label_values(labels, collection, _timestamp(entry.get("timestamp")), result)
        return
    author = _clean(entry.get("title"))
    mapping = entry.get("string_map_data")
    if isinstance(mapping, dict):
        for key in (*_TIME_KEYS, "Name", "URL"):
            field_ = mapping.get(key)
            if isinstance(field_, dict) and isinstance(field_.get("href"), str):
                result.posts.append(
                    SavedPost(
                        url=field_["href"],
                        author=author,
                        collection=collection,
                        saved_at=_saved_at(mapping) or _timestamp(field_.get("timestamp")),
                    )
                )
                return
    listed = entry.get("string_list_data")
    if isinstance(listed, list):
        for field_ in listed:
            if isinstance(field_, dict) and isinstance(field_.get("href"), str):
                result.posts.append(
                    SavedPost(
                        url=field_["href"],
                        author=author,
                        collection=collection,
                        saved_at=_timestamp(field_.get("timestamp")),
                    )
                )
        return
    for key in ("href", "url", "uri", "link"):  # the oldest exports: plain objects
        if isinstance(entry.get(key), str):
            result.posts.append(SavedPost(url=entry[key], author=author, collection=collection))
            return


def _saved_at(mapping: dict[str, Any]) -> int | None:
    for key in _TIME_KEYS:
        field_ = mapping.get(key)
        if isinstance(field_, dict) and _timestamp(field_.get("timestamp")) is not None:
            return _timestamp(field_.get("timestamp"))
    return None


def _read_collections(entries: list[Any], result: ExportFile) -> None:
    current: str | None = None
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        labels = entry.get("label_values")
        if isinstance(labels, list):
            name = _label(labels, "Name")
            media = _titled(labels, "Media")
            if name is not None and media is not None:
                _start_collection(name, result)
                for child in media:
                    if isinstance(child, dict) and isinstance(child.get("dict"), list):
                        _read_label_values(child["dict"], name, None, result)
                continue
            if name is not None and _label_href(labels) is None:
                current = _start_collection(name, result)
                continue
            _read_label_values(labels, current, _timestamp(entry.get("timestamp")), result)
            continue
        mapping = entry.get("string_map_data")
        name_field = mapping.get("Name") if isinstance(mapping, dict) else None
        if isinstance(name_field, dict) and not isinstance(name_field.get("href"), str):
            name = _clean(name_field.get("value"))
            if name is not None:
                current = _start_collection(name, result)
            continue
        if isinstance(mapping, dict) and isinstance(name_field, dict):
            author = _clean(name_field.get("value")) or _clean(entry.get("title"))
            if author is not None and author.lower() == "collection":
                author = None
            result.posts.append(
                SavedPost(
                    url=name_field["href"],
                    author=author,
                    collection=current,
                    saved_at=_saved_at(mapping),
                )
            )
            continue
        _read_media_entry(entry, current, result)


def _start_collection(name: str, result: ExportFile) -> str:
    if name not in result.collections:
        result.collections.append(name)
    return name


def _label(labels: list[Any], label: str) -> str | None:
    for value in labels:
        if isinstance(value, dict) and str(value.get("label", "")).lower() == label.lower():
            return _clean(value.get("value"))
    return None


def _label_href(labels: list[Any]) -> str | None:
    for value in labels:
        if isinstance(value, dict) and str(value.get("label", "")).lower() in {"url", "link"}:
            href = value.get("href") or value.get("value")
            if isinstance(href, str) and href.startswith(("http://", "https://")):
                return href
    return None


def _titled(labels: list[Any], title: str) -> list[Any] | None:
    for value in labels:
        if isinstance(value, dict) and str(value.get("title", "")).lower() == title.lower():
            found = value.get("dict")
            return found if isinstance(found, list) else []
    return None


def _owner(labels: list[Any]) -> str | None:
    people = _titled(labels, "Owner") or []
    for person in people:
        if isinstance(person, dict) and isinstance(person.get("dict"), list):
            name = _label(person["dict"], "Username")
            if name:
                return name
    return None


def _read_label_values(
    labels: list[Any], collection: str | None, saved_at: int | None, result: ExportFile
) -> None:
    href = _label_href(labels)
    if href is not None:
        result.posts.append(
            SavedPost(url=href, author=_owner(labels), collection=collection, saved_at=saved_at)
        )


# -- HTML ---------------------------------------------------------------------------------------


class _Blocks(HTMLParser):
    """Splits the export's HTML into its entry blocks: each ``<div class="pam ...">`` (or each
    ``<h2>`` when there are none) with its heading, texts and link targets, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[dict[str, Any]] = []
        self._depth = 0  # div depth
        self._block_depth: int | None = None
        self._in_heading = False
        self.hrefs_outside: list[str] = []
        self.texts_outside: list[str] = []

    def _current(self) -> dict[str, Any] | None:
        return self.blocks[-1] if self._block_depth is not None and self.blocks else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "div":
            self._depth += 1
            classes = (attributes.get("class") or "").split()
            if self._block_depth is None and "pam" in classes:
                self._block_depth = self._depth
                self.blocks.append({"title": None, "texts": [], "hrefs": []})
        elif tag in {"h1", "h2", "h3"}:
            self._in_heading = True
            if self._block_depth is None:  # headings without blocks: each starts one
                self.blocks.append({"title": None, "texts": [], "hrefs": [], "loose": True})
        elif tag == "a":
            href = attributes.get("href")
            if href:
                block = self._current() or (self.blocks[-1] if self._loose() else None)
                (block["hrefs"] if block is not None else self.hrefs_outside).append(href)

    def _loose(self) -> bool:
        return bool(self.blocks) and bool(self.blocks[-1].get("loose"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            if self._block_depth is not None and self._depth == self._block_depth:
                self._block_depth = None
            self._depth = max(0, self._depth - 1)
        elif tag in {"h1", "h2", "h3"}:
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if not text:
            return
        block = self._current() or (self.blocks[-1] if self._loose() else None)
        if block is None:
            self.texts_outside.append(text)
            return
        if self._in_heading and block["title"] is None:
            block["title"] = text
        else:
            block["texts"].append(text)


def read_export_html(name: str, text: str) -> ExportFile:
    """The posts of one HTML file of the export (or any HTML page holding post links)."""
    result = ExportFile(name=name, kind=kind_of(name))
    parser = _Blocks()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError) as exc:  # html.parser's own complaints
        result.problems.append(f"{name} could not be read as HTML ({exc}); it was skipped.")
        return result
    current: str | None = None
    for block in parser.blocks:
        title = _clean(block["title"])
        hrefs = [h for h in block["hrefs"] if _looks_instagram(h)]
        if not hrefs:
            texts = [_clean(t) for t in block["texts"]]
            name_value = _after_label(texts, "Name")
            if title and title.lower() == "collection" and name_value:
                current = _start_collection(name_value, result)
            elif title and block.get("loose") and result.kind == "saved_collections":
                current = _start_collection(title, result)  # <h2>Name</h2> then its posts
            continue
        author = title if title and title.lower() != "collection" else None
        for href in hrefs:
            result.posts.append(SavedPost(url=href, author=author, collection=current))
    for href in parser.hrefs_outside:
        if _looks_instagram(href):
            result.posts.append(SavedPost(url=href))
    if not result.posts:  # links written as text, not as anchors
        for link in find_post_links(" ".join(parser.texts_outside)):
            result.posts.append(SavedPost(url=link.url))
    return result


def _looks_instagram(href: str) -> bool:
    lowered = href.lower()
    return "instagram.com/" in lowered or "instagr.am/" in lowered


def _after_label(texts: list[str | None], label: str) -> str | None:
    for index, text in enumerate(texts):
        if text and text.lower() == label.lower():
            for following in texts[index + 1 :]:
                if following:
                    return following
    return None


# -- any text -----------------------------------------------------------------------------------


def read_links_text(name: str, text: str) -> ExportFile:
    """Every Instagram link in free text (a notes file, a chat log): posts, and also links to
    other Instagram pages, so that profiles or stories are counted as rejected, not dropped."""
    result = ExportFile(name=name, kind="links")
    result.posts.extend(SavedPost(url=link.url) for link in find_post_links(text))
    for match in _HREF_IN_TEXT.finditer(text):
        url = match.group(0).rstrip(".,;:!?'\")]}>")
        if _looks_instagram(url) and not find_post_links(url):
            result.posts.append(SavedPost(url=url))
    return result
