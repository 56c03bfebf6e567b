"""Where each recipe line came from: ``SourceSpan``s into the caption as the person posted it.

The parser reads the normalised text; each ingredient is located there by its line (the whole
line, a list line is what a cook reads), each step by its sentence, in caption order, and the
span is mapped back to the original caption (``NormalisedText.original_span``).
"""

from __future__ import annotations

from instarecipe_desktop.core.provenance import TextLocator
from instarecipe_desktop.core.recipe import Recipe, SourceSpan
from instarecipe_desktop.pipeline.parsing.offline.normalised import NormalisedText

_PREFIX_WORDS = 6  # a quote not found whole (a hashtag cut from it): its first words


def _quotes(*texts: str | None) -> list[str]:
    quotes: list[str] = []
    for text in texts:
        if text and text.strip():
            quotes.append(text)
    for text in texts:
        words = (text or "").split()
        if len(words) > _PREFIX_WORDS:
            quotes.append(" ".join(words[:_PREFIX_WORDS]))
    return quotes


def _find(
    locator: TextLocator, normalised: NormalisedText, quotes: list[str], *, whole_line: bool
) -> SourceSpan | None:
    for quote in quotes:
        span = locator.locate(quote, whole_line=whole_line)
        if span is not None:
            start, end = normalised.original_span(span.start, span.end)
            return SourceSpan(start, end)
    for quote in quotes:  # too short for the locator ("【出汁】": two letters): as written
        found = normalised.text.find(quote.strip())
        if quote.strip() and found >= 0:
            line_start = normalised.text.rfind("\n", 0, found) + 1
            line_end = normalised.text.find("\n", found)
            line_end = len(normalised.text) if line_end < 0 else line_end
            start, end = normalised.original_span(line_start, line_end)
            return SourceSpan(start, end)
    return None


def attach_sources(recipe: Recipe, normalised: NormalisedText) -> None:
    """Give every step with text and every ingredient its span in ``normalised.original``;
    what cannot be found keeps ``None`` (inferred)."""
    ingredient_locator = TextLocator(normalised.text)
    step_locator = TextLocator(normalised.text)
    for step in recipe.steps:
        if step.instruction.strip():
            step.source = _find(
                step_locator, normalised, _quotes(step.instruction), whole_line=False
            )
        for ingredient in step.ingredients:
            ingredient.source = _find(
                ingredient_locator,
                normalised,
                _quotes(ingredient.original_text, ingredient.food),
                whole_line=True,
            )
