"""Link recognition: a table of the forms found in the wild, and a property test."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from instarecipe_desktop.core.links import (
    LinkRejected,
    PostLink,
    find_post_links,
    parse_post_link,
    post_link_from_redirect,
)

P = "https://www.instagram.com/p/{}/"
R = "https://www.instagram.com/reel/{}/"

ACCEPTED = [
    ("https://www.instagram.com/p/C8xYz12AbCd/", P.format("C8xYz12AbCd")),
    ("https://www.instagram.com/p/C8xYz12AbCd", P.format("C8xYz12AbCd")),
    ("http://www.instagram.com/p/C8xYz12AbCd/", P.format("C8xYz12AbCd")),
    ("https://instagram.com/p/C8xYz12AbCd/", P.format("C8xYz12AbCd")),
    ("https://m.instagram.com/p/C8xYz12AbCd/", P.format("C8xYz12AbCd")),
    ("instagram.com/p/C8xYz12AbCd/", P.format("C8xYz12AbCd")),
    ("www.instagram.com/p/C8xYz12AbCd", P.format("C8xYz12AbCd")),
    ("https://instagr.am/p/C8xYz12AbCd/", P.format("C8xYz12AbCd")),
    ("http://www.instagr.am/p/C8xYz12AbCd", P.format("C8xYz12AbCd")),
    ("https://www.instagram.com/reel/C9-ab_CDefg/", R.format("C9-ab_CDefg")),
    ("https://www.instagram.com/reels/C9-ab_CDefg/", R.format("C9-ab_CDefg")),
    ("https://www.instagram.com/tv/B1tvCodeXYZ/", P.format("B1tvCodeXYZ")),
    ("https://www.instagram.com/chef.anna/p/C8xYz12AbCd/", P.format("C8xYz12AbCd")),
    ("https://www.instagram.com/chef_anna/reel/C9-ab_CDefg/", R.format("C9-ab_CDefg")),
    ("https://www.instagram.com/p/C8xYz12AbCd/?igsh=MWd0eHZ6", P.format("C8xYz12AbCd")),
    (
        "https://www.instagram.com/reel/C9-ab_CDefg/?igshid=NTc4MTIwNjQ2YQ==",
        R.format("C9-ab_CDefg"),
    ),
    (
        "https://www.instagram.com/p/C8xYz12AbCd/?utm_source=ig_web_copy_link&utm_medium=x",
        P.format("C8xYz12AbCd"),
    ),
    ("https://www.instagram.com/p/C8xYz12AbCd/?hl=de", P.format("C8xYz12AbCd")),
    ("https://www.instagram.com/p/C8xYz12AbCd/?img_index=3", P.format("C8xYz12AbCd")),
    ("https://www.instagram.com/p/C8xYz12AbCd/#comments", P.format("C8xYz12AbCd")),
    ("HTTPS://WWW.INSTAGRAM.COM/p/C8xYz12AbCd/", P.format("C8xYz12AbCd")),
    ("https://www.instagram.com/P/C8xYz12AbCd/", P.format("C8xYz12AbCd")),
    ("  https://www.instagram.com/p/C8xYz12AbCd/  \n", P.format("C8xYz12AbCd")),
    ("<https://www.instagram.com/p/C8xYz12AbCd/>", P.format("C8xYz12AbCd")),
    ("https://www.instagram.com/p/C8xYz12AbCd/c/17900000000000000/", P.format("C8xYz12AbCd")),
    ("https://www.instagram.com:443/p/C8xYz12AbCd/", P.format("C8xYz12AbCd")),
    ("https://www.instagram.com//p/C8xYz12AbCd/", P.format("C8xYz12AbCd")),
    (
        "https://www.instagram.com/p/Cabc_-123XYZxyzLongPrivateCode0123456789/",
        P.format("Cabc_-123XYZxyzLongPrivateCode0123456789"),
    ),
]

SHARES = [
    (
        "https://www.instagram.com/share/reel/BAabcdEFG12/",
        "https://www.instagram.com/share/reel/BAabcdEFG12/",
    ),
    (
        "https://www.instagram.com/share/BAabcdEFG12?igsh=x",
        "https://www.instagram.com/share/BAabcdEFG12/",
    ),
    ("instagram.com/share/p/_a1B2c3D4e5/", "https://www.instagram.com/share/p/_a1B2c3D4e5/"),
]

REJECTED = [
    ("https://www.instagram.com/chef.anna/", "profile"),
    ("https://www.instagram.com/chef.anna", "profile"),
    ("https://www.instagram.com/chef.anna/reels/", "profile"),
    ("https://www.instagram.com/chef.anna/tagged/", "profile"),
    ("https://www.instagram.com/stories/chef.anna/3300000000000000000/", "story"),
    ("https://www.instagram.com/stories/highlights/17890000000000000/", "highlight"),
    ("https://www.instagram.com/s/aGlnaGxpZ2h0OjE3OTAw?story_media_id=1", "highlight"),
    ("https://www.instagram.com/explore/tags/pasta/", "Explore"),
    ("https://www.instagram.com/explore/", "Explore"),
    ("https://www.instagram.com/reels/audio/1234567890123/", "audio"),
    ("https://www.instagram.com/", "home page"),
    ("https://www.instagram.com/accounts/login/", "not a post"),
    ("https://www.instagram.com/p/abc/", "no valid post code"),
    ("https://www.instagram.com/p/", "no valid post code"),
    ("https://instagram.com.evil.net/p/C8xYz12AbCd/", "not an Instagram link"),
    ("https://notinstagram.com/p/C8xYz12AbCd/", "not an Instagram link"),
    ("https://evil.net/instagram.com/p/C8xYz12AbCd/", "not an Instagram link"),
    ("https://instagram.com@evil.net/p/C8xYz12AbCd/", "not an Instagram link"),
    ("https://www.tiktok.com/@chef/video/7300000000000000000", "not an Instagram link"),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "not an Instagram link"),
    ("ftp://www.instagram.com/p/C8xYz12AbCd/", "http and https"),
    ("instagram://media?id=3300000000000000000", "Instagram app"),
    ("https://help.instagram.com/p/C8xYz12AbCd/", "Instagram page"),
    ("", "empty"),
    ("   ", "empty"),
    ("two https://www.instagram.com/p/C8xYz12AbCd/ links", "spaces"),
    ("http://[::1", "not"),
]


def test_the_table_has_at_least_forty_forms() -> None:
    assert len(ACCEPTED) + len(SHARES) + len(REJECTED) >= 40


@pytest.mark.parametrize(("text", "canonical"), ACCEPTED)
def test_accepted_forms_are_canonicalised(text: str, canonical: str) -> None:
    link = parse_post_link(text)
    assert link.url == canonical
    assert link.shortcode == canonical.rstrip("/").rsplit("/", 1)[1]
    assert link.kind == ("reel" if "/reel/" in canonical else "p")


@pytest.mark.parametrize(("text", "canonical"), SHARES)
def test_share_links_are_recognised_without_a_shortcode(text: str, canonical: str) -> None:
    link = parse_post_link(text)
    assert link == PostLink(shortcode=None, url=canonical, kind="share")
    assert link.is_share


@pytest.mark.parametrize(("text", "reason"), REJECTED)
def test_rejected_forms_say_why(text: str, reason: str) -> None:
    with pytest.raises(LinkRejected) as info:
        parse_post_link(text)
    assert reason.lower() in info.value.reason.lower()


def test_links_are_found_inside_text_in_order_without_duplicates() -> None:
    text = (
        "Try this! (https://www.instagram.com/p/C8xYz12AbCd/?igsh=abc). Also instagr.am/reel/"
        "C9-ab_CDefg, and again www.instagram.com/p/C8xYz12AbCd/ — not notinstagram.com/p/"
        "NOPEnope123 nor instagram.com.evil.net/p/EVILevil123 nor my profile "
        "instagram.com/chef.anna; share: https://www.instagram.com/share/reel/BAabcdEFG12/\n"
        "«https://m.instagram.com/tv/B1tvCodeXYZ»"
    )
    found = find_post_links(text)
    assert [link.shortcode for link in found] == ["C8xYz12AbCd", "C9-ab_CDefg", None, "B1tvCodeXYZ"]
    assert found[2].url == "https://www.instagram.com/share/reel/BAabcdEFG12/"


def test_trailing_underscore_of_a_code_is_kept_in_text() -> None:
    assert [x.shortcode for x in find_post_links("see instagram.com/p/ABCDE12_3_.")] == [
        "ABCDE12_3_"
    ]


def test_no_links_in_ordinary_text() -> None:
    assert find_post_links("Soup: 1 onion, 2 carrots. Email me@instagram.com") == []
    assert find_post_links("") == []


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("https://www.instagram.com/reel/C9-ab_CDefg/?igsh=MWQ1", R.format("C9-ab_CDefg")),
        ("/p/C8xYz12AbCd/", P.format("C8xYz12AbCd")),
        (
            "https://www.instagram.com/accounts/login/?next=%2Freel%2FC9-ab_CDefg%2F%3Figsh%3Dx",
            R.format("C9-ab_CDefg"),
        ),
        ("https://www.instagram.com/accounts/login/?next=/p/C8xYz12AbCd/", P.format("C8xYz12AbCd")),
        ("https://www.instagram.com/accounts/login/", None),
        ("https://www.instagram.com/share/reel/BAabcdEFG12/", None),
        ("https://evil.net/?next=/p/C8xYz12AbCd/", None),
    ],
)
def test_share_redirect_targets(location: str, expected: str | None) -> None:
    link = post_link_from_redirect(location)
    assert (link.url if link else None) == expected


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_parse_never_raises_anything_but_link_rejected(text: str) -> None:
    try:
        link = parse_post_link(text)
    except LinkRejected as exc:
        assert exc.reason
    else:
        assert link.url.startswith("https://www.instagram.com/")


URLISH = st.text(alphabet="htps:/.wigramcom?#&=_-@[]%ÿ€ 0123456789ABCDEFpPreelsv\n\t", max_size=80)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(),
        URLISH,
        st.builds(lambda a, b: a + "instagram.com/" + b, st.text(max_size=20), URLISH),
    )
)
def test_find_never_raises_and_finds_only_canonical_links(text: str) -> None:
    for link in find_post_links(text):
        assert link.url.startswith("https://www.instagram.com/")
        assert parse_post_link(link.url) == link


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.builds(lambda a: "https://www.instagram.com/accounts/login/?next=" + a, URLISH),
    )
)
def test_redirect_targets_never_raise(location: str) -> None:
    link = post_link_from_redirect(location)
    assert link is None or (link.shortcode and not link.is_share)
