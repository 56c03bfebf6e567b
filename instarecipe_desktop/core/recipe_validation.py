"""Checks a recipe the person edited (``approve --recipe-file``) before it replaces the parsed one.

The first problem is reported with its JSON path (``$.steps[1].ingredients[0].amount``) and
nothing changes; unknown keys are refused too, since they are usually typos ("amout") whose
value would otherwise be dropped without a word.
"""

from __future__ import annotations

import re
from typing import Any

from instarecipe_desktop.core.recipe import Recipe

_RECIPE_KEYS = {
    "name",
    "description",
    "servings",
    "servingsText",
    "workingTime",
    "waitingTime",
    "keywords",
    "language",
    "sourceUrl",
    "image",
    "confidence",
    "uncertainReasons",
    "steps",
}
_STEP_KEYS = {"instruction", "name", "time", "source", "ingredients"}
_INGREDIENT_KEYS = {
    "amount",
    "amountMax",
    "unit",
    "food",
    "note",
    "originalText",
    "isHeader",
    "noAmount",
    "source",
    "confidence",
}


class RecipeInvalid(ValueError):
    """``path``: where the first problem is; ``problem``: what is wrong, in words."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _object(data: Any, path: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise RecipeInvalid(path, "expected an object")
    for key in data:
        if key not in allowed:
            raise RecipeInvalid(f"{path}.{key}", "unknown key (a typo?)")
    return data


def _optional_text(data: dict[str, Any], key: str, path: str) -> None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise RecipeInvalid(f"{path}.{key}", "expected text or null")


def _optional_minutes(data: dict[str, Any], key: str, path: str) -> None:
    value = data.get(key)
    if value is not None and (not _is_int(value) or value < 0):
        raise RecipeInvalid(f"{path}.{key}", "expected a whole number of 0 or more, or null")


def _optional_fraction(data: dict[str, Any], key: str, path: str) -> None:
    value = data.get(key)
    if value is not None and (not _is_number(value) or not 0 <= value <= 1):
        raise RecipeInvalid(f"{path}.{key}", "expected a number from 0 to 1, or null")


def _text_list(data: dict[str, Any], key: str, path: str) -> None:
    value = data.get(key)
    if value is None:
        return
    if not isinstance(value, list):
        raise RecipeInvalid(f"{path}.{key}", "expected a list of texts")
    for index, entry in enumerate(value):
        if not isinstance(entry, str):
            raise RecipeInvalid(f"{path}.{key}[{index}]", "expected text")


def _source(data: dict[str, Any], path: str, text_length: int | None) -> None:
    value = data.get("source")
    if value is None:
        return
    where = f"{path}.source"
    if not isinstance(value, dict) or set(value) != {"start", "end"}:
        raise RecipeInvalid(where, 'expected {"start": N, "end": N} or null')
    start, end = value["start"], value["end"]
    if not _is_int(start) or not _is_int(end) or not 0 <= start <= end:
        raise RecipeInvalid(where, "start and end must be whole numbers with 0 <= start <= end")
    if text_length is not None and end > text_length:
        raise RecipeInvalid(f"{where}.end", f"past the end of the post's text ({text_length})")


def _ingredient(data: Any, path: str, text_length: int | None) -> None:
    data = _object(data, path, _INGREDIENT_KEYS)
    food = data.get("food")
    if not isinstance(food, str) or not food.strip():
        raise RecipeInvalid(f"{path}.food", "expected the food's name (text, not empty)")
    amount = data.get("amount")
    if amount is not None and (not _is_number(amount) or amount < 0):
        raise RecipeInvalid(f"{path}.amount", "expected a number of 0 or more, or null")
    amount_max = data.get("amountMax")
    if amount_max is not None and (
        not _is_number(amount_max) or amount is None or amount_max < amount
    ):
        raise RecipeInvalid(
            f"{path}.amountMax", "expected a number not below amount (a range), or null"
        )
    for key in ("unit", "note", "originalText"):
        _optional_text(data, key, path)
    for key in ("isHeader", "noAmount"):
        if key in data and not isinstance(data[key], bool):
            raise RecipeInvalid(f"{path}.{key}", "expected true or false")
    _optional_fraction(data, "confidence", path)
    _source(data, path, text_length)


def _step(data: Any, path: str, text_length: int | None) -> None:
    data = _object(data, path, _STEP_KEYS)
    if not isinstance(data.get("instruction"), str):
        raise RecipeInvalid(f"{path}.instruction", "expected text")
    _optional_text(data, "name", path)
    _optional_minutes(data, "time", path)
    _source(data, path, text_length)
    ingredients = data.get("ingredients", [])
    if not isinstance(ingredients, list):
        raise RecipeInvalid(f"{path}.ingredients", "expected a list")
    for index, ingredient in enumerate(ingredients):
        _ingredient(ingredient, f"{path}.ingredients[{index}]", text_length)


def validate_recipe(data: Any, text_length: int | None = None) -> Recipe:
    """The recipe in ``data`` (Recipe JSON), or ``RecipeInvalid`` for its first problem.
    ``text_length``: length of the post's text, which source spans must lie within."""
    path = "$"
    data = _object(data, path, _RECIPE_KEYS)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RecipeInvalid("$.name", "expected the recipe's name (text, not empty)")
    for key in ("description", "servingsText", "language", "sourceUrl", "image"):
        _optional_text(data, key, path)
    for key in ("servings", "workingTime", "waitingTime"):
        _optional_minutes(data, key, path)
    _text_list(data, "keywords", path)
    _text_list(data, "uncertainReasons", path)
    _optional_fraction(data, "confidence", path)
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        raise RecipeInvalid("$.steps", "expected a list of at least one step")
    for index, step in enumerate(steps):
        _step(step, f"$.steps[{index}]", text_length)
    return Recipe.from_json(data)


