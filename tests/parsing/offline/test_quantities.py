"""Amounts and units: fractions, mixed numbers, ranges, glued units, other scripts."""

from __future__ import annotations

import pytest

from instarecipe_desktop.pipeline.parsing.offline.quantity import (
    leading_quantity,
    number_value,
    trailing_quantity,
)
from instarecipe_desktop.pipeline.parsing.offline.text import normalize


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1.0),
        ("1/2", 0.5),
        ("1 1/2", 1.5),
        ("1-1/2", 1.5),
        ("½", 0.5),
        ("1½", 1.5),
        ("1 ½", 1.5),
        ("⅔", 2 / 3),
        ("2.5", 2.5),
        ("2,5", 2.5),
        (".25", 0.25),
        ("3/4", 0.75),
    ],
)
def test_number_values(text: str, value: float) -> None:
    assert number_value(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("line", "amount", "unit", "rest", "range_text"),
    [
        ("1 1/4C dashi stock", 1.25, "cup", "dashi stock", None),
        ("2/3 cup jasmine rice", 0.667, "cup", "jasmine rice", None),
        ("10oz chicken thigh", 10, "oz", "chicken thigh", None),
        ("½ kg lean pork", 0.5, "kg", "lean pork", None),
        ("¼ cup olive oil", 0.25, "cup", "olive oil", None),
        ("1 ½ teaspoons salt", 1.5, "tsp", "salt", None),
        ("6-8 cups chicken stock", 6, "cup", "chicken stock", "6-8 cup"),
        ("1–2 EL rote Currypaste", 1, "EL", "rote Currypaste", "1–2 EL"),
        ("150–200 g Erbsen", 150, "g", "Erbsen", "150–200 g"),
        ("2 to 3 tbsp honey", 2, "tbsp", "honey", "2 to 3 tbsp"),
        ("1-3 dried red chilies", 1, None, "dried red chilies", "1-3"),
        ("600 g de patatas", 600, "g", "patatas", None),
        ("200 g di spaghetti", 200, "g", "spaghetti", None),
        ("2 c. à s. de sucre", 2, "tbsp", "sucre", None),
        ("1 cda de aceite", 1, "tbsp", "aceite", None),
        ("2 cucharaditas de comino", 2, "tsp", "comino", None),
        ("1 cucchiaio di olio", 1, "tbsp", "olio", None),
        ("3 cloves garlic", 3, "clove", "garlic", None),
        ("2 Knoblauchzehen", 2, None, "Knoblauchzehen", None),
        ("1 Prise Zucker", 1, "pinch", "Zucker", None),
        ("1 Bund Petersilie", 1, "bunch", "Petersilie", None),
        ("1 Dose Kichererbsen", 1, "can", "Kichererbsen", None),
        ("2 packs unflavored gelatin", 2, "pack", "unflavored gelatin", None),
        ("1 block of firm tofu", 1, "block", "firm tofu", None),
        ("4 tspn sugar", 4, "tsp", "sugar", None),
        ("2lbs ground beef", 2, "lb", "ground beef", None),
        ("1 (8-ounce) feta chunk", 1, None, "feta chunk (8-ounce)", None),
        ("Dash of cinnamon", 1, "dash", "cinnamon", None),
        ("a pinch of salt", 1, "pinch", "salt", None),
        ("two eggs", 2, None, "eggs", None),
        ("大さじ2", 2, "大さじ", "", None),
        ("小さじ1/2", 0.5, "小さじ", "", None),
        ("1 large egg", 1, None, "large egg", None),
        ("2 T butter", 2, "tbsp", "butter", None),
        ("1 t vanilla", 1, "tsp", "vanilla", None),
    ],
)
def test_leading_quantity(
    line: str, amount: float, unit: str | None, rest: str, range_text: str | None
) -> None:
    quantity = leading_quantity(line)
    assert quantity is not None
    assert quantity.amount == pytest.approx(amount, abs=0.001)
    assert quantity.unit == unit
    assert quantity.rest == rest
    assert quantity.range_text == range_text


@pytest.mark.parametrize(
    "line",
    [
        "1. Add the flour",
        "018. Brown-Butter Old Fashioned",
        "2x3 cubes",
        "10am sharp",
        "Salt and pepper",
        "Green onion",
        "",
    ],
)
def test_no_leading_quantity(line: str) -> None:
    assert leading_quantity(line) is None


@pytest.mark.parametrize(
    ("line", "food", "amount", "unit"),
    [
        ("鶏もも肉 1枚", "鶏もも肉", 1, "枚"),
        ("玉ねぎ 1/4", "玉ねぎ", 0.25, None),
        ("ザラメ糖 大さじ1", "ザラメ糖", 1, "大さじ"),
        ("水 600ml", "水", 600, "ml"),
        ("Beef bacon 8 slices", "Beef bacon", 8, "slice"),
    ],
)
def test_trailing_quantity(line: str, food: str, amount: float, unit: str | None) -> None:
    found = trailing_quantity(line)
    assert found is not None
    assert found[0] == food
    assert found[1].amount == pytest.approx(amount)
    assert found[1].unit == unit


def test_full_width_digits_and_spaces_become_ascii() -> None:
    assert normalize("ザラメ糖\u3000大さじ１") == "ザラメ糖 大さじ1"
    assert normalize("２００ｇ") == "200g"
    found = trailing_quantity(normalize("醤油\u3000大さじ２"))
    assert found is not None and found[1].amount == 2 and found[1].unit == "大さじ"


def test_keycaps_and_circled_numbers_become_step_numbers() -> None:
    assert normalize("1️⃣ Mix").startswith("1. ")
    assert normalize("① Mix").startswith("1. ")
    assert normalize("🔟 Serve").startswith("10. ")
