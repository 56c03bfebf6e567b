"""Rules added after the authored set (fixtures_authored/) showed what the parser missed in
formats and languages the dev set does not hold: Portuguese, Dutch, Turkish and Latin-American
Spanish headers and spoon/cup units, "Eggs x2" counts, yields stated in a first line or in
parentheses, and headless lists that the caption itself calls a haul or a fact."""

from __future__ import annotations

import pytest

from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.pipeline.parsing.offline import parse_caption
from instarecipe_desktop.pipeline.parsing.offline.ingredients import parse_line
from instarecipe_desktop.pipeline.parsing.offline.meta import find_servings


def _one(line: str) -> tuple[float | None, str | None, str | None, str | None]:
    items = parse_line(line)
    assert len(items) == 1, items
    item = items[0]
    return item.amount, item.unit, item.food, item.note


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Portuguese spoons and cups with the "(sopa)" / "(chá)" size
        ("1 colher (sopa) de manteiga", (1, "tbsp", "manteiga", None)),
        ("2 colheres (sopa) de chocolate em pó", (2, "tbsp", "chocolate em pó", None)),
        ("1 colher (chá) de sal", (1, "tsp", "sal", None)),
        ("1/2 xícara (chá) de óleo", (0.5, "cup", "óleo", None)),
        ("1 colher de sopa de azeite", (1, "tbsp", "azeite", None)),
        # Latin-American Spanish abbreviations
        ("1 cdita de ají molido", (1, "tsp", "ají molido", None)),
        # Turkish: spoons, a count word, "half" in words
        ("1 yemek kaşığı tereyağı", (1, "tbsp", "tereyağı", None)),
        ("Yarım çay kaşığı pul biber", (0.5, "tsp", "pul biber", None)),
        ("3 adet yumurta", (3, None, "yumurta", None)),
        ("1 su bardağı süt", (1, "cup", "süt", None)),
        # Dutch spoons written out
        ("2 eetlepels boter", (2, "tbsp", "boter", None)),
        ("1 theelepel zout", (1, "tsp", "zout", None)),
        # a squeeze without a number means one
        ("a squeeze of lime", (1, "squeeze", "lime", None)),
        # food first, count after an "x"
        ("Eggs x2", (2, None, "Eggs", None)),
        ("Ripe banana x1", (1, None, "Ripe banana", None)),
        ("Tortillas × 4", (4, None, "Tortillas", None)),
    ],
)
def test_units_and_counts_in_more_languages(
    line: str, expected: tuple[float | None, str | None, str | None, str | None]
) -> None:
    assert _one(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Green glow smoothie Serves 2",
        "Fudgy brownies makes 12",
        "Tarta de queso para 8",
    ],
)
def test_a_yield_at_the_end_is_no_amount(line: str) -> None:
    assert _one(line)[0] is None


@pytest.mark.parametrize(
    ("texts", "head", "expected"),
    [
        (["Raciones: 4 · Tiempo: 40 min"], [], 4),
        (["Rende 25 unidades"], [], 25),
        (["Pâte à crêpes inratable (pour 15 crêpes)"], [], 15),
        (["Porzioni: 6"], [], 6),
        # the first lines as written: unambiguous serving words only
        ([], ["ONE POT CHILI", "⏱ 45 min | 🍽 6 servings | 💪 38g protein per serving"], 6),
        ([], ["Green glow smoothie 💚 Serves 2"], 2),
        # a stated number in the first lines wins over "(per serving)" of the macros
        (["(per serving)"], ["🍽 6 servings"], 6),
    ],
)
def test_servings_in_more_places(texts: list[str], head: list[str], expected: int) -> None:
    assert find_servings(texts, head)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Pour 2 cups of milk into the pan",  # "pour" the verb, not a yield
        "for 10 minutes at 180°C",  # a time, not a yield
    ],
)
def test_no_servings_from_verbs_or_times(text: str) -> None:
    assert find_servings([text], [])[0] is None


