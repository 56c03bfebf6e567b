"""How sure the offline parser is: of each ingredient line, and that the caption is a recipe.

The scores are explicit and additive (docs/offline-parser.md has the table):

- an ingredient: 0.95 with a measure unit ("200 g", "2 tbsp"), 0.85 with an amount ("3 eggs"),
  0.7 without one under an ingredient header ("salt to taste"), 0.5 bare (no header, no amount);
- the recipe: 0.35 for an ingredient header (0.25 a weak one such as "You'll need"), 0.35 for a
  method with a cooking verb (0.15 for steps without one), plus 0.3 x the ingredients' mean.

A recipe with a reason in ``uncertain_reasons`` is held by the review step; the reasons are
for the person: a list read from bare lines; no method or no amounts where no heading says
"ingredients"; a score below 0.5.
"""

from __future__ import annotations

from dataclasses import dataclass

from instarecipe_desktop.core.recipe import Ingredient, Recipe
from instarecipe_desktop.pipeline.parsing.offline import vocab
from instarecipe_desktop.pipeline.parsing.offline.lines import has_cooking_word

UNCERTAIN_BELOW = 0.5


@dataclass(frozen=True)
class Evidence:
    """What the layout showed besides the lines themselves."""

    header: str  # "strong", "weak" or "none"
    bare_list: bool = False  # the list was read from bare lines (no header, no amounts)


def ingredient_confidence(ingredient: Ingredient, *, headed: bool) -> float:
    if ingredient.unit in vocab.MEASURE_UNITS:
        return 0.95
    if ingredient.amount is not None:
        return 0.85
    return 0.7 if headed else 0.5


def judge(recipe: Recipe, evidence: Evidence) -> None:
    """Set the recipe's and its ingredients' confidence, and its uncertain reasons."""
    real = [i for i in recipe.ingredients if not i.is_header]
    for ingredient in real:
        ingredient.confidence = ingredient_confidence(ingredient, headed=evidence.header != "none")
    steps = [s.instruction for s in recipe.steps if s.instruction.strip()]
    cooking = any(has_cooking_word(s) for s in steps)
    score = {"strong": 0.35, "weak": 0.25}.get(evidence.header, 0.0)
    score += 0.35 if cooking else (0.15 if steps else 0.0)
    if real:
        score += 0.3 * sum(i.confidence or 0 for i in real) / len(real)
    recipe.confidence = round(min(score, 1.0), 2)
    reasons: list[str] = []
    if evidence.bare_list:
        reasons.append("the ingredients were read from bare lines without a heading or amounts")
    if evidence.header == "none":  # with a heading, a list without method or amounts is firm
        if not steps:
            reasons.append("the post gives no method, only the ingredients")
        if real and all(i.amount is None for i in real):
            reasons.append("none of the ingredients has an amount")
    if recipe.confidence < UNCERTAIN_BELOW and not reasons:
        reasons.append(f"the parser is not sure this is a recipe ({recipe.confidence:.0%} sure)")
    recipe.uncertain_reasons = reasons
