"""Reading a caption's layout: intro, ingredient list(s) with sub-headers, method steps.

A small state machine over the lines. Headers switch the section ("Ingredients", "Zubereitung",
"Macros"); without headers, a paragraph of quantified lines is an ingredient list and paragraphs
with cooking verbs after it are the method.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from instarecipe_desktop.core.recipe import Ingredient
from instarecipe_desktop.pipeline.parsing.offline import text as tx
from instarecipe_desktop.pipeline.parsing.offline.ingredients import parse_line
from instarecipe_desktop.pipeline.parsing.offline.lines import (
    RULE,
    Header,
    clean,
    has_cooking_word,
    header_of,
    inline_header,
    is_nutrition,
    is_sentence,
    quantified,
    subheader_name,
)
from instarecipe_desktop.pipeline.parsing.offline.quantity import leading_quantity
from instarecipe_desktop.pipeline.parsing.offline.vocab import COOKING_WORDS


@dataclass
class Layout:
    intro: list[str] = field(default_factory=list)  # lines before the first section
    blocks: list[list[Ingredient]] = field(default_factory=list)  # one per ingredient list
    headed_blocks: list[bool] = field(default_factory=list)  # the list had a header
    strong_header: bool = False  # "Ingredients", "Zutaten", ... (not only "What you need")
    steps: list[str] = field(default_factory=list)
    header_qualifiers: list[str] = field(default_factory=list)
    loose_lines: list[str] = field(default_factory=list)  # marked lines outside any section
    trailing: list[str] = field(default_factory=list)  # text after the method

    @property
    def ingredients(self) -> list[Ingredient]:
        return [i for block in self.blocks for i in block]


def read_layout(text: str, *, normalised: bool = False) -> Layout:
    """The layout of a caption; ``normalised``: the text already went through ``normalise``."""
    return _Reader((text if normalised else tx.normalize(text)).split("\n")).read()


@dataclass
class _Line:
    """One non-empty line with what the section handlers need to know about it."""

    raw: str  # stripped, with emoji and tags
    cleaned: str  # without bullets, emoji, tags
    number: int | None  # its step number, if any
    numbered_text: str  # the text after the step number
    bullet: bool
    next_line: str | None

    @property
    def marked_text(self) -> str:
        return self.numbered_text if self.number is not None else self.cleaned


class _Reader:
    """Modes: intro -> ingredients -> steps | prose -> after; "other" for macros and notes."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.layout = Layout()
        self.mode = "intro"
        self.block: list[Ingredient] = []
        self.steps_marked = False  # the method's lines carry numbers or bullets
        self.steps_numbered = False  # ... numbers: then an emoji line after a gap is no step
        self.prev_blank = True
        self.first_in_block = False
        self.measured: int | None = None

    def _measured_lines(self) -> int:
        """Lines with a measure unit in the whole caption, counted once."""
        if self.measured is None:
            self.measured = _measured_lines(self.lines)
        return self.measured

    def read(self) -> Layout:
        for index, raw in enumerate(self.lines):
            self._feed(index, raw.strip())
        return self.layout

    def _feed(self, index: int, line: str) -> None:
        if not line:
            self.prev_blank = True
            return
        if tx.only_tags(line):
            if self.mode in {"ingredients", "steps", "prose"}:
                self.mode = "after"
            self.prev_blank = True
            return
        if tx.is_noise(line):
            line = tx.drop_noise(line)  # keep "Käsekuchen 😍" of "Käsekuchen 😍 Werbung"
        cleaned = clean(line)
        if not cleaned and self.mode == "intro" and RULE.fullmatch(line):
            self.layout.intro.append(line)  # "—-" rules frame a title
        if not cleaned or tx.is_noise(line):
            self.prev_blank = self.prev_blank or not cleaned
            return
        header = header_of(line)
        if header is not None:
            self._open(header)
        elif is_nutrition(line):
            if self.mode == "ingredients":
                self.mode = "other"
        else:
            number, numbered_text = tx.step_number(cleaned)
            bullet, _ = tx.strip_bullet(tx.strip_tags(line))
            item = _Line(
                line, cleaned, number, numbered_text, bullet, _next_text(self.lines, index)
            )
            handler = {
                "ingredients": self._in_ingredients,
                "steps": self._in_steps,
                "prose": self._in_prose,
            }.get(self.mode, self._outside)
            handler(item, index)
        self.prev_blank = False

    def _open(self, header: Header) -> None:
        self.layout.header_qualifiers.append(header.qualifier)
        if header.kind == "ingredients":
            self.layout.strong_header |= not header.weak
            self._start_block(headed=True)
            self.first_in_block = True
            if header.content:
                self._add_ingredients(header.content)
                self.first_in_block = False
        elif header.kind == "steps":
            self.mode, self.steps_marked, self.steps_numbered = "steps", False, False
            if header.content:
                self.layout.steps.append(header.content)
        else:
            self.mode = "other"

    def _start_block(self, *, headed: bool) -> None:
        self.mode = "ingredients"
        self.block = []
        self.layout.blocks.append(self.block)
        self.layout.headed_blocks.append(headed)

    def _start_labelled_block(self, line: _Line) -> None:
        """ "To make the lemon honey" over amounts, outside any ingredients section."""
        self._start_block(headed=False)
        self.first_in_block = False
        self.block.append(
            Ingredient(food=line.cleaned.rstrip(":：-–— "), is_header=True, original_text=line.raw)
        )

    def _add_ingredients(self, raw: str) -> None:
        item, glued_step = _split_glued_step(raw)
        inline = inline_header(clean(item))
        if inline is not None and leading_quantity(clean(item)) is None:
            name, item = inline
            self.block.append(Ingredient(food=name, is_header=True, original_text=raw.strip()))
        self.block.extend(parse_line(item))
        if glued_step:
            self.layout.steps.append(glued_step)
            self.mode = "prose"  # the method has begun on this line

    def _in_ingredients(self, line: _Line, index: int) -> None:
        if line.raw.startswith("*") and is_sentence(line.cleaned):
            return  # "*we added more coconut milk at the end, ...": a footnote
        step_word = re.match(
            r"(?:step|schritt|paso|passo|étape|etape)\s*\d", line.cleaned, re.IGNORECASE
        )
        if line.number is not None and (is_sentence(line.numbered_text) or step_word):
            self.mode, self.steps_marked, self.steps_numbered = "steps", True, True
            self.layout.steps.append(line.numbered_text)
        elif is_sentence(line.cleaned) and leading_quantity(line.cleaned) is None:
            if has_cooking_word(line.cleaned):
                self.mode = "prose"
                self.layout.steps.append(line.cleaned)
            else:
                self.mode = "after"
                self.layout.trailing.append(line.cleaned)
        else:
            name = subheader_name(
                line.raw,
                first_in_block=self.first_in_block or self.prev_blank,
                next_line=line.next_line,
            )
            if name is not None:
                self.block.append(Ingredient(food=name, is_header=True, original_text=line.raw))
            else:
                self._add_ingredients(line.raw)
        self.first_in_block = False

    def _in_steps(self, line: _Line, index: int) -> None:
        steps = self.layout.steps
        closing = self.steps_numbered and line.number is None and self.prev_blank
        if (line.number is not None or line.bullet) and not closing:
            steps.append(line.marked_text)
            self.steps_marked = True
            self.steps_numbered |= line.number is not None
        elif self.steps_marked and self.prev_blank:
            self.mode = "after"  # unnumbered text after numbered steps: a closing remark
            self.layout.trailing.append(line.cleaned)
        elif self.steps_marked and steps:
            steps[-1] = f"{steps[-1]} {line.cleaned}"  # a step continued on the next line
        elif self.prev_blank and steps and not has_cooking_word(line.cleaned):
            self.mode = "after"
            self.layout.trailing.append(line.cleaned)
        elif not line.cleaned.endswith("?"):
            steps.append(line.cleaned)

    def _in_prose(self, line: _Line, index: int) -> None:
        if _opens_labelled_list(self.lines, index):
            self._start_labelled_block(line)
        elif _is_label(line.cleaned):
            self.layout.trailing.append(line.cleaned)  # "The 2nd lemonade recipe:" is no step
        elif self.prev_blank and not has_cooking_word(line.cleaned):
            self.mode = "after"
            self.layout.trailing.append(line.cleaned)
        else:
            self.layout.steps.append(line.marked_text)

    def _outside(self, line: _Line, index: int) -> None:
        """intro, after and other: a headless list may start; marked lines are remembered."""
        layout = self.layout
        if self.mode in {"intro", "after"} and _opens_labelled_list(self.lines, index):
            self._start_labelled_block(line)
        elif self.mode in {"intro", "after"} and _starts_headless_list(
            self.lines, index, self._measured_lines
        ):
            self._start_block(headed=False)
            self.first_in_block = False
            self._add_ingredients(line.raw)
        elif self.mode == "intro":
            layout.intro.append(line.raw)
            if line.number is not None or line.bullet:
                layout.loose_lines.append(line.marked_text)
        elif self.mode == "after":
            if (
                (line.number is not None or line.bullet)
                and layout.blocks
                and not layout.steps
                and has_cooking_word(line.cleaned)
            ):
                layout.steps.append(line.marked_text)
            else:
                layout.trailing.append(line.cleaned)