_VULGAR = {
    "½": 1 / 2,
    "⅓": 1 / 3,
    "⅔": 2 / 3,
    "¼": 1 / 4,
    "¾": 3 / 4,
    "⅛": 1 / 8,
    "⅜": 3 / 8,
    "⅝": 5 / 8,
    "⅞": 7 / 8,
}
_ONE_AMOUNT = re.compile(
    rf"^(?:(\d+)\s+(\d+)/(\d+)|(\d+)?\s*([{''.join(_VULGAR)}])|(\d+)/(\d+)|(\d+(?:[.,]\d+)?))$"
)
_RANGE = re.compile(r"^(.+?)\s*(?:-|–|—|to|bis)\s*(.+)$")


def _one_amount(text: str) -> float | None:
    match = _ONE_AMOUNT.match(text.strip())
    if match is None:
        return None
    whole, num, den, lead, vulgar, num2, den2, plain = match.groups()
    if whole is not None:
        return int(whole) + int(num) / int(den) if int(den) else None
    if vulgar is not None:
        return (int(lead) if lead else 0) + _VULGAR[vulgar]
    if num2 is not None:
        return int(num2) / int(den2) if int(den2) else None
    return float(plain.replace(",", "."))


def amount_from_text(text: str) -> tuple[float | None, float | None]:
    """(amount, amount_max) from what the person typed in the editor: "", "2", "0,5",
    "1/2", "1 1/2", "½", "1½", or a range "2-3". ``ValueError`` says what is wrong, in words."""
    text = text.strip()
    if not text:
        return None, None
    single = _one_amount(text)
    if single is not None:
        return single, None
    ranged = _RANGE.match(text)
    if ranged is not None:
        low, high = _one_amount(ranged.group(1)), _one_amount(ranged.group(2))
        if low is not None and high is not None:
            if high < low:
                raise ValueError(f"the range “{text}” ends below its start")
            return low, high
    raise ValueError(f"“{text}” is not an amount (write 2, 0.5, 1/2, 1 1/2 or a range 2-3)")
