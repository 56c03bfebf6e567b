"""Browsers whose Instagram cookies can be imported (kept apart so the CLI loads it cheaply)."""

FIREFOX_BASED = ("firefox", "librewolf")
CHROMIUM_BASED = ("chrome", "chromium", "brave", "edge", "vivaldi", "opera")
SUPPORTED_BROWSERS = FIREFOX_BASED + CHROMIUM_BASED
