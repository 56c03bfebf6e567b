"""``parse_caption``: the offline parser's entry point, from caption text to a Recipe."""

from __future__ import annotations

import re

from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.core.recipe import Ingredient, Recipe, Step
from instarecipe_desktop.pipeline.parsing.offline import meta, vocab
from instarecipe_desktop.pipeline.parsing.offline import text as tx
from instarecipe_desktop.pipeline.parsing.offline.bare_list import bare_list
from instarecipe_desktop.pipeline.parsing.offline.confidence import Evidence, judge
from instarecipe_desktop.pipeline.parsing.offline.lines import clean, has_cooking_word
from instarecipe_desktop.pipeline.parsing.offline.normalised import normalise
from instarecipe_desktop.pipeline.parsing.offline.quantity import NUMBER, leading_quantity
from instarecipe_desktop.pipeline.parsing.offline.sources import attach_sources
from instarecipe_desktop.pipeline.parsing.offline.structure import Layout, read_layout

NO_RECIPE_MESSAGE = "No recipe found in this post."
NO_RECIPE_SUGGESTION = (
    "If the recipe is in the video or in a comment, paste its text into the "
    "item and retry, or configure an LLM in the settings."
)


def no_recipe() -> PermanentError:
    return PermanentError(NO_RECIPE_MESSAGE, code="no_recipe", suggestion=NO_RECIPE_SUGGESTION)


def parse_caption(text: str, *, source_url: str | None = None) -> Recipe:
    """A recipe from a post's text; ``PermanentError(code="no_recipe")`` when it holds none."""
    if not isinstance(text, str) or not text.strip():
        raise no_recipe()
    original = text
    normalised = normalise(original)
    text = normalised.text
    layout = read_layout(text, normalised=True)
    blocks = _without_translations(layout.blocks)
    ingredients = [i for block in blocks for i in block]
    steps = [s for s in (tx.collapse(s) for s in layout.steps) if s]
    header = "strong" if layout.strong_header else "weak" if any(layout.headed_blocks) else "none"
    intro = layout.intro
    bare = False
    if not _is_list_recipe(layout, ingredients, steps):
        header = "none"
        try:
            ingredients, steps = _inline_recipe(layout, steps)
        except PermanentError:
            found = bare_list(text.split("\n"))
            if found is None:
                raise
            ingredients, start = found  # weak evidence: a best-effort recipe, uncertain
            steps, bare = [], True
            intro = [line.strip() for line in text.split("\n")[:start] if line.strip()]
    steps = split_prose(steps)
    name = meta.pick_title(intro, text) or "Untitled recipe"
    context = layout.header_qualifiers + layout.intro + layout.trailing
    head = [line for line in text.splitlines()[:8] if line.strip()][:4]
    servings, servings_text = meta.find_servings(context, head)
    working, waiting = meta.find_times(layout.intro + layout.trailing, steps)
    recipe = Recipe(
        name=name,
        steps=assign_to_steps(ingredients, steps),
        description=_description(intro, name),
        servings=servings,
        servings_text=servings_text,
        working_time=working,
        waiting_time=waiting,
        keywords=[],
        language=meta.detect_language(text),
        source_url=source_url,
    )
    attach_sources(recipe, normalised)
    judge(recipe, Evidence(header=header, bare_list=bare))
    return recipe


