"""Instagram post links: recognise them in any text and canonicalise them (pure functions).

``parse_post_link`` takes one link and returns a ``PostLink`` (shortcode + one canonical URL) or
raises ``LinkRejected`` with a reason a person understands; it never raises anything else.
``find_post_links`` finds every post link in free text (a clipboard sentence, several links,
bare links without a scheme) and never raises.

``/share/<token>`` links carry a token, not a shortcode: they are recognised here (kind
``"share"``, no shortcode) and resolved by following the redirect in the extraction phase
(``pipeline.extraction.share``); ``post_link_from_redirect`` turns the redirect target into a
``PostLink``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit


class LinkRejected(ValueError):
    """Not an Instagram post link; ``reason`` says why in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PostLink:
    shortcode: str | None  # None for /share/ links until the redirect is resolved
    url: str  # canonical: https://www.instagram.com/p/<code>/ or /reel/<code>/ (or the share link)
    kind: str  # "p" | "reel" | "share"

    @property
    def is_share(self) -> bool:
        return self.kind == "share"


POST_HOSTS = frozenset(
    {"instagram.com", "www.instagram.com", "m.instagram.com", "instagr.am", "www.instagr.am"}
)
_CANONICAL_BASE = "https://www.instagram.com"
_CODE = r"[A-Za-z0-9_-]{5,64}"
_POST_KINDS = {"p": "p", "tv": "p", "reel": "reel", "reels": "reel"}
# /p/<code>, /reel/<code>, /reels/<code>, /tv/<code>, optionally after /<username>/
_POST_PATH = re.compile(
    rf"^/(?:(?P<user>[A-Za-z0-9._]{{1,30}})/)?(?P<kind>(?i:p|reel|reels|tv))"
    rf"/(?P<code>{_CODE})(?:/|$)"
)
_SHARE_PATH = re.compile(
    rf"^/(?i:share)/(?:(?P<kind>(?i:p|reel|reels|v|tv))/)?"
    rf"(?P<token>{_CODE})(?:/|$)"
)
# words that are Instagram pages, not usernames
_RESERVED_FIRST_SEGMENTS = frozenset(
    {
        "accounts",
        "direct",
        "about",
        "legal",
        "developer",
        "privacy",
        "terms",
        "web",
        "api",
        "emails",
        "challenge",
        "session",
        "nametag",
        "qr",
        "your_activity",
        "ar",
        "topics",
    }
)
_NOT_A_CODE = frozenset({"audio", "create", "tagged", "saved", "feed"})
_TRAILING_PUNCTUATION = ".,;:!?'\"…»«“”‘’>)]}*~"
_ALLOWED_SCHEMES = frozenset({"http", "https"})
# a candidate Instagram address inside free text: host (with or without scheme) + path; the
# host must not be glued to other word characters (notinstagram.com, instagram.com.evil.net);
# with a scheme it may follow anything ("...here.https://www.instagram.com/p/..."); without one
# it may follow a full stop that ends a sentence (".instagram.com/p/..."), not a word's dot
_CANDIDATE = re.compile(
    r"(?:https?://|(?<![\w@/-])(?<!\w\.))(?:[a-z0-9-]+\.)*(?:instagram\.com|instagr\.am)"
    r"(?![\w.-])(?::\d{1,5})?(?:[/?#][^\s<>\"'()\[\]{}|\\^`]*)?",
    re.IGNORECASE,
)


# invisible formatting characters that ride along when a link is copied from right-to-left text
# or some apps: LRM/RLM, zero-width space/joiners, bidi embeddings and isolates, word joiner, BOM
_INVISIBLE_CHARS = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2066\u2067\u2068\u2069\ufeff"
)
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")


def _hostname(candidate: str) -> str:
    try:
        return (urlsplit(candidate).hostname or "").lower().rstrip(".")
    except ValueError:  # e.g. an unbalanced "[" in the host
        return ""


