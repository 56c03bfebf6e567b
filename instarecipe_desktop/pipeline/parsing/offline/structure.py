"""Reading a caption's layout: intro, ingredient list(s) with sub-headers, method steps.

A small state machine over the lines. Headers switch the section ("Ingredients", "Zubereitung",
"Macros"); without headers, a paragraph of quantified lines is an ingredient list and paragraphs
with cooking verbs after it are the method.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from instarecipe_desktop.core.recipe import Ingredient
from instarecipe_desktop.pipeline.parsing.offline import text as tx
from instarecipe_desktop.pipeline.parsing.offline import vocab
from instarecipe_desktop.pipeline.parsing.offline.ingredients import parse_line
from instarecipe_desktop.pipeline.parsing.offline.quantity import (
    leading_quantity,
    trailing_quantity,
)

_BRACKETS = "【】[]「」『』〔〕<>《》"


def _header_regex(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"^(?:{'|'.join(alternatives)})(?![\w])(?P<rest>.*)$", re.IGNORECASE)


_ING_HEADER = _header_regex(vocab.INGREDIENT_HEADERS)
_STEP_HEADER = _header_regex(vocab.STEP_HEADERS)
_OTHER_HEADER = _header_regex(vocab.OTHER_HEADERS)
_RECIPE_WORD = re.compile(rf"^(?:{'|'.join(vocab.RECIPE_WORD_HEADERS)})$", re.IGNORECASE)
_QUALIFIER = re.compile(
    r"^\s*(?:\([^)]*\)|(?:per|for|für|fuer|para|pour|per|pro|needed|list|you\s+need|needed)\b"
    r"[^:]*|\d+[^:]*)?\s*(?:\([^)]*\))?\s*", re.IGNORECASE)
_NUTRITION = re.compile(rf"\b(?:{'|'.join(vocab.NUTRITION_WORDS)})\b", re.IGNORECASE)
_NUTRITION_SHORT = re.compile(r"^\d+(?:[.,]\d+)?\s*(?:g|kcal|cal)?\s*(?:P|C|F|E|KH)\b\.?$")
_COOKING = vocab.COOKING_WORDS
RULE = re.compile(r"[-—–_=~.•·*━─]{1,40}")


@dataclass(frozen=True)
class Header:
    kind: str  # "ingredients", "steps", "other"
    qualifier: str  # "per 2 servings (the entire rice cooker)"
    content: str  # text after the colon on the same line


@dataclass
class Layout:
    intro: list[str] = field(default_factory=list)  # lines before the first section
    blocks: list[list[Ingredient]] = field(default_factory=list)  # one per ingredient list
    headed_blocks: list[bool] = field(default_factory=list)  # the list had a header
    steps: list[str] = field(default_factory=list)
    header_qualifiers: list[str] = field(default_factory=list)
    loose_lines: list[str] = field(default_factory=list)  # marked lines outside any section
    trailing: list[str] = field(default_factory=list)  # text after the method

    @property
    def ingredients(self) -> list[Ingredient]:
        return [i for block in self.blocks for i in block]


def clean(line: str) -> str:
    """A line without hashtags, mentions, emoji and bullets, for classification."""
    _, text = tx.strip_bullet(tx.strip_tags(line))
    return tx.collapse(tx.strip_symbols(text))


@lru_cache(maxsize=4096)
def header_of(line: str) -> Header | None:
    """The section a header line opens ("Zutaten für 4 Personen:"), or None."""
    text = clean(tx.normalize(line))
    bare = text.strip(_BRACKETS + " :：;-–—").strip()
    if not bare or len(bare) > 80:
        return None
    recipe_word = re.match(r"^(.*?)\s*(\([^)]*\))?$", bare)
    if recipe_word and _RECIPE_WORD.match(recipe_word.group(1).strip(_BRACKETS + " :")):
        return Header("ingredients", recipe_word.group(2) or "", "")
    for kind, regex in (("ingredients", _ING_HEADER), ("steps", _STEP_HEADER),
                        ("other", _OTHER_HEADER)):
        match = regex.match(text.lstrip(_BRACKETS + " "))
        if not match:
            continue
        rest = match.group("rest").strip(_BRACKETS + " ")
        if not rest:
            return Header(kind, "", "")
        qualifier_match = _QUALIFIER.match(rest)
        qualifier = qualifier_match.group(0).strip() if qualifier_match else ""
        after = rest[qualifier_match.end():] if qualifier_match else rest
        if after.startswith((":", "：", ";", "-", "–", "—")):
            return Header(kind, qualifier, after.lstrip(":：;-–— ").strip())
        if not after.strip():
            return Header(kind, qualifier, "")
        if kind == "other" and len(tx.words(rest)) <= 3 and not re.search(r"[.!?]$", rest):
            return Header(kind, rest, "")  # "Macros Per Meal", "Calories and Macros"
        return None
    return None


def is_nutrition(line: str) -> bool:
    text = clean(line)
    if _NUTRITION_SHORT.match(text):
        return True
    hits = _NUTRITION.findall(text)
    if not hits:
        return False
    if len(hits) >= 2 or re.search(r"\|", text):
        return True
    return bool(re.match(rf"^(?:{'|'.join(vocab.NUTRITION_WORDS)})\s*[:=]", text, re.IGNORECASE)
                or re.search(r"\d\s*(?:kcal|cals?|calories)\b", text, re.IGNORECASE))


_TRAILING_ABBREVIATION = re.compile(
    rf"(?:\b(?:{vocab.UNIT_PATTERN}|ca|approx|aprox|etc|evtl|opt)|q\.\s?b|c\.\s?n)\.$",
    re.IGNORECASE)


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
    return len(words) >= 4 and bool(words) and words[0] in _COOKING


def has_cooking_word(text: str) -> bool:
    return any(w in _COOKING for w in tx.words(text)) or bool(
        re.search(r"(焼|煮|切|混ぜ|加え|入れ|炒め)", text))


@lru_cache(maxsize=4096)
def quantified(line: str) -> tuple[bool, bool]:
    """(has an amount, has a measure unit) for a candidate ingredient line."""
    text = clean(line)
    if is_nutrition(line) or is_sentence(text):
        return False, False
    quantity = leading_quantity(text)
    if quantity is None:
        trailing = trailing_quantity(re.sub(r"\s*\([^)]*\)\s*$", "", text))
        quantity = trailing[1] if trailing else None
        if quantity is not None and len(tx.words(trailing[0])) > 5:  # type: ignore[index]
            return False, False
    if quantity is None:
        return False, False
    if quantity.unit is None and (not tx.words(quantity.rest) or len(tx.words(quantity.rest)) > 5):
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
    if 0 < len(words) <= 6 and re.search(r"[:：\-–—]$", text) and not is_sentence(text):
        return text.rstrip(":：-–— ").strip()
    if 0 < len(words) <= 6 and re.match(r"^(?:for|für|fuer|para|pour|per|zum|zur|pro)\s",
                                        text, re.IGNORECASE):
        return text
    if first_in_block and 0 < len(words) <= 4 and next_line is not None:
        nxt = clean(next_line)
        if leading_quantity(nxt) is not None and not is_sentence(nxt):
            return text
    return None


def _inline_header(text: str) -> tuple[str, str] | None:
    """ "For serving: parsley, parmesan" -> ("For serving", "parsley, parmesan")."""
    match = re.match(r"^([^:：\d]{2,40})[:：]\s*(\S.*)$", text)
    if not match:
        return None
    name = match.group(1).strip()
    content = leading_quantity(match.group(2))
    if content is not None and not tx.words(content.rest):
        return None  # "Sugar: 100 g" is a food and its amount
    if len(tx.words(name)) > 4 or re.match(rf"^(?:{'|'.join(vocab.OPTIONAL_WORDS)})$", name,
                                           re.IGNORECASE):
        return None
    return name, match.group(2)


def _split_glued_step(line: str) -> tuple[str, str | None]:
    """ "Dash of cinnamon (optional)  Smash them in the fridge overnight!" -> (item, step)."""
    parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
    if len(parts) == 2 and is_sentence(parts[1]) and has_cooking_word(parts[1]):
        return parts[0], parts[1]
    return line, None


def read_layout(text: str) -> Layout:
    lines = tx.normalize(text).split("\n")
    layout = Layout()
    mode = "intro"  # intro | ingredients | steps | prose | after | other
    block: list[Ingredient] | None = None
    section: str | None = None
    steps_marked = False
    prev_blank = True
    first_in_block = False

    def start_block(headed: bool) -> list[Ingredient]:
        new: list[Ingredient] = []
        layout.blocks.append(new)
        layout.headed_blocks.append(headed)
        return new

    def add_ingredients(raw: str) -> None:
        nonlocal section
        assert block is not None
        item, glued_step = _split_glued_step(raw)
        inline = _inline_header(clean(item))
        if inline is not None and leading_quantity(clean(item)) is None:
            section, item = inline
            block.append(Ingredient(food=section, isHeader=True, originalText=raw.strip()))
        for ingredient in parse_line(item):
            block.append(ingredient)
        if glued_step:
            layout.steps.append(glued_step)

    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            prev_blank = True
            continue
        if tx.only_tags(line):
            if mode in {"ingredients", "steps", "prose"}:
                mode = "after"
            prev_blank = True
            continue
        cleaned = clean(line)
        if not cleaned and mode == "intro" and RULE.fullmatch(line):
            layout.intro.append(line)  # "—-" rules frame a title
        if not cleaned or tx.is_noise(line):
            prev_blank = prev_blank or not cleaned
            continue
        next_line = _next_text(lines, index)
        header = header_of(line)
        if header is not None:
            layout.header_qualifiers.append(header.qualifier)
            if header.kind == "ingredients":
                mode, section, first_in_block = "ingredients", None, True
                block = start_block(headed=True)
                if header.content:
                    add_ingredients(header.content)
                    first_in_block = False
            elif header.kind == "steps":
                mode, steps_marked = "steps", False
                if header.content:
                    layout.steps.append(header.content)
            else:
                mode = "other"
            prev_blank = False
            continue
        if is_nutrition(line):
            if mode == "ingredients":
                mode = "other"
            prev_blank = False
            continue
        number, numbered_text = tx.step_number(cleaned)
        bullet, _ = tx.strip_bullet(tx.strip_tags(line))

        if mode == "ingredients":
            if line.startswith("*") and not line.startswith("* "):
                prev_blank = False
                continue  # a footnote
            if number is not None and is_sentence(numbered_text):
                mode, steps_marked = "steps", True
                layout.steps.append(numbered_text)
            elif is_sentence(cleaned) and leading_quantity(cleaned) is None:
                mode = "prose"
                if has_cooking_word(cleaned):
                    layout.steps.append(cleaned)
                else:
                    mode = "after"
                    layout.trailing.append(cleaned)
            else:
                name = subheader_name(line, first_in_block=first_in_block or prev_blank,
                                      next_line=next_line)
                if name is not None:
                    section = name
                    assert block is not None
                    block.append(Ingredient(food=name, isHeader=True, originalText=line))
                else:
                    add_ingredients(line)
            first_in_block = False
        elif mode == "steps":
            if number is not None or bullet:
                layout.steps.append(numbered_text if number is not None else cleaned)
                steps_marked = True
            elif steps_marked and prev_blank:
                mode = "after"
                layout.trailing.append(cleaned)
            elif steps_marked and layout.steps:
                layout.steps[-1] = f"{layout.steps[-1]} {cleaned}"
            elif prev_blank and layout.steps and not has_cooking_word(cleaned):
                mode = "after"
                layout.trailing.append(cleaned)
            elif not cleaned.endswith("?"):
                layout.steps.append(cleaned)
        elif mode == "prose":
            if prev_blank and not has_cooking_word(cleaned):
                mode = "after"
                layout.trailing.append(cleaned)
            elif number is not None:
                layout.steps.append(numbered_text)
            else:
                layout.steps.append(cleaned)
        else:  # intro, after, other
            if mode in {"intro", "after"} and _starts_headless_list(lines, index):
                mode, section, first_in_block = "ingredients", None, False
                block = start_block(headed=False)
                add_ingredients(line)
            elif mode == "intro":
                layout.intro.append(line)
                if number is not None or bullet:
                    layout.loose_lines.append(numbered_text if number is not None else cleaned)
            elif mode == "after":
                if (number is not None or bullet) and layout.blocks and not layout.steps \
                        and has_cooking_word(cleaned):
                    layout.steps.append(numbered_text if number is not None else cleaned)
                else:
                    layout.trailing.append(cleaned)
        prev_blank = False
    return layout


def _next_text(lines: list[str], index: int) -> str | None:
    for line in lines[index + 1:]:
        if line.strip():
            return line
    return None


def _starts_headless_list(lines: list[str], index: int) -> bool:
    """A paragraph of >= 3 ingredient-like lines, >= 2 of them with a measure unit."""
    has_amount, _ = quantified(lines[index])
    if not has_amount:
        return False
    paragraph: list[str] = []
    for offset, line in enumerate(lines[index:]):
        if not line.strip():
            following = _next_text(lines, index + offset)
            if following is None or not quantified(following)[0]:
                break  # a list may space its lines out, but only amounts continue it
            continue
        if header_of(line) is not None:
            break
        paragraph.append(line)
    flags = [quantified(line) for line in paragraph]
    amounts = sum(a for a, _ in flags)
    measures = sum(m for _, m in flags)
    listish = sum(
        1 for line, (amount, _) in zip(paragraph, flags, strict=True)
        if amount or (len(tx.words(clean(line))) <= 5 and not is_sentence(clean(line)))
    )
    return len(paragraph) >= 3 and amounts >= 3 and measures >= 2 and listish >= 0.6 * len(
        paragraph)
