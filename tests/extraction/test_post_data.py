"""What is kept of a post, from saved node dicts (``Post(context, node)``, offline)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from instaloader import Post

from instarecipe_desktop.pipeline.extraction.loader import make_loader
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.post_data import (
    COMMENT_HEADER,
    TRANSCRIPT_HEADER,
    compose_text,
    describe_post,
    looks_like_recipe,
    says_recipe_in_comments,
)
from tests.extraction.conftest import DATA, load_posts

CDN = "http://cdn.test"


def node_of(name: str) -> dict[str, Any]:
    """A saved node dict: what instaloader 4.16 builds from Instagram's answer for the post."""
    text = (DATA / "nodes.json").read_text(encoding="utf-8").replace("{cdn}", CDN)
    return json.loads(text)[name]


def test_saved_nodes_match_what_instaloader_builds_from_the_saved_answers() -> None:
    """nodes.json and posts.json (served by the fake Instagram) describe the same posts."""
    for name, media in load_posts(CDN).items():
        assert Post._normalize_post_data(media) == node_of(name), name


@pytest.fixture
def context() -> Any:
    loader = make_loader(RequestPacer(0.0))
    yield loader.context
    loader.close()


def facts_of(context: Any, name: str, kind: str = "p") -> Any:
    post = Post(context, node_of(name))
    return describe_post(post, f"https://www.instagram.com/{kind}/{post.shortcode}/")


def test_photo(context: Any) -> None:
    facts = facts_of(context, "photo")
    assert facts.post == {
        "shortcode": "C7photo0001",
        "canonicalUrl": "https://www.instagram.com/p/C7photo0001/",
        "author": "chef.anna",
        "authorName": "Anna Müller",
        "date": "2024-06-01T12:00:00Z",
        "isVideo": False,
        "mediaType": "image",
        "hashtags": ["pasta", "lemon", "quickdinner"],
        "carouselSize": 1,
        "videoUrl": None,
        "manual": False,
    }
    assert facts.caption.startswith("Lemon pasta 🍋\n\nIngredients:\n- 200 g spaghetti")
    assert facts.thumbnail_url == f"{CDN}/img/C7photo0001.jpg"
    assert facts.video_url is None
    assert not facts.comments_hint


def test_carousel(context: Any) -> None:
    facts = facts_of(context, "carousel")
    assert facts.post["mediaType"] == "carousel"
    assert facts.post["carouselSize"] == 3
    assert facts.post["hashtags"] == ["baking", "bananabread"]  # duplicates dropped
    assert facts.post["isVideo"] is False
    assert facts.thumbnail_url == f"{CDN}/img/C7carousel1.jpg"


def test_reel(context: Any) -> None:
    facts = facts_of(context, "reel", kind="reel")
    assert facts.post["isVideo"] is True
    assert facts.post["mediaType"] == "video"
    assert facts.post["videoUrl"] == f"{CDN}/vid/C7reel00001.mp4"
    assert facts.video_url == facts.post["videoUrl"]
    assert facts.post["canonicalUrl"] == "https://www.instagram.com/reel/C7reel00001/"
    assert facts.comments_hint  # "Full recipe in the comments 👇"


def test_long_caption_is_kept_whole(context: Any) -> None:
    facts = facts_of(context, "long_caption")
    original = load_posts(CDN)["long_caption"]["caption"]["text"]
    assert facts.caption == original
    assert len(facts.caption) > 1500
    assert looks_like_recipe(facts.caption)


def test_empty_caption(context: Any) -> None:
    facts = facts_of(context, "empty_caption")
    assert facts.caption == ""
    assert facts.post["hashtags"] == []
    assert not facts.comments_hint


def test_non_latin_text(context: Any) -> None:
    facts = facts_of(context, "non_latin")
    assert "麻婆豆腐のレシピ" in facts.caption and "Шарлотка" in facts.caption
    assert facts.post["hashtags"] == ["麻婆豆腐", "中華", "выпечка"]
    assert facts.post["author"] == "mama.cooks"
    assert facts.post["authorName"] == "ママ 料理"


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Full recipe in the comments 👇", True),
        ("Rezept in den Kommentaren!", True),
        ("La recette est dans les commentaires", True),
        ("Receta en los comentarios ⬇", True),
        ("Lovely dinner, thanks for all the comments!", False),
        ("Ingredients:\n200 g flour\n2 eggs\n100 ml milk\nRecipe also in the comments", False),
        ("", False),
    ],
)
def test_comment_hint(caption: str, expected: bool) -> None:
    assert says_recipe_in_comments(caption) is expected


def test_compose_marks_comments_and_transcript() -> None:
    text = compose_text(
        "Gnocchi! Recipe in the comments",
        "chef.anna",
        ["500 g gnocchi\n1 onion"],
        "  Today we make gnocchi.  ",
    )
    assert text == (
        "Gnocchi! Recipe in the comments\n\n"
        f"{COMMENT_HEADER.format(author='chef.anna')}\n500 g gnocchi\n1 onion\n\n"
        f"{TRANSCRIPT_HEADER}\nToday we make gnocchi."
    )
    assert compose_text("", "a", [], None) == ""
    assert compose_text("", "a", [], "spoken") == f"{TRANSCRIPT_HEADER}\nspoken"
