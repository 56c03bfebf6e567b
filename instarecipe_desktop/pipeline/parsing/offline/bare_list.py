"""A best-effort recipe from weak evidence: a bare list of foods under "what I made", no header,
no amounts, no method. It is returned marked uncertain (the review step holds it), never saved
blindly; "no recipe" stays for text with no such evidence."""

from __future__ import annotations

import re

from instarecipe_desktop.core.recipe import Ingredient
from instarecipe_desktop.pipeline.parsing.offline import text as tx
from instarecipe_desktop.pipeline.parsing.offline import vocab
from instarecipe_desktop.pipeline.parsing.offline.ingredients import parse_line
from instarecipe_desktop.pipeline.parsing.offline.lines import (
    clean,
    header_of,
    is_nutrition,
    is_sentence,
)

_MIN_LINES = 4
_MAX_WORDS = 6
_MAKING = re.compile(rf"\b(?:{'|'.join(vocab.MAKING_CUES)})\b", re.IGNORECASE)
_ELSEWHERE = re.compile("|".join(vocab.NOT_HOME_CUES), re.IGNORECASE)
_PANTRY = vocab.PANTRY_WORDS


def _bare_item(line: str) -> bool:
    text = clean(line)
    if not text or tx.is_noise(line) or header_of(line) is not None or is_nutrition(line):
        return False
    if tx.step_number(text)[0] is not None or re.search(r"[|:]", text):
        return False
    return 0 < len(tx.words(text)) <= _MAX_WORDS and not is_sentence(text)


def bare_list(lines: list[str]) -> tuple[list[Ingredient], int] | None:
    """The ingredients of a bare list and its first line's index, when the text says it made
    something ("what my mom made for dinner"), names no restaurant, menu or price, and the
    list names pantry foods (salt, onion, water ...) or has an amount."""
    whole = "\n".join(lines)
    if _ELSEWHERE.search(whole):
        return None
    index = 0
    while index < len(lines):
        if not _bare_item(lines[index]):
            index += 1
            continue
        end = index
        while end < len(lines) and _bare_item(lines[end]):
            end += 1
        run = lines[index:end]
        before = " ".join(lines[max(0, index - 3) : index])
        if len(run) >= _MIN_LINES and _MAKING.search(before) and _food_like(run):
            ingredients = [i for line in run for i in parse_line(line)]
            if len(ingredients) >= _MIN_LINES:
                return ingredients, index
        index = end
    return None


def _food_like(run: list[str]) -> bool:
    words = [w for line in run for w in tx.words(clean(line))]
    pantry = sum(1 for w in words if w in _PANTRY)
    return pantry >= 2
