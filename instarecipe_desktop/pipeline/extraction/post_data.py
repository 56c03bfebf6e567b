"""What the extraction keeps of an instaloader ``Post``, and how the text is put together.

Pure functions over a ``Post`` that already holds its metadata (fetched, or built offline with
``Post(context, node)``): they read only keys instaloader has, so they make no request.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from itertools import islice
from typing import Any

from instaloader import InstaloaderException, Post

MEDIA_TYPES = {"GraphImage": "image", "GraphVideo": "video", "GraphSidecar": "carousel"}
COMMENT_HEADER = "--- Comment by the author (@{author}) ---"
TRANSCRIPT_HEADER = "--- Transcript of the video's speech (automatic, may contain errors) ---"

_COMMENT_WORDS = re.compile(
    r"\b(comments?|kommentar(?:en|e)?|commentaires?|comentarios?|commenti|commento|"
    r"comentários?|reacties?|komentarz[ea]?)\b",
    re.IGNORECASE,
)
_POINTERS = re.compile(
    r"\b(recipe|recipes|rezept|recette|ricetta|receta|receita|recept|przepis|ingredients?|"
    r"zutaten|below|unten|first|ersten?|premier|primo|primer)\b|👇|⬇",
    re.IGNORECASE,
)
_QUANTITY_LINE = re.compile(
    r"^\s*(?:[-•*▪️✔️]\s*)?(?:\d+(?:[.,/]\d+)?|[½¼¾⅓⅔])\s*(?:g|gr|kg|ml|cl|dl|l|cups?|tbsp|tsp|"
    r"el|tl|oz|lbs?|pcs|stk|st|pinch|prise|x)?\b",
    re.IGNORECASE | re.MULTILINE,
)
_INGREDIENT_HEADERS = re.compile(
    r"^\s*(ingredients?|zutaten|ingrédients|ingredienti|ingredientes|składniki)\b",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass
class PostFacts:
    post: dict[str, Any]  # the item's ``post`` metadata
    caption: str
    thumbnail_url: str | None
    video_url: str | None
    comments_hint: bool = False  # the caption says the recipe is in the comments
    warnings: list[str] = field(default_factory=list)
    # every picture of the post in order (a carousel's slides; a video's cover); the first
    # usable one becomes the recipe's photo, the rest are kept for the parser
    picture_urls: list[str] = field(default_factory=list)
    source: Any = None  # what the reader read (instaloader's Post, for the author's comments)


def _safe(getter: Callable[[], Any], default: Any) -> Any:
    try:
        value = getter()
    except (InstaloaderException, KeyError, IndexError, TypeError, ValueError):
        return default
    return default if value is None else value


def _username(comment: Any) -> Any:
    return comment.owner.username


def _first_answers(comment: Any) -> list[Any]:
    return list(islice(comment.answers, 20))


def _iso_utc(post: Post) -> str | None:
    try:
        naive_utc = post.date_utc  # instaloader gives a naive datetime in UTC
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    return naive_utc.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def says_recipe_in_comments(caption: str) -> bool:
    """The caption points to the comments and does not itself look like a recipe."""
    if not caption or not _COMMENT_WORDS.search(caption) or not _POINTERS.search(caption):
        return False
    return not looks_like_recipe(caption)


def looks_like_recipe(caption: str) -> bool:
    quantities = len(_QUANTITY_LINE.findall(caption))
    return quantities >= 3 or (bool(_INGREDIENT_HEADERS.search(caption)) and quantities >= 2)


def describe_post(post: Post, canonical_url: str) -> PostFacts:
    """Everything the item keeps about the post (no network for a post with metadata)."""
    caption = _safe(lambda: post.caption, "") or ""
    typename = _safe(lambda: post.typename, "GraphImage")
    is_video = bool(_safe(lambda: post.is_video, False))
    hashtags = list(dict.fromkeys(_safe(lambda: post.caption_hashtags, [])))
    video_url = _safe(lambda: post.video_url, None) if is_video else None
    facts = PostFacts(
        post={
            "shortcode": post.shortcode,
            "canonicalUrl": canonical_url,
            "author": _safe(lambda: post.owner_username, ""),
            "authorName": _safe(lambda: post.owner_profile.full_name, ""),
            "date": _iso_utc(post),
            "isVideo": is_video,
            "mediaType": MEDIA_TYPES.get(typename, typename.lower()),
            "hashtags": hashtags,
            "carouselSize": int(_safe(lambda: post.mediacount, 1)),
            "videoUrl": video_url,
            "manual": False,
        },
        caption=caption,
        thumbnail_url=_safe(lambda: post.url, None),
        video_url=video_url,
        picture_urls=_picture_urls(post, typename),
        source=post,
    )
    facts.comments_hint = says_recipe_in_comments(caption)
    return facts


def _picture_urls(post: Post, typename: str) -> list[str]:
    cover = _safe(lambda: post.url, None)
    if typename != "GraphSidecar":
        return [cover] if cover else []
    slides = _safe(lambda: [node.display_url for node in post.get_sidecar_nodes()], [])
    urls = [url for url in slides if url] or ([cover] if cover else [])
    return list(dict.fromkeys(urls))


def compose_text(caption: str, author: str, comments: list[str], transcript: str | None) -> str:
    """Caption, then the author's comments and the transcript, each marked as such."""
    parts = [caption.strip()] if caption.strip() else []
    for comment in comments:
        parts.append(f"{COMMENT_HEADER.format(author=author)}\n{comment.strip()}")
    if transcript and transcript.strip():
        parts.append(f"{TRANSCRIPT_HEADER}\n{transcript.strip()}")
    return "\n\n".join(parts)


def author_comments(post: Post, limit_scanned: int = 50, keep: int = 3) -> list[str]:
    """The author's own comments (and replies) among the first ``limit_scanned`` comments.

    Makes requests (paced by the loader's rate controller); needs a logged-in loader."""
    author = post.owner_username.lower()
    found: list[str] = []
    for index, comment in enumerate(post.get_comments()):
        if index >= limit_scanned or len(found) >= keep:
            break
        if _safe(functools.partial(_username, comment), "").lower() == author and comment.text:
            found.append(comment.text)
        for answer in _safe(functools.partial(_first_answers, comment), []):
            if (
                len(found) < keep
                and _safe(functools.partial(_username, answer), "").lower() == author
                and answer.text
            ):
                found.append(answer.text)
    return found