def test_the_first_lines_ignore_pieces_and_slices() -> None:
    """ "4 slices bacon" at the top of a headless list is no yield."""
    assert find_servings([], ["4 slices bacon", "2 pieces bread"])[0] is None


@pytest.mark.parametrize(
    ("caption", "steps"),
    [
        (
            "Brigadeiro\n\nIngredientes:\n1 lata de leite condensado\n1 colher (sopa) de manteiga\n\n"
            "Modo de preparo:\nLeve ao fogo baixo, mexendo sempre.\nDeixe esfriar.",
            2,
        ),
        (
            "Pão de queijo\n\nIngredientes\n500 g de polvilho\n2 ovos\n\nModo de fazer\n"
            "Escalde o polvilho.\nAsse por 25 minutos.",
            2,
        ),
        (
            "Guacamole\n\nNecesitas:\n3 aguacates\n1 manojo de cilantro\n\nCómo se hace:\n"
            "Machaca los aguacates.\nMezcla bien.",
            2,
        ),
        (
            "Stamppot\n\nIngrediënten:\n1 kg aardappelen\n500 g boerenkool\n\nBereiding:\n"
            "Kook de aardappelen.\nStamp alles fijn.",
            2,
        ),
        (
            "Menemen\n\nMalzemeler:\n- 3 adet yumurta\n- 2 adet domates\n- 1 yemek kaşığı tereyağı\n\n"
            "Yapılışı:\n1. Biberleri kavurun.\n2. Yumurtaları ekleyin.",
            2,
        ),
        (
            "Chimichurri\n\nIngredientes:\n-1 taza de perejil\n-2 cdas de orégano\n\nPaso a paso:\n"
            "1) Mezclá todo.\n2) Dejá reposar.",
            2,
        ),
        (
            "Crêpes\n\nCe qu'il vous faut :\n- 250 g de farine\n- 4 œufs\n\nÉtapes :\n"
            "1/ Mélangez.\n2/ Faites cuire.",
            2,
        ),
    ],
)
def test_headers_in_more_languages(caption: str, steps: int) -> None:
    recipe = parse_caption(caption)
    rows = [i for s in recipe.steps for i in s.ingredients if not i.is_header]
    assert len(rows) == 2 if "Menemen" not in caption else len(rows) == 3
    assert len([s for s in recipe.steps if s.instruction]) == steps
    headers = {
        "modo de preparo",
        "modo de fazer",
        "cómo se hace",
        "bereiding",
        "yapılışı",
        "paso a paso",
        "étapes",
    }
    assert not any((i.food or "").lower() in headers for i in rows)


@pytest.mark.parametrize(
    "caption",
    [
        "Weekly grocery haul 🛒\n\n🥑 4 avocados\n🍗 2 lbs chicken thighs\n🥬 1 bunch kale\n"
        "🧀 200 g parmesan\n\nWhat's your must-buy?",
        "Did you know? Each of these has 20 g protein:\n• 3 eggs\n• 100 g chicken breast\n"
        "• 200 g skyr\n• 1 cup lentils",
        "What we ordered 😍\n2 cups of cappuccino\n1 lb of ribs\n200 g burrata\n#foodie",
    ],
)
def test_a_list_the_caption_calls_something_else_is_no_recipe(caption: str) -> None:
    with pytest.raises(PermanentError):
        parse_caption(caption)


def test_a_cue_word_does_not_reject_a_recipe_with_a_method() -> None:
    caption = (
        "My grocery haul turned into dinner!\n\n200 g pasta\n2 tbsp butter\n"
        "50 g parmesan\n\nBoil the pasta, then toss it with the butter and parmesan."
    )
    recipe = parse_caption(caption)
    assert [i.food for s in recipe.steps for i in s.ingredients] == ["pasta", "butter", "parmesan"]


def test_a_cue_word_does_not_reject_a_headed_list() -> None:
    caption = "Grocery haul smoothie\n\nIngredients:\n1 cup milk\n1 banana\n1 tbsp honey"
    assert len(parse_caption(caption).steps[0].ingredients) == 3


