"""Locating quoted lines in the post's text, amounts in their lines, validating edited recipes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from instarecipe_desktop.core.amounts import shown_amount
from instarecipe_desktop.core.provenance import (
    TextLocator,
    amount_in_line,
    amount_problems,
    locate_sources,
    numbers_in,
)
from instarecipe_desktop.core.recipe import Ingredient, Recipe, SourceSpan, Step
from instarecipe_desktop.core.recipe_validation import (
    RecipeInvalid,
    amount_from_text,
    validate_recipe,
)
from instarecipe_desktop.core.review import review_reason, source_lines

TEXT = "My PANCAKES 🥞\n\n•  200g   Flour (sifted)\n- 2 eggs\n1) Mix it all.  Fry in butter!"


def located(quote: str, **kwargs: bool) -> str | None:
    span = TextLocator(TEXT).locate(quote, **kwargs)
    return TEXT[span.start : span.end] if span else None


def test_a_quote_is_found_whatever_its_spacing_case_and_bullets() -> None:
    assert located("200 g flour") == "200g   Flour"
    assert located("* 200 G FLOUR (sifted)") == "200g   Flour (sifted)"
    assert located("fry in butter") == "Fry in butter!"
    assert located("mix it all") == "Mix it all."
    assert located("2 eggs", whole_line=True) == "- 2 eggs"
    assert located("flour", whole_line=True) == "•  200g   Flour (sifted)"


def test_locating_a_recipe_fills_only_missing_spans_and_prefers_the_quote() -> None:
    kept = SourceSpan(0, 2)
    recipe = Recipe(
        name="Pancakes",
        steps=[
            Step(
                instruction="Combine everything.",  # paraphrased: only the quote is in the text
                ingredients=[
                    Ingredient(food="flour", amount=200, unit="g", original_text="200 g flour"),
                    Ingredient(food="eggs", amount=2, source=kept),
                    Ingredient(food="milk", amount=1, unit="cup"),  # not in the text
                ],
            )
        ],
    )
    locate_sources(recipe, TEXT, ["  mix it ALL"])

    step = recipe.steps[0]
    assert step.source is not None and TEXT[step.source.start : step.source.end] == "Mix it all."
    flour, eggs, milk = step.ingredients
    assert flour.source is not None
    assert TEXT[flour.source.start : flour.source.end] == "•  200g   Flour (sifted)"
    assert eggs.source == kept
    assert milk.source is None


def test_a_quote_that_is_not_in_the_text_is_not_located() -> None:
    assert located("300 g sugar") is None
    assert located("") is None
    assert located("- .") is None  # nothing but bullets and punctuation
    assert located("a") is None  # too short to mean anything


def test_repeated_quotes_map_to_successive_places() -> None:
    text = "Dough:\n1 egg\nGlaze:\n1 egg"
    locator = TextLocator(text)
    first, second = locator.locate("1 egg"), locator.locate("1 egg")
    assert first is not None and second is not None
    assert (first.start, second.start) == (7, text.rindex("1 egg"))


@given(
    st.lists(st.text(alphabet="abcdefgh 12-•\t", min_size=3, max_size=20), min_size=1, max_size=6),
    st.data(),
)
def test_every_line_of_a_text_is_located_onto_text_that_folds_to_it(lines, data) -> None:
    text = "\n".join(lines)
    line = data.draw(st.sampled_from(lines))
    span = TextLocator(text).locate(line.upper().replace(" ", "  "))
    folded = "".join(c for c in line.lower() if c.isalnum())
    if len(folded) < 3:
        assert span is None
        return
    assert span is not None
    assert "".join(c for c in text[span.start : span.end].lower() if c.isalnum()) == folded
    assert text[span.start].isalnum()


@pytest.mark.parametrize(
    ("line", "amount"),
    [
        ("200 g flour", 200),
        ("½ tsp salt", 0.5),
        ("1 1/2 cups milk", 1.5),
        ("1½ cups milk", 1.5),
        ("0,5 l Milch", 0.5),
        ("3/4 cup sugar", 0.75),
        ("two eggs", 2),
        ("2-3 cloves garlic", 3),
        ("1.000 g Mehl", 1000),
    ],
)
def test_amounts_written_in_many_ways_are_found_in_their_line(line: str, amount: float) -> None:
    ingredient = Ingredient("x", amount, source=SourceSpan(0, len(line)))
    assert amount_in_line(ingredient, line), list(numbers_in(line))


def test_an_amount_not_in_its_line_or_without_a_line_is_not_found() -> None:
    line = "200 g flour"
    assert not amount_in_line(Ingredient("flour", 250, "g", source=SourceSpan(0, 11)), line)
    assert not amount_in_line(Ingredient("flour", 200, "g"), line)  # inferred line
    assert amount_in_line(Ingredient("salt"), line)  # no amount: nothing to check


def test_amount_problems_name_the_ingredient_and_ignore_parsers_without_sources() -> None:
    text = "200 g flour\nsalt"
    recipe = Recipe(
        name="x",
        steps=[
            Step(
                "Mix.",
                [
                    Ingredient("flour", 250, "g", source=SourceSpan(0, 11)),
                    Ingredient("sugar", 2, "tbsp"),
                    Ingredient("salt", source=SourceSpan(12, 16)),
                ],
            )
        ],
    )
    assert amount_problems(recipe, text) == [
        "the amount of “250 g flour” is not in its line of the post",
        "the amount of “2 tbsp sugar” is not in the post",
    ]
    reason = review_reason(recipe, text, "uncertain")
    assert reason is not None and "250 g flour" in reason and "2 tbsp sugar" in reason
    no_sources = Recipe(name="x", steps=[Step("Mix.", [Ingredient("flour", 250, "g")])])
    assert amount_problems(no_sources, text) == []
    assert review_reason(no_sources, text, "uncertain") is None
    assert review_reason(no_sources, text, "always") is not None
    assert review_reason(recipe, text, "never") is None


def test_source_lines_give_each_line_its_path_text_and_flags() -> None:
    text = "200 g flour\nMix."
    recipe = Recipe(
        name="x",
        steps=[
            Step(
                "Mix.",
                [Ingredient("flour", 300, "g", source=SourceSpan(0, 11)), Ingredient("salt")],
                source=SourceSpan(12, 16),
            )
        ],
    ).to_json()
    lines = source_lines(recipe, text)
    assert [(ln["path"], ln["sourceText"], ln["inferred"]) for ln in lines] == [
        ("$.steps[0]", "Mix.", False),
        ("$.steps[0].ingredients[0]", "200 g flour", False),
        ("$.steps[0].ingredients[1]", None, True),
    ]
    assert [ln.get("amountNotInLine") for ln in lines] == [None, True, False]


def valid() -> dict:
    return Recipe(
        name="Bread",
        steps=[Step("Bake.", [Ingredient("flour", 500, "g", source=SourceSpan(0, 5))])],
    ).to_json()


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda r: r.update(name=""), "$.name"),
        (lambda r: r.update(servings="four"), "$.servings"),
        (lambda r: r.update(steps=[]), "$.steps"),
        (lambda r: r.update(amout=3), "$.amout"),
        (lambda r: r["steps"][0].update(instruction=None), "$.steps[0].instruction"),
        (lambda r: r["steps"][0]["ingredients"][0].update(amount="lots"), None),
        (lambda r: r["steps"][0]["ingredients"][0].update(food=" "), None),
        (lambda r: r["steps"][0]["ingredients"][0].update(amountMax=100), None),
        (lambda r: r["steps"][0]["ingredients"][0].update(source={"start": 3}), None),
        (lambda r: r["steps"][0]["ingredients"][0].update(source={"start": 0, "end": 99}), None),
        (lambda r: r["keywords"].append(7), "$.keywords[0]"),
    ],
)
def test_an_invalid_recipe_is_refused_with_the_path_of_its_first_problem(change, path) -> None:
    data = valid()
    change(data)
    with pytest.raises(RecipeInvalid) as caught:
        validate_recipe(data, text_length=20)
    if path is None:
        assert caught.value.path.startswith("$.steps[0].ingredients[0].")
    else:
        assert caught.value.path == path
    assert str(caught.value).startswith(caught.value.path + ": ")


def test_a_valid_recipe_is_returned_as_a_recipe() -> None:
    recipe = validate_recipe(valid(), text_length=20)
    assert recipe.name == "Bread"
    assert recipe.steps[0].ingredients[0].source == SourceSpan(0, 5)
    with pytest.raises(RecipeInvalid) as caught:
        validate_recipe([valid()])
    assert caught.value.path == "$"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", (None, None)),
        ("2", (2.0, None)),
        (" 0,5 ", (0.5, None)),
        ("1/2", (0.5, None)),
        ("1 1/2", (1.5, None)),
        ("½", (0.5, None)),
        ("1½", (1.5, None)),
        ("2-3", (2.0, 3.0)),
        ("2–3", (2.0, 3.0)),  # as the window shows a range
        ("1½ to 2", (1.5, 2.0)),
    ],
)
def test_an_amount_typed_in_the_editor_is_read(
    typed: str, expected: tuple[float | None, float | None]
) -> None:
    assert amount_from_text(typed) == expected


@pytest.mark.parametrize("typed", ["a handful", "2 cups", "1/0", "3-2", "-1"])
def test_an_amount_that_cannot_be_read_is_refused_in_words(typed: str) -> None:
    with pytest.raises(ValueError, match=r"“.+”"):
        amount_from_text(typed)


@pytest.mark.parametrize("value", [1 / 3, 0.25, 1.5, 2.0, 0.15, 12.0])
def test_what_the_window_shows_reads_back_as_the_same_amount(value: float) -> None:
    amount, _ = amount_from_text(shown_amount(value))
    assert amount is not None and abs(amount - value) < 0.005
