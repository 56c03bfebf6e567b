"""Hostile link text for the recogniser and the CLI: huge strings, control characters, RTL marks,
lookalike hosts, thousands of links in one paste. (Speed: ``python
bench/links_hostile.py`` prints the figures.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from instarecipe_desktop.core.links import LinkRejected, find_post_links, parse_post_link
from tests.reliability.conftest import cli

CANONICAL = re.compile(r"^https://www\.instagram\.com/(p|reel|share)/[A-Za-z0-9_/-]+/$")
INVISIBLE = [
    "\u200e",
    "\u200f",
    "\u200b",
    "\u200d",
    "\u202b",
    "\u202e",
    "\u2066",
    "\u2069",
    "\ufeff",
]
LOOKALIKES = [
    "https://instagram.com.evil.example/p/ABCDEF1/",
    "https://www.instagram.com.evil.example/p/ABCDEF1/",
    "https://evil-instagram.com/p/ABCDEF1/",
    "https://notinstagram.com/p/ABCDEF1/",
    "https://\u0456nstagram.com/p/ABCDEF1/",  # Cyrillic i
    "https://inst\u0430gram.com/p/ABCDEF1/",  # Cyrillic a
    "https://in\u017ftagram.com/p/ABCDEF1/",  # long s, equal to "s" for re.IGNORECASE
    "https://\uff49\uff4e\uff53\uff54\uff41\uff47\uff52\uff41\uff4d.com/p/ABCDEF1/",  # fullwidth
    "https://xn--nstagram-4fb.com/p/ABCDEF1/",
    "https://instagram.co/p/ABCDEF1/",
    "https://instagram.com@evil.example/p/ABCDEF1/",
    "https://evil.example/www.instagram.com/p/ABCDEF1/",
    "https://evil.example/?u=https://www.instagram.com/p/ABCDEF1/x",
    "javascript://www.instagram.com/p/ABCDEF1/",
    "file://www.instagram.com/p/ABCDEF1/",
    "ftp://www.instagram.com/p/ABCDEF1/",
    "instagram://media?id=ABCDEF1",
]


@pytest.mark.parametrize("mark", INVISIBLE)
def test_invisible_marks_around_a_link_are_ignored(mark: str) -> None:
    for text in (
        f"{mark}https://www.instagram.com/p/ABCDEF1/",
        f"https://www.instagram.com/p/ABCDEF1{mark}",
        f"{mark}https://www.instagram.com/reel/ABCDEF1/{mark}",
    ):
        assert parse_post_link(text).shortcode == "ABCDEF1", repr(text)
        found = find_post_links(f"look{mark} {text}{mark}and this")
        assert [link.shortcode for link in found] == ["ABCDEF1"], repr(text)


@pytest.mark.parametrize("url", LOOKALIKES)
def test_lookalike_hosts_are_not_instagram(url: str) -> None:
    with pytest.raises(LinkRejected) as rejected:
        parse_post_link(url)
    assert rejected.value.reason[0].isupper()
    found = find_post_links(f"see {url} now")
    # a real instagram.com address inside another site's link may be found, but only ever
    # as the canonical instagram.com link: the pasted host is never what gets fetched
    assert all(CANONICAL.match(link.url) for link in found)
    if "evil.example/?u=" not in url:
        assert found == [], url


def test_control_characters_and_markup_do_not_confuse_it() -> None:
    text = (
        "\x00\x07\x1b\x7f<a href='https://www.instagram.com/p/ABCDEF1/'>x</a>\r\n"
        "\t\x0bhttps://www.instagram.com/reel/ABCDEF2/\x00"
        "https://www.instagram.com/p/ABC\x00DEFG/"
    )
    assert [link.shortcode for link in find_post_links(text)] == ["ABCDEF1", "ABCDEF2"]
    for bad in ("https://www.instagram.com/p/ABC\x00DEF/", "\x00", "\x1b[2J", "<>"):
        with pytest.raises(LinkRejected):
            parse_post_link(bad)


def test_huge_strings() -> None:
    junk = "lorem ipsum instagram. com / p / " * 150_000  # ~5 MB of near-misses
    text = junk + " https://www.instagram.com/p/HUGE0001/ " + junk
    assert [link.shortcode for link in find_post_links(text)] == ["HUGE0001"]
    assert find_post_links("a." * 1_000_000) == []
    assert find_post_links("instagram.com" * 200_000) == []
    for huge in (
        "https://www.instagram.com/p/" + "A" * 1_000_000 + "/",
        "https://" + "a." * 500_000 + "instagram.com/p/ABCDEF1/",
        "x" * 5_000_000,
    ):
        with pytest.raises(LinkRejected) as rejected:
            parse_post_link(huge)
        assert len(rejected.value.reason) < 200  # the input is not echoed back


def test_thousands_of_links_in_one_paste() -> None:
    codes = [f"Code{n:05d}" for n in range(5000)]
    separators = ["\n", ", ", " ", "\u200f", "\t", "; ", ""]
    parts = []
    for n, code in enumerate(codes):
        kind = "reel" if n % 2 else "p"
        parts.append(f"https://www.instagram.com/{kind}/{code}/?igsh=abc{n}")
        parts.append(separators[n % len(separators)] or " ")
    text = "".join(parts) * 2  # every link twice
    found = find_post_links(text)
    assert [link.shortcode for link in found] == codes


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_never_raises_and_only_yields_canonical_links(text: str) -> None:
    for link in find_post_links(text):
        assert CANONICAL.match(link.url), link
    try:
        link = parse_post_link(text)
    except LinkRejected as exc:
        assert exc.reason
    else:
        assert CANONICAL.match(link.url)


@settings(max_examples=200, deadline=None)
@example(prefix="instagram.com/reel/", code="00000", before=".", after="")  # found by hypothesis
@given(
    st.sampled_from(
        [
            "https://www.instagram.com/p/",
            "instagram.com/reel/",
            "https://m.instagram.com/reels/",
            "http://instagr.am/p/",
        ]
    ),
    st.from_regex(r"[A-Za-z0-9_-]{5,30}", fullmatch=True),
    st.text(alphabet="".join(INVISIBLE) + " \n\t,.;", max_size=5),
    st.text(alphabet="".join(INVISIBLE) + " \n\t,.;!)", max_size=5),
)
def test_a_real_link_survives_hostile_surroundings(
    prefix: str, code: str, before: str, after: str
) -> None:
    found = find_post_links(f"{before}{prefix}{code}/{after}")
    assert [link.shortcode for link in found] == [code]


def test_cli_add_with_hostile_arguments(tmp_path: Path) -> None:
    data = tmp_path / "data"
    hostile = [
        "\u202ehttps://www.instagram.com/p/RTL00001/\u200f",
        "https://www.instagram.com.evil.example/p/EVIL0001/",
        "x" * 100_000,
        "\x1b[31mred\x1b[0m",
        "https://www.instagram.com/p/ABC\x7fDEF/",
        "\u0000".replace("\u0000", "") or "-",  # an empty-ish argument
        "https://www.instagram.com/stories/someone/123/",
    ]
    done = cli("add", *hostile, data_dir=data)
    assert done.returncode == 2  # some were rejected ...
    assert "Traceback" not in done.stderr
    assert len(done.stderr) < 5000  # ... with short reasons, not the 100 KB argument
    queued = [json.loads(line) for line in done.stdout.splitlines()]
    assert [item["shortcode"] for item in queued] == ["RTL00001"]  # ... and the good one went in
    assert done.stderr.count("rejected") == len(hostile) - 1


def test_cli_add_a_thousand_links_at_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    urls = [f"https://www.instagram.com/reel/Many{n:05d}/?igsh=x" for n in range(1000)]
    done = cli("add", *urls, *urls[:10], data_dir=data)  # ten of them twice
    assert done.returncode == 0, done.stderr[-2000:]
    listing = cli("list", "--limit", "2000", data_dir=data)
    assert json.loads(listing.stdout)["total"] == 1000
    assert done.stderr.count("already queued") == 10