# --- rules prompted by the second authored set (fixtures_authored_fresh/) ---------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("玉ねぎ　1/2個", (0.5, "個", "玉ねぎ", None)),  # a Japanese counter keeps its own name
        ("ご飯　2杯", (2, "杯", "ご飯", None)),
        ("1/2 bicchiere di vino bianco", (0.5, "bicchiere", "vino bianco", None)),
        ("1 verre de lait", (1, "verre", "lait", None)),
    ],
)
def test_counters_and_glasses(
    line: str, expected: tuple[float | None, str | None, str | None, str | None]
) -> None:
    assert _one(line) == expected


@pytest.mark.parametrize(
    ("method", "language"),
    [
        (
            "Trifola i funghi, tosta il riso e sfuma con il vino.\nManteca con burro e parmigiano.",
            "it",
        ),
        ("Coupez les légumes.\nVersez le bouillon et salez.", "fr"),
        ("Trocea las verduras.\nTritura y cuela.", "es"),
        ("Refogue a cebola.\nJunte o arroz e mexa.", "pt"),
        ("Snijd de groenten.\nKook alles 10 minuten.", "nl"),
    ],
)
def test_a_method_after_a_headless_list_in_more_languages(method: str, language: str) -> None:
    caption = f"Dish\n\n320 g rice\n300 g mushrooms\n1 l stock\n40 g butter\n\n{method}"
    recipe = parse_caption(caption)
    assert len([s for s in recipe.steps if s.instruction]) == 2, language


@pytest.mark.parametrize(
    "line",
    [
        "👉 Seguimi per altre ricette della tradizione!",
        "Seguime para más recetas 🙌",
        "Suivez-moi pour plus de recettes",
        "Volg mij voor meer recepten",
    ],
)
def test_follow_me_in_more_languages_is_no_step(line: str) -> None:
    caption = (
        "Pesto\n\nIngredienti:\n50 g basilico\n30 g pinoli\n\nProcedimento:\n"
        f"Pesta tutto nel mortaio.\n\n{line}"
    )
    recipe = parse_caption(caption)
    assert [s.instruction for s in recipe.steps] == ["Pesta tutto nel mortaio."]


def test_a_market_purchase_list_is_no_recipe() -> None:
    caption = (
        "Samstag auf dem Wochenmarkt 🧺\n\nHeute gekauft:\n- 1 kg Kartoffeln\n"
        "- 500 g Erdbeeren\n- 1 Bund Radieschen\n- 6 Eier\n\nWas kauft ihr so?"
    )
    with pytest.raises(PermanentError):
        parse_caption(caption)


def test_amounts_after_you_need_in_prose_make_a_recipe_with_a_method() -> None:
    caption = (
        "3-ingredient banana bread 🍌\n\nYou only need 3 ripe bananas, 2 eggs and "
        "1 1/2 cups of oat flour 😍\n\nMash the bananas, whisk in the eggs, fold in the "
        "flour and bake at 350F for 40 minutes."
    )
    recipe = parse_caption(caption)
    rows = [(i.amount, i.unit, i.food) for s in recipe.steps for i in s.ingredients]
    assert rows == [(3, None, "ripe bananas"), (2, None, "eggs"), (1.5, "cup", "oat flour")]
    assert recipe.steps[0].instruction.startswith("Mash the bananas")


@pytest.mark.parametrize(
    "caption",
    [
        # no method after the phrase
        "For this trip you only need 2 bags, 1 passport and 3 days of courage 😍",
        # counts only, no measure
        "All you need is 2 friends, 3 snacks and 1 movie. Then relax and enjoy the evening!",
    ],
)
def test_you_need_in_prose_alone_is_no_recipe(caption: str) -> None:
    with pytest.raises(PermanentError):
        parse_caption(caption)


