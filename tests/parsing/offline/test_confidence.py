"""How sure the parser is: firm recipes, best-effort uncertain ones, and no recipe at all."""

from __future__ import annotations

import pytest

from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.core.review import review_reason
from instarecipe_desktop.pipeline.parsing.offline import parse_caption

from .test_cli import run

FIRM = (
    "Lemon pasta 🍋\n\nIngredients:\n- 200 g spaghetti\n- 2 eggs\n- salt to taste\n\n"
    "Method:\n1. Boil the spaghetti.\n2. Toss with the eggs and season.\n"
)
# written for this test in the shape of pool caption 157 (a bare list, no header, no amounts)
BARE = (
    "What my grandma made for lunch today: lentil soup!\n\nLentils\nCarrot\nOnion\n"
    "Garlic\nWater\nSalt & pepper\n\n#soup #homecooking"
)


def test_a_firm_recipe_is_sure_and_not_held() -> None:
    recipe = parse_caption(FIRM)
    assert recipe.confidence is not None and recipe.confidence >= 0.9
    assert recipe.uncertain_reasons == []
    assert [i.confidence for i in recipe.ingredients] == [0.95, 0.85, 0.7]
    assert review_reason(recipe, FIRM, "uncertain") is None


def test_a_bare_list_under_what_someone_made_is_a_best_effort_recipe_held_for_review() -> None:
    recipe = parse_caption(BARE)
    assert recipe.name == "Lentil soup"
    assert [i.food for i in recipe.ingredients] == [
        "Lentils",
        "Carrot",
        "Onion",
        "Garlic",
        "Water",
        "Salt & pepper",
    ]
    assert recipe.uncertain
    assert recipe.confidence is not None and recipe.confidence < 0.5
    assert "bare lines" in recipe.uncertain_reasons[0]
    assert all(i.confidence == 0.5 for i in recipe.ingredients)
    assert all(i.source is not None for i in recipe.ingredients)
    reason = review_reason(recipe, BARE, "uncertain")
    assert reason is not None and "bare lines" in reason
    data = recipe.to_json()
    assert data["uncertainReasons"] == recipe.uncertain_reasons


def test_a_headless_measured_list_without_method_is_uncertain() -> None:
    text = "Friday drink 🍸\n\n2 oz gin\n1 oz lime juice\n3/4 oz simple syrup\n\nCheers!"
    recipe = parse_caption(text)
    assert [i.amount for i in recipe.ingredients] == [2, 1, 0.75]
    assert recipe.uncertain_reasons == ["the post gives no method, only the ingredients"]


@pytest.mark.parametrize(
    "text",
    [
        # the same bare shape, but dishes someone ate elsewhere: no evidence of a recipe
        "Here's everything we tried at the tavern:\nCornbread muffins\nFried chicken\n"
        "Onion rings\nSalt & pepper wings\nGarlic fries",
        "What I made of my weekend 🌞\nKyoto\nOsaka\nNara\nKobe\nHimeji",
        "We made it to the menu! 🎉\nRice bowl\nOnion soup\nGarlic bread\nEgg tart ($4)",
    ],
)
def test_no_evidence_stays_no_recipe(text: str) -> None:
    with pytest.raises(PermanentError) as caught:
        parse_caption(text)
    assert caught.value.code == "no_recipe"


def test_the_cli_says_in_words_when_it_is_not_sure() -> None:
    proc = run("--offline", "-", stdin=BARE)
    assert proc.returncode == 0, proc.stderr
    assert "Not sure this is right: the ingredients were read from bare lines" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "You'll never believe how easy this is 😍 Creamy tomato soup made at home🫶\n\n"
            "Ingredients:\n400 g tomatoes\n1 tbsp oil\n\nMethod:\nSimmer for 15 minutes.",
            "Creamy tomato soup made at home",
        ),
        (
            "You'll never see it coming 😱\nSt. Patrick's Day soda bread 🍀\n\nIngredients\n"
            "4 cups flour\n1 tsp salt\n\nInstructions\nMix and bake for 35 minutes.",
            "St. Patrick's Day soda bread",
        ),
        (
            "SAVE THIS 📌\nBanana bread 🍌\n\nIngredients:\n3 bananas\n200 g flour\n\n"
            "Method:\nMash, mix and bake for 50 minutes.",
            "Banana bread",
        ),
        (
            "𝗟𝗲𝗺𝗼𝗻 𝗚𝗮𝗿𝗹𝗶𝗰 𝗣𝗮𝘀𝘁𝗮 🍋\n\n𝗜𝗻𝗴𝗿𝗲𝗱𝗶𝗲𝗻𝘁𝘀:\n• 200g spaghetti\n• 3 tbsp butter\n\n"
            "𝗠𝗲𝘁𝗵𝗼𝗱:\n1️⃣ Cook the spaghetti.\n2️⃣ Toss with butter.",
            "Lemon Garlic Pasta",
        ),
        (
            "&#x1f363; Spicy salmon bowl\n\nIngredients:\n200 g salmon\n1 tbsp soy sauce\n\n"
            "Method:\nCube the salmon and toss with the soy sauce.",
            "Spicy salmon bowl",
        ),
    ],
)
def test_titles_skip_hooks_and_read_through_the_text_as_posted(text: str, title: str) -> None:
    assert parse_caption(text).name == title


def test_food_colon_count_unit_is_an_ingredient_not_a_section() -> None:
    text = (
        "Soup\n\nYou'll need:\nCrushed tomatoes: 400g\nGarlic: 2 cloves\nOlive oil: 1 tbsp\n\n"
        "Sauté the garlic in the olive oil for 1 minute, then add the tomatoes."
    )
    rows = [(i.food, i.amount, i.unit, i.is_header) for i in parse_caption(text).ingredients]
    assert rows == [
        ("Crushed tomatoes", 400, "g", False),
        ("Garlic", 2, "clove", False),
        ("Olive oil", 1, "tbsp", False),
    ]
