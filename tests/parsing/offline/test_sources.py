"""Normalising once with a map back, and SourceSpans that point at the caption as posted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.core.review import review_reason
from instarecipe_desktop.pipeline.parsing.offline import parse_caption
from instarecipe_desktop.pipeline.parsing.offline.normalised import normalise

from .conftest import FIXTURES

SETS = [
    FIXTURES,
    FIXTURES.parent / "fixtures_blind",
    FIXTURES.parent / "fixtures_authored",
    FIXTURES.parent / "fixtures_authored_fresh",
    FIXTURES.parent / "fixtures_authored_third",
]


@pytest.mark.parametrize(
    ("original", "read"),
    [
        ("&#x1f363; Spicy salmon bowl", "🍣 Spicy salmon bowl"),
        ("Cr&#xe8;me br&eacute;l&eacute;e &amp; more", "Crème brélée & more"),
        ("𝗟𝗲𝗺𝗼𝗻 𝗚𝗮𝗿𝗹𝗶𝗰 𝗣𝗮𝘀𝘁𝗮", "Lemon Garlic Pasta"),
        ("𝑰𝒏𝒈𝒓𝒆𝒅𝒊𝒆𝒏𝒕𝒔: 𝟐 cups", "Ingredients: 2 cups"),
        ("1\u200b lb chicken\u2060 thighs\ufeff", "1 lb chicken thighs"),
        ("‣ 2 eggs\r\n⁃ 1 cup milk\r", "• 2 eggs\n• 1 cup milk\n"),
        ("1️⃣ Mix 1️⃣0️⃣ Serve 🔟 Enjoy", "1.  Mix 10.  Serve 10.  Enjoy"),
        ("① Mix", "1.  Mix"),
        ("cafe\u0301 ½ tsp", "café ½ tsp"),  # NFKC would have made "1⁄2"
        ("２００ｇ\u3000砂糖", "200g 砂糖"),
    ],
)
def test_normalise_reads_what_the_person_sees(original: str, read: str) -> None:
    normalised = normalise(original)
    assert normalised.text == read
    start, end = normalised.original_span(0, len(normalised.text))
    assert normalise(original[start:end]).text == read


PIECES = st.sampled_from(
    [
        "&#x1f363;",
        "&#xe9;",
        "&amp;",
        "&bogus;",
        "&",
        "𝗟𝗲𝗺",
        "𝟐",
        "\u200b",
        "\ufeff",
        "\r\n",
        "\r",
        "\n",
        "1️⃣",
        "1️⃣0️⃣",
        "🔟",
        "①",
        "e\u0301",
        "‣ ",
        "２",
        "½",
        " ",
        "2 cups flour",
        "Salz",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=30).map("".join))
def test_each_line_maps_back_to_the_text_it_came_from(original: str) -> None:
    normalised = normalise(original)
    assert len(normalised.starts) == len(normalised.ends) == len(normalised.text)
    position = 0
    for line in normalised.text.split("\n"):
        start, end = normalised.original_span(position, position + len(line))
        assert 0 <= start <= end <= len(original)
        if line:
            assert normalise(original[start:end]).text == line
        position += len(line) + 1


def _spans_of(folder: Path) -> list[tuple[str, str, str]]:
    """(kind, what the parser read, the original text its span covers), read back."""
    found = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        try:
            recipe = parse_caption(text)
        except PermanentError:
            continue
        for step in recipe.steps:
            if step.instruction.strip():
                assert step.source is not None, (path.name, step.instruction)
                found.append(("step", step.instruction, text[step.source.start : step.source.end]))
            for ingredient in step.ingredients:
                assert ingredient.source is not None, (path.name, ingredient.original_text)
                span = text[ingredient.source.start : ingredient.source.end]
                found.append(("ingredient", ingredient.original_text or "", span))
    return found


def _fold(text: str) -> str:
    return "".join(c.lower() for c in text if c.isalnum())


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_every_ingredient_and_step_has_a_span_on_its_own_line(folder: Path) -> None:
    spans = _spans_of(folder)
    assert spans
    for kind, read, original in spans:
        assert _fold(read) in _fold(normalise(original).text), (kind, read, original)
        if kind == "ingredient":
            assert "\n" not in original  # one line, as posted


def test_spans_point_at_the_caption_as_posted(test_data_dir: Path) -> None:
    caption = (
        "&#x1f363; 𝗦𝗮𝗹𝗺𝗼𝗻 𝗯𝗼𝘄𝗹\r\n\r\n𝗜𝗻𝗴𝗿𝗲𝗱𝗶𝗲𝗻𝘁𝘀:\r\n— 1\u200b lb salmon\r\n"
        "— 3\u200b tbsp honey\r\n— 2 tbsp soy sauce\r\n\r\n𝗠𝗲𝘁𝗵𝗼𝗱:\r\n1️⃣ Mix the honey and"
        " the soy sauce.\r\n2️⃣ Glaze the salmon and bake for 12 minutes.\r\n"
    )
    recipe = parse_caption(caption)
    assert recipe.name == "Salmon bowl"
    lines = [caption[i.source.start : i.source.end] for i in recipe.ingredients if i.source]
    assert lines == ["— 1\u200b lb salmon", "— 3\u200b tbsp honey", "— 2 tbsp soy sauce"]
    steps = [caption[s.source.start : s.source.end] for s in recipe.steps if s.source]
    assert steps == [
        "Mix the honey and the soy sauce.",
        "Glaze the salmon and bake for 12 minutes.",
    ]
    data = json.loads(json.dumps(recipe.to_json()))
    assert data["steps"][0]["ingredients"][0]["source"] == {
        "start": caption.index("— 1"),
        "end": caption.index(" lb salmon") + len(" lb salmon"),
    }
    # every amount is written in its own line: nothing for the review step to hold
    assert review_reason(recipe, caption, "uncertain") is None


def test_amounts_written_as_fractions_or_ranges_are_found_in_their_lines() -> None:
    """The review step holds a recipe whose amount is not in its line: "1 e 1/2", "200/250",
    ".5 oz" and "⅓ cup" are, so nothing is held for them."""
    caption = (
        "Ingredients:\n- 1 e 1/2 tazza di ceci\n- 200/250 g de cebola\n- .5 oz Averna\n"
        "- 1/3 cup sugar\n\nMethod:\nMix everything and cook for 10 minutes.\n"
    )
    recipe = parse_caption(caption)
    amounts = [(i.amount, i.amount_max) for i in recipe.ingredients]
    assert amounts == [(1.5, None), (200, 250), (0.5, None), (pytest.approx(1 / 3), None)]
    assert review_reason(recipe, caption, "uncertain") is None
