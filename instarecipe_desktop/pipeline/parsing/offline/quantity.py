"""Amounts and units at the start (or, in Japanese style, the end) of an ingredient phrase."""

from __future__ import annotations

import re
from dataclasses import dataclass

from instarecipe_desktop.pipeline.parsing.offline import vocab

VULGAR = {
    "½": 0.5,
    "⅓": 1 / 3,
    "⅔": 2 / 3,
    "¼": 0.25,
    "¾": 0.75,
    "⅕": 0.2,
    "⅖": 0.4,
    "⅗": 0.6,
    "⅘": 0.8,
    "⅙": 1 / 6,
    "⅚": 5 / 6,
    "⅛": 0.125,
    "⅜": 0.375,
    "⅝": 0.625,
    "⅞": 0.875,
}
_V = "".join(VULGAR)
# one number: mixed (1 1/2, 1-1/2, 1½), fraction, decimal (1.5, 1,5, .25), unicode fraction
# a fraction has a small denominator ("1/3"); "200/250 g" is a range
_FRACTION = r"\d{1,2}/(?:1[0-6]|[1-9])(?!\d)"
# "1 e 1/2", "1 i 1/2", "1 und 1/2", "2 and ½": a whole number joined to its fraction by a word
MIXED_JOIN = r"(?:e|i|und|and|y|en|et|og|och)"
NUMBER = (
    rf"(?:\d+\s+{MIXED_JOIN}\s+(?:{_FRACTION}|[{_V}])|\d+\s*[{_V}]|\d+(?:\s+|-){_FRACTION}|"
    rf"{_FRACTION}|\d+(?:[.,]\d+)?|[.,]\d+|[{_V}])"
)
RANGE_SEP = (
    r"(?:\s*(?:-|–|—|~|〜|～)\s*|/(?=\d)|"
    r"\s+(?:to|bis|a|à|or|oder|o|ou|till|til|tot|do|eller)\s+)"
)
# "~2 cups", "ca. 200 g", "about 3 eggs": an approximate amount is still the amount
_APPROX = re.compile(
    rf"^(?:~|≈|ca\.?|circa|cirka|approx\.?|about|environ|etwa|ongeveer|ok\.)\s*(?=\d|[{_V}])",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    rf"^(?P<low>{NUMBER})(?:(?P<sep>{RANGE_SEP})(?P<high>{NUMBER}))?", re.IGNORECASE
)
_UNIT = re.compile(rf"^(?P<unit>{vocab.UNIT_PATTERN})\.?(?=[\s,;:)(/.!*]|$|[^\w])", re.IGNORECASE)
_UNIT_CASED = re.compile(r"^(?P<unit>[CTt])\.?(?=[\s,;:)(]|$)")
_NUMBER_WORD = re.compile(
    r"^(?P<word>"
    + "|".join(sorted((re.escape(w) for w in vocab.NUMBER_WORDS), key=len, reverse=True))
    + r")\s+",
    re.IGNORECASE,
)
_SIZE_WORD = re.compile(
    r"^(heaped|heaping|level|rounded|scant|generous|good|small|large|big|gehäufte[rn]?|kl\.|gr\.|"
    r"gestrichene[rn]?|kleine[rn]?|große[rn]?|colmad[ao]s?|rasas?|abbondante|scarso)\s+",
    re.IGNORECASE,
)
_COUNT_WORD = re.compile(r"^(?:adet|tane)\s+", re.IGNORECASE)
_OF = re.compile(r"^(?:(?:of|de|di|del|della|dello|du|des|de\s+la|von)\s+|d['’]\s*)", re.IGNORECASE)


@dataclass
class Quantity:
    amount: float
    unit: str | None  # canonical unit name, or None for a count ("2 eggs")
    range_text: str | None  # "6-8 cups" when the caption gives a range
    rest: str  # what follows: the food and its notes
    high: float | None = None  # the range's upper bound ("2-3 cloves" -> 3)


