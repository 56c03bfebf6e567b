"""One line of an ingredient list -> one or more Ingredient rows (amount / unit / food / note).

Conventions (those of the eval labels): a range gives its lower bound as the amount and the range
in the note; comma or parenthesis qualifiers, "optional", "to taste", "for serving" go to the
note; a line naming several ingredients ("salt, pepper, chili flakes") is one row per item, but
a pair joined by "and" stays one unless the second part has its own amount.
"""

from __future__ import annotations

import re

from instarecipe_desktop.core.recipe import Ingredient
from instarecipe_desktop.pipeline.parsing.offline import text as tx
from instarecipe_desktop.pipeline.parsing.offline import vocab
from instarecipe_desktop.pipeline.parsing.offline.lines import item_calories
from instarecipe_desktop.pipeline.parsing.offline.quantity import (
    NUMBER,
    Quantity,
    canonical_unit,
    leading_quantity,
    read_unit,
    trailing_quantity,
)

_TO_TASTE = re.compile(
    rf"(?:^|[\s,(…:・])(?P<p>{'|'.join(vocab.TO_TASTE)})(?=$|[\s,.)!])", re.IGNORECASE
)
_OPTIONAL_PREFIX = re.compile(rf"^(?:{'|'.join(vocab.OPTIONAL_WORDS)})\s*[:\-–]?\s+", re.IGNORECASE)
_OPTIONAL = re.compile(
    rf"(?:^|[\s,(])(?P<p>{'|'.join(vocab.OPTIONAL_WORDS)})(?=$|[\s,.)])", re.IGNORECASE
)
_VAGUE = re.compile(rf"^(?P<p>{'|'.join(vocab.VAGUE_AMOUNTS)})\s+", re.IGNORECASE)
_PURPOSE = re.compile(
    r"(?:^|\s|,)(?P<p>(?:for|zum|zur|para|per|pour|als)\s+(?:the\s+)?(?:serving|servieren|"
    r"garnish(?:ing)?|garnieren|garnitur|topping|toppings|decoration|decorating|dekorieren|"
    r"decorar|decorare|décorer|dusting|frying|cooking|the\s+pan|dipping|greasing|brushing|"
    r"servir|guarnire|garnir|sprinkling|braten|anbraten|frittieren|bestreuen|bestäuben|"
    r"einfetten|freír|friggere|la\s+friture)\b.*)$",
    re.IGNORECASE,
)
_EACH = re.compile(
    r"^(?P<q>.+?)\s+(?:each|je|jeweils|cada\s+uno|ciascuno|chacun)\s*:\s*"
    r"(?P<items>.+)$",
    re.IGNORECASE,
)
_PACKS = re.compile(
    rf"^[x×]\s*(?P<size>{NUMBER}\s*[^\W\d_]{{1,3}}\.?)\s+(?P<rest>.+)$", re.IGNORECASE
)
_PARENS = re.compile(r"\s*\(([^()]*)\)|\s*（([^（）]*)）")


def _split_outside_parens(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for index, char in enumerate(text):
        if char in "([（":
            depth += 1
        elif char in ")]）" and depth:
            depth -= 1
        decimal = (
            char == ","
            and 0 < index < len(text) - 1
            and text[index - 1].isdigit()
            and text[index + 1].isdigit()
        )  # "1,5 kg"
        if char == separator and depth == 0 and not decimal:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts]


def _is_note_tail(part: str) -> bool:
    """A comma tail that qualifies the item before it: "finely diced", "2.8oz", "optional"."""
    words = tx.words(part)
    if not words:
        return True
    if re.match(r"^[\d.,½¼¾⅓⅔/~≈-]", part.strip()):
        return True
    first = words[0]
    return (
        first in vocab.NOTE_WORDS
        or (first.endswith("ly") and len(first) > 4)
        or (first.endswith("ed") and len(first) > 4 and len(words) <= 4)
        or bool(_TO_TASTE.match(" " + part))
        or bool(_PURPOSE.match(" " + part))
    )


def has_quantity(text: str) -> bool:
    _, line = tx.strip_bullet(text)
    return leading_quantity(line) is not None or trailing_quantity(line) is not None


def split_items(line: str) -> list[str]:
    """Split a list line into items (see the module docstring for when)."""
    if re.search(r"\s[•·]\s", line):  # "200g pasta • 1 zucchini • pesto": bullets in a line
        return [piece for part in re.split(r"\s[•·]\s", line) for piece in split_items(part)]
    parts = [p for p in _split_outside_parens(line, ",") if p]
    if ";" in line:
        parts = [q for p in parts for q in _split_outside_parens(p, ";") if q]
    if len(parts) < 2:
        return _split_and(line)
    amounts = [_has_own_amount(p) for p in parts]
    if amounts[0] and sum(amounts) < 2 and not _names_more_foods(parts):
        return _split_and(line)  # "10oz boneless, skinless chicken thigh": one item
    items: list[str] = []
    foods = _names_more_foods(parts)
    for part in parts:
        if items and _is_note_tail(part) and not _has_own_amount(part) and not foods:
            items[-1] = f"{items[-1]}, {part}"
        else:
            items.append(part)
    if any(len(tx.words(i)) > 8 for i in items):
        return _split_and(line)
    return [piece for item in items for piece in _split_and(item)]


