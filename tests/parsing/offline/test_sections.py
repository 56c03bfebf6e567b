"""Section detection in several languages, sub-headers, step numbering, prose steps."""

from __future__ import annotations

import pytest

from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.pipeline.parsing.offline import parse_caption
from instarecipe_desktop.pipeline.parsing.offline.lines import header_of

ITALIAN = """Pasta al limone 🍋 pronta in 15 minuti!

Ingredienti per 2 persone:
- 200 g di spaghetti
- 1 limone
- 30 g di burro
- sale q.b.

Preparazione:
① Cuoci la pasta in acqua salata.
② Sciogli il burro in padella con la scorza del limone.
③ Aggiungi la pasta e il succo di limone. Mescola e servi.

#pasta #limone
"""

FRENCH = """Crêpes faciles 🥞

Ingrédients :
• 250 g de farine
• 4 œufs
• 50 cl de lait
• 1 pincée de sel
• 2 c. à s. de sucre

Préparation :
1. Mélangez la farine, le sel et le sucre.
2. Ajoutez les œufs puis le lait petit à petit.
3. Laissez reposer 1 heure puis faites cuire les crêpes.
"""

GERMAN_PROSE = """Schnelle Tomatensoße 🍅 für 4 Personen

Zutaten
▪️ 1 Zwiebel, fein gehackt
▪️ 2 EL Olivenöl
▪️ 800 g passierte Tomaten
▪️ Salz und Pfeffer nach Geschmack

So geht's:
Zwiebel im Olivenöl anschwitzen. Tomaten dazugeben und 20 Minuten köcheln lassen.
Mit Salz und Pfeffer abschmecken.
"""

JAPANESE = """簡単！豚の生姜焼き

材料（2人分）
豚ロース肉　２００ｇ
玉ねぎ　１／２個
醤油　大さじ２
砂糖　小さじ１

作り方
①玉ねぎを薄切りにする。
②豚肉を焼き、玉ねぎを加えて炒める。
"""

SPANISH = """Guacamole casero 🥑

🛒 Ingredientes (4 personas):
✔️ 3 aguacates maduros
✔️ 1/2 cebolla morada, picada
✔️ Sal al gusto

👩‍🍳 Preparación:
1️⃣ Machaca los aguacates con un tenedor.
2️⃣ Añade la cebolla y la sal. ¡Listo!
"""

SUBSECTIONS = """Chicken bowls

Ingredients:
For the chicken:
- 500 g chicken thighs
- 1 tbsp soy sauce
For the sauce:
- 2 tbsp mayo
- 1 tsp sriracha

Method:
1. Fry the chicken with the soy sauce.
2. Mix mayo and sriracha and pour over the chicken.
"""


def foods(recipe: Recipe) -> list[str]:
    return [i.food or "" for i in recipe.ingredients if not i.is_header]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Ingredients:", "ingredients"),
        ("INGREDIENTS", "ingredients"),
        ("🛒 Ingredientes (4 personas):", "ingredients"),
        ("Zutaten für 4–6 Portionen:", "ingredients"),
        ("Ingredienti", "ingredients"),
        ("Ingrédients :", "ingredients"),
        ("材料（2人分）", "ingredients"),
        ("【レシピ】", "ingredients"),
        ("Here’s what you need:", "ingredients"),
        ("🛒You’ll Need:", "ingredients"),
        ("Ingredients per 2 servings (the entire rice cooker):", "ingredients"),
        ("Method", "steps"),
        ("INSTRUCTIONS:", "steps"),
        ("Steps:", "steps"),
        ("🧈 How to Make:", "steps"),
        ("Zubereitung:", "steps"),
        ("👩‍🍳 Preparación:", "steps"),
        ("Préparation :", "steps"),
        ("作り方", "steps"),
        ("Directions", "steps"),
        ("Macros per serving (half the rice cooker):", "other"),
        ("Nährwerte pro Stück (1/9):", "other"),
    ],
)
def test_headers(line: str, kind: str) -> None:
    header = header_of(line)
    assert header is not None
    assert header.kind == kind


@pytest.mark.parametrize(
    "line",
    [
        "Ingredients are simple and cheap in this one",
        "How to make the best pasta ever",
        "1 cup flour",
        "Stovetop Meatballs",
    ],
)
def test_not_headers(line: str) -> None:
    assert header_of(line) is None


