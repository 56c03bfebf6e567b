"""The whole LLM path (SDK, HTTP, fallback, validation, mapping, errors) against the fake server."""

from __future__ import annotations

import json

import pytest

from instarecipe_desktop.core.errors import PermanentError, RecoverableError
from instarecipe_desktop.core.phases import Extraction
from instarecipe_desktop.pipeline.parsing.llm import NO_RECIPE_MESSAGE, ResponseMode
from instarecipe_desktop.pipeline.parsing.llm.schema import RECIPE_SCHEMA
from tests.fakes.fake_llm import SAMPLE_RECIPE, FakeLLM
from tests.parsing.llm.conftest import CAPTION, POST_URL, MakeParser, RecordingContext


def extraction(text: str = CAPTION) -> Extraction:
    return Extraction(text=text, post={"url": POST_URL}, thumbnail="media/C0ffee12345.jpg")


def formats(fake: FakeLLM) -> list[str | None]:
    return [(r["json"].get("response_format") or {}).get("type") for r in fake.chat_requests]


# --- a good answer -------------------------------------------------------------------------------


async def test_answer_becomes_a_recipe_with_ingredients_tied_to_steps(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    outcome = await make_parser().parse(ctx, extraction())

    recipe = outcome.recipe
    assert recipe.name == "Fluffy Pancakes"
    assert (recipe.servings, recipe.working_time, recipe.waiting_time) == (4, 20, 5)
    assert recipe.source_url == POST_URL
    assert recipe.image == "media/C0ffee12345.jpg"
    assert recipe.language == "en"
    assert [len(s.ingredients) for s in recipe.steps] == [1, 5, 2]
    butter = [(i.amount, i.unit) for s in recipe.steps for i in s.ingredients if i.food == "butter"]
    assert butter == [(30.0, "g"), (30.0, "g")]  # split across the two steps that use it
    header = recipe.steps[1].ingredients[0]
    assert header.is_header and header.food == "Batter" and header.amount is None
    salt = recipe.steps[2].ingredients[1]
    assert salt.amount is None and salt.note == "to taste" and salt.no_amount
    assert recipe.steps[1].ingredients[1].amount == 1.5


async def test_one_call_with_strict_json_schema_and_the_caption(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    await make_parser().parse(ctx, extraction())

    [request] = fake_llm.chat_requests
    body = request["json"]
    assert body["model"] == "gpt-4o-mini"
    assert body["temperature"] == 0
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert body["response_format"]["json_schema"]["schema"] == RECIPE_SCHEMA
    system, user = body["messages"]
    assert system["role"] == "system" and user["role"] == "user"
    assert "PANCAKE10" in user["content"]  # the caption is sent as it is; the model drops promo
    for rule in (
        "hashtags",
        "promo",
        "link in bio",
        "never convert units",
        "Tie every ingredient to the step",
        "hasRecipe false",
        "do not translate",
    ):
        assert rule in system["content"]
    assert request["headers"]["authorization"] == "Bearer sk-test-key"
    assert request["headers"].get("x-stainless-retry-count") == "0"


async def test_token_usage_is_returned_and_logged(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    outcome = await make_parser().parse(ctx, extraction())

    assert outcome.usage is not None
    assert set(outcome.usage) == {"model", "promptTokens", "completionTokens", "totalTokens"}
    assert outcome.usage["model"] == "gpt-4o-mini-2024-07-18"  # as the server reports it
    assert outcome.usage["promptTokens"] > 0 and outcome.usage["completionTokens"] > 0
    assert outcome.usage["totalTokens"] == (
        outcome.usage["promptTokens"] + outcome.usage["completionTokens"]
    )
    assert any(str(outcome.usage["totalTokens"]) in line for _, line in ctx.lines)
    assert [p for p, _ in ctx.progress_calls] == sorted(p for p, _ in ctx.progress_calls)


async def test_server_without_usage_gives_none_counts(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.configure(usage=False)
    outcome = await make_parser().parse(ctx, extraction())
    assert outcome.usage == {
        "model": "gpt-4o-mini-2024-07-18",
        "promptTokens": None,
        "completionTokens": None,
        "totalTokens": None,
    }


async def test_chosen_language_is_asked_for_and_set(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    outcome = await make_parser(language="de").parse(ctx, extraction())
    system = fake_llm.chat_requests[0]["json"]["messages"][0]["content"]
    assert "in German" in system and "do not translate" not in system
    assert outcome.recipe.language == "de"


# --- response formats: json_schema -> json_object -> prompt only --------------------------------


async def test_json_schema_refused_falls_back_to_json_mode_and_remembers(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.configure(json_schema=False)
    parser = make_parser()

    first = await parser.parse(ctx, extraction())
    assert formats(fake_llm) == ["json_schema", "json_object"]
    assert parser.response_mode is ResponseMode.JSON_OBJECT
    # without server-side enforcement the shape travels in the prompt
    system = fake_llm.chat_requests[1]["json"]["messages"][0]["content"]
    assert '"hasRecipe"' in system
    assert first.recipe.name == SAMPLE_RECIPE["name"]

    await parser.parse(ctx, extraction())
    assert formats(fake_llm) == ["json_schema", "json_object", "json_object"]


async def test_json_mode_refused_too_uses_the_prompt_only(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.configure(json_schema=False, json_object=False)  # LM Studio >= 0.4.15 refuses both
    parser = make_parser()

    outcome = await parser.parse(ctx, extraction())

    assert formats(fake_llm) == ["json_schema", "json_object", None]
    assert parser.response_mode is ResponseMode.PROMPT
    assert outcome.recipe.name == SAMPLE_RECIPE["name"]


async def test_a_fenced_answer_in_prompt_mode_is_read(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.configure(json_schema=False, json_object=False)
    fake_llm.script(
        {"answer": "<think>a recipe</think>\n```json\n" + json.dumps(SAMPLE_RECIPE) + "\n```"}
    )
    outcome = await make_parser().parse(ctx, extraction())
    assert outcome.recipe.name == SAMPLE_RECIPE["name"]


# --- unusable answers: one repair, then a permanent error ---------------------------------------


async def test_invalid_json_is_repaired_once(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.script({"fault": "invalid_json"})

    outcome = await make_parser().parse(ctx, extraction())

    assert outcome.recipe.name == SAMPLE_RECIPE["name"]
    _first, repair = fake_llm.chat_requests
    messages = repair["json"]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[2]["content"].startswith("Here is the recipe")  # its own answer, sent back
    assert "not valid JSON" in messages[3]["content"]
    assert any(level == "warning" for level, _ in ctx.lines)
    # both calls count
    assert outcome.usage is not None
    assert outcome.usage["promptTokens"] > 2 * len(CAPTION) // 4


async def test_json_not_matching_the_schema_sends_the_validation_errors_back(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.script({"fault": "wrong_schema"})

    outcome = await make_parser().parse(ctx, extraction())

    repair_request = fake_llm.chat_requests[1]["json"]["messages"][-1]["content"]
    assert "does not match the schema" in repair_request
    assert "steps" in repair_request
    assert outcome.recipe.steps


async def test_truncated_answer_asks_for_a_shorter_one(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.script({"fault": "truncated"})
    await make_parser().parse(ctx, extraction())
    assert "cut off" in fake_llm.chat_requests[1]["json"]["messages"][-1]["content"]


async def test_second_unusable_answer_is_permanent_with_the_raw_answers_kept(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.script({"fault": "invalid_json"}, {"fault": "wrong_schema"})

    with pytest.raises(PermanentError) as raised:
        await make_parser().parse(ctx, extraction())

    error = raised.value
    assert error.code == "llm_invalid_output"
    assert error.details is not None
    assert "Here is the recipe you asked for" in error.details  # the first raw answer
    assert '"title": "Pancakes"' in error.details  # the corrected raw answer
    assert len(fake_llm.chat_requests) == 2  # exactly one repair attempt
    assert fake_llm.pending_script == 0


async def test_no_recipe_answer_is_a_permanent_no_recipe_error(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.script({"fault": "no_recipe"})

    with pytest.raises(PermanentError) as raised:
        await make_parser().parse(ctx, extraction("Had the best day at the beach ☀️ #summer"))

    assert raised.value.code == "no_recipe"
    assert raised.value.message == NO_RECIPE_MESSAGE
    assert len(fake_llm.chat_requests) == 1  # no repair for an explicit "no recipe"


async def test_empty_text_needs_no_call(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    with pytest.raises(PermanentError) as raised:
        await make_parser().parse(ctx, extraction("   \n"))
    assert raised.value.code == "no_recipe"
    assert fake_llm.requests == []


async def test_refusal_is_permanent(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.script({"fault": "refusal"})
    with pytest.raises(PermanentError) as raised:
        await make_parser().parse(ctx, extraction())
    assert raised.value.code == "llm_refused"


# --- transport and server errors ----------------------------------------------------------------


async def test_rate_limit_is_recoverable_with_retry_after(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.script({"fault": "rate_limit", "retry_after": 7})

    with pytest.raises(RecoverableError) as raised:
        await make_parser().parse(ctx, extraction())

    assert raised.value.code == "llm_rate_limited"
    assert raised.value.retry_after == 7.0
    assert len(fake_llm.chat_requests) == 1  # the SDK did not retry by itself


async def test_sdk_retries_do_not_multiply_the_queue_retries(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    """Three queue attempts against a server that keeps failing make three requests, not 9."""
    fake_llm.script(
        {"fault": "rate_limit", "retry_after": 1, "times": 2},
        {"fault": "server_error", "status": 503},
    )
    parser = make_parser()
    for _ in range(3):  # what the queue does with QUEUE_RETRY_ATTEMPTS
        with pytest.raises(RecoverableError):
            await parser.parse(ctx, extraction())
    assert len(fake_llm.chat_requests) == 3
    assert {r["headers"].get("x-stainless-retry-count") for r in fake_llm.chat_requests} == {"0"}


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_recoverable(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext, status: int
) -> None:
    fake_llm.script({"fault": "server_error", "status": status})
    with pytest.raises(RecoverableError) as raised:
        await make_parser().parse(ctx, extraction())
    assert raised.value.code == "llm_server_error"
    assert f"HTTP {status}" in raised.value.message


async def test_timeout_is_recoverable(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.script({"fault": "slow", "delay": 30})  # released when the fixture closes
    with pytest.raises(RecoverableError) as raised:
        await make_parser(timeout_s=0.3).parse(ctx, extraction())
    assert raised.value.code == "llm_timeout"
    assert len(fake_llm.chat_requests) == 1


async def test_connection_reset_is_recoverable(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.script({"fault": "reset"})
    with pytest.raises(RecoverableError) as raised:
        await make_parser().parse(ctx, extraction())
    assert raised.value.code == "llm_unreachable"


async def test_server_not_running_is_recoverable(
    make_parser: MakeParser, ctx: RecordingContext, unused_tcp_port: int
) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}/v1"
    with pytest.raises(RecoverableError) as raised:
        await make_parser(base_url=url).parse(ctx, extraction())
    assert url in raised.value.message


async def test_rejected_key_is_permanent_with_a_settings_hint(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.configure(api_key="sk-the-right-one")
    with pytest.raises(PermanentError) as raised:
        await make_parser(api_key="sk-test-key").parse(ctx, extraction())
    assert raised.value.message == "The LLM server rejected the API key."
    assert raised.value.suggestion is not None and "Settings" in raised.value.suggestion
    assert raised.value.code == "llm_auth"


async def test_missing_key_says_a_key_is_needed(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.script({"fault": "unauthorized"})
    with pytest.raises(PermanentError) as raised:
        await make_parser(api_key=None).parse(ctx, extraction())
    assert raised.value.message == "The LLM server needs an API key."
    # the placeholder went out instead of nothing (local servers ignore it)
    assert fake_llm.chat_requests[0]["headers"]["authorization"] == "Bearer not-needed"


async def test_unknown_model_is_permanent_with_a_hint(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    with pytest.raises(PermanentError) as raised:
        await make_parser(model="gpt-9-imaginary").parse(ctx, extraction())
    assert raised.value.code == "llm_not_found"
    assert "gpt-9-imaginary" in raised.value.message
    assert raised.value.suggestion is not None and "/v1" in raised.value.suggestion


async def test_other_bad_request_is_permanent_and_never_shows_the_key(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.script(
        {"fault": "bad_request", "message": "Context too long for key sk-test-key (8192 tokens)."}
    )
    with pytest.raises(PermanentError) as raised:
        await make_parser().parse(ctx, extraction())
    error = raised.value
    assert error.code == "llm_bad_request"
    assert "Context too long" in error.message
    assert "sk-test-key" not in f"{error} {error.details}"
    assert len(fake_llm.chat_requests) == 1  # not mistaken for a response_format refusal


# --- choosing the model -------------------------------------------------------------------------


async def test_without_a_model_the_servers_only_model_is_used(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.configure(models=["llama3.1:8b"])
    await make_parser(model="").parse(ctx, extraction())
    assert fake_llm.chat_requests[0]["json"]["model"] == "llama3.1:8b"


async def test_without_a_model_and_several_on_offer_the_error_lists_them(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.configure(models=["llama3.1:8b", "qwen2.5:7b"])
    with pytest.raises(PermanentError) as raised:
        await make_parser(model="").parse(ctx, extraction())
    assert raised.value.code == "llm_no_model"
    assert "qwen2.5:7b" in str(raised.value)
    assert fake_llm.chat_requests == []


async def test_a_failed_call_logs_no_token_line(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.script({"fault": "server_error"})
    with pytest.raises(RecoverableError):
        await make_parser().parse(ctx, extraction())
    assert not any("token" in line for _, line in ctx.lines)