def _split_glued_step(line: str) -> tuple[str, str | None]:
    """ "Dash of cinnamon (optional)  Smash them in the fridge overnight!" -> (item, step);
    "onion, carrot, 1lb beef, oil 🙆 stir everything together for 5 minutes, add ..." ->
    (the list, the method): a list line whose tail is a long sentence led by a cooking verb."""
    parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
    if len(parts) == 2 and is_sentence(parts[1]) and has_cooking_word(parts[1]):
        return parts[0], parts[1]
    if "," not in line:
        return line, None
    tries = 0
    for count, match in enumerate(_WORD.finditer(line)):
        if count < 2 or match.group(0).lower() not in COOKING_WORDS:
            continue  # the list needs two words before the verb
        if line[max(0, match.start() - 3) : match.start()].rstrip()[-1:] in {",", ":", "("}:
            continue  # "..., stir-fried tofu": the verb opens an item, not the method
        head, tail = line[: match.start()], line[match.start() :]
        if len(tx.words(tx.strip_tags(tail))) >= _GLUED_METHOD_WORDS and is_sentence(clean(tail)):
            return head.rstrip(), tail.strip()
        tries += 1
        if tries >= _GLUED_TRIES:
            break  # bounded work on a pathological line
    return line, None


_WORD = re.compile(r"(?<![\w'’-])[^\W\d_]+")
_GLUED_METHOD_WORDS = 8  # a shorter tail ("oil for frying") is part of the item
_GLUED_TRIES = 3