def test_italian_with_circled_step_numbers() -> None:
    recipe = parse_caption(ITALIAN)
    assert foods(recipe) == ["spaghetti", "limone", "burro", "sale"]
    assert recipe.steps[0].instruction == "Cuoci la pasta in acqua salata."
    assert len(recipe.steps) == 3
    assert recipe.servings == 2
    assert recipe.language == "it"
    assert recipe.ingredients[-1].note == "q.b"


def test_french_units_and_numbered_steps() -> None:
    recipe = parse_caption(FRENCH)
    rows = [(i.amount, i.unit, i.food) for i in recipe.ingredients]
    assert rows == [
        (250, "g", "farine"),
        (4, None, "œufs"),
        (50, "cl", "lait"),
        (1, "pinch", "sel"),
        (2, "tbsp", "sucre"),
    ]
    assert len(recipe.steps) == 3


def test_german_prose_method_is_one_step_per_line() -> None:
    recipe = parse_caption(GERMAN_PROSE)
    assert recipe.servings == 4
    assert len(recipe.steps) == 2
    assert recipe.ingredients[0].note == "fein gehackt"
    assert recipe.ingredients[-1].food == "Salz und Pfeffer"


def test_japanese_food_first_lines_full_width_and_circled_steps() -> None:
    recipe = parse_caption(JAPANESE)
    rows = [(i.food, i.amount, i.unit) for i in recipe.ingredients]
    assert rows[0] == ("豚ロース肉", 200, "g")
    assert rows[2] == ("醤油", 2, "大さじ")
    assert rows[3] == ("砂糖", 1, "小さじ")
    assert recipe.servings == 2
    assert [s.instruction for s in recipe.steps] == [
        "玉ねぎを薄切りにする。",
        "豚肉を焼き、玉ねぎを加えて炒める。",
    ]


def test_spanish_emoji_headers_and_keycap_steps() -> None:
    recipe = parse_caption(SPANISH)
    assert foods(recipe) == ["aguacates maduros", "cebolla morada", "Sal"]
    assert recipe.servings == 4
    assert len(recipe.steps) == 2
    assert recipe.steps[1].instruction.startswith("Añade")


def test_sub_headers_become_header_rows_before_their_items() -> None:
    recipe = parse_caption(SUBSECTIONS)
    flat = [(i.food, i.is_header) for i in recipe.ingredients]
    assert flat == [
        ("For the chicken", True),
        ("chicken thighs", False),
        ("soy sauce", False),
        ("For the sauce", True),
        ("mayo", False),
        ("sriracha", False),
    ]


def test_ingredients_go_to_the_step_that_names_them_in_caption_order() -> None:
    recipe = parse_caption(SUBSECTIONS)
    first, second = recipe.steps
    assert [i.food for i in first.ingredients if not i.is_header] == ["chicken thighs", "soy sauce"]
    assert [i.food for i in second.ingredients] == ["For the sauce", "mayo", "sriracha"]


def test_unnamed_ingredients_stay_in_the_first_step() -> None:
    recipe = parse_caption(
        "Toast\n\nIngredients:\n- 2 slices bread\n- 1 tbsp butter\n\n"
        "Steps:\n1. Heat a pan.\n2. Fry until golden.\n"
    )
    assert [len(s.ingredients) for s in recipe.steps] == [2, 0]


def test_hashtags_link_in_bio_and_promo_codes_are_dropped() -> None:
    recipe = parse_caption(
        "Easy Pancakes 🥞 #breakfast\n\nIngredients:\n- 1 cup flour #baking\n"
        "- 1 egg\n- 1 cup milk\n\nUse code PANCAKE10 for 10% off my pan!\n"
        "Full recipe link in bio\n#pancakes #easyrecipes"
    )
    assert recipe.name == "Easy Pancakes"
    assert foods(recipe) == ["flour", "egg", "milk"]
    text = repr(recipe.to_json())
    assert "#" not in text and "PANCAKE10" not in text and "bio" not in text
    assert recipe.keywords == []


