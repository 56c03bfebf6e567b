"""Recipe model -> schema.org ``Recipe`` JSON-LD (what Tandoor and other managers import).

Times follow Tandoor's own importer: ``prepTime`` = working time, ``cookTime`` = waiting time.
"""

from __future__ import annotations

from typing import Any

from instarecipe_desktop.core.recipe import Ingredient, Recipe


def iso_duration(minutes: int | None) -> str | None:
    """75 -> "PT1H15M"; 0 or None -> None."""
    if not minutes or minutes < 0:
        return None
    hours, rest = divmod(int(minutes), 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest else "")


def format_amount(amount: float | None) -> str:
    if amount is None:
        return ""
    if float(amount).is_integer():
        return str(int(amount))
    return f"{amount:.3f}".rstrip("0").rstrip(".")


def ingredient_line(ingredient: Ingredient) -> str:
    """One readable line: the original text when known, else "200 g spaghetti, cooked"."""
    if ingredient.original_text:
        return ingredient.original_text.strip()
    parts = [format_amount(ingredient.amount), ingredient.unit or "", ingredient.food or ""]
    line = " ".join(p for p in parts if p).strip()
    if ingredient.note:
        line = f"{line}, {ingredient.note}" if line else ingredient.note
    return line


def recipe_to_jsonld(
    recipe: Recipe,
    *,
    source_url: str | None,
    image: str | None = None,
    author: str | None = None,
    keywords: list[str] | None = None,
    date_published: str | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Recipe",
        "name": recipe.name or "Recipe",
        "recipeIngredient": [
            ingredient_line(i) for i in recipe.ingredients if not i.is_header and ingredient_line(i)
        ],
        "recipeInstructions": [
            {
                "@type": "HowToStep",
                "text": step.instruction.strip(),
                **({"name": step.name} if step.name else {}),
            }
            for step in recipe.steps
            if step.instruction and step.instruction.strip()
        ],
    }
    optional: dict[str, Any] = {
        "description": recipe.description,
        "recipeYield": recipe.servings_text or (str(recipe.servings) if recipe.servings else None),
        "prepTime": iso_duration(recipe.working_time),
        "cookTime": iso_duration(recipe.waiting_time),
        "totalTime": iso_duration((recipe.working_time or 0) + (recipe.waiting_time or 0)),
        "image": image,
        "url": source_url,
        "author": {"@type": "Person", "name": author} if author else None,
        "keywords": ", ".join(keywords) if keywords else None,
        "inLanguage": recipe.language,
        "datePublished": date_published,
    }
    data.update({k: v for k, v in optional.items() if v})
    return data
