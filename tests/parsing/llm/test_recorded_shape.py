"""Recorded answer shapes (tests/parsing/llm/data): the parser reads them, the fake matches them."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import jsonschema
import pytest
from openai.types.chat import ChatCompletion

from instarecipe_desktop.pipeline.parsing.llm.answer import extract_json_text, read_answer
from instarecipe_desktop.pipeline.parsing.llm.mapping import to_recipe
from instarecipe_desktop.pipeline.parsing.llm.schema import RECIPE_SCHEMA
from tests.fakes.fake_llm import NO_RECIPE_ANSWER, SAMPLE_RECIPE, FakeLLM
from tests.parsing.llm.conftest import load_recorded


def shape(value: Any) -> Any:
    """Keys and value types, recursively (lists by their first element)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def walk_objects(schema: dict[str, Any]) -> list[dict[str, Any]]:
    found = [schema] if schema.get("type") == "object" else []
    for child in schema.get("properties", {}).values():
        found += walk_objects(child)
    if isinstance(schema.get("items"), dict):
        found += walk_objects(schema["items"])
    return found


def test_schema_follows_openai_strict_rules() -> None:
    objects = walk_objects(RECIPE_SCHEMA)
    assert len(objects) == 3  # recipe, step, ingredient
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert sorted(obj["required"]) == sorted(obj["properties"])
    jsonschema.Draft202012Validator.check_schema(RECIPE_SCHEMA)


@pytest.mark.parametrize("answer", [SAMPLE_RECIPE, NO_RECIPE_ANSWER])
def test_fake_answers_are_valid_under_the_schema(answer: dict[str, Any]) -> None:
    jsonschema.validate(answer, RECIPE_SCHEMA)


def test_recorded_openai_completion_is_read_by_the_sdk_and_the_parser() -> None:
    recorded = load_recorded("openai_chat_completion.json")
    completion = ChatCompletion.model_validate(recorded)
    content = completion.choices[0].message.content
    assert content is not None
    jsonschema.validate(json.loads(content), RECIPE_SCHEMA)

    recipe = to_recipe(read_answer(content, completion.choices[0].finish_reason))

    assert recipe.name == "Cremige Kartoffelsuppe"
    assert recipe.language == "de"
    butter = [i.amount for s in recipe.steps for i in s.ingredients if i.food == "Butter"]
    assert butter == [1.0, 1.0]  # "2 EL Butter" split over the two steps, units kept (EL)
    assert {i.unit for s in recipe.steps for i in s.ingredients} >= {"EL", "g", "ml", "l"}


def test_recorded_ollama_completion_with_a_fence_is_read() -> None:
    recorded = load_recorded("ollama_chat_completion.json")
    completion = ChatCompletion.model_validate(recorded)
    content = completion.choices[0].message.content or ""
    assert content.startswith("```json")
    assert extract_json_text(content).startswith("{")
    assert read_answer(content).name == "Cremige Kartoffelsuppe"


def test_fake_server_answers_in_the_recorded_openai_shape() -> None:
    recorded = load_recorded("openai_chat_completion.json")
    with FakeLLM() as fake:
        response = httpx2.post(
            f"{fake.base_url}/chat/completions",
            json={
                "model": "gpt-4o-mini",
                "messages": [{"role": "user", "content": "Pancakes"}],
            },
        )
    assert response.status_code == 200
    answer = response.json()
    assert shape(answer) == shape(recorded)
    assert answer["model"] == recorded["model"]
