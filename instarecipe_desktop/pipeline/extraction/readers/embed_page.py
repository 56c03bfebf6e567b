"""What the post's public embed page (``/p/CODE/embed/captioned/``) shows: caption, author,
pictures. Pure parsing of the page's text (no network).

Two shapes are known: the page's script hands a ``contextJSON`` string whose ``gql_data``
holds the post as the GraphQL API gives it (``shortcode_media``); older and stripped pages only
have the HTML (``.Caption`` with ``.CaptionUsername``, ``img.EmbeddedMediaImage``). The JSON is
read first, the HTML second.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

_CONTEXT_JSON = re.compile(r'"contextJSON"\s*:\s*("(?:[^"\\]|\\.)*")', re.DOTALL)
_REMOVED_MARKS = (
    "EmbedIsBroken",
    "may be broken, or the post may have been removed",
    "This post is unavailable",
)


@dataclass
class EmbedPost:
    caption: str = ""
    author: str = ""
    author_name: str = ""
    pictures: list[str] = field(default_factory=list)
    video_url: str | None = None
    is_video: bool = False
    typename: str = "GraphImage"
    taken_at: int | None = None
    found: bool = False  # the page showed a post at all (caption or picture)


def looks_removed(html: str) -> bool:
    return any(mark in html for mark in _REMOVED_MARKS)


def read_embed_page(html: str) -> EmbedPost:
    """The post shown on the page; ``found`` is False when the page shows no post."""
    from_json = _from_context_json(html)
    if from_json is not None and from_json.found:
        return from_json
    return _from_html(html)


def _from_context_json(html: str) -> EmbedPost | None:
    match = _CONTEXT_JSON.search(html)
    if not match:
        return None
    try:
        context = json.loads(json.loads(match.group(1)))
    except (json.JSONDecodeError, TypeError):
        return None
    media = _dig(context, "gql_data", "shortcode_media")
    if not isinstance(media, dict):
        return None
    edges = _dig(media, "edge_media_to_caption", "edges") or []
    caption = _dig(edges[0], "node", "text") if edges else ""
    slides = [
        _dig(edge, "node", "display_url")
        for edge in (_dig(media, "edge_sidecar_to_children", "edges") or [])
    ]
    pictures = [url for url in slides if isinstance(url, str) and url]
    cover = media.get("display_url")
    if not pictures and isinstance(cover, str) and cover:
        pictures = [cover]
    owner = media.get("owner") or {}
    post = EmbedPost(
        caption=caption if isinstance(caption, str) else "",
        author=str(owner.get("username") or ""),
        author_name=str(owner.get("full_name") or ""),
        pictures=pictures,
        video_url=media.get("video_url") if isinstance(media.get("video_url"), str) else None,
        is_video=bool(media.get("is_video")),
        typename=str(media.get("__typename") or "GraphImage"),
        taken_at=media.get("taken_at_timestamp")
        if isinstance(media.get("taken_at_timestamp"), int)
        else None,
    )
    post.found = bool(post.caption or post.pictures)
    return post


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


class _EmbedHTML(HTMLParser):
    """Collects the caption's text (``<br>`` as new lines), the author and the pictures."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.caption_parts: list[str] = []
        self.author_parts: list[str] = []
        self.pictures: list[str] = []
        self.is_video = False
        self._caption_depth = 0  # >0 while inside .Caption
        self._skip_depth = 0  # >0 inside .CaptionUsername / .CaptionComments within it
        self._author_depth = 0  # >0 inside .UsernameText / .CaptionUsername

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "img" and "EmbeddedMediaImage" in classes:
            src = dict(attrs).get("src")
            if src and src not in self.pictures:
                self.pictures.append(src)
        if tag == "video" or "VideoPlayer" in classes:
            self.is_video = True
        if tag in {"img", "br"}:  # void elements: no end tag
            if tag == "br" and self._caption_depth and not self._skip_depth:
                self.caption_parts.append("\n")
            return
        if self._caption_depth:
            self._caption_depth += 1
            if self._skip_depth:
                self._skip_depth += 1
            elif classes & {"CaptionUsername", "CaptionComments"}:
                self._skip_depth = 1
        elif "Caption" in classes:
            self._caption_depth = 1
        if self._author_depth:
            self._author_depth += 1
        elif classes & {"UsernameText", "CaptionUsername"} and not self.author_parts:
            self._author_depth = 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"img", "br"}:
            return
        if self._caption_depth:
            self._caption_depth -= 1
            if self._skip_depth:
                self._skip_depth -= 1
        if self._author_depth:
            self._author_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._author_depth:
            self.author_parts.append(data)
        if self._caption_depth and not self._skip_depth:
            self.caption_parts.append(data)


def _from_html(html: str) -> EmbedPost:
    parser = _EmbedHTML()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.caption_parts).split("\n")]
    caption = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    post = EmbedPost(
        caption=caption,
        author="".join(parser.author_parts).strip(),
        pictures=parser.pictures,
        is_video=parser.is_video,
        typename="GraphVideo" if parser.is_video else "GraphImage",
    )
    post.found = bool(post.caption or post.pictures)
    return post
