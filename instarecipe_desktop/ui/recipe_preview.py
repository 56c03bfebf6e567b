"""The recipe as an HTML page for the details pane (every value escaped: captions are data)."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication

from instarecipe_desktop.core.amounts import shown_amount
from instarecipe_desktop.core.recipe import Ingredient, Recipe


def _t(text: str) -> str:
    return QCoreApplication.translate("recipe", text)


def ingredient_line(ingredient: Ingredient) -> str:
    if ingredient.is_header:
        return f"<b>{escape(ingredient.food or '')}</b>"
    parts = [
        shown_amount(ingredient.amount, ingredient.amount_max),
        ingredient.unit or "",
        ingredient.food or "",
    ]
    text = escape(" ".join(p for p in parts if p))
    if ingredient.note:
        text += f" <i>({escape(ingredient.note)})</i>"
    return text


def recipe_html(data: dict[str, Any]) -> str:
    recipe = Recipe.from_json(data)
    out = [f"<h2>{escape(recipe.name)}</h2>"]
    facts = []
    if recipe.servings or recipe.servings_text:
        servings = str(recipe.servings or "")
        text = recipe.servings_text or ""
        # "2" and "Serves 2" say the same: show the words alone when they hold the number
        shown = text if servings and servings in text else f"{servings} {text}".strip()
        facts.append(_t("Servings: %1").replace("%1", escape(shown)))
    if recipe.working_time:
        facts.append(_t("Work: %1 min").replace("%1", str(recipe.working_time)))
    if recipe.waiting_time:
        facts.append(_t("Waiting: %1 min").replace("%1", str(recipe.waiting_time)))
    if facts:
        out.append("<p>" + " · ".join(facts) + "</p>")
    if recipe.description:
        out.append(f"<p>{escape(recipe.description)}</p>")
    for number, step in enumerate(recipe.steps, start=1):
        title = escape(step.name) if step.name else _t("Step %1").replace("%1", str(number))
        time = f" ({step.time} min)" if step.time else ""
        out.append(f"<h3>{title}{escape(time)}</h3>")
        if step.ingredients:
            out.append(
                "<ul>"
                + "".join(f"<li>{ingredient_line(i)}</li>" for i in step.ingredients)
                + "</ul>"
            )
        out.append(f"<p>{escape(step.instruction)}</p>")
    if recipe.keywords:
        out.append("<p><i>" + escape(", ".join(recipe.keywords)) + "</i></p>")
    return "\n".join(out)
