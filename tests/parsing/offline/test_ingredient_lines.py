"""One ingredient line -> rows with amount / unit / food / note, in several languages."""

from __future__ import annotations

import pytest

from instarecipe_desktop.pipeline.parsing.offline.ingredients import parse_line

Row = tuple[float | None, str | None, str, str | None]


def rows(line: str) -> list[Row]:
    return [(i.amount, i.unit, i.food or "", i.note) for i in parse_line(line)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1 lb ground beef (I use 80/20)", [(1, "lb", "ground beef", "I use 80/20")]),
        ("3 cloves garlic, minced", [(3, "clove", "garlic", "minced")]),
        ("- 2/3 cup jasmine rice, uncooked", [(0.667, "cup", "jasmine rice", "uncooked")]),
        (
            "- 10oz boneless, skinless chicken thigh",
            [(10, "oz", "boneless, skinless chicken thigh", None)],
        ),
        ("- salt and pepper to taste", [(None, None, "salt and pepper", "to taste")]),
        ("• Sal al gusto", [(None, None, "Sal", "al gusto")]),
        ("Salz nach Geschmack", [(None, None, "Salz", "nach Geschmack")]),
        ("sale q.b.", [(None, None, "sale", "q.b")]),
        ("醤油 少々", [(None, None, "醤油", "少々")]),
        ("Optional: 1 tbsp sugar", [(1, "tbsp", "sugar", "optional")]),
        ("- 6-8 cups chicken stock", [(6, "cup", "chicken stock", "6-8 cup")]),
        (
            "- 6 lemons sliced in half and carved",
            [(6, None, "lemons", "sliced in half and carved")],
        ),
        ("✅ 80g chicken mince, 2.8oz", [(80, "g", "chicken mince", "2.8oz")]),
        ("45 ml | 1.5 oz shochu", [(45, "ml", "shochu", "1.5 oz")]),
        (". Dash of cinnamon (optional)", [(1, "dash", "cinnamon", "optional")]),
        ("▪️ 1 Zwiebel, fein gehackt", [(1, None, "Zwiebel", "fein gehackt")]),
        ("• 5 huevos L", [(5, None, "huevos L", None)]),
        ("TAKOYAKI SAUCE", [(None, None, "takoyaki sauce", None)]),
        (
            "出汁 150ml (汁少な目が良い人は100~120ml)",
            [(150, "ml", "出汁", "汁少な目が良い人は100~120ml")],
        ),
    ],
)
def test_single_rows(line: str, expected: list[Row]) -> None:
    got = rows(line)
    assert len(got) == len(expected)
    for (amount, unit, food, note), (e_amount, e_unit, e_food, e_note) in zip(
        got, expected, strict=True
    ):
        assert (
            amount == pytest.approx(e_amount, abs=0.001) if e_amount is not None else amount is None
        )
        assert (unit, food, note) == (e_unit, e_food, e_note)


def test_a_list_line_is_one_row_per_item() -> None:
    assert [f for _, _, f, _ in rows("• Salt, pepper, red pepper flakes")] == [
        "Salt",
        "pepper",
        "red pepper flakes",
    ]


def test_a_qualifier_on_a_list_line_goes_to_the_note() -> None:
    got = rows("• Butter, garlic, salt, parm, parsley (for garlic butter)")
    assert [f for _, _, f, _ in got] == ["Butter", "garlic", "salt", "parm", "parsley"]
    assert got[-1][3] == "for garlic butter"


def test_a_fixed_pair_stays_one_row_but_a_second_amount_splits() -> None:
    assert [f for _, _, f, _ in rows("Salt and pepper")] == ["Salt and pepper"]
    got = rows("Salz und 1 Prise Zucker")
    assert [(a, u, f) for a, u, f, _ in got] == [(None, None, "Salz"), (1, "pinch", "Zucker")]
    got = rows("Salz und optional etwas Zucker")
    assert got[1][2] == "Zucker" and "optional" in (got[1][3] or "")


def test_garnish_purpose_goes_to_the_note() -> None:
    got = rows("- [ ] Pineapple, maraschino cherries for garnish")
    assert [(f, n) for _, _, f, n in got] == [
        ("Pineapple", "for garnish"),
        ("maraschino cherries", "for garnish"),
    ]


def test_original_text_is_kept() -> None:
    (ingredient,) = parse_line("• 600 g de patatas")
    assert ingredient.original_text == "• 600 g de patatas"


def test_empty_and_symbol_only_lines_give_nothing() -> None:
    assert parse_line("") == []
    assert parse_line("🔥🔥 ✨") == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1,5 kg Äpfel", (1.5, "kg", "Äpfel")),
        ("🧄 3 garlic cloves, minced", (3, "clove", "garlic")),
        ("3 cinnamon sticks", (3, "stick", "cinnamon")),
        ("4 cloves", (4, None, "cloves")),
        ("🥫 1 can (400g) chopped tomatoes", (1, "can", "chopped tomatoes")),
        ("50g/2oz parmesan, grated", (50, "g", "parmesan")),
    ],
)
def test_decimal_commas_units_after_the_food_and_second_measures(
    line: str, expected: tuple[float, str | None, str]
) -> None:
    (row,) = rows(line)
    assert (row[0], row[1], row[2]) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2 x 400g tins chopped tomatoes", [(2, "can", "chopped tomatoes", "400g")]),
        ("1 heaped tbsp flour", [(1, "tbsp", "flour", "heaped")]),
        ("2 gehäufte EL Mehl", [(2, "EL", "Mehl", "gehäufte")]),
        ("1/2 cup + 2 tbsp sugar", [(0.5, "cup", "sugar", "+ 2 tbsp")]),
        ("1 EL Öl zum Braten", [(1, "EL", "Öl", "zum Braten")]),
        ("1 tsp each: cumin, paprika", [(1, "tsp", "cumin", None), (1, "tsp", "paprika", None)]),
        ("Una pizca de sal", [(1, "pinch", "sal", None)]),
        ("1 diente de ajo", [(1, "clove", "ajo", None)]),
        ("1 bustina di lievito", [(1, "pack", "lievito", None)]),
        ("200 gr. harina", [(200, "g", "harina", None)]),
        (".5 oz Averna", [(0.5, "oz", "Averna", None)]),
    ],
)
def test_packages_size_words_extra_measures_and_each(line: str, expected: list[Row]) -> None:
    assert rows(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2 dientes de ajo picados", [(2, "clove", "ajo", "picados")]),
        ("1 cup sugar divided", [(1, "cup", "sugar", "divided")]),
        ("1/2 lb thin sliced beef", [(0.5, "lb", "thin sliced beef", None)]),
        ("Bulgogi Mandu - about 10 large", [(None, None, "Bulgogi Mandu", "about 10 large")]),
        ("1/2 taza de azúcar", [(0.5, "cup", "azúcar", None)]),
    ],
)
def test_trailing_preparation_words_and_dash_notes(line: str, expected: list[Row]) -> None:
    assert rows(line) == expected


def test_bullets_inside_one_line_separate_items() -> None:
    assert [(a, u, f) for a, u, f, _ in rows("200g pasta • 1 zucchini • 2 tbsp pesto")] == [
        (200, "g", "pasta"),
        (1, None, "zucchini"),
        (2, "tbsp", "pesto"),
    ]