def test_servings_and_times_from_phrases() -> None:
    recipe = parse_caption(
        "Soup\nServes 6 · Prep time: 15 min · Cook time: 1 hour\n\n"
        "Ingredients:\n- 1 kg carrots\n- 1 l stock\n- 1 onion\n"
    )
    assert (recipe.servings, recipe.working_time, recipe.waiting_time) == (6, 15, 60)


ITALIAN_PROSE = """Pollo al curry in 20 minuti 🍛

Ingredienti (per 2 persone)
• 300 g di petto di pollo
• 1 cipolla
• 200 ml di latte di cocco
• Sale e pepe q.b.

Procedimento
Taglia il pollo a cubetti. In una padella soffriggi la cipolla con un filo d'olio, aggiungi \
il pollo e fallo rosolare. Unisci il latte di cocco e cuoci per 10 minuti. Aggiusta di sale \
e pepe e servi con riso basmati.
"""


def test_one_long_prose_paragraph_is_split_into_sentences() -> None:
    recipe = parse_caption(ITALIAN_PROSE)
    assert recipe.steps[0].instruction == "Taglia il pollo a cubetti."
    assert len(recipe.steps) == 4
    assert foods(recipe)[-1] == "Sale e pepe"  # "q.b." does not make the line a sentence


def test_temperatures_keep_their_degree_sign_and_titles_lose_servings() -> None:
    recipe = parse_caption(
        "CREAMY TOMATO SOUP 🍅 (serves 4)\n\nIngredients:\n- 1 kg tomatoes\n"
        "- 1 onion\n- 500 ml stock\n\nMethod:\n1. Roast at 200 °C for 30 "
        "minutes.\n2. Blend with the stock.\n"
    )
    assert recipe.name == "Creamy Tomato Soup"
    assert recipe.servings == 4
    assert "200 °C" in recipe.steps[0].instruction


JAPANESE_DOTS = """やみつき！鶏むね肉のチーズ焼き🧀

【材料】2人分
・鶏むね肉…1枚
・塩こしょう…少々
・片栗粉…大さじ2
・ピザ用チーズ…40g

【作り方】
1.鶏むね肉をそぎ切りにして塩こしょうをふる。
2.片栗粉をまぶしてフライパンで焼く。
"""

KOREAN = """초간단 계란볶음밥 🍳

재료 (1인분)
밥 1공기
계란 2개
간장 1큰술

만드는 법
1. 팬에 기름을 두르고 계란을 볶는다.
2. 밥을 넣고 간장으로 간한다.
"""


def test_japanese_dot_leaders_and_middle_dot_bullets() -> None:
    recipe = parse_caption(JAPANESE_DOTS)
    rows = [(i.food, i.amount, i.unit, i.note) for i in recipe.ingredients]
    assert rows == [
        ("鶏むね肉", 1, "枚", None),
        ("塩こしょう", None, None, "少々"),
        ("片栗粉", 2, "大さじ", None),
        ("ピザ用チーズ", 40, "g", None),
    ]
    assert recipe.servings == 2
    assert len(recipe.steps) == 2


def test_korean_counters_and_spoons() -> None:
    recipe = parse_caption(KOREAN)
    rows = [(i.food, i.amount, i.unit) for i in recipe.ingredients]
    assert rows == [("밥", 1, "공기"), ("계란", 2, "개"), ("간장", 1, "큰술")]
    assert recipe.servings == 1
    assert recipe.language == "ko"


def test_food_first_lines_with_dash_or_colon() -> None:
    recipe = parse_caption(
        "Cookies\n\nIngredients:\nFlour - 200g\nSugar: 100 g\n"
        "Butter – 100 g\n1 egg\n\nMix, shape, bake 12 min at 180 °C."
    )
    assert [(i.amount, i.unit, i.food) for i in recipe.ingredients] == [
        (200, "g", "Flour"),
        (100, "g", "Sugar"),
        (100, "g", "Butter"),
        (1, None, "egg"),
    ]
    assert [s.instruction for s in recipe.steps] == ["Mix, shape, bake 12 min at 180 °C."]


