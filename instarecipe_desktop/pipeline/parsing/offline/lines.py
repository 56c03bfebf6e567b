"""Classifying one caption line: a header, a nutrition line, prose, an amount, a sub-header."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from instarecipe_desktop.pipeline.parsing.offline import text as tx
from instarecipe_desktop.pipeline.parsing.offline import vocab
from instarecipe_desktop.pipeline.parsing.offline.quantity import (
    canonical_unit,
    leading_quantity,
    trailing_quantity,
)

_BRACKETS = "【】[]「」『』〔〕<>《》"


def _header_regex(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"^(?:{'|'.join(alternatives)})(?![\w])(?P<rest>.*)$", re.IGNORECASE)


_ING_HEADER = _header_regex(vocab.INGREDIENT_HEADERS)
_STEP_HEADER = _header_regex(vocab.STEP_HEADERS)
_OTHER_HEADER = _header_regex(vocab.OTHER_HEADERS)
_WEAK = re.compile(rf"^(?:{'|'.join(vocab.WEAK_INGREDIENT_HEADERS)})", re.IGNORECASE)
_RECIPE_WORD = re.compile(rf"^(?:{'|'.join(vocab.RECIPE_WORD_HEADERS)})$", re.IGNORECASE)
_QUALIFIER = re.compile(
    r"^\s*(?:\([^)]*\)|(?:per|for|für|fuer|para|pour|pro|needed|list|you\s+need)\b"
    r"[^:]*|\d+[^:]*)?\s*(?:\([^)]*\))?\s*",
    re.IGNORECASE,
)
_NUTRITION = re.compile(rf"\b(?:{'|'.join(vocab.NUTRITION_WORDS)})\b", re.IGNORECASE)
_NUTRITION_SHORT = re.compile(r"^\d+(?:[.,]\d+)?\s*(?:g|kcal|cal)?\s*(?:P|C|F|E|KH)\b\.?$")
_COOKING = vocab.COOKING_WORDS
RULE = re.compile(r"[-—–_=~.•·*━─]{1,40}")


@dataclass(frozen=True)
class Header:
    kind: str  # "ingredients", "steps", "other"
    qualifier: str  # "per 2 servings (the entire rice cooker)"
    content: str  # text after the colon on the same line
    weak: bool = False  # "What you need": also heads packing lists


@lru_cache(maxsize=4096)
def clean(line: str) -> str:
    """A line without hashtags, mentions, emoji and bullets, for classification."""
    _, text = tx.strip_bullet(tx.strip_tags(line))
    return tx.collapse(tx.strip_symbols(text))


@lru_cache(maxsize=4096)
def header_of(line: str) -> Header | None:
    """The section a header line opens ("Zutaten für 4 Personen:"), or None."""
    text = clean(tx.normalize(line))
    bare = text.strip(_BRACKETS + " :：;-–—").strip()
    if not bare:
        return None
    long_line = len(bare) > 80  # only "Ingredients: onion, carrot, ... stir ..." heads then
    recipe_word = None if long_line else re.match(r"^(.*?)\s*(\([^)]*\))?$", bare)
    if recipe_word and _RECIPE_WORD.match(recipe_word.group(1).strip(_BRACKETS + " :")):
        return Header("ingredients", recipe_word.group(2) or "", "")
    for kind, regex in (
        ("ingredients", _ING_HEADER),
        ("steps", _STEP_HEADER),
        ("other", _OTHER_HEADER),
    ):
        match = regex.match(text.lstrip(_BRACKETS + " "))
        if not match or (long_line and kind != "ingredients"):
            continue
        rest = match.group("rest").strip(_BRACKETS + " ")
        if not rest:
            return Header(kind, "", "")
        qualifier_match = _QUALIFIER.match(rest)
        qualifier = qualifier_match.group(0).strip() if qualifier_match else ""
        after = rest[qualifier_match.end() :] if qualifier_match else rest
        weak = kind == "ingredients" and bool(_WEAK.match(text.lstrip(_BRACKETS + " ")))
        if long_line and not after.startswith((":", "：")):
            return None
        if after.startswith((":", "：", ";", "-", "–", "—")):
            content = after.lstrip(":：;-–— ").strip()
            if re.fullmatch(r"\([^)]*\)", content):  # "Ingredients: (per serve)"
                return Header(kind, f"{qualifier} {content}".strip(), "", weak)
            return Header(kind, qualifier, content, weak)
        if not after.strip():
            return Header(kind, qualifier, "", weak)
        if kind == "other" and len(tx.words(rest)) <= 3 and not re.search(r"[.!?]$", rest):
            return Header(kind, rest, "")  # "Macros Per Meal", "Calories and Macros"
        return None
    return None


_ITEM_CALORIES = re.compile(
    r"\s*\(?\b\d+\s*(?:kcal|cals?|calories)\s+(?:each|per\s+\w+)\)?\s*$", re.IGNORECASE
)


def item_calories(text: str) -> tuple[str, str | None]:
    """ "Beef bacon 8 slices 45 calories each" -> ("Beef bacon 8 slices", "45 calories each"):
    a per-item calorie count after an ingredient is a note, not a nutrition line."""
    match = _ITEM_CALORIES.search(text)
    if match is None or match.start() == 0:
        return text, None
    rest = text[: match.start()].rstrip(" ,-–(")
    leading, trailing = leading_quantity(rest), trailing_quantity(rest)
    food = leading.rest if leading else trailing[0] if trailing else ""
    if (
        not [w for w in tx.words(food) if not _NUTRITION.fullmatch(w)]
        or len(_NUTRITION.findall(rest)) > 1
    ):
        return text, None  # "50g protein 200 calories each" stays a nutrition line
    return rest, match.group(0).strip(" ()")


def is_nutrition(line: str) -> bool:
    text, _ = item_calories(clean(line))
    if _NUTRITION_SHORT.match(text):
        return True
    hits = _NUTRITION.findall(text)
    if not hits:
        return False
    if len(hits) >= 2 or re.search(r"\|", text):
        return True
    return bool(
        re.match(rf"^(?:{'|'.join(vocab.NUTRITION_WORDS)})\s*[:=]", text, re.IGNORECASE)
        or re.search(r"\d\s*(?:kcal|cals?|calories)\b", text, re.IGNORECASE)
    )


_TRAILING_ABBREVIATION = re.compile(
    rf"(?:(?<=\d)\s*(?:{vocab.UNIT_PATTERN})|\b(?:ca|approx|aprox|etc|evtl|opt)|q\.\s?b|"
    rf"c\.\s?n)\.$",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def is_sentence(text: str) -> bool:
    """Prose, not a list item: long, or a full sentence, or an imperative with a cooking verb."""
    text = _TRAILING_ABBREVIATION.sub("", text.strip())  # "Sale e pepe q.b." is no sentence
    words = tx.words(text)
    if tx.has_cjk(text):
        return len(text) > 40 and bool(re.search(r"[。！？]", text))
    if len(words) > 12:
        return True
    if len(words) >= 5 and re.search(r"(?:[.!?…]|\.\.\.)\s*$", text):
        return True
    if len(words) >= 4 and re.search(r"\w[.!?]\s+[A-ZÄÖÜ]", text):
        return True
    # an imperative with a cooking verb: "Trocea las verduras.", "Coupez les légumes."
    full_stop = text.rstrip().endswith((".", "!")) and len(words) >= 3
    return (len(words) >= 4 or full_stop) and bool(words) and words[0] in _COOKING


def has_cooking_word(text: str) -> bool:
    return any(w in _COOKING for w in tx.words(text)) or bool(
        re.search(r"(焼|煮|切|混ぜ|加え|入れ|炒め)", text)
    )


@lru_cache(maxsize=4096)
def quantified(line: str) -> tuple[bool, bool]:
    """(has an amount, has a measure unit) for a candidate ingredient line."""
    text, _ = item_calories(clean(line))
    if is_nutrition(line) or is_sentence(text):
        return False, False
    quantity = leading_quantity(text)
    food = quantity.rest if quantity is not None else ""
    if quantity is None:
        trailing = trailing_quantity(re.sub(r"\s*\([^)]*\)\s*$", "", text))
        if trailing is None:
            return False, False
        food, quantity = trailing
    food_words = len(tx.words(food))
    if (quantity.unit is None and not 0 < food_words <= 5) or food_words > 8:
        return False, False
    return True, quantity.unit in vocab.MEASURE_UNITS


def subheader_name(line: str, *, first_in_block: bool, next_line: str | None) -> str | None:
    """ "For the sauce:", "TOP WITH-", "【出汁】", or a short title line right before amounts."""
    text = clean(line)
    if not text or leading_quantity(text) is not None:
        return None
    bracket = re.fullmatch(r"[【\[「『〔](.+?)[】\]」』〕]\s*[:：]?", text)
    if bracket:
        return bracket.group(1).strip()
    words = tx.words(text)
    if _marked_section(line, text, next_line):
        return text
    followed_by_prose = next_line is not None and is_sentence(clean(next_line))
    if (
        0 < len(words) <= 6
        and re.search(r"[:：\-–—]$", text)
        and not is_sentence(text)
        and not followed_by_prose
    ):
        return text.rstrip(":：-–— ").strip()
    if 0 < len(words) <= 6 and re.match(
        r"^(?:for|to\s+make|für|fuer|para|pour|per|zum|zur|"
        r"pro)\s",
        text,
        re.IGNORECASE,
    ):
        return text
    if first_in_block and 0 < len(words) <= 4 and next_line is not None:
        nxt = clean(next_line)
        if leading_quantity(nxt) is not None and not is_sentence(nxt):
            return text
    return None


_SECTION_MARK = re.compile(r"^\s*([☆★◆◇■□◎●○♦◉▼▽])")


def _marked_section(line: str, text: str, next_line: str | None) -> bool:
    """ "☆調味料" over amounts: a short line led by a marker the next line does not share
    (a list bulleted with the same marker is items, not sections)."""
    mark = _SECTION_MARK.match(line)
    if mark is None or next_line is None or not 0 < len(tx.words(text)) <= 4:
        return False
    if next_line.strip().startswith(mark.group(1)):
        return False
    nxt = clean(next_line)
    return not is_sentence(nxt) and quantified(next_line)[0]


def inline_header(text: str) -> tuple[str, str] | None:
    """ "For serving: parsley, parmesan" -> ("For serving", "parsley, parmesan")."""
    match = re.match(r"^([^:：\d]{2,40})[:：]\s*(\S.*)$", text)
    if not match:
        return None
    name = match.group(1).strip()
    content = leading_quantity(match.group(2))
    if content is not None and (not tx.words(content.rest) or canonical_unit(content.rest)):
        return None  # "Sugar: 100 g", "Garlic: 2 cloves": a food and its amount
    if len(tx.words(name)) > 4 or re.match(
        rf"^(?:{'|'.join(vocab.OPTIONAL_WORDS)})$", name, re.IGNORECASE
    ):
        return None
    return name, match.group(2)
