"""What the model must answer: a JSON schema (sent to the server) and a pydantic model (checks it).

The JSON schema is written out by hand because it is also the model's instructions: it follows
OpenAI's strict structured-output rules (every property required, ``additionalProperties: false``,
optional values as ``[type, "null"]``), which Ollama, LM Studio, vLLM and OpenRouter accept too.

The pydantic model is more forgiving than the schema: servers in JSON mode (no schema enforced)
send numbers as strings ("1/2", "30 min"), leave out empty fields or send ``null`` for a list.
Those are coerced; anything else is a validation error that goes back to the model once.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

SCHEMA_NAME = "recipe"


def _nullable(kind: str, description: str) -> dict[str, Any]:
    return {"type": [kind, "null"], "description": description}


INGREDIENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["amount", "unit", "food", "note", "originalText", "isHeader"],
    "properties": {
        "amount": _nullable(
            "number",
            "Quantity as a number (0.5 for 1/2); null when none "
            "(e.g. 'salt to taste'). For a range use the lower bound.",
        ),
        "unit": _nullable(
            "string", "Unit exactly as the text has it (g, cup, EL, tbsp, pinch); null when none."
        ),
        "food": {
            "type": "string",
            "description": "The ingredient itself, e.g. 'flour'. For a "
            "section title row: the title.",
        },
        "note": _nullable(
            "string",
            "Preparation or extra words, e.g. 'finely chopped', 'to taste', '2-3' for a range.",
        ),
        "originalText": {"type": "string", "description": "The ingredient line as written."},
        "isHeader": {
            "type": "boolean",
            "description": "true only for a section title inside the list, e.g. 'For the sauce'.",
        },
    },
}

STEP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "instruction", "sourceLine", "time", "ingredients"],
    "properties": {
        "name": _nullable("string", "Section title of the step, e.g. 'Sauce'; null when none."),
        "instruction": {"type": "string", "description": "What to do in this step."},
        "sourceLine": _nullable(
            "string",
            "The sentence of the post this step comes from, copied exactly as written "
            "(not translated); null when the post has no such sentence.",
        ),
        "time": _nullable("integer", "Minutes this step takes, when the text says so."),
        "ingredients": {
            "type": "array",
            "items": INGREDIENT_SCHEMA,
            "description": "The ingredients this step uses, with the amount used in this step.",
        },
    },
}

RECIPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "hasRecipe",
        "name",
        "description",
        "servings",
        "servingsText",
        "workingTime",
        "waitingTime",
        "keywords",
        "language",
        "steps",
    ],
    "properties": {
        "hasRecipe": {
            "type": "boolean",
            "description": "false when the text holds no recipe; "
            "then leave name empty and steps [].",
        },
        "name": {"type": "string", "description": "Title of the dish."},
        "description": _nullable("string", "One or two sentences about the dish."),
        "servings": _nullable("integer", "Number of servings or portions."),
        "servingsText": _nullable("string", "What a serving is, e.g. 'muffins', 'Personen'."),
        "workingTime": _nullable("integer", "Active preparation time in minutes."),
        "waitingTime": _nullable("integer", "Baking, resting or cooling time in minutes."),
        "keywords": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Up to 5 short keywords: dish type, cuisine, main ingredient.",
        },
        "language": {
            "type": "string",
            "description": "ISO 639-1 code of the language you wrote "
            "the recipe in, e.g. 'en', 'de'.",
        },
        "steps": {"type": "array", "items": STEP_SCHEMA},
    },
}


def response_format_json_schema() -> dict[str, Any]:
    """The ``response_format`` value for structured output."""
    return {
        "type": "json_schema",
        "json_schema": {"name": SCHEMA_NAME, "strict": True, "schema": RECIPE_SCHEMA},
    }


# --- lenient coercion of what JSON-mode models send ---------------------------------------------

_VULGAR = {
    "½": 0.5,
    "⅓": 1 / 3,
    "⅔": 2 / 3,
    "¼": 0.25,
    "¾": 0.75,
    "⅕": 0.2,
    "⅛": 0.125,
    "⅜": 0.375,
    "⅝": 0.625,
    "⅞": 0.875,
    "⅙": 1 / 6,
    "⅚": 5 / 6,
}
_NUMBER = re.compile(r"(\d+)\s+(\d+)\s*/\s*(\d+)|(\d+)\s*/\s*(\d+)|(\d+(?:[.,]\d+)?)")


def parse_amount(value: Any) -> float | None:
    """A number from what a model sends: 2, "2", "1/2", "1 1/2", "1½", "0,5", "2-3" (-> 2)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("amount must be a number or null")
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        raise ValueError("amount must be a number or null")
    text = value.strip()
    if not text:
        return None
    for char, fraction in _VULGAR.items():  # before NFKC, which turns "½" into "1⁄2"
        if char in text:
            head = unicodedata.normalize("NFKC", text.split(char, 1)[0]).strip()
            return (float(head) if head.isdigit() else 0.0) + fraction
    # full-width digits -> ASCII, fraction slash -> "/"
    text = unicodedata.normalize("NFKC", text).replace("\u2044", "/")
    match = _NUMBER.search(text)
    if not match:
        raise ValueError(f"amount {value!r} is not a number")
    if match.group(1):
        return int(match.group(1)) + int(match.group(2)) / int(match.group(3))
    if match.group(4):
        return int(match.group(4)) / int(match.group(5))
    return float(match.group(6).replace(",", "."))