_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+(?=[\"“¡¿]?[A-ZÄÖÜÁÉÍÓÚÀÈÌÒÙ])|(?<=[。！？])")


def split_prose(steps: list[str]) -> list[str]:
    """A method written as one long paragraph becomes one step per sentence."""
    if len(steps) != 1 or len(steps[0]) < 200:
        return steps
    sentences = [s.strip() for s in _SENTENCE_END.split(steps[0]) if s.strip()]
    return sentences if len(sentences) >= 3 else steps


def _inline_recipe(layout: Layout, steps: list[str]) -> tuple[list[Ingredient], list[str]]:
    """No ingredient list: amounts named inside the method ("➡️300g Quark, 2 Eier vermengen")
    or, last, inside the prose ("All you need is 2 eggs, 100 g flour and 200 ml milk. Mix...")."""
    for candidates in (layout.loose_lines or steps, layout.intro):
        lines = [clean(s) for s in candidates if clean(s)]
        if candidates is layout.intro:
            lines = [s for s in lines if has_cooking_word(s)]
        inline = inline_ingredients(lines)
        if sum(1 for i in inline if i.unit in vocab.MEASURE_UNITS) >= 3:
            return inline, lines
    return _needed_in_prose(layout, steps)


_NEED = re.compile(
    r"\b(?:all\s+you\s+need\s+(?:is|are)|you\s+(?:only\s+|just\s+)?need|you(?:'|’)ll\s+need|"
    r"du\s+brauchst(?:\s+nur)?|ihr\s+braucht(?:\s+nur)?|(?:solo\s+)?necesitas|"
    r"(?:ti\s+)?servono(?:\s+solo)?|il\s+(?:vous|te)\s+faut|você\s+(?:só\s+)?precisa\s+de)\b",
    re.IGNORECASE,
)


def _needed_in_prose(layout: Layout, steps: list[str]) -> tuple[list[Ingredient], list[str]]:
    """ "You only need 3 ripe bananas, 2 eggs and 1 1/2 cups of oat flour" then a method:
    the amounts after a "you need" phrase are the list (>= 3, one measured), when a paragraph
    with a cooking verb follows."""
    texts = [clean(s) for s in layout.intro + steps + layout.trailing]
    for index, line in enumerate(texts):
        need = _NEED.search(line)
        if need is None:
            continue
        method = [s for s in texts[index + 1 :] if s and has_cooking_word(s)]
        found = inline_ingredients([line[need.end() :]])
        if method and len(found) >= 3 and any(i.unit in vocab.MEASURE_UNITS for i in found):
            return found, method
    raise no_recipe()


def _is_list_recipe(layout: Layout, ingredients: list[Ingredient], steps: list[str]) -> bool:
    real = [i for i in ingredients if not i.is_header]
    if len(real) < 2:
        return False
    if sum(1 for i in real if len(tx.words(i.food or "")) > 8) > len(real) / 3:
        return False  # prose caught as a list
    with_amount = sum(1 for i in real if i.amount is not None)
    if not any(layout.headed_blocks):
        method = [s for s in steps if has_cooking_word(s) and not _ADVICE.search(s)]
        if not method and _says_not_a_recipe(layout):
            return False  # "Weekly grocery haul: 2 lbs chicken, ..." with no method
        return with_amount >= 3
    if any(i.unit in vocab.MEASURE_UNITS for i in real):
        return True
    # "Which one would you add?" asks the reader; it is no method
    cooking = any(
        has_cooking_word(s) and not s.rstrip(" \U0001f000-\U0001faff").endswith(("?", "？"))
        for s in steps
    )
    if not cooking and any(_NOT_FOOD.match(i.food or "") for i in real):
        return False  # "2 hours at the Uffizi": ingredients for a perfect day, not a dish
    if not layout.strong_header:  # "What you need: passport, Suica card, cash"
        return cooking
    return with_amount >= 1 or cooking or len(real) >= 3


def _says_not_a_recipe(layout: Layout) -> bool:
    """The caption's own words say its list is something else: a haul, a prize list, facts."""
    return any(_NOT_A_RECIPE.search(line) for line in layout.intro + layout.trailing)


# a paragraph about grams of protein per body weight is advice, not a method
_ADVICE = re.compile(rf"\b(?:{'|'.join(vocab.NUTRITION_WORDS)})\b", re.IGNORECASE)
_NOT_A_RECIPE = re.compile("|".join(vocab.NOT_A_RECIPE_CUES), re.IGNORECASE)


def _without_translations(blocks: list[list[Ingredient]]) -> list[list[Ingredient]]:
    """Drop a list that repeats an earlier one's amounts: the same recipe in a second language
    (units are compared through the amounts only, since "大さじ" and "tablespoon" differ)."""
    kept: list[list[Ingredient]] = []
    seen: list[list[float | None]] = []
    for block in blocks:
        amounts = [i.amount for i in block if not i.is_header]
        if len(amounts) >= 2 and amounts in seen:
            continue
        kept.append(block)
        seen.append(amounts)
    return kept


_INLINE = re.compile(rf"(?:^|(?<=[\s(]))(?={NUMBER}\s*\S)")
_NOT_FOOD = re.compile(
    r"^(?:min|mins|minutes?|minuten|minutos|minuti|hours?|stunden?|std|sek|"
    r"seconds?|sekunden|grad|degrees?|°|x|mal|times|veces|stücke?|pieces?|"
    r"portionen|servings?|days?|tage?|kcal|cal|calories)\b",
    re.IGNORECASE,
)


def inline_ingredients(lines: list[str]) -> list[Ingredient]:
    """Amounts named inside method sentences ("300g Quark, 2 Eier ... vermengen")."""
    found: list[Ingredient] = []
    for line in lines:
        for chunk in re.split(r"[,;&]|\s+(?:and|und|y|e|et|with|mit|con|avec)\s+", line):
            start = _INLINE.search(chunk)
            piece = chunk[start.start() :].strip() if start else chunk.strip()
            quantity = leading_quantity(piece)
            if quantity is None or (start is None and quantity.unit not in vocab.MEASURE_UNITS):
                continue  # without a digit only "a pinch of nutmeg", "une pincée de sel"
            note = None
            rest = quantity.rest
            paren = re.search(r"\(([^)]*)\)", rest)
            if paren:
                note = paren.group(1).strip() or None
                rest = rest[: paren.start()] + rest[paren.end() :]
            food_words: list[str] = []
            for word in rest.split():
                bare = re.sub(r"[^\w/-]", "", word.lower())
                if not bare or bare in vocab.COOKING_WORDS or len(food_words) >= 4:
                    break
                food_words.append(word.strip(".,!?:"))
            food = " ".join(food_words).strip()
            if not food or _NOT_FOOD.match(food):
                continue
            if quantity.unit is None and (
                len(food_words) > 3
                or (food.islower() and not tx.has_cjk(food) and len(food_words) > 2)
            ):
                continue
            found.append(
                Ingredient(
                    food=food,
                    amount=quantity.amount,
                    unit=quantity.unit,
                    note=note,
                    original_text=piece,
                )
            )
    return found


_ADJECTIVES = vocab.word_set("""
fresh large small medium big little whole ground grated chopped minced sliced diced dried
finely thinly freshly light dark hot cold warm red green white black yellow raw cooked
boneless skinless sized medium-sized extra virgin unsalted salted plain of and or the
frische frischer kleine kleiner große großer rote roter grüne weiße schwarzer
""")


def _mention_keys(food: str) -> list[str]:
    if tx.has_cjk(food):
        return [food.strip()] if food.strip() else []
    words = [w for w in tx.words(food) if len(w) >= 3 and w not in _ADJECTIVES]
    keys = []
    for word in words:
        stem = word[:-1] if len(word) > 4 and word.endswith("s") else word
        stem = stem[:-1] if len(stem) > 5 and stem.endswith(("e", "n")) else stem
        keys.append(stem)
    return keys


def _mentioned_in(food: str, steps_lower: list[str]) -> int | None:
    """The first step naming the food: by a head word ("beef" for "ground beef"), or by the
    end of a compound ("Fond" for "Hühnerfond")."""
    keys = _mention_keys(food)
    if not keys:
        return None
    for index, step in enumerate(steps_lower):
        step_words = [w for w in tx.words(step) if len(w) >= 4]
        for key in keys:
            if tx.has_cjk(key):
                if key in step:
                    return index
            elif re.search(rf"(?<![^\W\d_]){re.escape(key)}", step) or any(
                len(key) > len(w) and key.endswith(w) for w in step_words
            ):
                return index
    return None


def assign_to_steps(ingredients: list[Ingredient], step_texts: list[str]) -> list[Step]:
    """Each ingredient in the step that first names it; the order of the list is kept.

    Concatenating the steps' ingredients gives the caption's order: an ingredient named in an
    earlier step than the one before it (or not named at all) joins that previous one's step.
    """
    if not step_texts:
        return [Step(instruction="", ingredients=list(ingredients))]
    lower = [s.lower() for s in step_texts]
    real = [i for i in ingredients if not i.is_header]
    mentions = [_mentioned_in(i.food or "", lower) for i in real]
    keep = _longest_non_decreasing([(k, m) for k, m in enumerate(mentions) if m is not None])
    targets: list[int] = []
    current = 0
    for index, mention in enumerate(mentions):
        if index in keep and mention is not None:
            current = mention
        targets.append(current)
    steps = [Step(instruction=text) for text in step_texts]
    position = 0
    pending_headers: list[Ingredient] = []
    for ingredient in ingredients:
        if ingredient.is_header:
            pending_headers.append(ingredient)
            continue
        step = steps[targets[position]]
        step.ingredients.extend(pending_headers)
        pending_headers = []
        step.ingredients.append(ingredient)
        position += 1
    if pending_headers:
        steps[-1].ingredients.extend(pending_headers)
    return steps


def _longest_non_decreasing(pairs: list[tuple[int, int]]) -> set[int]:
    """Indices (first of each pair) of a longest subsequence whose values never decrease."""
    if not pairs:
        return set()
    best = [1] * len(pairs)
    previous = [-1] * len(pairs)
    for j in range(len(pairs)):
        for i in range(j):
            if pairs[i][1] <= pairs[j][1] and best[i] + 1 > best[j]:
                best[j], previous[j] = best[i] + 1, i
    end = max(range(len(pairs)), key=lambda k: best[k])
    chosen: set[int] = set()
    while end != -1:
        chosen.add(pairs[end][0])
        end = previous[end]
    return chosen


def _description(intro: list[str], name: str) -> str | None:
    for line in intro:
        cleaned = tx.collapse(tx.strip_symbols(tx.strip_tags(line)))
        if len(tx.words(cleaned)) >= 6 and cleaned.lower() != name.lower():
            return cleaned[:300]
    return None
