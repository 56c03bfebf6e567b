"""The review step: which parsed recipes wait for the person before they are saved.

``REVIEW_BEFORE_SAVING``: ``uncertain`` (the default) holds a recipe the parser marked uncertain
or whose amounts are not written in their lines of the post; ``always`` holds every recipe;
``never`` holds none. A held item stays ``pending`` with ``awaiting_review`` set and its reason
in words; ``QueueManager.approve`` lets it go on to uploading.
"""

from __future__ import annotations

from typing import Any

from instarecipe_desktop.core.provenance import amount_problems, suspicious_amounts
from instarecipe_desktop.core.recipe import Recipe, SourceSpan

POLICIES = ("uncertain", "always", "never")
MAX_REASONS_SHOWN = 3


def review_reason(recipe: Recipe, text: str, policy: str) -> str | None:
    """Why this recipe waits for the person, or None when it may be saved right away."""
    if policy == "never":
        return None
    if policy == "always":
        return "You review every recipe before it is saved (REVIEW_BEFORE_SAVING=always)."
    reasons: list[str] = []
    for reason in [*recipe.uncertain_reasons, *amount_problems(recipe, text)]:
        if reason not in reasons:
            reasons.append(reason)
    if not reasons:
        return None
    shown = "; ".join(reasons[:MAX_REASONS_SHOWN])
    more = len(reasons) - MAX_REASONS_SHOWN
    if more > 0:
        shown += f"; and {more} more"
    return f"Please check it before it is saved: {shown}."


def source_lines(recipe_json: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """Each step and ingredient with the text it came from, for ``review``: its JSON path in
    the recipe, the line, its span and flags (inferred, amount not in its line)."""
    recipe = Recipe.from_json(recipe_json)
    suspicious = {id(ingredient) for ingredient in suspicious_amounts(recipe, text)}
    lines: list[dict[str, Any]] = []
    for s, step in enumerate(recipe.steps):
        lines.append(_line(f"$.steps[{s}]", "step", step.instruction, step.source, text))
        for i, ingredient in enumerate(step.ingredients):
            entry = _line(
                f"$.steps[{s}].ingredients[{i}]",
                "ingredient",
                ingredient.original_text or ingredient.food or "",
                ingredient.source,
                text,
            )
            entry["amountNotInLine"] = id(ingredient) in suspicious
            lines.append(entry)
    return lines


def _line(path: str, kind: str, shown: str, span: SourceSpan | None, text: str) -> dict[str, Any]:
    return {
        "path": path,
        "kind": kind,
        "text": shown,
        "source": span.to_json() if span is not None else None,
        "sourceText": text[span.start : span.end] if span is not None else None,
        "inferred": span is None,
    }