def number_value(text: str) -> float:
    """The value of one NUMBER match: "1 1/2" -> 1.5, "½" -> 0.5, "1,5" -> 1.5."""
    text = text.strip()
    total = 0.0
    joined = re.fullmatch(rf"(\d+)\s+{MIXED_JOIN}\s+(.+)", text, re.IGNORECASE)
    if joined:
        return int(joined.group(1)) + number_value(joined.group(2))
    if text and text[-1] in VULGAR:
        total += VULGAR[text[-1]]
        text = text[:-1].strip()
        if not text:
            return total
    mixed = re.fullmatch(r"(\d+)(?:\s+|-)(\d+)/(\d+)", text)
    if mixed:
        whole, num, den = (int(g) for g in mixed.groups())
        return total + whole + (num / den if den else 0)
    frac = re.fullmatch(r"(\d+)/(\d+)", text)
    if frac:
        num, den = int(frac.group(1)), int(frac.group(2))
        return total + (num / den if den else float(num))
    return total + float(text.replace(",", "."))


def canonical_unit(word: str) -> str | None:
    word = re.sub(r"\s+", " ", word.strip().rstrip(".")).lower()
    return vocab.UNIT_LOOKUP.get(word)


def read_unit(text: str, *, glued: bool) -> tuple[str | None, str]:
    """A unit word at the start of ``text``; (None, text) when there is none."""
    match = _UNIT.match(text)
    if match:
        unit = canonical_unit(match.group("unit"))
        rest = text[match.end() :]
        # a count unit with nothing after it is the food itself ("4 cloves" of the spice);
        # a measure stays a unit ("2 cups" of what the heading says)
        if unit and (rest.strip() or glued or unit in vocab.MEASURE_UNITS - {"clove", "can"}):
            return unit, rest
    cased = _UNIT_CASED.match(text)
    if cased:
        return vocab.CASE_SENSITIVE_UNITS[cased.group("unit")], text[cased.end() :]
    return None, text


def leading_quantity(text: str) -> Quantity | None:
    """Parse "1 1/2 cups flour", "6-8 cups stock", "10oz beef", "大さじ2", "a pinch of salt"."""
    text = text.strip()
    approx = _APPROX.match(text)
    if approx:
        text = text[approx.end() :]
    for prefix in vocab.PREFIX_UNITS:
        if text.startswith(prefix):
            match = _AMOUNT.match(text[len(prefix) :].lstrip())
            if match:
                rest = text[len(prefix) :].lstrip()[match.end() :]
                return _quantity(match, canonical_unit(prefix) or prefix, rest, prefix)
    match = _AMOUNT.match(text)
    if match and re.match(r"^(?:\.\s|\)\s)", text[match.end() :]):
        return None  # "1. Add the flour", "018. Old Fashioned": numbering, not an amount
    if match:
        after = text[match.end() :]
        glued = bool(after) and not after[0].isspace()
        after_stripped = after.lstrip()
        note = None
        paren = re.match(r"^\(([^)]*)\)\s*", after_stripped)  # "1 (8-ounce) feta chunk"
        if paren and not glued:
            note = paren.group(1).strip()
            after_stripped = after_stripped[paren.end() :]
        size = _SIZE_WORD.match(after_stripped)
        if size and _UNIT.match(after_stripped[size.end() :]):  # "1 heaped tbsp flour"
            note = ", ".join(filter(None, [note, size.group(1)]))
            after_stripped = after_stripped[size.end() :]
        unit, rest = read_unit(after_stripped, glued=glued)
        if unit is None:  # "3 adet yumurta": a word that only says "pieces"
            rest = _COUNT_WORD.sub("", rest)
        # "2x", "3rd", "10am": a number glued to a short word that is not a unit is no amount
        if glued and unit is None and re.match(r"^[^\W\d_]{1,3}(?![^\W\d_])", after):
            return None
        quantity = _quantity(match, unit, rest, None)
        if note:
            quantity.rest = f"{quantity.rest} ({note})".strip()
        return quantity
    word = _NUMBER_WORD.match(text)
    if word:
        after = text[word.end() :]
        size = _SIZE_WORD.match(after)
        if size and _UNIT.match(after[size.end() :]):  # "One big can of diced tomato"
            after = after[size.end() :]
        unit, rest = read_unit(after, glued=False)
        value = vocab.NUMBER_WORDS[word.group("word").lower()]
        if unit is not None or word.group("word").lower() not in {
            "a",
            "an",
            "un",
            "una",
            "uno",
            "ein",
            "eine",
            "einen",
            "une",
            "um",
            "uma",
            "een",
            "bir",
        }:
            return Quantity(float(value), unit, None, _OF.sub("", rest.lstrip(" .")))
    unit, rest = read_unit(text, glued=False)
    if unit in vocab.UNITS_WITHOUT_NUMBER and rest.strip():  # "Dash of cinnamon"
        return Quantity(1.0, unit, None, _OF.sub("", rest.lstrip(" .")))
    return None


