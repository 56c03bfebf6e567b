"""Every malformed LLM answer ends in a clear item error, never a crash: through the real queue
engine, the real LLM parser and a loopback server (the fake LLM, or raw bodies)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.fake_llm import SAMPLE_RECIPE, FakeLLM
from tests.reliability.conftest import assert_clear_failure, process_texts
from tests.reliability.hostile_server import Answer, HostileServer, Request

CAPTION = "Pancakes: 200 g flour, 2 eggs, 300 ml milk. Whisk and fry."


def recipe(**changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(SAMPLE_RECIPE))
    data.update(changes)
    return data


# content of the assistant message (given twice: the first answer and the repair answer)
CONTENT_SHAPES: dict[str, Any] = {
    "empty string": "",
    "whitespace": "   \n ",
    "prose": "I love pancakes! Here is how: mix and fry.",
    "json array": json.dumps([SAMPLE_RECIPE]),
    "json null": "null",
    "json number": "42",
    "json string": json.dumps("a recipe"),
    "empty object": "{}",
    "steps not a list": json.dumps(recipe(steps="Mix and fry.")),
    "ingredients not a list": json.dumps(
        recipe(steps=[{"instruction": "Mix", "ingredients": "flour"}])
    ),
    "amount is words": json.dumps(
        recipe(
            steps=[
                {
                    "instruction": "Mix",
                    "ingredients": [{"amount": "two handfuls", "unit": None, "food": "flour"}],
                }
            ]
        )
    ),
    "servings negative huge": json.dumps(recipe(servings=-(10**30))),
    "name is an object": json.dumps(recipe(name={"en": "Pancakes"})),
    "deep nesting": "[" * 5000 + "]" * 5000,
    "huge garbage": "x" * 2_000_000,
    "nul and control characters": json.dumps(recipe(name="Pan\u0000cakes\u001b[31m")),
    "markdown fenced, cut": "```json\n" + json.dumps(SAMPLE_RECIPE)[:300],
}
FAULTS = ["invalid_json", "wrong_schema", "truncated", "refusal", "no_recipe"]


def llm_env(base_url: str) -> dict[str, str]:
    return {"LLM_API_BASE_URL": base_url, "LLM_MODEL": "gpt-4o-mini"}


@pytest.mark.parametrize("shape", list(CONTENT_SHAPES))
async def test_malformed_content_is_a_clear_item_error(data_dir: Path, shape: str) -> None:
    content = CONTENT_SHAPES[shape]
    with FakeLLM() as llm:
        llm.script({"answer": content, "times": 4})
        items = await process_texts(data_dir, llm_env(llm.base_url), {"LLMBAD01": CAPTION})
    item = items[0]
    if item.status.value == "success":  # a lenient reading is fine, if it is a recipe
        assert item.results.recipe and item.results.recipe.get("steps")
        return
    assert_clear_failure(item)


@pytest.mark.parametrize("fault", FAULTS)
async def test_fake_llm_faults_are_clear_item_errors(data_dir: Path, fault: str) -> None:
    with FakeLLM() as llm:
        llm.script({"fault": fault, "times": 4})
        items = await process_texts(data_dir, llm_env(llm.base_url), {"LLMBAD02": CAPTION})
    assert_clear_failure(items[0])


RAW_BODIES: dict[str, Answer] = {
    "html page": Answer(200, "<html><body>Welcome to nginx!</body></html>"),
    "empty body": Answer(200, b"", {"Content-Type": "application/json"}),
    "not json": Answer(
        200, b'{"id": "chatcmpl-1", "choices": [', {"Content-Type": "application/json"}
    ),
    "no choices": Answer(
        200,
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1,
            "model": "gpt-4o-mini",
            "choices": [],
        },
    ),
    "choices null": Answer(
        200,
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1,
            "model": "gpt-4o-mini",
            "choices": None,
        },
    ),
    "message missing": Answer(
        200,
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1,
            "model": "gpt-4o-mini",
            "choices": [{"index": 0, "finish_reason": "stop"}],
        },
    ),
    "content is a list": Answer(
        200,
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1,
            "model": "gpt-4o-mini",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": [{"type": "text", "text": "{}"}]},
                }
            ],
        },
    ),
    "json list": Answer(200, [1, 2, 3]),
    "error body with 200": Answer(200, {"error": {"message": "model overloaded"}}),
    "418 teapot": Answer(418, "I'm a teapot"),
}


@pytest.mark.parametrize("shape", list(RAW_BODIES))
async def test_raw_server_answers_are_clear_item_errors(data_dir: Path, shape: str) -> None:
    def answer(request: Request) -> Answer:
        if request.path.endswith("/models"):
            return Answer(
                200, {"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model"}]}
            )
        return RAW_BODIES[shape]

    with HostileServer(answer) as server:
        items = await process_texts(data_dir, llm_env(server.url() + "/v1"), {"LLMBAD03": CAPTION})
    assert_clear_failure(items[0])
