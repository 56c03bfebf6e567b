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


# issue 13: unit words of the Scandinavian, Polish, Portuguese, Dutch, French and German
# captions the blind set holds, and a size word before the unit
@pytest.mark.parametrize(
    ("line", "amount", "unit", "rest"),
    [
        ("2 spsk tahin", 2, "tbsp", "tahin"),
        ("4 msk kakao", 4, "tbsp", "kakao"),
        ("1 ss smør", 1, "tbsp", "smør"),
        ("1 tsk spidskommen", 1, "tsp", "spidskommen"),
        ("1 ts salt", 1, "tsp", "salt"),
        ("3 dl mjölk", 3, "dl", "mjölk"),
        ("2 łyżki mąki", 2, "tbsp", "mąki"),
        ("1 łyżka cukru", 1, "tbsp", "cukru"),
        ("1 łyżeczka soli", 1, "tsp", "soli"),
        ("1/2 szklanki oleju", 0.5, "cup", "oleju"),
        ("2 xícaras de farinha", 2, "cup", "farinha"),
        ("4 dentes de alho", 4, "clove", "alho"),
        ("1 pitada de sal", 1, "pinch", "sal"),
        ("2 teentjes knoflook", 2, "clove", "knoflook"),
        ("1 teentje knoflook", 1, "clove", "knoflook"),
        ("1 fed hvidløg", 1, "clove", "hvidløg"),
        ("1 dåse kikærter", 1, "can", "kikærter"),
        ("1 cc de levure", 1, "tsp", "levure"),
        ("2 pièces de citron", 2, "piece", "citron"),
        ("1 pièce de gingembre", 1, "piece", "gingembre"),
        ("1 pot de yaourt", 1, "pot", "yaourt"),
        ("2 Teel. Zitronensaft", 2, "TL", "Zitronensaft"),
        ("1 kl. Bund Schnittlauch", 1, "bunch", "Schnittlauch (kl.)"),
    ],
)
def test_unit_words_of_more_languages(line: str, amount: float, unit: str, rest: str) -> None:
    quantity = leading_quantity(line)
    assert quantity is not None
    assert (quantity.amount, quantity.unit, quantity.rest) == (pytest.approx(amount), unit, rest)


@pytest.mark.parametrize(
    ("line", "amount", "high", "unit", "rest"),
    [
        ("1 e 1/2 tazza di ceci", 1.5, None, "cup", "ceci"),
        ("1 i 1/2 łyżki mąki", 1.5, None, "tbsp", "mąki"),
        ("1 und 1/2 EL Öl", 1.5, None, "EL", "Öl"),
        ("2 and ½ cups flour", 2.5, None, "cup", "flour"),
        ("200/250 g de cebola", 200, 250, "g", "cebola"),
        ("2 bis 3 EL Milch", 2, 3, "EL", "Milch"),
        ("2 à 3 pots de farine", 2, 3, "pot", "farine"),
        ("2-3 cloves garlic", 2, 3, "clove", "garlic"),
        ("2–3 dl grädde", 2, 3, "dl", "grädde"),
        ("1 til 2 ss olje", 1, 2, "tbsp", "olje"),
        ("~2 cups buttermilk", 2, None, "cup", "buttermilk"),
        ("ca. 200 g Mehl", 200, None, "g", "Mehl"),
        ("1/3 cup sugar", 1 / 3, None, "cup", "sugar"),
    ],
)
def test_amount_forms_as_cooks_write_them(
    line: str, amount: float, high: float | None, unit: str, rest: str
) -> None:
    quantity = leading_quantity(line)
    assert quantity is not None
    assert quantity.amount == pytest.approx(amount, abs=0.001)
    assert quantity.high == high
    assert (quantity.unit, quantity.rest) == (unit, rest)


@pytest.mark.parametrize(
    ("line", "food", "amount", "unit"),
    [
        ("豚ロース・・・200g", "豚ロース", 200, "g"),
        ("醤油・・・大さじ2", "醤油", 2, "大さじ"),
        ("Rolled oats ....... 1 cup", "Rolled oats", 1, "cup"),
        ("Cinnamon ....... a pinch", "Cinnamon", 1, "pinch"),
        ("Milk\t1/2 cup", "Milk", 0.5, "cup"),
    ],
)
def test_food_first_lines_with_leaders(line: str, food: str, amount: float, unit: str) -> None:
    found = trailing_quantity(line)
    assert found is not None
    assert (found[0], found[1].amount, found[1].unit) == (food, amount, unit)


def test_zero_width_characters_are_dropped() -> None:
    assert normalize("1\u200b lb chicken\u2060 thighs\ufeff") == "1 lb chicken thighs"
