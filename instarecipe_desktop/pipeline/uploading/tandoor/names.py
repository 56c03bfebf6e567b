"""When a food, unit or keyword name is one the person's Tandoor space already has.

Importers fill a space with near-duplicates ("Onions" beside "onion", "gram" beside "g";
Tandoor issue #2934) because Tandoor itself only matches a name or its plural ignoring case.
Here two names are the same when they are equal ignoring case, accents, surrounding and
repeated spaces and a simple plural ending (English, German, French, Spanish, Italian, Dutch:
"Onions" -> "onion", "Zwiebeln" -> "Zwiebel", "pomodori" -> "pomodoro"); compound words stay
new ("Knoblauchzehen" is not "Knoblauch"). Units also match within a family of spellings of
one unit ("g" is an existing "gram" or "Gramm"), the space's exact spelling first: "tbsp" only
becomes "EL" when the space has no "tbsp".

Pure functions, no I/O: ``space_names.py`` fetches what the space has.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# plural endings -> what the singular ends with, longest first; the stem keeps >= 3 letters
_PLURAL_ENDINGS: tuple[tuple[str, str], ...] = (
    ("ies", "y"),  # berries -> berry
    ("oes", "o"),  # tomatoes -> tomato
    ("es", ""),  # radishes -> radish, tomates -> tomate (fr/es)
    ("en", ""),  # wortelen -> wortel (nl)
    ("n", ""),  # Zwiebeln -> Zwiebel, Tomaten -> Tomate
    ("s", ""),  # onions -> onion
    ("x", ""),  # poireaux -> poireau (fr)
    ("i", "o"),  # pomodori -> pomodoro (it)
    ("i", "e"),  # peperoni -> peperone (it)
    ("e", "a"),  # carote -> carota (it)
)
_MIN_STEM = 3

# spellings of one unit, the usual short form first (the parser's canonical names)
UNIT_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("g", "gr", "gram", "gramm", "gramme", "gramo", "grammo", "grams", "grammes", "gramos"),
    ("kg", "kilo", "kilogram", "kilogramm", "kilogramme", "kilogramo", "chilo"),
    ("mg", "milligram", "milligramm", "milligramme"),
    ("ml", "milliliter", "millilitre", "mililitro", "millilitro"),
    ("cl", "centiliter", "centilitre"),
    ("dl", "deciliter", "decilitre"),
    ("l", "liter", "litre", "litro", "ltr"),
    (
        "tbsp",
        "tablespoon",
        "tbs",
        "tbl",
        "el",
        "essloffel",
        "cs",
        "cas",
        "cda",
        "cucharada",
        "cucchiaio",
        "eetlepel",
        "msk",
        "ss",
    ),
    (
        "tsp",
        "teaspoon",
        "tl",
        "teeloffel",
        "cc",
        "cac",
        "cdta",
        "cdita",
        "cucharadita",
        "cucchiaino",
        "theelepel",
        "tsk",
    ),
    ("cup", "tasse", "taza", "tazza", "kopje"),
    ("oz", "ounce"),
    ("lb", "pound"),
    ("clove", "zehe", "gousse", "diente", "spicchio", "teentje"),
    ("pinch", "prise", "pincee", "pizca", "pizzico", "snufje"),
    ("piece", "pc", "pcs", "stuck", "stk", "pieza", "pezzo", "stuk"),
    ("can", "dose", "boite", "lata", "lattina", "blik"),
    ("bunch", "bund", "botte", "manojo", "mazzo", "bos"),
    ("slice", "scheibe", "tranche", "rebanada", "fetta", "plak"),
)


def name_key(name: str) -> str:
    """Lower case, no accents, single spaces, no trailing dot: "  Crème  Fraîche " -> "creme
    fraiche"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split()).rstrip(".")


def singular_forms(key: str) -> set[str]:
    """``key`` and what it is with one plural ending taken off (only the last word)."""
    forms = {key}
    head, _, last = key.rpartition(" ")
    prefix = head + " " if head else ""
    for ending, replacement in _PLURAL_ENDINGS:
        if last.endswith(ending) and len(last) - len(ending) >= _MIN_STEM:
            forms.add(prefix + last[: len(last) - len(ending)] + replacement)
    return forms


def same_name(a: str, b: str) -> bool:
    """Whether two names are one food/keyword: equal keys, or one is a plural of the other."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    return ka == kb or kb in singular_forms(ka) or ka in singular_forms(kb)


def unit_family(name: str) -> tuple[str, ...] | None:
    key = name_key(name)
    forms = singular_forms(key)
    for family in UNIT_FAMILIES:
        if forms & set(family):
            return family
    return None


def match_name(name: str, existing: Iterable[tuple[str, str | None]]) -> str | None:
    """The existing name (``(name, plural_name)`` pairs) that ``name`` is, or None."""
    for candidate, plural in existing:
        if same_name(name, candidate) or (plural and same_name(name, plural)):
            return candidate
    return None


def match_unit(name: str, existing: Iterable[tuple[str, str | None]]) -> str | None:
    """The space's own unit for ``name``: the same spelling (or plural) first, then another
    spelling of the same unit, in the family's order."""
    units = list(existing)
    same = match_name(name, units)
    if same is not None:
        return same
    family = unit_family(name)
    if family is None:
        return None
    best: tuple[int, str] | None = None
    for candidate, plural in units:
        for spelling in (candidate, plural):
            if not spelling or unit_family(spelling) is not family:
                continue
            rank = _family_rank(family, spelling)
            if best is None or rank < best[0]:
                best = (rank, candidate)
    return best[1] if best else None


def _family_rank(family: tuple[str, ...], spelling: str) -> int:
    forms = singular_forms(name_key(spelling))
    return min((i for i, member in enumerate(family) if member in forms), default=len(family))