def test_nutrition_advice_is_no_method_for_a_fact_list() -> None:
    caption = (
        "Did you know? These foods each have around 20g of protein:\n• 3 large eggs\n"
        "• 100 g chicken breast\n• 200 g Greek yogurt\n• 1 cup cooked lentils\n\n"
        "Aim for 1.6 g of protein per kg of body weight. Spread it over 3-4 meals!"
    )
    with pytest.raises(PermanentError):
        parse_caption(caption)


def test_a_real_method_still_wins_over_a_cue_word() -> None:
    caption = (
        "Did you know you can make bread with 3 ingredients?\n\n500 g flour\n"
        "350 ml water\n10 g salt\n\nMix everything, rest the dough overnight and bake "
        "at 240°C for 40 minutes."
    )
    rows = [i.food for s in parse_caption(caption).steps for i in s.ingredients]
    assert rows == ["flour", "water", "salt"]


# --- rules prompted by the third authored set (fixtures_authored_third/) ----------------------


def test_a_stick_of_cinnamon_in_mexican_spanish() -> None:
    assert _one("1 raja de canela") == (1, "raja", "canela", None)


@pytest.mark.parametrize(
    "sign_off",
    ["Cheers! 🍋", "Bon appétit !", "Guten Appetit 😋", "Buen provecho", "Afiyet olsun!"],
)
def test_a_sign_off_line_is_no_step(sign_off: str) -> None:
    caption = (
        "Paper Plane\n\n¾ oz bourbon\n¾ oz Aperol\n¾ oz Amaro Nonino\n\n"
        f"Shake hard with ice and strain into a coupe.\n{sign_off}"
    )
    recipe = parse_caption(caption)
    assert [s.instruction for s in recipe.steps] == ["Shake hard with ice and strain into a coupe."]


def test_a_pinch_without_a_digit_inside_prose() -> None:
    caption = (
        "Velouté\n\nIl vous faut : 1 potimarron, 50 cl de bouillon, 10 cl de crème et une "
        "pincée de muscade.\n\nFaites revenir le potimarron, ajoutez le bouillon et laissez "
        "cuire 25 minutes. Mixez avec la crème."
    )
    rows = [(i.amount, i.unit, i.food) for s in parse_caption(caption).steps for i in s.ingredients]
    assert rows[-1] == (1, "pinch", "muscade")
    assert len(rows) == 4


def test_ingredients_for_a_perfect_day_are_no_recipe() -> None:
    caption = (
        "Ingredients for a perfect Sunday in Florence ☀️\n- 1 cappuccino at Ditta\n"
        "- 2 hours at the Uffizi\n- 1 schiacciata from All'Antico Vinaio\n\n"
        "Which one would you add? 👇"
    )
    with pytest.raises(PermanentError):
        parse_caption(caption)


def test_a_question_with_a_cooking_word_is_no_method() -> None:
    """Under "What you need" a list without measures needs a method; "would you add?" asks
    the reader and is none."""
    caption = (
        "What you need for a beach day:\n- 1 towel\n- 2 books\n- sunscreen\n\n"
        "Which one would you add to the list? 👇"
    )
    with pytest.raises(PermanentError):
        parse_caption(caption)


@pytest.mark.parametrize(
    ("header", "first_line"),
    [
        ("Przygotowanie:", "Wymieszaj mąkę z jajkami."),
        ("Fremgangsmåde:", "Bland alle ingredienser."),
        ("Gör så här:", "Smält smöret och rör ner sockret."),
        ("Slik gjør du:", "Brun kjøttet i smøret."),
        ("Zo maak je ze", "Bak de champignons in de boter."),
    ],
)
def test_method_headers_in_pl_da_sv_no_nl_open_the_method(header: str, first_line: str) -> None:
    caption = (
        f"Test\n\nIngredients:\n200 g flour\n2 eggs\n\n{header}\n{first_line}\nBake 20 minutes."
    )
    recipe = parse_caption(caption)
    rows = [i.food for s in recipe.steps for i in s.ingredients if not i.is_header]
    assert rows == ["flour", "eggs"]
    assert [s.instruction for s in recipe.steps if s.instruction] == [
        first_line,
        "Bake 20 minutes.",
    ]
