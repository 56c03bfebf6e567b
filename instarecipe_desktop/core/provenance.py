"""Where a recipe line came from in the post's text, and whether its amount is really there.

``locate`` finds a line a parser quoted (the LLM's ``sourceLine``) in ``results.extractedText``,
tolerant of spacing, case, bullets and punctuation: only letters and digits are compared.
``amount_in_line`` says whether an ingredient's amount is written in its own source line; an
amount that is not is the commonest invented value, so the review step holds such recipes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from instarecipe_desktop.core.recipe import Ingredient, Recipe, SourceSpan

MIN_QUOTE_CHARS = 3  # letters/digits; a shorter quote would match almost anywhere

_VULGAR = {
    "½": Fraction(1, 2),
    "⅓": Fraction(1, 3),
    "⅔": Fraction(2, 3),
    "¼": Fraction(1, 4),
    "¾": Fraction(3, 4),
    "⅕": Fraction(1, 5),
    "⅛": Fraction(1, 8),
    "⅜": Fraction(3, 8),
    "⅝": Fraction(5, 8),
    "⅞": Fraction(7, 8),
}
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "half": 0.5,
    "dozen": 12,
    "ein": 1,
    "eine": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "due": 2,
}
_VULGAR_CHARS = "".join(_VULGAR)
_NUMBER = re.compile(
    rf"(\d+)\s+(?:(?:e|i|und|and|y|en|et|og|och)\s+)?(\d+)\s*/\s*(\d+)"  # 1 1/2, 1 e 1/2
    rf"|(\d+)\s*([{_VULGAR_CHARS}])"  # 1½
    rf"|(\d+)\s*/\s*(\d+)"  # 1/2
    rf"|(\d*[.,]?\d+)"  # 200, 0.5, 0,5, .5
    rf"|([{_VULGAR_CHARS}])"  # ½
)
_CLOSING = ")]}.!?…\"'»”"
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class _Folded:
    """The text reduced to lower-case letters and digits, each mapped to its offset."""

    chars: str
    offsets: list[int]


def _fold(text: str) -> _Folded:
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if not char.isalnum():
            continue
        for low in char.lower():
            chars.append(low)
            offsets.append(index)
    return _Folded("".join(chars), offsets)


class TextLocator:
    """Finds quoted lines in one text; successive finds prefer what follows the last one, so
    a line quoted twice in a recipe ("1 egg" for dough and glaze) maps to both places."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded = _fold(text)
        self._after = 0  # folded position after the last match

    def locate(self, quote: str | None, *, whole_line: bool = False) -> SourceSpan | None:
        """The span of ``quote`` in the text, or None when it is not there. ``whole_line``
        widens the span to the lines the quote touches (an ingredient's line)."""
        if not quote:
            return None
        needle = _fold(quote).chars
        if len(needle) < MIN_QUOTE_CHARS:
            return None
        hay = self._folded.chars
        found = hay.find(needle, self._after)
        if found < 0:
            found = hay.find(needle)
        if found < 0:
            return None
        self._after = found + len(needle)
        start = self._folded.offsets[found]
        end = self._folded.offsets[found + len(needle) - 1] + 1
        while end < len(self.text) and self.text[end] in _CLOSING:
            end += 1  # the sentence's full stop, the closing bracket of a note
        if whole_line:
            start = self.text.rfind("\n", 0, start) + 1
            newline = self.text.find("\n", end)
            end = len(self.text) if newline < 0 else newline
            while end > start and self.text[end - 1].isspace():
                end -= 1
        return SourceSpan(start, end)


def numbers_in(text: str) -> Iterator[float]:
    """Every quantity written in ``text``: digits, decimals with . or ,, fractions, mixed
    numbers, vulgar fractions and small number words (two, drei, deux, ...)."""
    for match in _NUMBER.finditer(text):
        whole, num, den, w2, vulgar, n3, d3, plain, lone = match.groups()
        if whole is not None and int(den):
            yield float(int(whole) + Fraction(int(num), int(den)))
            yield float(int(whole))
        elif w2 is not None:
            yield float(int(w2) + _VULGAR[vulgar])
        elif n3 is not None and int(d3):
            yield float(Fraction(int(n3), int(d3)))
            yield float(int(n3))  # "200/250 g": a range, its lower bound
        elif plain is not None:
            yield float(plain.replace(",", "."))
            if "," in plain or "." in plain:  # "1,000" / "1.000": a thousands separator
                yield float(plain.replace(",", "").replace(".", ""))
        elif lone is not None:
            yield float(_VULGAR[lone])
    for word in _WORD.findall(text.lower()):
        if word in _NUMBER_WORDS:
            yield float(_NUMBER_WORDS[word])


