"""Reading and validating answers, including what JSON-mode models send instead of numbers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from instarecipe_desktop.pipeline.parsing.llm.answer import InvalidAnswer, read_answer
from instarecipe_desktop.pipeline.parsing.llm.mapping import to_recipe
from instarecipe_desktop.pipeline.parsing.llm.schema import (
    LLMRecipe,
    parse_amount,
    parse_whole_number,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2, 2.0),
        (0.5, 0.5),
        ("2", 2.0),
        ("1/2", 0.5),
        ("1 1/2", 1.5),
        ("½", 0.5),
        ("1½", 1.5),
        ("0,5", 0.5),
        ("2-3", 2.0),
        ("２", 2.0),
        ("about 3", 3.0),
        (None, None),
        ("", None),
    ],
)
def test_amounts_are_coerced(raw: Any, expected: float | None) -> None:
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("raw", ["a pinch", True, [1]])
def test_amounts_that_are_no_number_are_rejected(raw: Any) -> None:
    with pytest.raises(ValueError):
        parse_amount(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (4, 4),
        ("4", 4),
        ("4-6", 4),
        ("30 min", 30),
        (4.0, 4),
        (None, None),
        ("", None),
    ],
)
def test_whole_numbers_are_coerced(raw: Any, expected: int | None) -> None:
    assert parse_whole_number(raw) == expected


def test_json_mode_answer_with_strings_and_missing_fields_is_accepted() -> None:
    answer = LLMRecipe.model_validate(
        {
            "name": "Tea",
            "servings": "2 cups",
            "workingTime": "5 min",
            "keywords": None,
            "steps": [
                {
                    "instruction": "Steep.",
                    "ingredients": [
                        {"amount": "1 1/2", "unit": "tsp", "food": "tea leaves", "unexpected": 1}
                    ],
                }
            ],
        }
    )
    recipe = to_recipe(answer)
    assert (recipe.servings, recipe.working_time, recipe.keywords) == (2, 5, [])
    assert recipe.steps[0].ingredients[0].amount == 1.5


def test_a_recipe_without_name_or_content_is_invalid() -> None:
    with pytest.raises(InvalidAnswer, match="name is empty"):
        read_answer(json.dumps({"hasRecipe": True, "name": "", "steps": [{"instruction": "x"}]}))
    with pytest.raises(InvalidAnswer, match="no instruction and no ingredient"):
        read_answer(json.dumps({"name": "Soup", "steps": [{"instruction": " "}]}))


def test_no_recipe_needs_nothing_else() -> None:
    assert read_answer('{"hasRecipe": false}').hasRecipe is False


@pytest.mark.parametrize(
    ("content", "finish", "problem"),
    [
        ("", "stop", "empty"),
        ('{"name": "Soup", "steps": [', "length", "cut off"),
        ("[1, 2]", "stop", "not an object"),
        ("Sorry, no JSON today", "stop", "not valid JSON"),
        ('{"name": "Soup", "steps": "stir"}', "stop", "steps"),
    ],
)
def test_problems_are_described_for_the_repair_request(
    content: str, finish: str, problem: str
) -> None:
    with pytest.raises(InvalidAnswer) as raised:
        read_answer(content, finish)
    assert problem in raised.value.problem


def test_mapping_drops_empty_rows_cleans_keywords_and_prefers_the_chosen_language() -> None:
    answer = LLMRecipe.model_validate(
        {
            "name": " Soup ",
            "language": "en",
            "servings": 0,
            "keywords": ["#Soup", "soup", " Winter ", ""],
            "steps": [
                {"instruction": "", "ingredients": []},
                {
                    "instruction": "Boil.",
                    "time": 0,
                    "ingredients": [{"food": " "}, {"food": "water", "amount": 1, "unit": "l"}],
                },
            ],
        }
    )
    recipe = to_recipe(answer, source_url="u", image="i", language="de")
    assert recipe.name == "Soup"
    assert recipe.keywords == ["Soup", "Winter"]
    assert recipe.language == "de"
    assert recipe.servings is None
    assert len(recipe.steps) == 1 and recipe.steps[0].time is None
    assert [i.food for i in recipe.steps[0].ingredients] == ["water"]
    assert (recipe.source_url, recipe.image) == ("u", "i")
