"""When a name is one the space already has: case, accents, spaces, simple plurals in six
languages, and units by family with the space's exact spelling first."""

from __future__ import annotations

import pytest

from instarecipe_desktop.pipeline.uploading.tandoor.names import (
    match_name,
    match_unit,
    name_key,
    same_name,
)


@pytest.mark.parametrize(
    ("sent", "existing"),
    [
        ("Onions", "onion"),  # en
        ("  Tomatoes ", "tomato"),
        ("berries", "Berry"),
        ("Zwiebeln", "Zwiebel"),  # de
        ("Äpfel", "Apfel"),  # the umlaut is an accent here
        ("poireaux", "poireau"),  # fr
        ("Crème  fraîche", "creme fraiche"),
        ("tomates", "tomate"),  # es / fr
        ("pomodori", "pomodoro"),  # it
        ("carote", "carota"),
        ("wortelen", "wortel"),  # nl
        ("red onions", "Red Onion"),  # only the last word is a plural
        ("PASTA", "pasta"),
    ],
)
def test_the_same_food_or_keyword(sent: str, existing: str) -> None:
    assert same_name(sent, existing)
    assert same_name(existing, sent)


@pytest.mark.parametrize(
    ("sent", "existing"),
    [
        ("Knoblauchzehen", "Knoblauch"),  # a compound stays new
        ("pasta", "past"),
        ("rice", "ice"),
        ("salt", "salted butter"),
        ("", "salt"),
        ("peas", "pe"),  # no stem shorter than three letters
    ],
)
def test_different_names_stay_different(sent: str, existing: str) -> None:
    assert not same_name(sent, existing)


def test_name_key_keeps_the_letters() -> None:
    assert name_key("  Crème   Fraîche. ") == "creme fraiche"


def test_match_name_uses_the_plural_name_too() -> None:
    assert match_name("Eggs", [("Ei", "Eier"), ("egg", None)]) == "egg"
    assert match_name("Eier", [("Ei", "Eier")]) == "Ei"
    assert match_name("lemon", [("lime", None)]) is None


@pytest.mark.parametrize(
    ("sent", "space", "expected"),
    [
        ("g", [("gram", None)], "gram"),
        ("g", [("Gramm", None), ("kg", None)], "Gramm"),
        ("grams", [("g", None)], "g"),
        ("tbsp", [("EL", "EL")], "EL"),  # no tbsp in the space: its EL
        ("tbsp", [("EL", "EL"), ("Tbsp", None)], "Tbsp"),  # the same spelling first
        ("TL", [("tsp", None), ("EL", None)], "tsp"),
        ("cups", [("Tasse", "Tassen")], "Tasse"),
        ("g", [("kg", None), ("mg", None)], None),  # another unit is not the same unit
        ("clove", [], None),
        ("handful", [("Handvoll", None)], None),  # unknown: new
    ],
)
def test_units_match_by_family(sent: str, space: list, expected: str | None) -> None:  # type: ignore[type-arg]
    assert match_unit(sent, space) == expected


def test_a_family_prefers_its_short_form() -> None:
    assert match_unit("gramm", [("gram", None), ("g", None)]) == "g"
