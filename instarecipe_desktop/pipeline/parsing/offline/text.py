"""Text clean-up shared by the offline parser: normalising a caption and reading line markers."""

from __future__ import annotations

import re
import unicodedata

from instarecipe_desktop.pipeline.parsing.offline import vocab
from instarecipe_desktop.pipeline.parsing.offline.normalised import normalise

HASHTAG = re.compile(r"(?<![\w&])#[^\s#]+")
MENTION = re.compile(r"(?<![\w.])@[\w.]+")
URL = re.compile(r"https?://\S+|www\.\S+")


def normalize(text: str) -> str:
    """The text as the parser reads it (``normalised.normalise``: entities, bold letters,
    zero-width characters, full-width forms, CRLF, keycaps)."""
    return normalise(text).text


def is_symbol(char: str) -> bool:
    """Emoji, pictographs, dingbats, arrows, joiners and variation selectors."""
    if char in "\u200d\ufe0f\ufe0e\u20e3":
        return True
    if char in "°℃℉":  # temperatures stay in the text: "180 °C"
        return False
    category = unicodedata.category(char)
    return category in {"So", "Sk", "Cs", "Co"} or 0x1F000 <= ord(char) <= 0x1FAFF


def strip_symbols(text: str) -> str:
    """Remove emoji and pictographs (keeps letters, digits and punctuation)."""
    return "".join(" " if is_symbol(c) else c for c in text)


def collapse(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text).strip()


def strip_tags(text: str) -> str:
    """Remove hashtags, @mentions and URLs from a line."""
    return collapse(URL.sub(" ", MENTION.sub(" ", HASHTAG.sub(" ", text))))


def only_tags(line: str) -> bool:
    """True when a line holds nothing but hashtags, mentions, URLs, emoji and punctuation."""
    rest = strip_symbols(strip_tags(line))
    return not re.search(r"\w", rest) and bool(
        HASHTAG.search(line) or MENTION.search(line) or URL.search(line)
    )


_NOISE = re.compile("|".join(vocab.NOISE_PATTERNS), re.IGNORECASE)


def is_noise(line: str) -> bool:
    """Calls to action, promo codes, "link in bio", credits: not part of the recipe."""
    return bool(_NOISE.search(line))


_SEGMENT_BREAK = re.compile(r"(\s+[|｜•]\s+|(?<=[.!?])\s+|[\U0001F000-\U0001FAFF\u2600-\u27BF]+)")


def drop_noise(line: str) -> str:
    """The line without its noisy segments: "Käsekuchen 😍 Werbung | Rezept speichern!" ->
    "Käsekuchen 😍"."""
    parts = _SEGMENT_BREAK.split(line)
    kept = [p for p in parts if p and not _NOISE.search(p)]
    return collapse("".join(kept)).strip(" |｜•")


# markers at the start of a line ------------------------------------------------------------
_NUMBER_MARK = re.compile(
    r"^(?:(?:step|schritt|paso|passo|étape|etape)\s*)?(\d{1,2})\s*(?:[.)]|:(?!\d)|/(?!\d))\s*",
    re.IGNORECASE,
)
_STEP_WORD_MARK = re.compile(
    r"^(?:step|schritt|paso|passo|étape|etape)\s*(\d{1,2})\b\s*[-:.]?\s*", re.IGNORECASE
)
_BULLET = re.compile(r"^(?:[-–—•·*▪▫◦●○■□►▶➤➔→⇒・･]|\.(?=\s)|\[\s?[xX ]?\s?\])\s*")


def step_number(line: str) -> tuple[int | None, str]:
    """("1. Mix it" -> (1, "Mix it")); a line without a number keeps its text."""
    match = _STEP_WORD_MARK.match(line) or _NUMBER_MARK.match(line)
    if match and match.end() < len(line):
        return int(match.group(1)), line[match.end() :].strip()
    return None, line


def strip_bullet(line: str) -> tuple[bool, str]:
    """Remove leading bullets, check boxes and emoji; True when there was any."""
    text = line.strip()
    marked = False
    while True:
        before = text
        lead = 0
        while lead < len(text) and is_symbol(text[lead]):
            lead += 1
        text = text[lead:].lstrip()
        match = _BULLET.match(text)
        if match and not re.match(r"-\d", text):
            text = text[match.end() :].lstrip()
        if text == before:
            break
        marked = True
    return marked, text


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text.lower())


def has_cjk(text: str) -> bool:
    return bool(re.search(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", text))