def parse_whole_number(value: Any) -> int | None:
    """An integer from 4, 4.0, "4", "4-6" (-> 4), "30 min" (-> 30); null stays null."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("expected a whole number or null")
    if isinstance(value, int | float):
        return round(value)
    if isinstance(value, str):
        match = re.search(r"\d+", unicodedata.normalize("NFKC", value))
        if match:
            return int(match.group())
    raise ValueError(f"{value!r} is not a whole number")


def _list_or_empty(value: Any) -> Any:
    return [] if value is None else value


def _text_or_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


Amount = Annotated[float | None, BeforeValidator(parse_amount)]
WholeNumber = Annotated[int | None, BeforeValidator(parse_whole_number)]
OptionalText = Annotated[str | None, BeforeValidator(_text_or_none)]


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class LLMIngredient(_Lenient):
    amount: Amount = None
    unit: OptionalText = None
    food: OptionalText = None
    note: OptionalText = None
    originalText: OptionalText = None
    isHeader: bool = False


class LLMStep(_Lenient):
    name: OptionalText = None
    instruction: Annotated[str, BeforeValidator(lambda v: "" if v is None else v)] = ""
    sourceLine: OptionalText = None
    time: WholeNumber = None
    ingredients: Annotated[list[LLMIngredient], BeforeValidator(_list_or_empty)] = Field(
        default_factory=list
    )


class LLMRecipe(_Lenient):
    hasRecipe: bool = True
    name: Annotated[str, BeforeValidator(lambda v: "" if v is None else v)] = ""
    description: OptionalText = None
    servings: WholeNumber = None
    servingsText: OptionalText = None
    workingTime: WholeNumber = None
    waitingTime: WholeNumber = None
    keywords: Annotated[list[str], BeforeValidator(_list_or_empty)] = Field(default_factory=list)
    language: OptionalText = None
    steps: Annotated[list[LLMStep], BeforeValidator(_list_or_empty)] = Field(default_factory=list)

    @model_validator(mode="after")
    def _a_recipe_has_content(self) -> LLMRecipe:
        if not self.hasRecipe:
            return self
        if not self.name.strip():
            raise ValueError("hasRecipe is true but name is empty")
        useful = [s for s in self.steps if s.instruction.strip() or s.ingredients]
        if not useful:
            raise ValueError("hasRecipe is true but steps has no instruction and no ingredient")
        return self