def test_amounts_inside_prose_without_any_list() -> None:
    recipe = parse_caption(
        "Crepes in 5 minutes 🥞\n\nAll you need is 2 eggs, 100 g flour, "
        "1 tbsp sugar and 200 ml milk. Whisk everything together and fry "
        "thin crepes in a hot buttered pan.\n\n#crepes"
    )
    assert [(i.amount, i.unit, i.food) for i in recipe.ingredients] == [
        (2, None, "eggs"),
        (100, "g", "flour"),
        (1, "tbsp", "sugar"),
        (200, "ml", "milk"),
    ]
    assert recipe.name == "Crepes in 5 minutes"


def test_a_compound_word_is_named_by_its_last_part() -> None:
    recipe = parse_caption(
        "Suppe\n\nZutaten:\n1 Zwiebel\n500 ml Gemüsefond\n\nZubereitung:\n"
        "1. Zwiebel würfeln und anbraten.\n2. Mit dem Fond aufgießen.\n"
    )
    assert [[i.food for i in s.ingredients] for s in recipe.steps] == [["Zwiebel"], ["Gemüsefond"]]


def test_star_bullets_food_first_amounts_and_footnotes() -> None:
    recipe = parse_caption(
        "(2M views!) Lemon honey 🍋\n\n*sugar 400g\n*lemon juice 70g\n"
        "*water 200\n*we added more water at the end, but you can add it now\n"
        "Mix everything and keep it in the fridge."
    )
    assert recipe.name == "Lemon honey"
    assert [(i.food, i.amount, i.unit) for i in recipe.ingredients] == [
        ("sugar", 400, "g"),
        ("lemon juice", 70, "g"),
        ("water", 200, None),
    ]
    assert [s.instruction for s in recipe.steps] == ["Mix everything and keep it in the fridge."]


def test_step_words_heres_how_and_french_elision() -> None:
    recipe = parse_caption(
        "Tarta de queso 🧀 Para 8 personas\n\nIngredientes:\n"
        "- 500 g de queso\n- 3 huevos\n- 2 gousses d'ail\n\n"
        "Paso 1: Precalienta el horno a 200 °C.\n"
        "Paso 2: Mezcla todo y hornea 40 minutos.\n"
    )
    assert [s.instruction for s in recipe.steps] == [
        "Precalienta el horno a 200 °C.",
        "Mezcla todo y hornea 40 minutos.",
    ]
    assert recipe.ingredients[-1].food == "ail"
    recipe = parse_caption(
        "Orzo\n\nYou'll need:\n1 cup orzo\n3 cups stock\n1 lemon\n\n"
        "Here's how:\nToast the orzo, then pour in the stock.\nAdd lemon.\n"
    )
    assert not any(i.is_header for i in recipe.ingredients)
    assert len(recipe.steps) == 2


def test_a_translated_second_list_is_dropped() -> None:
    recipe = parse_caption(
        "Pfannkuchen / Pancakes\n\nZutaten:\n200 g Mehl\n2 Eier\n"
        "300 ml Milch\n\nIngredients:\n200 g flour\n2 eggs\n300 ml milk\n"
    )
    assert [i.food for i in recipe.ingredients] == ["Mehl", "Eier", "Milch"]


def test_noise_is_cut_out_of_a_title_line_and_time_lines_are_no_titles() -> None:
    recipe = parse_caption(
        "Käsekuchen ohne Boden 😍 Werbung | Rezept speichern nicht vergessen!"
        "\n\n"
        "Zubereitungszeit: 15 Minuten | Backzeit: 50 Minuten\n\n"
        "Zutaten:\n• 1 kg Magerquark\n• 150 g Zucker\n• 4 Eier\n\n"
        "So geht’s:\n1. Alles glatt rühren.\n2. 50 Minuten backen.\n"
    )
    assert recipe.name == "Käsekuchen ohne Boden"
    assert (recipe.working_time, recipe.waiting_time) == (15, 50)
    assert len(recipe.steps) == 2


def test_an_emoji_line_after_numbered_steps_closes_the_method() -> None:
    recipe = parse_caption(
        "Soup\n\nIngredients:\n- 1 l stock\n- 2 carrots\n- 1 onion\n\n"
        "Steps:\n1. Chop everything.\n2. Simmer for 20 minutes.\n\n"
        "📩 I'd love to see your version!\n"
    )
    assert [s.instruction for s in recipe.steps] == ["Chop everything.", "Simmer for 20 minutes."]