def parse_post_link(text: str) -> PostLink:
    """Canonicalise one link; raises ``LinkRejected`` (and nothing else) with a reason."""
    if not isinstance(text, str):
        raise LinkRejected("This is not a link.")
    candidate = text.strip().strip(_INVISIBLE_CHARS).strip().strip("<>").strip()
    if not candidate:
        raise LinkRejected("The link is empty.")
    if any(ch.isspace() for ch in candidate):
        raise LinkRejected("This is not a single link (it contains spaces).")
    scheme_match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", candidate)
    scheme = scheme_match.group(1).lower() if scheme_match else ""
    if scheme == "instagram":
        raise LinkRejected(
            "This is a link for the Instagram app; copy the post's web link "
            "(Share → Copy link) instead."
        )
    if scheme_match and candidate[scheme_match.end() :].startswith("//"):
        if scheme not in _ALLOWED_SCHEMES:
            raise LinkRejected("Only http and https links can be opened.")
    else:
        candidate = "https://" + candidate.lstrip("/")
    try:
        parts = urlsplit(candidate)
    except ValueError:
        raise LinkRejected("This is not a valid link.") from None
    host = _hostname(candidate)
    if host not in POST_HOSTS:
        if host.endswith(".instagram.com"):
            shown = host if len(host) <= 80 else "…" + host[-60:]  # never echo a huge input
            raise LinkRejected(f"{shown} is an Instagram page, not a post or reel.")
        raise LinkRejected("This is not an Instagram link.")
    return _from_path(parts.path or "/")


def _from_path(path: str) -> PostLink:
    path = re.sub(r"/{2,}", "/", path)
    share = _SHARE_PATH.match(path)
    if share:
        kind = share.group("kind")
        token = share.group("token")
        tail = f"{kind.lower()}/{token}" if kind else token
        return PostLink(shortcode=None, url=f"{_CANONICAL_BASE}/share/{tail}/", kind="share")
    match = _POST_PATH.match(path)
    if match and match.group("code").lower() not in _NOT_A_CODE:
        user = match.group("user")
        if user is None or user.lower() not in _RESERVED_FIRST_SEGMENTS | {"stories", "explore"}:
            kind = _POST_KINDS[match.group("kind").lower()]
            code = match.group("code")
            return PostLink(shortcode=code, url=f"{_CANONICAL_BASE}/{kind}/{code}/", kind=kind)
    raise LinkRejected(_reason_for_other_path(path))


def _reason_for_other_path(path: str) -> str:
    segments = [s for s in path.split("/") if s]
    first = segments[0].lower() if segments else ""
    if not segments:
        return "This is Instagram's home page, not a post or reel."
    if first in {"stories", "s"}:
        if first == "s" or (len(segments) > 1 and segments[1].lower() == "highlights"):
            return "This is a story highlight; highlights are not posts and cannot be imported."
        return "This is a story; stories are not posts and cannot be imported."
    if first == "explore":
        return "This is an Explore page (a list of posts); open one post and copy its link."
    if first in {"reels", "reel"} and len(segments) > 1 and segments[1].lower() == "audio":
        return "This is an audio page (a list of reels using a sound); copy one reel's link."
    if first in {"p", "reel", "reels", "tv", "share"}:
        return "This Instagram link has no valid post code; copy the link again."
    if first in _RESERVED_FIRST_SEGMENTS:
        return "This Instagram page is not a post or reel."
    if re.fullmatch(r"[A-Za-z0-9._]{1,30}", segments[0]):
        return "This is a profile, not a post; open one of its posts and copy that link."
    return "This Instagram link is not a post or reel."


def post_link_from_redirect(location: str) -> PostLink | None:
    """The post a /share/ redirect points to: the ``Location`` itself, or the ``next`` parameter
    of a login-page redirect (``/accounts/login/?next=/reel/<code>/``). None when neither is one.
    """
    if location.startswith("/") and not location.startswith("//"):
        location = _CANONICAL_BASE + location
    try:
        link = parse_post_link(location)
    except LinkRejected:
        link = None
    if link is not None and not link.is_share:
        return link
    try:
        parts = urlsplit(location)
        if (parts.hostname or "").lower() not in POST_HOSTS:
            return None
        nexts = parse_qs(parts.query).get("next", [])
    except ValueError:
        return None
    for target in nexts:
        if target.startswith("/"):
            try:
                inner = _from_path(urlsplit(target).path)
            except (LinkRejected, ValueError):
                continue
            if not inner.is_share:
                return inner
    return None


def find_post_links(text: str) -> list[PostLink]:
    """Every Instagram post link in ``text``, in order, without duplicates. Never raises."""
    if not isinstance(text, str) or not text:
        return []
    found: list[PostLink] = []
    seen: set[str] = set()
    text = _INVISIBLE.sub(" ", text)  # they separate words like spaces do
    for match in _CANDIDATE.finditer(text):
        token = match.group(0).rstrip(_TRAILING_PUNCTUATION)
        try:
            link = parse_post_link(token)
        except LinkRejected:
            continue
        key = link.shortcode or link.url
        if key not in seen:
            seen.add(key)
            found.append(link)
    return found
