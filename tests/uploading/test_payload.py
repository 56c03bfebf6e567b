"""The payload builder: every field limit enforced before sending, the schema always met."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from instarecipe_desktop.core.recipe import Ingredient, Recipe, Step
from instarecipe_desktop.pipeline.uploading.tandoor.errors import field_errors_in_words
from instarecipe_desktop.pipeline.uploading.tandoor.payload import build_recipe_payload, fit
from tests.fakes.fake_tandoor import drf_errors
from tests.uploading.conftest import POST_URL, sample_recipe


def test_full_recipe_maps_every_field() -> None:
    body = build_recipe_payload(
        sample_recipe(), source_url=POST_URL, extra_keywords=["#Pasta", "carbonara", "chef_anna"]
    ).body
    assert drf_errors(body, "Recipe")[0] is None
    assert body["internal"] is True
    assert body["source_url"] == POST_URL
    assert body["servings"] == 4 and body["servings_text"] == "portions"
    assert (body["working_time"], body["waiting_time"]) == (15, 10)
    # case-insensitive duplicates collapse, '#' dropped
    assert [k["name"] for k in body["keywords"]] == ["pasta", "italian", "carbonara", "chef_anna"]
    first, second, third = body["steps"]
    assert first["name"] == "Prepare" and first["time"] == 10
    spaghetti, salt = first["ingredients"]
    assert spaghetti == {
        "food": {"name": "spaghetti"},
        "unit": {"name": "g"},
        "amount": 200,
        "note": "cooked",
        "order": 0,
        "is_header": False,
        "no_amount": False,
        "original_text": "200 g spaghetti, cooked",
    }
    assert salt["amount"] == 0 and salt["no_amount"] is True and salt["unit"] is None
    header = second["ingredients"][0]
    assert header == {
        "food": None,
        "unit": None,
        "amount": 0,
        "note": "For the sauce",
        "is_header": True,
        "order": 0,
    }
    assert second["ingredients"][2]["amount"] == 50.5
    assert third["ingredients"] == []  # the key is always present


def test_long_description_goes_into_the_first_step() -> None:
    caption = "Creamy and rich. " * 60  # ~1000 characters
    payload = build_recipe_payload(sample_recipe(description=caption), source_url=POST_URL)
    body = payload.body
    assert len(body["description"]) <= 512
    assert body["description"].endswith("…")
    assert body["steps"][0]["instruction"].startswith(caption.strip())
    assert "Boil the spaghetti" in body["steps"][0]["instruction"]
    assert any("description" in note for note in payload.adjustments)
    assert drf_errors(body, "Recipe")[0] is None


def test_long_description_without_steps_makes_a_step() -> None:
    caption = "word " * 200
    body = build_recipe_payload(Recipe(name="x", description=caption), source_url=None).body
    assert len(body["steps"]) == 1
    assert body["steps"][0]["instruction"] == caption.strip()
    assert body["steps"][0]["ingredients"] == []


def test_every_limit_is_enforced() -> None:
    recipe = Recipe(
        name="N" * 300,
        servings_text="S" * 40,
        keywords=["K" * 70],
        steps=[
            Step(
                name="T" * 200,
                instruction="x",
                ingredients=[
                    Ingredient(
                        food="F" * 200,
                        unit="U" * 200,
                        amount=1,
                        note="n " * 200,
                        original_text="o" * 700,
                    ),
                ],
            )
        ],
    )
    body = build_recipe_payload(recipe, source_url="https://example.org/" + "p" * 2000).body
    ingredient = body["steps"][0]["ingredients"][0]
    assert len(body["name"]) == 128
    assert len(body["servings_text"]) <= 32
    assert len(body["keywords"][0]["name"]) <= 64
    assert len(body["steps"][0]["name"]) <= 128
    assert len(ingredient["food"]["name"]) <= 128 and len(ingredient["unit"]["name"]) <= 128
    assert len(ingredient["note"]) <= 256
    assert len(ingredient["original_text"]) <= 512
    assert len(body["source_url"]) <= 1024
    assert drf_errors(body, "Recipe")[0] is None
    # the same payload unfitted is what Tandoor refuses (ex. 37)
    raw = dict(body, name="N" * 300)
    assert drf_errors(raw, "Recipe")[0] == {
        "name": ["Ensure this field has no more than 128 characters."]
    }


def test_bad_numbers_are_dropped_not_sent() -> None:
    recipe = Recipe(
        name="x",
        servings=2.6,
        working_time=12.4,
        waiting_time=-3,  # type: ignore[arg-type]
        steps=[
            Step(
                instruction="y",
                time=None,
                ingredients=[Ingredient(food="", unit="", amount=float("nan"))],
            )
        ],
    )
    body = build_recipe_payload(recipe, source_url=None).body
    assert body["servings"] == 3 and body["working_time"] == 12 and "waiting_time" not in body
    ingredient = body["steps"][0]["ingredients"][0]
    assert ingredient["food"] is None and ingredient["unit"] is None  # never {"name": ""}
    assert ingredient["amount"] == 0 and ingredient["no_amount"] is True
    assert drf_errors(body, "Recipe")[0] is None


def test_fit_cuts_at_a_word() -> None:
    assert fit("short", 10) == "short"
    assert fit("alpha beta gamma delta epsilon", 20) == "alpha beta gamma…"  # not "… de…"
    assert fit("x" * 30, 10) == "x" * 9 + "…"


_text = st.text(min_size=0, max_size=900)


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(max_size=400),
    description=st.none() | _text,
    servings_text=st.none() | st.text(max_size=80),
    keywords=st.lists(st.text(max_size=120), max_size=5),
    ingredients=st.lists(
        st.builds(
            Ingredient,
            food=st.none() | st.text(max_size=300),
            amount=st.none() | st.floats(allow_nan=True, allow_infinity=True),
            unit=st.none() | st.text(max_size=200),
            note=st.none() | st.text(max_size=600),
            original_text=st.none() | _text,
            is_header=st.booleans(),
        ),
        max_size=4,
    ),
)
def test_any_recipe_gives_a_payload_the_schema_accepts(
    name: str,
    description: str | None,
    servings_text: str | None,
    keywords: list[str],
    ingredients: list[Ingredient],
) -> None:
    recipe = Recipe(
        name=name,
        description=description,
        servings_text=servings_text,
        keywords=keywords,
        steps=[Step(instruction="mix", ingredients=ingredients)],
    )
    body = build_recipe_payload(recipe, source_url=POST_URL).body
    errors, raw = drf_errors(json.loads(json.dumps(body)), "Recipe")
    assert errors is None, raw


def test_field_errors_in_words_follow_list_positions(test_data_dir: Path) -> None:
    exchanges = test_data_dir / "tandoor-api" / "exchanges"
    nested = json.loads(
        (exchanges / "36_recipe_create_nested_error_position_400.json").read_text()
    )["response"]["body"]
    assert field_errors_in_words(nested) == [
        "step 2, ingredient 2, food name: This field may not be blank."
    ]
    too_long = json.loads((exchanges / "37_recipe_create_too_long_fields_400.json").read_text())[
        "response"
    ]["body"]
    words = field_errors_in_words(too_long)
    assert "name: Ensure this field has no more than 128 characters." in words
    assert "keyword 1, name: Ensure this field has no more than 64 characters." in words
    assert any(w.startswith("step 1, ingredient 1, note:") for w in words)
    assert field_errors_in_words({"steps": {"non_field_errors": ["Expected a list."]}}) == [
        "steps: Expected a list."
    ]
