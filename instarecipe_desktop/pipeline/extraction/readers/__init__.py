"""The readers behind the extraction phase: each one way of reading a post, tried in order.

instaloader (Instagram's web API, with the person's session or anonymous), yt-dlp used as a
library (the same session as cookies), and the post's public embed page. ``ReaderChain`` tries
them, rests one that keeps failing, and writes each try into the item's log.
"""

from __future__ import annotations

READER_NAMES = ("instaloader", "yt-dlp", "embed")
READER_LABELS = {
    "instaloader": "instaloader",
    "yt-dlp": "yt-dlp",
    "embed": "the public embed page",
}
# the readers that are a library (their version is the package's); the embed page is our own code
READER_PACKAGES = {"instaloader": "instaloader", "yt-dlp": "yt-dlp"}
EMBED_VERSION = "built-in, page format of 2026"
# which readers send the person's imported session (the embed page is always anonymous)
USES_SESSION = {"instaloader": True, "yt-dlp": True, "embed": False}
