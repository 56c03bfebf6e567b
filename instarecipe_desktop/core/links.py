"""Instagram post links: recognise them in any text and canonicalise them (pure functions).

Owned by the extraction work (issue 3); this first version is the contract the engine uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


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


_HOSTS = {"instagram.com", "www.instagram.com", "m.instagram.com", "instagr.am", "www.instagr.am"}
_PATH = re.compile(r"^/(?:[A-Za-z0-9._]+/)?(p|reel|reels|tv)/([A-Za-z0-9_-]{5,64})/?")


def parse_post_link(text: str) -> PostLink:
    """Canonicalise one link; raises ``LinkRejected`` with a reason."""
    candidate = text.strip()
    if "://" not in candidate:
        candidate = "https://" + candidate
    parts = urlsplit(candidate)
    host = (parts.hostname or "").lower()
    if host not in _HOSTS:
        raise LinkRejected("This is not an Instagram link.")
    if parts.path.startswith("/share/"):
        return PostLink(shortcode=None, url=f"https://www.instagram.com{parts.path}", kind="share")
    match = _PATH.match(parts.path)
    if not match:
        raise LinkRejected("This Instagram link is not a post or reel.")
    kind = "p" if match.group(1) in {"p", "tv"} else "reel"
    code = match.group(2)
    return PostLink(shortcode=code, url=f"https://www.instagram.com/{kind}/{code}/", kind=kind)


def find_post_links(text: str) -> list[PostLink]:
    """Every Instagram post link in ``text``, in order, without duplicates."""
    found: list[PostLink] = []
    seen: set[str] = set()
    for token in re.findall(r"\S+", text):
        try:
            link = parse_post_link(token)
        except LinkRejected:
            continue
        key = link.shortcode or link.url
        if key not in seen:
            seen.add(key)
            found.append(link)
    return found
