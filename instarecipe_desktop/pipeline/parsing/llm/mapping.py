"""The validated answer -> the app's ``core.recipe.Recipe``."""

from __future__ import annotations

from instarecipe_desktop.core.provenance import has_provenance, locate_sources
from instarecipe_desktop.core.recipe import Ingredient, Recipe, Step
from instarecipe_desktop.pipeline.parsing.llm.schema import LLMIngredient, LLMRecipe, LLMStep

MAX_KEYWORDS = 8


def _ingredient(raw: LLMIngredient) -> Ingredient | None:
    food = (raw.food or "").strip()
    if not food:
        return None  # a row without a food cannot be saved (Tandoor requires one)
    if raw.isHeader:
        return Ingredient(food=food, original_text=raw.originalText, is_header=True)
    return Ingredient(
        food=food,
        amount=raw.amount,
        unit=raw.unit,
        note=raw.note,
        original_text=raw.originalText,
    )


NOT_IN_POST = (
    "none of its lines could be found in the post's text (the model may have made them up)"
)


def _step(raw: LLMStep) -> Step | None:
    ingredients = [i for i in (_ingredient(r) for r in raw.ingredients) if i is not None]
    instruction = raw.instruction.strip()
    if not instruction and not ingredients:
        return None
    return Step(
        instruction=instruction,
        ingredients=ingredients,
        name=raw.name,
        time=raw.time if raw.time and raw.time > 0 else None,
    )


def _keywords(raw: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for word in raw:
        clean = word.strip().lstrip("#").strip()
        if clean and clean.casefold() not in seen:
            seen[clean.casefold()] = clean
    return list(seen.values())[:MAX_KEYWORDS]


def _positive(value: int | None) -> int | None:
    return value if value is not None and value > 0 else None


def to_recipe(
    answer: LLMRecipe,
    *,
    source_url: str | None = None,
    image: str | None = None,
    language: str | None = None,
    text: str | None = None,
) -> Recipe:
    """``language`` (the chosen RECIPE_LANGUAGE) wins over what the model reports. With
    ``text`` (the post's extracted text) each step and ingredient gets the span of the line
    it quotes; when no line at all is found the recipe is marked uncertain."""
    kept = [(r, s) for r, s in ((r, _step(r)) for r in answer.steps) if s is not None]
    steps = [s for _, s in kept]
    recipe = Recipe(
        name=answer.name.strip(),
        steps=steps,
        description=answer.description,
        servings=_positive(answer.servings),
        servings_text=answer.servingsText,
        working_time=_positive(answer.workingTime),
        waiting_time=_positive(answer.waitingTime),
        keywords=_keywords(answer.keywords),
        language=(language or answer.language or None),
        source_url=source_url,
        image=image,
    )
    if text is not None:
        locate_sources(recipe, text, [r.sourceLine for r, _ in kept])
        if recipe.steps and not has_provenance(recipe):
            recipe.uncertain_reasons.append(NOT_IN_POST)
    return recipe
