"""``/share/<token>`` links: follow Instagram's redirect to the post, then canonicalise.

Instagram answers a share link with a redirect to the post (``/reel/<code>/?igsh=...``), or,
for visitors it wants logged in, to ``/accounts/login/?next=/reel/<code>/``; sometimes with the
page itself, whose ``og:url`` / canonical link names the post. All three are understood.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import httpx

from instarecipe_desktop.core.errors import PermanentError, RecoverableError
from instarecipe_desktop.core.links import PostLink, post_link_from_redirect
from instarecipe_desktop.pipeline.extraction.errors import rate_limited

MAX_HOPS = 5
# Instagram answers a share link with the redirect only when the request looks like a
# browser's page navigation
NAVIGATION_HEADERS = {
    "Accept": "text/html,application/xhtml+xml",
    "Sec-Fetch-Dest": "document",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Site": "none",
    "Sec-Fetch-User": "?1",
}
_PAGE_URL = re.compile(
    r"""<(?:meta[^>]+property=["']og:url["'][^>]+content|link[^>]+rel=["']canonical["']"""
    r"""[^>]+href)=["']([^"']+)["']""",
    re.IGNORECASE,
)


async def resolve_share_link(
    client: httpx.AsyncClient, link: PostLink, *, base_url: str | None = None
) -> PostLink:
    """The post a share link leads to. ``base_url`` replaces ``https://www.instagram.com``
    (tests point it at a loopback server). Raises ``PhaseError``."""
    if not link.is_share:
        return link
    origin = (base_url or "https://www.instagram.com").rstrip("/")
    url = origin + urlsplit(link.url).path
    for _ in range(MAX_HOPS):
        try:
            response = await client.get(url, headers=NAVIGATION_HEADERS, follow_redirects=False)
        except httpx.TimeoutException:
            raise RecoverableError(
                "Instagram did not answer in time while opening the share link.",
                code="network",
                retry_after=60.0,
            ) from None
        except httpx.HTTPError:
            raise RecoverableError(
                "Instagram could not be reached to open the share link.",
                suggestion="Check your internet connection; it is tried again.",
                code="network",
                retry_after=60.0,
            ) from None
        if response.is_redirect:
            location = response.headers.get("Location", "")
            found = post_link_from_redirect(location)
            if found is not None:
                return found
            next_path = urlsplit(urljoin(url, location)).path if location else ""
            if not next_path.startswith("/share/"):
                break  # e.g. the login page without a post to go to
            url = origin + next_path
            continue
        if response.status_code == 200:
            match = _PAGE_URL.search(response.text[:500_000])
            found = post_link_from_redirect(match.group(1)) if match else None
            if found is not None:
                return found
            break
        if response.status_code in (401, 429):
            raise rate_limited()
        if response.status_code in (404, 410):
            raise PermanentError(
                "This share link does not exist or has expired.",
                suggestion="Copy the post's link again in Instagram.",
                code="post_unavailable",
            )
        if response.status_code >= 500:
            raise RecoverableError(
                "Instagram is having trouble right now (server error).",
                code="instagram_unavailable",
                retry_after=60.0,
            )
        break
    raise PermanentError(
        "The share link did not lead to a post.",
        suggestion="Open it in your browser and copy the post's own link "
        "(it contains /p/ or /reel/).",
        code="share_unresolved",
    )
