"""Recipe model -> Tandoor ``POST /api/recipe/`` payload, with every field limit enforced.

Tandoor rejects the whole recipe when one field is too long (a 600-character caption in
``description``, a long ingredient note), so everything is fitted here, before sending:
text is cut at a word boundary with an ellipsis, and a description that does not fit goes
in full into the first step, whose instruction has no limit. The same payload is accepted
by Tandoor 2.x and 1.5.x (see shared/tandoor-api/v1.5/README.md, "Portable client notes").
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from instarecipe_desktop.core.recipe import Ingredient, Recipe, Step

# limits recorded from Tandoor 2.6.12 and 1.5.35 (ex. 37 / 41)
NAME_MAX = 128
DESCRIPTION_MAX = 512
SERVINGS_TEXT_MAX = 32
KEYWORD_MAX = 64
STEP_NAME_MAX = 128
FOOD_NAME_MAX = 128
UNIT_NAME_MAX = 128
NOTE_MAX = 256
ORIGINAL_TEXT_MAX = 512
SOURCE_URL_MAX = 1024
ELLIPSIS = "…"


@dataclass
class RecipePayload:
    """The JSON body to send, plus what had to be shortened (for the item's log)."""

    body: dict[str, Any]
    adjustments: list[str] = field(default_factory=list)


def fit(text: str | None, limit: int) -> str | None:
    """``text`` stripped and, when longer than ``limit``, cut at a word boundary with "…"."""
    if text is None:
        return None
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + ELLIPSIS


def _minutes(value: Any) -> int | None:
    """Whole minutes >= 0, or None; Tandoor refuses floats and strings like "15 min"."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number < 0:
        return None
    return round(number)


def _servings(value: Any) -> int | None:
    minutes = _minutes(value)  # same rules: a whole, non-negative number
    return minutes if minutes else None


def _amount(value: float | None) -> float | int | None:
    if value is None or not math.isfinite(value) or value < 0:
        return None
    return int(value) if float(value).is_integer() else round(value, 3)


def clean_keywords(names: Iterable[str]) -> list[str]:
    """Stripped, without a leading '#', at most 64 characters, no case-insensitive duplicates."""
    seen: set[str] = set()
    result: list[str] = []
    for raw in names:
        if not isinstance(raw, str):
            continue
        name = fit(raw.strip().lstrip("#").strip(), KEYWORD_MAX)
        if not name or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        result.append(name)
    return result


class _Builder:
    def __init__(self) -> None:
        self.adjustments: list[str] = []

    def fitted(self, what: str, text: str | None, limit: int) -> str | None:
        result = fit(text, limit)
        if text is not None and result != text.strip() and len(text.strip()) > limit:
            self.adjustments.append(f"{what} shortened to {limit} characters")
        return result

    def ingredient(self, ingredient: Ingredient, order: int, where: str) -> dict[str, Any]:
        if ingredient.is_header:
            title = ingredient.food or ingredient.note or ingredient.original_text or ""
            return {
                "food": None,
                "unit": None,
                "amount": 0,
                "note": self.fitted(f"{where} header", title, NOTE_MAX) or "",
                "is_header": True,
                "order": order,
            }
        food = self.fitted(f"{where} food", ingredient.food, FOOD_NAME_MAX)
        unit = self.fitted(f"{where} unit", ingredient.unit, UNIT_NAME_MAX)
        amount = _amount(ingredient.amount)
        note = ingredient.note
        if not food and not (note or "").strip():
            note = ingredient.original_text  # a row without food still shows what it was
        data: dict[str, Any] = {
            "food": {"name": food} if food else None,
            "unit": {"name": unit} if unit else None,
            "amount": 0 if amount is None else amount,
            "note": self.fitted(f"{where} note", note, NOTE_MAX) or "",
            "order": order,
            "is_header": False,
            "no_amount": amount is None,
        }
        original = self.fitted(
            f"{where} original text", ingredient.original_text, ORIGINAL_TEXT_MAX
        )
        if original:
            data["original_text"] = original
        return data

    def step(self, step: Step, order: int, prefix: str | None = None) -> dict[str, Any]:
        instruction = (step.instruction or "").strip()
        if prefix:
            instruction = f"{prefix}\n\n{instruction}" if instruction else prefix
        where = f"step {order + 1}"
        data: dict[str, Any] = {
            "instruction": instruction,
            "order": order,
            "ingredients": [
                self.ingredient(ingredient, index, f"{where}, ingredient {index + 1}")
                for index, ingredient in enumerate(step.ingredients)
            ],
        }
        name = self.fitted(f"{where} name", step.name, STEP_NAME_MAX)
        if name:
            data["name"] = name
        time = _minutes(step.time)
        if time is not None:
            data["time"] = time
        return data


def build_recipe_payload(
    recipe: Recipe,
    *,
    source_url: str | None,
    extra_keywords: Iterable[str] = (),
    internal: bool = True,
) -> RecipePayload:
    """The create payload for ``recipe``; ``extra_keywords`` are e.g. hashtags and the author."""
    builder = _Builder()
    name = builder.fitted("name", recipe.name, NAME_MAX) or "Recipe from Instagram"
    description = (recipe.description or "").strip() or None
    overflow: str | None = None
    if description and len(description) > DESCRIPTION_MAX:
        overflow = description  # kept in full in the first step
        description = fit(description, DESCRIPTION_MAX)
        builder.adjustments.append(
            f"description longer than {DESCRIPTION_MAX} characters: shortened, and kept in full "
            "in the first step"
        )
    steps = list(recipe.steps)
    if overflow and not steps:
        steps = [Step(instruction="")]
    body: dict[str, Any] = {
        "name": name,
        "description": description,
        "internal": internal,
        "keywords": [{"name": k} for k in clean_keywords([*recipe.keywords, *extra_keywords])],
        "steps": [
            builder.step(step, index, overflow if index == 0 else None)
            for index, step in enumerate(steps)
        ],
    }
    servings = _servings(recipe.servings)
    if servings is not None:
        body["servings"] = servings
    servings_text = builder.fitted("servings text", recipe.servings_text, SERVINGS_TEXT_MAX)
    if servings_text:
        body["servings_text"] = servings_text
    for key, value in (
        ("working_time", recipe.working_time),
        ("waiting_time", recipe.waiting_time),
    ):
        minutes = _minutes(value)
        if minutes is not None:
            body[key] = minutes
    if source_url:
        body["source_url"] = source_url[:SOURCE_URL_MAX]
    return RecipePayload(body=body, adjustments=builder.adjustments)