def _quantity(match: re.Match[str], unit: str | None, rest: str, prefix: str | None) -> Quantity:
    low = number_value(match.group("low"))
    range_text = None
    upper = None
    if match.group("high"):
        high = number_value(match.group("high"))
        if high > low:
            upper = high
            range_text = match.group(0).strip()
            if unit and not prefix:
                range_text = f"{range_text} {unit}"
        else:  # "1-2" where the second is smaller: not a range ("2 or 1"?) -> keep the first
            range_text = match.group(0).strip()
    rest = _OF.sub("", rest.lstrip(" .")) if unit else rest.strip()
    return Quantity(low, unit, range_text, rest.strip(), upper)


_CJK_COUNTER = r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]{1,2}"  # 個, 本, 개, 공기, ...
_TRAILING = re.compile(
    rf"^(?P<food>.+?)(?:[\s:\t]|…|‥|\.{{2,}}|[・･]{{2,}}|\s[-–—=]\s?)+(?P<prefix>{'|'.join(vocab.PREFIX_UNITS)})?\s*"
    rf"(?P<amount>{NUMBER}(?:{RANGE_SEP}{NUMBER})?)\s*"
    rf"(?P<unit>{vocab.UNIT_PATTERN}|{_CJK_COUNTER})?\.?$",
    re.IGNORECASE,
)


_VAGUE_UNITS = "|".join(
    re.escape(s) for s, canon in vocab.UNIT_LOOKUP.items() if canon in vocab.UNITS_WITHOUT_NUMBER
)
_TRAILING_VAGUE = re.compile(
    rf"^(?P<food>[^\W\d_].{{0,60}}?)(?:\s*(?:…|‥|\.{{2,}}|・{{2,}}|:|\s[-–—=])\s*)"
    rf"(?:a|an|one|1|une?|eine?|una?)?\s*(?P<unit>{_VAGUE_UNITS})\.?$",
    re.IGNORECASE,
)
_TIMES = re.compile(
    r"^(?P<food>[^\W\d_][^\d×]{0,60}?)\s*[-–:]?\s*[x×]\s?(?P<n>\d{1,3})$", re.IGNORECASE
)
# "Green smoothie Serves 2", "Brownies makes 12": a yield, not an amount of food
_YIELD_END = re.compile(
    r"\b(?:serves|servings?|makes|yields?|für|pour|para|per|voor|rende|"
    r"rinde|porzioni|portionen|portions?|raciones|porciones)\W*$",
    re.IGNORECASE,
)


def trailing_quantity(text: str) -> tuple[str, Quantity] | None:
    """Food first, amount last: "鶏もも肉 1枚", "水 600ml", "ザラメ糖 大さじ1", "Salt 1 tsp",
    or a count written "Eggs x2"."""
    vague = _TRAILING_VAGUE.match(text.strip())
    if vague:  # "Cinnamon ....... a pinch"
        unit = canonical_unit(vague.group("unit"))
        return vague.group("food").strip(), Quantity(1.0, unit, None, "")
    times = _TIMES.match(text.strip())
    if times:
        return times.group("food").strip(), Quantity(float(times.group("n")), None, None, "")
    match = _TRAILING.match(text.strip())
    if not match or _YIELD_END.search(match.group("food")):
        return None
    amount = _AMOUNT.match(match.group("amount"))
    if amount is None:
        return None
    unit_word = match.group("prefix") or match.group("unit")
    unit = (canonical_unit(unit_word) or unit_word) if unit_word else None
    quantity = _quantity(amount, unit, "", match.group("prefix"))
    return match.group("food").strip(), quantity
