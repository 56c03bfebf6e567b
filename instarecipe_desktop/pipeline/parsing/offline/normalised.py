"""Normalising a caption once, with a map back to the text as the person posted it.

The parser reads the normalised text; ``NormalisedText.original_span`` turns a span of it back
into offsets of the caption itself, so a recipe line's ``SourceSpan`` points at what the person
wrote (``&#xe9;``, ``𝐛𝐨𝐥𝐝`` letters and zero-width characters included).

What changes: CRLF and CR become LF; HTML character references (``&#x1f363;``, ``&#233;``,
``&amp;``) become their characters; Unicode "bold/italic" letters and digits, ligatures and
full-width forms become plain ones (NFKC only there: NFKC of ``½`` would give ``1⁄2``);
zero-width characters and soft hyphens are dropped; other dashes, bullets and spaces become
the usual ones; letters with combining accents are composed (NFC); keycap digits and circled
numbers become ``1.`` step numbers.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

# one character -> its replacement ("" drops it)
_CHAR_MAP: dict[str, str] = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_CHAR_MAP.update(
    {
        "\u3000": " ",  # ideographic space
        "\u00a0": " ",  # no-break space
        "\u2009": " ",  # thin space
        "\u202f": " ",
        "\u2007": " ",
        "\u2019": "'",  # ’
        "\u2044": "/",  # fraction slash: 1⁄2
        "\u2215": "/",
        "\u2012": "-",  # figure dash (en dash stays: it marks ranges like "1–2")
        "\u2010": "-",
        "\u2011": "-",
        "\u2212": "-",  # minus sign
        "\u2023": "•",  # ‣ and other bullets
        "\u2043": "•",
        "\u2219": "•",
        "\u2981": "•",
        "\u200b": "",  # zero-width space, non-joiner, marks, word joiner, BOM, soft hyphen
        "\u200c": "",
        "\u200e": "",
        "\u200f": "",
        "\u2060": "",
        "\ufeff": "",
        "\u00ad": "",
    }
)


def _compatible(char: str) -> str | None:
    """NFKC where it is safe: mathematical bold/italic/script letters and digits (𝗟𝗲𝗺𝗼𝗻, 𝟐),
    letter-like symbols that are letters (ℎ), ligatures (ﬁ)."""
    code = ord(char)
    if 0x1D400 <= code <= 0x1D7FF or 0xFB00 <= code <= 0xFB06:
        return unicodedata.normalize("NFKC", char)
    if 0x2100 <= code <= 0x214F and unicodedata.category(char) in {"Lu", "Ll"}:
        return unicodedata.normalize("NFKC", char)
    return None


_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ① .. ⑳
_CIRCLED.update({chr(0x2776 + i): i + 1 for i in range(10)})  # ❶ .. ❿
_CIRCLED.update({chr(0x278A + i): i + 1 for i in range(10)})  # ➊ .. ➓

_NEWLINE = re.compile(r"\r\n?")
_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,7});")
_SPECIAL = re.compile(
    "[" + re.escape("".join(_CHAR_MAP)) + r"\U0001d400-\U0001d7ff\ufb00-\ufb06\u2100-\u214f]"
)
_COMBINING = re.compile(r".[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20dc\u3099\u309a]+")
_KEYCAPS = re.compile(r"([1-9])\ufe0f?\u20e3([0-9])\ufe0f?\u20e3|([0-9])\ufe0f?\u20e3|\U0001f51f")
_CIRCLED_RE = re.compile("[" + "".join(_CIRCLED) + "]")


@dataclass(frozen=True)
class NormalisedText:
    """``text``, and for each of its characters the span of the original it came from."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of ``text[start:end]`` (an empty span stays empty)."""
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else len(self.original)
            return at, at
        return self.starts[start], self.ends[end - 1]


def _rewrite(
    text: str,
    starts: list[int],
    ends: list[int],
    pattern: re.Pattern[str],
    replace: Callable[[re.Match[str]], str],
) -> tuple[str, list[int], list[int]]:
    """``pattern.sub(replace, text)``, keeping every character's original span: the characters
    of a replacement all come from the span of what they replace."""
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(text[last : match.start()])
        new_starts.extend(starts[last : match.start()])
        new_ends.extend(ends[last : match.start()])
        replacement = replace(match)
        if match.end() > match.start():
            origin = starts[match.start()], ends[match.end() - 1]
            out.append(replacement)
            new_starts.extend([origin[0]] * len(replacement))
            new_ends.extend([origin[1]] * len(replacement))
        last = match.end()
    out.append(text[last:])
    new_starts.extend(starts[last:])
    new_ends.extend(ends[last:])
    return "".join(out), new_starts, new_ends


def _entity(match: re.Match[str]) -> str:
    value = html.unescape(match.group(0))
    if value == match.group(0) or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        return match.group(0)
    return value


def _special(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _CHAR_MAP:
        return _CHAR_MAP[char]
    return _compatible(char) or char


def _keycap(match: re.Match[str]) -> str:
    if match.group(0) == "\U0001f51f":
        return "10. "
    if match.group(1):
        return f"{match.group(1)}{match.group(2)}. "  # "1️⃣0️⃣": 10
    return f"{match.group(3)}. "


def normalise(original: str) -> NormalisedText:
    """The caption as the parser reads it, with its map back (see the module docstring)."""
    text = original
    starts = list(range(len(text)))
    ends = list(range(1, len(text) + 1))
    for pattern, replace in (
        (_NEWLINE, lambda m: "\n"),
        (_ENTITY, _entity),
        (_SPECIAL, _special),
        (_KEYCAPS, _keycap),
        (_COMBINING, lambda m: unicodedata.normalize("NFC", m.group(0))),
        (_CIRCLED_RE, lambda m: f"{_CIRCLED[m.group(0)]}. "),
    ):
        if pattern.search(text):
            text, starts, ends = _rewrite(text, starts, ends, pattern, replace)
    # entities may produce characters the special map changes ("&#xff11;"): once more
    if _SPECIAL.search(text):
        text, starts, ends = _rewrite(text, starts, ends, _SPECIAL, _special)
    return NormalisedText(original, text, tuple(starts), tuple(ends))
