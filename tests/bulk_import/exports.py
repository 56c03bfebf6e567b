"""Real-shaped Instagram data exports, built in the test: the zip as "Download your information"
gives it (JSON or HTML format, files under ``your_instagram_activity/saved/``, photos beside
them), with text mis-encoded the way Instagram writes it (UTF-8 bytes as Latin-1 escapes).

Shapes follow exports of 2023-2025 as other importers document them (docs/import.md).
"""

from __future__ import annotations

import html
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

SAVED_DIR = "your_instagram_activity/saved"


def mojibake(text: str) -> str:
    """What Instagram writes: the UTF-8 bytes of ``text``, each as one Latin-1 character."""
    return text.encode("utf-8").decode("latin-1")


@dataclass
class Export:
    """Saved posts (author, shortcode, kind) and collections (name -> indexes of posts)."""

    posts: list[tuple[str, str, str]] = field(default_factory=list)
    collections: dict[str, list[int]] = field(default_factory=dict)
    liked: list[tuple[str, str]] = field(default_factory=list)

    def url(self, index: int) -> str:
        _author, code, kind = self.posts[index]
        return f"https://www.instagram.com/{kind}/{code}/"

    # -- JSON form -----------------------------------------------------------------------------
    def saved_posts_json(self) -> str:
        media = [
            {
                "title": mojibake(author),
                "string_map_data": {"Saved on": {"href": self.url(i), "timestamp": 1690000000 + i}},
            }
            for i, (author, _code, _kind) in enumerate(self.posts)
        ]
        return json.dumps({"saved_saved_media": media})

    def saved_collections_json(self) -> str:
        entries: list[dict[str, object]] = []
        for name, indexes in self.collections.items():
            entries.append(
                {
                    "title": "Collection",
                    "string_map_data": {
                        "Name": {"value": mojibake(name)},
                        "Creation Time": {"timestamp": 1680000000},
                        "Update Time": {"timestamp": 1690000000},
                    },
                }
            )
            for i in indexes:
                entries.append(
                    {
                        "string_map_data": {
                            "Name": {"href": self.url(i), "value": mojibake(self.posts[i][0])},
                            "Added Time": {"timestamp": 1690000000 + i},
                        }
                    }
                )
        return json.dumps({"saved_saved_collections": entries})

    def liked_posts_json(self) -> str:
        likes = [
            {
                "title": author,
                "string_list_data": [
                    {
                        "href": f"https://www.instagram.com/p/{code}/",
                        "value": "👍",
                        "timestamp": 1690000000,
                    }
                ],
            }
            for author, code in self.liked
        ]
        return json.dumps({"likes_media_likes": likes})

    # -- HTML form -----------------------------------------------------------------------------
    @staticmethod
    def _page(title: str, blocks: list[str]) -> str:
        body = "".join(blocks)
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>'
            f'{title}</title></head><body class="_5vb_ _2yq _a7o5"><div class="clearfix">'
            f'<main class="_a706" role="main"><div class="_a705">{body}</div></main>'
            "</div></body></html>"
        )

    @staticmethod
    def _block(heading: str, rows: list[tuple[str, str]]) -> str:
        cells = "".join(
            f'<tr><td colspan="2" class="_2pin _a6_q">{label}<div><div>{value}</div></div>'
            "</td></tr>"
            for label, value in rows
        )
        return (
            '<div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder">'
            f'<h2 class="_3-95 _2pim _a6-h _a6-i">{html.escape(heading)}</h2>'
            f'<div class="_3-95 _a6-p"><table style="table-layout: fixed;">{cells}</table>'
            '</div><div class="_3-94 _a6-o"></div></div>'
        )

    def _link(self, i: int) -> str:
        return f'<a target="_blank" href="{self.url(i)}">{self.url(i)}</a>'

    def saved_posts_html(self) -> str:
        blocks = [
            self._block(author, [("", self._link(i)), ("Saved on", "Jul 22, 2023 4:26 pm")])
            for i, (author, _c, _k) in enumerate(self.posts)
        ]
        return self._page("Saved posts", blocks)

    def saved_collections_html(self) -> str:
        blocks: list[str] = []
        for name, indexes in self.collections.items():
            blocks.append(
                self._block(
                    "Collection",
                    [("Name", html.escape(name)), ("Creation Time", "Mar 28, 2023 9:00 am")],
                )
            )
            for i in indexes:
                blocks.append(
                    self._block(
                        self.posts[i][0],
                        [("Name", self._link(i)), ("Added Time", "Jul 22, 2023 4:26 pm")],
                    )
                )
        return self._page("Saved collections", blocks)

    # -- the zip -------------------------------------------------------------------------------
    def write_zip(self, path: Path, *, form: str = "json") -> Path:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            if form == "json":
                archive.writestr(f"{SAVED_DIR}/saved_posts.json", self.saved_posts_json())
                archive.writestr(
                    f"{SAVED_DIR}/saved_collections.json", self.saved_collections_json()
                )
                if self.liked:
                    archive.writestr(
                        "your_instagram_activity/likes/liked_posts.json", self.liked_posts_json()
                    )
            else:
                archive.writestr(f"{SAVED_DIR}/saved_posts.html", self.saved_posts_html())
                archive.writestr(
                    f"{SAVED_DIR}/saved_collections.html", self.saved_collections_html()
                )
            archive.writestr(
                "personal_information/personal_information/personal_information.json",
                json.dumps({"profile_user": []}),
            )
            archive.writestr("media/posts/202307/1234.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 500)
            archive.writestr("start_here.html", "<html><body>Your information</body></html>")
        return path


def recipes_export() -> Export:
    """Three collections (one with a non-ASCII name), a post in two of them, posts saved
    without a collection, and a story among the saves."""
    export = Export(
        posts=[
            ("chef.anna", "CxAAAA00001", "p"),  # 0
            ("café.bob", "CxBBBB00002", "reel"),  # 1
            ("dan_cooks", "CxCCCC00003", "p"),  # 2
            ("chef.anna", "CxDDDD00004", "reel"),  # 3
            ("eve.travels", "CxEEEE00005", "p"),  # 4
            ("frank", "CxFFFF00006", "p"),  # 5 (no collection)
        ],
        collections={
            "Recipes 🍝": [0, 1, 2, 3],
            "Desserts": [3],
            "Travel": [4],
        },
    )
    return export


def big_export(posts: int = 5000, collections: int = 20) -> Export:
    export = Export()
    for i in range(posts):
        export.posts.append((f"author{i % 150}", f"Big{i:07d}xy", "reel" if i % 3 else "p"))
    per = posts // collections
    for c in range(collections):
        export.collections[f"Collection {c + 1}"] = list(range(c * per, (c + 1) * per))
    return export