def _next_text(lines: list[str], index: int) -> str | None:
    for line in lines[index + 1 :]:
        if line.strip():
            return line
    return None


_PURPOSE_LABEL = re.compile(
    r"^(?:for\s+the|to\s+make|für\s+(?:den|die|das)|zum|zur|"
    r"para\s+(?:el|la|los|las)|pour\s+(?:le|la|les))\s",
    re.IGNORECASE,
)


def _is_label(text: str) -> bool:
    """A short line ending in a colon, without a cooking verb: "The 2nd lemonade recipe:"."""
    return (
        0 < len(tx.words(text)) <= 6
        and text.rstrip().endswith((":", "："))
        and not has_cooking_word(text)
    )


def _opens_labelled_list(lines: list[str], index: int) -> bool:
    """ "To make the lemon honey" / "For the sauce:" followed by >= 2 amounts, one measured."""
    text = clean(lines[index])
    label_words = tx.words(re.sub(r"\([^)]*\)", " ", text))  # "(for a 500 ml jar)" aside
    if not _PURPOSE_LABEL.match(text) or len(label_words) > 8 or leading_quantity(text):
        return False
    flags = []
    for line in lines[index + 1 :]:
        if not line.strip() or header_of(line) is not None or is_sentence(clean(line)):
            break
        flags.append(quantified(line))
    return sum(a for a, _ in flags) >= 2 and any(m for _, m in flags)


def _starts_headless_list(
    lines: list[str], index: int, measured_lines: Callable[[], int] | None = None
) -> bool:
    """A paragraph of >= 3 ingredient-like lines, >= 2 of them with a measure unit."""
    if not quantified(lines[index])[0]:
        return False
    size = amounts = measures = listish = 0
    for offset, line in enumerate(lines[index : index + _MAX_LIST_LINES]):
        blank, stop, amount, measure, short = _list_facts(line)
        if blank:
            following = _next_text(lines, index + offset)
            if following is None or not quantified(following)[0]:
                break  # a list may space its lines out, but only amounts continue it
            continue
        if stop:
            break  # a list ends where a header or prose begins
        size += 1
        amounts += amount
        measures += measure
        listish += amount or short
    enough = (amounts >= 3 and measures >= 2) or (
        amounts >= _LONG_LIST
        and measures == 1
        and (measured_lines() if measured_lines else _measured_lines(lines)) >= 2
    )
    return size >= 3 and enough and listish >= 0.6 * size


@lru_cache(maxsize=4096)
def _list_facts(line: str) -> tuple[bool, bool, bool, bool, bool]:
    """(blank, ends a list, has an amount, has a measure, short non-sentence) of one line."""
    if not line.strip():
        return True, False, False, False, False
    text = clean(line)
    sentence = is_sentence(text)
    amount, measure = quantified(line)
    short = len(tx.words(text)) <= 5 and not sentence
    return False, header_of(line) is not None or sentence, amount, measure, short


# A headless list this long may hold a single measure ("2lbs beef", "8 eggs", "8 wraps", ...)
# when another paragraph measures too ("1 tsp garlic" under "Seasoning"); a count list with one
# measure and nothing else ("3 nights hostel", "1 kg souvenirs", "5 temples") stays prose.
_LONG_LIST = 4
# no ingredient list is longer; the cap keeps a hostile caption of thousands of amount lines
# (each one asking whether a list starts there) linear
_MAX_LIST_LINES = 60


def _measured_lines(lines: list[str]) -> int:
    return sum(1 for line in lines if quantified(line)[1])
