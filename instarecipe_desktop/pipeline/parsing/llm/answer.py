"""Reading the model's answer: JSON out of the message text, then validation.

A problem is raised as ``InvalidAnswer`` with a sentence the model can act on (it is sent back
once as the repair request) and that a person can read in the item's details.
"""

from __future__ import annotations

import json
import re

from pydantic import ValidationError

from instarecipe_desktop.pipeline.parsing.llm.schema import LLMRecipe

MAX_LISTED_ERRORS = 8
_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")
_THINKING = re.compile(r"<think>.*?</think>", re.DOTALL)


class InvalidAnswer(ValueError):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def extract_json_text(content: str) -> str:
    """The JSON object in an answer that may carry a code fence, reasoning or a sentence."""
    text = _THINKING.sub("", content).strip()
    text = _FENCE.sub("", text).strip()
    if text.startswith("{"):
        return text
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if 0 <= start < end else text


def describe_validation_error(error: ValidationError) -> str:
    lines = []
    for problem in error.errors()[:MAX_LISTED_ERRORS]:
        where = ".".join(str(part) for part in problem["loc"]) or "the answer"
        lines.append(f"{where}: {problem['msg']}")
    more = error.error_count() - len(lines)
    if more > 0:
        lines.append(f"... and {more} more")
    return "the JSON does not match the schema (" + "; ".join(lines) + ")."


def read_answer(content: str | None, finish_reason: str | None = None) -> LLMRecipe:
    """Validate one answer; raises ``InvalidAnswer``."""
    if finish_reason == "length":
        raise InvalidAnswer(
            "the answer was cut off before the end (too long). Write shorter "
            "instructions and notes so the whole JSON object fits."
        )
    if not content or not content.strip():
        raise InvalidAnswer("the answer was empty.")
    try:
        data = json.loads(extract_json_text(content))
    except json.JSONDecodeError as exc:
        raise InvalidAnswer(
            f"the answer is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})."
        ) from None
    except RecursionError:  # e.g. "[[[[...]]]]" thousands deep
        raise InvalidAnswer("the answer is JSON nested too deeply to be a recipe.") from None
    if not isinstance(data, dict):
        raise InvalidAnswer("the answer is JSON but not an object.")
    try:
        return LLMRecipe.model_validate(data)
    except ValidationError as exc:
        raise InvalidAnswer(describe_validation_error(exc)) from None