def _names_more_foods(parts: list[str]) -> bool:
    """ "1 tsp minced garlic, smoked paprika, onion powder": three or more parts, the last one
    no qualifier and short, so the ones after the amount are foods of their own."""
    return len(parts) >= 3 and all(_is_food_name(p) for p in parts[1:])


_NOT_A_FOOD_WORD = vocab.word_set("""
on off in into to until at and or with without well thin thick fine removed only left intact
""")


def _is_food_name(part: str) -> bool:
    """A short comma part naming a food: "onion powder", "smoked paprika" (a participle before
    a noun), not a qualifier: "peeled", "finely diced", "tails on", "cut into strips"."""
    words = tx.words(part)
    if not 0 < len(words) <= 3 or re.search(r"[()\d]", part):
        return False
    if any(w in _NOT_A_FOOD_WORD for w in words):
        return False
    participle_noun = (
        len(words) >= 2 and words[0].endswith("ed") and not words[-1].endswith(("ed", "ly"))
    )
    return participle_noun or not _is_note_tail(part)


def _has_own_amount(part: str) -> bool:
    """An amount with a food after it ("1 onion"), not a bare quantity ("2.8oz")."""
    quantity = leading_quantity(part)
    return quantity is not None and bool(tx.words(quantity.rest))


_AND = re.compile(
    r"(?<![\d\s])\s+(?:and|und|&|y|e|et|plus|\+)\s+(?=(?:\d|[½¼¾⅓⅔]|(?:"
    + "|".join(vocab.OPTIONAL_WORDS + vocab.VAGUE_AMOUNTS)
    + r")\b|(?:a|une?|eine?)\s+(?:pinch|dash|prise|pizca|pincée)))",
    re.IGNORECASE,
)


def _split_and(item: str) -> list[str]:
    """ "Salz und 1 Prise Zucker" -> two items; "salt and pepper" stays one."""
    if leading_quantity(item) is not None and re.search(r"\s\+\s", item):
        return [item]  # "2 cups rice + water as suggested": one item with a note
    return [p for p in _AND.split(item) if p.strip()]


_ITEM_NUMBER = re.compile(r"^\d{1,2}[.)]\s+(?=\S)")


def parse_line(line: str) -> list[Ingredient]:
    """Parse one ingredient line (bullets and emoji allowed) into rows."""
    original = tx.collapse(tx.strip_tags(line))
    _, text = tx.strip_bullet(original)
    text = tx.collapse(tx.strip_symbols(text)).strip(" -–—:;*")
    text = _ITEM_NUMBER.sub("", text)  # "3. 5 tbsp milk": item 3, amount 5 tbsp
    if not text:
        return []
    notes: list[str] = []
    optional = _OPTIONAL_PREFIX.match(text)
    if optional:
        notes.append("optional")
        text = text[optional.end() :]
    each = _EACH.match(text)
    if each:  # "1 tsp each: cumin, paprika" -> the same amount for every item
        quantity = leading_quantity(each.group("q"))
        if quantity is not None and not quantity.rest:
            prefix = each.group("q").strip()
            return [
                row
                for item in split_items(each.group("items"))
                for row in parse_line(f"{prefix} {item}")
            ] or []
    items = split_items(text)
    if len(items) > 1:  # "Butter, garlic, salt (for garlic butter)": the note is for all
        last = items[-1]
        shared = re.search(r"\s*\(([^()]*)\)\s*$", last) or _PURPOSE.search(last)
        if shared and shared.start() > 0:
            notes.append(
                (shared.group(1) if shared.re is not _PURPOSE else shared.group("p")).strip()
            )
            items[-1] = last[: shared.start()].rstrip(" ,")
    rows = [_parse_item(item, notes, original) for item in items]
    return [r for r in rows if r is not None]


