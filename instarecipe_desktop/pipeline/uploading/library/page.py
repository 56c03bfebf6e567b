"""A readable, self-contained HTML page for a recipe in the local library.

Every text is escaped (captions are untrusted input); the JSON-LD is embedded as well, so the
page itself is importable by recipe managers that read schema.org markup.
"""

from __future__ import annotations

import html
import json
from typing import Any

from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.pipeline.uploading.library.jsonld import format_amount, ingredient_line

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #222; }
img.photo { max-width: 100%; border-radius: 8px; }
.meta { color: #555; }
li.header { list-style: none; font-weight: bold; margin-top: .6rem; }
ol.steps li { margin-bottom: .8rem; white-space: pre-line; }
p.description { white-space: pre-line; }
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _script_json(data: dict[str, Any]) -> str:
    """JSON safe inside <script>: no "<", ">" or "&" that could end or confuse the element."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _minutes(value: int | None) -> str | None:
    if not value:
        return None
    hours, rest = divmod(int(value), 60)
    return " ".join(p for p in (f"{hours} h" if hours else "", f"{rest} min" if rest else "") if p)


def render_page(
    recipe: Recipe,
    jsonld: dict[str, Any],
    *,
    photo: str | None,
    source_url: str | None,
    author: str | None,
) -> str:
    meta = []
    servings = recipe.servings_text or (str(recipe.servings) if recipe.servings else None)
    if servings:
        meta.append(f"Servings: {_e(servings)}")
    for label, value in (
        ("Working time", recipe.working_time),
        ("Waiting time", recipe.waiting_time),
    ):
        text = _minutes(value)
        if text:
            meta.append(f"{label}: {_e(text)}")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(recipe.language or "en")}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(recipe.name)}</title>",
        f"<style>{_STYLE}</style>",
        '<script type="application/ld+json">' + _script_json(jsonld) + "</script>",
        "</head>",
        "<body>",
        f"<h1>{_e(recipe.name)}</h1>",
    ]
    if photo:
        parts.append(f'<img class="photo" src="{_e(photo)}" alt="{_e(recipe.name)}">')
    if meta:
        parts.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if recipe.description:
        parts.append(f'<p class="description">{_e(recipe.description)}</p>')
    if recipe.ingredients:
        parts.append('<h2>Ingredients</h2>\n<ul class="ingredients">')
        for ingredient in recipe.ingredients:
            if ingredient.is_header:
                parts.append(
                    f'<li class="header">{_e(ingredient.food or ingredient.note or "")}</li>'
                )
            else:
                parts.append(f"<li>{_e(ingredient_line(ingredient))}</li>")
        parts.append("</ul>")
    steps = [s for s in recipe.steps if s.instruction and s.instruction.strip()]
    if steps:
        parts.append('<h2>Steps</h2>\n<ol class="steps">')
        for step in steps:
            title = f"<strong>{_e(step.name)}</strong><br>" if step.name else ""
            parts.append(f"<li>{title}{_e(step.instruction.strip())}</li>")
        parts.append("</ol>")
    footer = []
    if source_url:
        footer.append(f'Source: <a href="{_e(source_url)}">{_e(source_url)}</a>')
    if author:
        footer.append(f"by {_e(author)}")
    if jsonld.get("keywords"):
        footer.append("Keywords: " + _e(jsonld["keywords"]))
    if footer:
        parts.append(f'<p class="meta">{" · ".join(footer)}</p>')
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


__all__ = ["format_amount", "render_page"]
