"""The messages sent to the model: instructions, the post's text, and the repair request."""

from __future__ import annotations

import json
from enum import StrEnum

from instarecipe_desktop.pipeline.parsing.llm.schema import RECIPE_SCHEMA


class ResponseMode(StrEnum):
    """How the answer's shape is enforced, best first; a client steps down when refused."""

    JSON_SCHEMA = "json_schema"  # response_format json_schema: the server enforces the schema
    JSON_OBJECT = "json_object"  # JSON mode: valid JSON, shape from the prompt
    PROMPT = "prompt"  # no response_format at all (e.g. LM Studio refuses json_object)


# Names the model understands better than bare codes; any other value is passed through.
LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "sv": "Swedish",
    "da": "Danish",
    "no": "Norwegian",
    "fi": "Finnish",
    "cs": "Czech",
    "tr": "Turkish",
    "ru": "Russian",
    "uk": "Ukrainian",
    "el": "Greek",
    "ja": "Japanese",
    "zh": "Chinese",
    "ko": "Korean",
}

SYSTEM_PROMPT = """\
You turn the text of a social media post into a structured recipe for a recipe manager.

Rules:
- Use only what the text says. Do not invent ingredients, amounts or steps.
- The caption may be followed by sections such as "--- Comment by the author ---" or \
"--- Transcript of the video's speech ---". They belong to the same post: use them to complete \
the recipe (the caption often says "recipe in the comments"). A transcript is automatic and may \
mishear words; prefer the written text where both give the same thing.
- Tie every ingredient to the step that uses it: put it in that step's "ingredients". When an \
ingredient is used in several steps, list it in each of them with the amount used there, \
splitting the amount only where the text says so (e.g. "half of the butter"); otherwise list \
it in the first step that uses it with the full amount. An ingredient that no step mentions \
goes into the first step. When the text has ingredients but no method, make one step that \
says so briefly and holds all ingredients.
- Keep the units and numbers of the text (cups stay cups, EL stays EL); never convert units.
- amount is a number (1/2 -> 0.5, 1 1/2 -> 1.5); for a range use the lower bound and put the \
range in note; null when there is no amount ("salt to taste": amount null, note "to taste").
- A section title inside the ingredient list ("For the sauce:") is a row with isHeader true, \
the title in food, amount and unit null.
- Drop everything that is not the recipe: hashtags, @mentions, promo and discount codes, \
"link in bio", "follow for more", "save this post", story or personal chatter, emojis used \
as decoration.
- servings, workingTime and waitingTime only when the text gives them (times in minutes).
- {language_rule}
- When the text holds no recipe (no ingredients and no cooking method, e.g. only a story, an \
advertisement or a question), answer with hasRecipe false, name "", steps [] and nothing else \
invented."""

KEEP_LANGUAGE = (
    "Write name, description, steps, food names, notes and keywords in the "
    "language of the post; do not translate. Set language to its ISO 639-1 code."
)
TRANSLATE = (
    "Write name, description, steps, food names, notes and keywords in {name}, "
    "translating from the post if needed (keep amounts and units). "
    'Set language to "{code}".'
)

SHAPE_INSTRUCTION = (
    "\n\nAnswer with one JSON object and nothing else, following this JSON "
    "schema exactly:\n{schema}"
)

REPAIR_PROMPT = """\
Your answer could not be used: {problem}
Answer again with only the corrected JSON object, following the schema. Keep hasRecipe false \
if the text holds no recipe."""


def language_rule(language: str | None) -> str:
    code = (language or "").strip()
    if not code:
        return KEEP_LANGUAGE
    return TRANSLATE.format(name=LANGUAGE_NAMES.get(code.lower(), code), code=code)


def system_message(mode: ResponseMode, language: str | None) -> str:
    text = SYSTEM_PROMPT.format(language_rule=language_rule(language))
    if mode is not ResponseMode.JSON_SCHEMA:
        # without server-side enforcement the model only knows the shape from the prompt
        text += SHAPE_INSTRUCTION.format(
            schema=json.dumps(RECIPE_SCHEMA, ensure_ascii=False, separators=(",", ":"))
        )
    return text


# Instagram captions end at 2,200 characters; a pasted text or a long transcript can be far
# longer. Sent whole, 1 MB costs money on hosted models and overflows a local model's context
# (Ollama then silently drops the start, where the recipe usually is): keep the beginning.
MAX_POST_CHARS = 40_000


def post_message(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_POST_CHARS:
        cut = len(text) - MAX_POST_CHARS
        text = text[:MAX_POST_CHARS] + f"\n[... {cut} more characters not shown]"
    return f"Post text:\n<<<\n{text}\n>>>"


def repair_message(problem: str) -> str:
    return REPAIR_PROMPT.format(problem=problem)