def amount_in_line(ingredient: Ingredient, text: str) -> bool:
    """True when the ingredient has no amount, or its amount is written in its source line.
    An ingredient without a source (inferred) has no line to hold it: False."""
    if ingredient.amount is None or ingredient.is_header:
        return True
    if ingredient.source is None:
        return False
    line = text[ingredient.source.start : ingredient.source.end]
    return any(abs(value - ingredient.amount) < 1e-6 for value in numbers_in(line))


def has_provenance(recipe: Recipe) -> bool:
    """True when the parser said where its lines came from (at least one span)."""
    return any(step.source is not None for step in recipe.steps) or any(
        ingredient.source is not None for ingredient in recipe.ingredients
    )


def locate_sources(
    recipe: Recipe, text: str, step_quotes: Sequence[str | None] | None = None
) -> Recipe:
    """Gives each step and ingredient without a span the place its quote has in ``text``:
    an ingredient's original text (or its food), a step's quoted sentence (``step_quotes``,
    the LLM's ``sourceLine``) or its instruction. What cannot be found stays inferred (None).
    Steps and ingredients are located in their own order, each with its own locator."""
    steps = TextLocator(text)
    ingredients = TextLocator(text)
    for index, step in enumerate(recipe.steps):
        if step.source is None:
            quote = step_quotes[index] if step_quotes and index < len(step_quotes) else None
            step.source = steps.locate(quote) or steps.locate(step.instruction)
        for ingredient in step.ingredients:
            if ingredient.source is None:
                ingredient.source = ingredients.locate(
                    ingredient.original_text, whole_line=True
                ) or ingredients.locate(ingredient.food, whole_line=True)
    return recipe


def _amount_text(ingredient: Ingredient) -> str:
    amount = ingredient.amount
    shown = f"{amount:g}" if amount is not None else ""
    return f"{shown} {ingredient.unit}".strip() if ingredient.unit else shown


def _split_key(ingredient: Ingredient) -> tuple[int, int, str, str] | None:
    if ingredient.source is None or ingredient.amount is None:
        return None
    return (
        ingredient.source.start,
        ingredient.source.end,
        (ingredient.unit or "").casefold(),
        (ingredient.food or "").casefold(),
    )


def suspicious_amounts(recipe: Recipe, text: str) -> list[Ingredient]:
    """The ingredients whose amount is not written in their own source line (or that have
    no line). An amount split over steps ("half of the butter" in each of two steps: 30 g
    and 30 g from "60 g butter") is fine when the parts add up to a number in the line."""
    totals: dict[tuple[int, int, str, str], float] = {}
    for ingredient in recipe.ingredients:
        key = _split_key(ingredient)
        if key is not None:
            totals[key] = totals.get(key, 0.0) + (ingredient.amount or 0.0)
    found = []
    for ingredient in recipe.ingredients:
        if amount_in_line(ingredient, text):
            continue
        key = _split_key(ingredient)
        if key is not None and ingredient.source is not None:
            line = text[ingredient.source.start : ingredient.source.end]
            if any(abs(value - totals[key]) < 1e-6 for value in numbers_in(line)):
                continue
        found.append(ingredient)
    return found


def amount_problems(recipe: Recipe, text: str) -> list[str]:
    """In words, each amount that is not written in its own line of the post. A recipe from a
    parser that gives no sources at all is not judged (it has nothing to compare with)."""
    if not has_provenance(recipe):
        return []
    problems = []
    for ingredient in suspicious_amounts(recipe, text):
        what = f"{_amount_text(ingredient)} {ingredient.food or ''}".strip()
        if ingredient.source is None:
            problems.append(f"the amount of “{what}” is not in the post")
        else:
            problems.append(f"the amount of “{what}” is not in its line of the post")
    return problems