def _parse_item(item: str, shared_notes: list[str], original: str) -> Ingredient | None:
    notes: list[str] = []
    text, calories = item_calories(item.strip(" ,;:-–").rstrip(" ."))  # keep ".5 oz"'s dot
    if calories:
        notes.append(calories)
    quantity: Quantity | None = leading_quantity(text)
    if quantity is not None:
        text = quantity.rest
        pack = _PACKS.match(text) if quantity.unit is None else None
        if pack:  # "2 x 400g tins tomatoes": two tins, each 400 g
            notes.append(pack.group("size").strip())
            unit, rest = read_unit(pack.group("rest"), glued=False)
            quantity.unit, text = unit, (rest if unit else pack.group("rest"))
        plus = re.match(r"^(?:\+|plus)\s*", text)
        extra = leading_quantity(text[plus.end() :]) if plus else None
        if plus and extra is not None and extra.rest:  # "1/2 cup + 2 tbsp sugar"
            notes.append(text[: len(text) - len(extra.rest)].strip())
            text = extra.rest
        second = re.match(r"^[|/]\s*", text)  # "45 ml | 1.5 oz shochu": the other system
        other = leading_quantity(text[second.end() :]) if second else None
        if second and other is not None:
            notes.append(text[second.end() :][: len(text) - second.end() - len(other.rest)].strip())
            text = other.rest
    # parenthesised qualifiers -> note (after the amount so "1 (8-ounce) feta" works)
    for match in _PARENS.finditer(text):
        inner = (match.group(1) or match.group(2) or "").strip()
        if inner:
            notes.append(inner)
    text = _PARENS.sub(" ", text)
    text = re.sub(r"\(.*$", "", text)  # an unclosed parenthesis
    purpose = _PURPOSE.search(text)
    if purpose and purpose.start() > 0:
        notes.append(purpose.group("p").strip())
        text = text[: purpose.start()].rstrip(" ,")
    taste = _TO_TASTE.search(text)
    if taste:
        notes.append(taste.group("p").strip())
        text = (text[: taste.start()] + " " + text[taste.end() :]).strip()
    optional = _OPTIONAL.search(text)
    if optional and len(tx.words(text)) > 1:
        notes.append(optional.group("p").strip().lower())
        text = (text[: optional.start()] + " " + text[optional.end() :]).strip()
    if quantity is None:
        trailing = trailing_quantity(text)
        if trailing is not None and not _looks_like_count_phrase(trailing[0]):
            text, quantity = trailing
    vague = _VAGUE.match(text)
    if vague and quantity is None:
        notes.append(vague.group("p").strip())
        text = text[vague.end() :]
    plus = re.search(r"\s(?:\+|plus)\s", text)
    if plus and quantity is not None:
        notes.append(text[plus.end() :].strip())
        text = text[: plus.start()]
    # a comma tail is a note when it qualifies ("chopped"); else it is part of the food
    for separator in (",", " - ", " – "):
        head, _, tail = text.partition(separator)
        if tail and _is_note_tail(tail):
            notes.append(tail.strip())
            text = head
            break
    if quantity is not None and quantity.unit is None:
        food_unit = _FOOD_THEN_UNIT.match(text.strip())
        if food_unit:
            quantity.unit = canonical_unit(food_unit.group("unit"))
            text = food_unit.group("food")
    text, participle = _split_participle(text)
    if participle:
        notes.append(participle)
    food = tx.collapse(text).strip(" ,.;:-–*…‥")
    if re.fullmatch(r"(?:of|de|di)\s+.*", food, re.IGNORECASE) and quantity is not None:
        food = food.split(None, 1)[1] if " " in food else food
    if not food:
        return None
    if food.isupper() and len(food) > 3:
        food = food.lower()
    if quantity is not None and quantity.range_text:
        notes.insert(0, quantity.range_text)
    notes.extend(shared_notes)
    note = "; ".join(dict.fromkeys(n for n in notes if n)) or None
    return Ingredient(
        food=food,
        amount=quantity.amount if quantity else None,
        amount_max=quantity.high if quantity else None,
        unit=quantity.unit if quantity else None,
        note=note,
        original_text=original,
    )


# a count unit after a one- or two-word food: "3 garlic cloves" -> 3 clove garlic
_FOOD_THEN_UNIT = re.compile(
    r"^(?P<food>[^\W\d_]+(?:\s[^\W\d_]+)?)\s+(?P<unit>cloves?|sprigs?|stalks?|sticks?)(?=$|[\s,])",
    re.IGNORECASE,
)
_LINKS = frozenset(
    {
        "in",
        "into",
        "and",
        "at",
        "to",
        "for",
        "with",
        "from",
        "on",
        "until",
        "und",
        "y",
        "e",
        "en",
        "a",
        "al",
        "zu",
        "auf",
    }
)


def _split_participle(text: str) -> tuple[str, str | None]:
    """ "lemons sliced in half" -> ("lemons", "sliced in half"): a preparation word after the
    food, followed by a preposition (or ending the line), starts the note."""
    tokens = text.split()
    for index in range(1, len(tokens)):
        word = tokens[index].lower().strip(",.")
        following = tokens[index + 1].lower() if index + 1 < len(tokens) else None
        if (
            word in vocab.NOTE_WORDS
            and len(word) >= 5
            and word not in _LINKS
            and (following is None or following in _LINKS)
        ):
            return " ".join(tokens[:index]), " ".join(tokens[index:])
    return text, None


def _looks_like_count_phrase(food: str) -> bool:
    """ "Ep 7", "Day 3", "Top 10": a word then a number that is not an amount."""
    return bool(
        re.fullmatch(
            r"(?:ep|episode|day|part|teil|top|no|nr|vol|step|schritt|paso)\.?", food.strip().lower()
        )
    )
