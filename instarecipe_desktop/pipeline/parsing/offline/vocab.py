"""Words a cook recognises, in several languages: section headers, units, vague amounts.

Everything here is data; the rules that use it live in the other modules. Words are matched
case-insensitively unless a table says otherwise.
"""

from __future__ import annotations

import re


def word_set(text: str) -> frozenset[str]:
    """A set of words from a whitespace-separated block (easier to read and extend)."""
    return frozenset(text.split())


# --- section headers -------------------------------------------------------------------------

INGREDIENT_HEADERS = (
    r"ingredients?(?:\s+list)?",
    r"what\s+you(?:'|’)?ll\s+need",
    r"what\s+you\s+need",
    r"here(?:'|’)?s\s+what\s+you(?:'|’)?(?:ll)?\s+need",
    r"you(?:'|’)?ll\s+need",
    r"you\s+will\s+need",
    r"shopping\s+list",
    r"grocery\s+list",
    r"zutaten",
    r"du\s+brauchst",
    r"ihr\s+braucht",
    r"einkaufsliste",
    r"ingredientes",
    r"necesitas",
    r"ingredienti",
    r"occorrente",
    r"ingrédients",
    r"ingredients\s+needed",
    r"ingrediënten",
    r"składniki",
    r"ingredienser",
    r"材料",
    r"食材",
    r"用料",
    r"재료",
    r"malzemeler",
    r"benodigdheden",
    r"ce\s+qu(?:'|’)il\s+(?:vous|te)\s+faut",
    r"das\s+brauchst\s+du",
    r"das\s+braucht\s+ihr",
    r"lo\s+que\s+necesitas",
)
# headers that also open packing lists and shopping hauls: a list under them needs a measure or
# a cooking method to count as a recipe
WEAK_INGREDIENT_HEADERS = (
    r"what\s+you",
    r"here(?:'|’)?s\s+what",
    r"you(?:'|’)?ll\s+need",
    r"you\s+will\s+need",
    r"shopping\s+list",
    r"grocery\s+list",
    r"einkaufsliste",
    r"du\s+brauchst",
    r"ihr\s+braucht",
    r"necesitas",
)
# a line that is ONLY one of these words opens the ingredient list ("[Recipe]", "【レシピ】")
RECIPE_WORD_HEADERS = (
    r"recipe",
    r"the\s+recipe",
    r"rezept",
    r"receta",
    r"ricetta",
    r"recette",
    r"レシピ",
    r"食谱",
    r"配方",
)
STEP_HEADERS = (
    r"method",
    r"methods",
    r"instructions?",
    r"directions?",
    r"steps?",
    r"preparation",
    r"how\s+to\s+make(?:\s+it)?(?:\s+yourself)?",
    r"how\s+to",
    r"procedure",
    r"here(?:'|’)?s\s+how",
    r"here\s+is\s+how",
    r"how\s+i\s+made\s+it",
    r"the\s+method",
    r"así\s+se\s+hace",
    r"cómo\s+hacerl[ao]",
    r"modo\s+de\s+hacer",
    r"come\s+si\s+fa",
    r"zubereitung",
    r"anleitung",
    r"so\s+geht(?:'|’)?s",
    r"schritte",
    r"so\s+wird(?:'|’)?s\s+gemacht",
    r"preparación",
    r"preparacion",
    r"elaboración",
    r"elaboracion",
    r"pasos",
    r"instrucciones",
    r"modo\s+de\s+preparación",
    r"procedimento",
    r"preparazione",
    r"istruzioni",
    r"préparation",
    r"étapes",
    r"作り方",
    r"手順",
    r"做法",
    r"步骤",
    r"方法",
    r"만드는\s*법",
    # Portuguese, Latin-American Spanish, Dutch, Turkish, Korean
    r"modo\s+de\s+prepar[oa]",
    r"modo\s+de\s+fazer",
    r"preparo",
    r"como\s+fazer",
    r"c[óo]mo\s+se\s+hace",
    r"c[óo]mo\s+prepararl[ao]",
    r"paso\s+a\s+paso",
    r"procedimiento",
    r"bereiding",
    r"bereidingswijze",
    r"werkwijze",
    r"yapılışı",
    r"hazırlanışı",
    r"yapılışı\s+için",
    r"조리\s*방법",
    r"만들기",
    r"la\s+recette",
    # Polish, Danish, Swedish, Norwegian, Dutch (issue 13: their steps vanished into the list)
    r"przygotowanie",
    r"spos[óo]b\s+przygotowania",
    r"fremgangsm[åa]de",
    r"fremgangsm[åa]te",
    r"g[öo]r\s+s[åa]\s+h[äa]r",
    r"s[åa]\s+h[äa]r\s+g[öo]r\s+du",
    r"tillagning",
    r"slik\s+gj[øo]r\s+du",
    r"zo\s+maak\s+je\s+(?:ze|het|dit)",
)
# sections that are neither ingredients nor steps; they end the section before them
OTHER_HEADERS = (
    r"macros?",
    r"macro\s+breakdown",
    r"nutrition(?:al)?(?:\s+info(?:rmation)?|\s+facts)?",
    r"calories(?:\s+and\s+macros)?",
    r"nährwerte",
    r"naehrwerte",
    r"valores\s+nutricionales",
    r"valori\s+nutrizionali",
    r"notes?",
    r"tips?",
    r"tipps?",
    r"hinweise?",
    r"consejos",
    r"recipe\s+notes",
    r"storage",
)

# --- units -------------------------------------------------------------------------------------
# canonical -> spellings (lower case, without a trailing dot). Canonical names follow the
# caption's unit in its usual short form; language-specific spoon units keep their own name.
UNITS: dict[str, tuple[str, ...]] = {
    "g": (
        "g",
        "gr",
        "grs",
        "gram",
        "grams",
        "gramm",
        "gramos",
        "grammi",
        "grammes",
        "gramme",
        "克",
    ),
    "kg": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramm"),
    "mg": ("mg",),
    "ml": (
        "ml",
        "mls",
        "milliliter",
        "milliliters",
        "millilitre",
        "millilitres",
        "mililitros",
        "毫升",
    ),
    "cl": ("cl",),
    "dl": ("dl",),
    "l": ("l", "liter", "liters", "litre", "litres", "litro", "litros", "litri", "ltr"),
    "cup": (
        "cup",
        "cups",
        "c",
        "tasse",
        "tassen",
        "taza",
        "tazas",
        "tazza",
        "tazze",
        "カップ",
        "xícara (chá)",
        "xícaras (chá)",
        "xícara",
        "xícaras",
        "su bardağı",
        "kopje",
        "kopjes",
        "szklanka",
        "szklanki",
        "szklanek",
    ),
    "tbsp": (
        "colher (sopa)",
        "colheres (sopa)",
        "colher de sopa",
        "colheres de sopa",
        "yemek kaşığı",
        "eetlepel",
        "eetlepels",
        "tbsp",
        "tbsps",
        "tbs",
        "tbl",
        "tbls",
        "tblsp",
        "tablespoon",
        "tablespoons",
        "cda",
        "cdas",
        "cucharada",
        "cucharadas",
        "cucchiaio",
        "cucchiai",
        "c.s",
        "cs",
        "cuillère à soupe",
        "cuillères à soupe",
        "càs",
        "c. à s",
        "c.à.s",
        "c. à soupe",
        # Danish, Norwegian, Swedish, Polish (issue 13)
        "spsk",
        "msk",
        "ss",
        "łyżka",
        "łyżki",
        "łyżek",
    ),
    "tsp": (
        "colher (chá)",
        "colheres (chá)",
        "colher de chá",
        "colheres de chá",
        "çay kaşığı",
        "tatlı kaşığı",
        "theelepel",
        "theelepels",
        "cdita",
        "cditas",
        "tsp",
        "tsps",
        "tspn",
        "teaspoon",
        "teaspoons",
        "cdta",
        "cdtas",
        "cucharadita",
        "cucharaditas",
        "cucchiaino",
        "cucchiaini",
        "c.c",
        "cc",
        "cuillère à café",
        "cuillères à café",
        "càc",
        "c. à c",
        "c.à.c",
        "c. à café",
        "tsk",
        "ts",
        "łyżeczka",
        "łyżeczki",
        "łyżeczek",
    ),
    "EL": ("el", "esslöffel", "essloeffel", "essl"),
    "TL": ("tl", "teelöffel", "teeloeffel", "teel"),
    "大さじ": ("大さじ",),
    "小さじ": ("小さじ",),
    "lb": ("lb", "lbs", "pound", "pounds"),
    "oz": ("oz", "ounce", "ounces"),
    "fl oz": ("fl oz", "fl. oz", "fluid ounce", "fluid ounces"),
    "pt": ("pint", "pints", "pt"),
    "qt": ("quart", "quarts", "qt"),
    "gal": ("gallon", "gallons"),
    "clove": (
        "clove",
        "cloves",
        "zehe",
        "zehen",
        "knoblauchzehe",
        "knoblauchzehen",
        "spicchio",
        "spicchi",
        "diente",
        "dientes",
        "gousse",
        "gousses",
        "dente",
        "dentes",
        "teentje",
        "teentjes",
        "fed",
        "klyfta",
        "klyftor",
        "ząbek",
        "ząbki",
    ),
    "pinch": (
        "pinch",
        "pinches",
        "prise",
        "prisen",
        "pizzico",
        "pizzichi",
        "pizca",
        "pizcas",
        "pincée",
        "pincées",
        "pitada",
        "pitadas",
        "snufje",
        "knivspids",
        "nypa",
        "klype",
        "szczypta",
    ),
    "dash": ("dash", "dashes", "spritzer", "schuss"),
    "splash": ("splash", "splashes"),
    "squeeze": ("squeeze", "squeezes"),
    "drop": ("drop", "drops", "tropfen"),
    "handful": ("handful", "handfuls", "handvoll", "puñado", "manciata"),
    "piece": (
        "piece",
        "pieces",
        "pc",
        "pcs",
        "stück",
        "stk",
        "pezzo",
        "pezzi",
        "pieza",
        "piezas",
        "pièce",
        "pièces",
        "stuk",
        "stuks",
        "szt",
    ),
    "pot": ("pot", "pots"),
    "slice": (
        "slice",
        "slices",
        "scheibe",
        "scheiben",
        "fetta",
        "fette",
        "rebanada",
        "rebanadas",
        "tranche",
        "tranches",
    ),
    "can": (
        "can",
        "cans",
        "tin",
        "tins",
        "dose",
        "dosen",
        "lata",
        "latas",
        "lattina",
        "boîte",
        "dåse",
        "dåser",
        "burk",
        "boks",
        "blik",
        "puszka",
    ),
    "jar": ("jar", "jars", "glas", "frasco", "barattolo"),
    "bottle": ("bottle", "bottles", "flasche", "botella"),
    "pack": (
        "pack",
        "packs",
        "package",
        "packages",
        "packet",
        "packets",
        "pkg",
        "päckchen",
        "packung",
        "pck",
        "pkt",
        "paquete",
        "sobre",
        "sobres",
        "bustina",
    ),
    "bunch": ("bunch", "bunches", "bund", "mazzo", "manojo"),
    "sprig": ("sprig", "sprigs", "zweig", "zweige", "ramita", "ramitas", "rametto"),
    "stalk": ("stalk", "stalks", "stange", "stangen", "tallo", "tallos"),
    "raja": ("raja", "rajas"),
    "bulb": ("bulb", "bulbs", "knolle", "knollen", "cabeza", "cabezas"),
    "block": ("block", "blocks"),
    "stick": ("stick", "sticks"),
    "head": ("head", "heads", "kopf"),
    "cube": ("cube", "cubes", "würfel"),
    "sheet": ("sheet", "sheets"),
    "scoop": ("scoop", "scoops", "messlöffel"),
    "shot": ("shot", "shots"),
    "leaf": ("leaf", "leaves", "blatt", "blätter", "hoja", "hojas"),
    "becher": ("becher",),
    "큰술": ("큰술", "숟가락"),
    "작은술": ("작은술",),
    "개": ("개",),
    "꼬집": ("꼬집",),
    "個": ("個",),
    "杯": ("杯",),
    "bicchiere": ("bicchiere", "bicchieri"),
    "verre": ("verre", "verres"),
    "vaso": ("vaso", "vasos"),
    "枚": ("枚",),
    "本": ("本",),
    "片": ("片",),
    "かけ": ("かけ",),
    "合": ("合",),
    "袋": ("袋",),
    "株": ("株",),
    "束": ("束",),
    "房": ("房",),
    "缶": ("缶",),
    "パック": ("パック",),
}
# measure units (mass, volume, spoons): a line with one of these is surely an ingredient line;
# counts like "piece" or "slice" also describe suitcases and photos
MEASURE_UNITS = frozenset(
    {
        "g",
        "kg",
        "mg",
        "ml",
        "cl",
        "dl",
        "l",
        "cup",
        "tbsp",
        "tsp",
        "EL",
        "TL",
        "大さじ",
        "小さじ",
        "큰술",
        "작은술",
        "lb",
        "oz",
        "fl oz",
        "pt",
        "qt",
        "gal",
        "clove",
        "pinch",
        "dash",
        "splash",
        "squeeze",
        "drop",
        "handful",
        "sprig",
        "stalk",
        "can",
        "jar",
        "pack",
        "bunch",
        "scoop",
    }
)
# units that may stand without a number and then mean one: "Dash of cinnamon", "Prise Salz"
UNITS_WITHOUT_NUMBER = frozenset({"pinch", "dash", "splash", "squeeze", "handful", "drop", "bunch"})
# Case-sensitive one-letter spellings right after a number: "1 1/4C", "2T", "1t"
CASE_SENSITIVE_UNITS = {"C": "cup", "T": "tbsp", "t": "tsp"}

UNIT_LOOKUP: dict[str, str] = {
    spelling: canon for canon, spellings in UNITS.items() for spelling in spellings
}
# the unit spellings as one regex alternation, longest first (so "tbsp" beats "t")
_SPELLINGS = sorted(UNIT_LOOKUP, key=len, reverse=True)
UNIT_PATTERN = "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in _SPELLINGS)

# Japanese spoon units come BEFORE the number ("大さじ２")
PREFIX_UNITS = ("大さじ", "小さじ", "カップ")

# --- amounts in words --------------------------------------------------------------------------
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "half": 0.5,
    "half a": 0.5,
    "ein": 1,
    "eine": 1,
    "einen": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "halbe": 0.5,
    "un": 1,
    "una": 1,
    "uno": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "due": 2,
    "tre": 3,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "yarım": 0.5,
    "bir": 1,
    "iki": 2,
    "üç": 3,
    "meio": 0.5,
    "meia": 0.5,
    "um": 1,
    "uma": 1,
    "een": 1,
    "halve": 0.5,
    "twee": 2,
    "drie": 3,
}

# phrases meaning "as much as you like": the ingredient has no amount, the phrase is its note
TO_TASTE = (
    r"to\s+taste",
    r"as\s+needed",
    r"as\s+required",
    r"for\s+seasoning",
    r"nach\s+geschmack",
    r"nach\s+belieben",
    r"nach\s+bedarf",
    r"al\s+gusto",
    r"a\s+gusto",
    r"c\.?\s?n\.?",
    r"cantidad\s+necesaria",
    r"q\.?\s?b\.?",
    r"quanto\s+basta",
    r"à\s+volonté",
    r"au\s+goût",
    r"selon\s+(?:le\s+)?goût",
    r"適量",
    r"少々",
    r"お好みで",
    r"适量",
    r"少许",
)
# vague amounts written before the food: no number, kept as the note ("etwas Zucker")
VAGUE_AMOUNTS = (
    r"some",
    r"a\s+little",
    r"a\s+bit\s+of",
    r"a\s+few",
    r"a\s+couple\s+of",
    r"etwas",
    r"ein\s+wenig",
    r"einige",
    r"un\s+poco\s+de",
    r"algo\s+de",
    r"un\s+po(?:'|’)?\s+di",
    r"qualche",
    r"un\s+peu\s+de",
    r"quelques",
)
OPTIONAL_WORDS = (
    r"optional",
    r"optionally",
    r"opcional",
    r"facoltativo",
    r"optionnel",
    r"wahlweise",
    r"nach\s+wahl",
    r"お好みで",
)

# first words of a comma tail that make it a note, not another ingredient
NOTE_WORDS = word_set("""
chopped diced minced sliced grated shredded peeled cut cubed crushed julienned halved quartered
thinly finely roughly coarsely lightly freshly beaten melted softened cooked uncooked drained
rinsed trimmed divided separated room at to for plus or about approx approximately optional as
packed heaping level thawed hydrated seeded deseeded pitted cored torn zested juiced mashed
sifted toasted roasted warmed boiled soaked cleaned washed in into of such like if preferably
ideally see gehackt gewürfelt geschnitten gerieben geschält fein grob klein zerlassen weich etwa
ca gekocht halbiert picados picadas cortados cortadas rallados ralladas pelados peladas
troceados troceadas tritati tritata tagliati tagliata gehackte gewürfelte geschnittene geriebene
hachés hachées coupés coupées râpés picado picada cortado cortada rallado rallada pelado pelada
troceado en al opcional tritato tagliato grattugiato sbucciato haché hachée coupé coupée râpé
épluché émincé
""")

# verbs (and a few nouns) of cooking: a paragraph with one of them is a method step
COOKING_WORDS = word_set("""
add mix stir combine whisk beat fold blend pour place put heat preheat bake roast cook boil
simmer fry saute sauté sear grill toast broil steam microwave chill refrigerate freeze cool
serve garnish top sprinkle season drizzle spread slice chop dice mince cut peel grate shred mash
knead roll shape form fill wrap coat dip marinate soak rinse drain strain squeeze muddle shake
remove transfer let rest cover bring reduce melt toss arrange layer assemble smash line flip
divide enjoy store air-fry airfry blitz process pulse whip brush scoop press vermengen verrühren
mischen rühren backen kochen braten würfeln schneiden hacken geben hinzufügen köcheln erhitzen
abschmecken servieren anrichten streuen ausstreichen belegen garen ziehen lassen schälen reiben
verteilen mezcla mezclar añade añadir bate batir pela pelar pica picar corta cortar cocina
cocinar hornea hornear fríe freír calienta calentar sirve servir cuaja deja remueve confita
precalienta precalentar mescola mescolare aggiungi aggiungere cuoci cuocere taglia tagliare
inforna infornare mélanger ajouter cuire couper verser mélangez ajoutez faites
焼く 煮る 切る 混ぜる 加える 入れる
unisci unire versa versare tosta tostare sfuma sfumare manteca mantecare rosola rosolare
soffriggi trita tritare frulla frullare scola scolare impasta impastare lessa lessare
condisci condire servi spolvera aggiungere pesta trifola sbatti monta inforna
faites versez coupez émincez hachez fouettez incorporez enfournez salez poivrez laissez
servez égouttez chauffez préchauffez battez étalez remuez saupoudrez
añade agrega agregá mezclá tritura trocea sofríe saltea hierve escurre cuela machaca
sazona licúa revuelve unta calienta precalienta
misture mexa adicione acrescente junte leve asse frite refogue bata coloque despeje
sirva ferva escorra
snijd bak kook roer voeg meng giet verwarm schil stamp
doğrayın ekleyin karıştırın pişirin kavurun
""")

# lines that are about the post, not the recipe
NOISE_PATTERNS = (
    r"link\s+in\s+(?:my\s+)?bio",
    r"\blink\s+im\s+profil",
    r"\benlace\s+en\s+(?:la\s+)?bio",
    r"\bcomment\b.{0,40}\b(?:dm|send|recipe|link)",
    r"\bkommentier",
    r"\bcomenta\b",
    r"\bcommenta\b",
    r"\bper\s+dm\b",
    r"\bvia\s+dm\b",
    r"\bby\s+dm\b",
    r"\b(?:use|with|my)\s+(?:promo\s+)?code\b",
    r"\bpromo\s*code\b",
    r"\bdiscount\s+code\b",
    r"\brabattcode\b",
    r"\bcódigo\b",
    r"\bcodice\s+sconto\b",
    r"\baffiliate\b",
    r"\bfollow\s+(?:me|us|@)",
    r"\bseguimi\b",
    r"\bseguici\b",
    r"\bseguime\b",
    r"\bsígame\b",
    r"\bme\s+siga\b",
    r"\bsiga\s+@",
    r"\bsuivez[-\s]moi\b",
    r"\babonne[-\s]toi\b",
    r"\bvolg\s+(?:mij|ons)\b",
    r"\btakip\s+et\b",
    r"\bfolge\s+(?:mir|uns)\b",
    r"\bsíguenos\b",
    r"\bsígueme\b",
    r"\bsave\s+(?:this|it)\b",
    r"\bspeicher\w*\b",
    r"\bguárdal[ao]\b",
    r"\bsalva\s+(?:il|la)\b",
    r"\btag\s+(?:me|a\s+friend|someone)\b",
    r"\bshare\s+(?:this|with)\b",
    r"\boriginal\s+video\b",
    r"\bcredit\b",
    r"\bad\b\s*$",
    r"\banzeige\b",
    r"\bwerbung\b",
    r"\bsponsored\b",
    # a sign-off line on its own: "Cheers! 🍋", "Bon appétit !", "Guten Appetit"
    r"^\W*(?:cheers|bon\s+app[ée]tit|buon\s+appetito|guten\s+appetit|eet\s+smakelijk|"
    r"afiyet\s+olsun|buen\s+provecho|bom\s+apetite|salud|prost|santé|itadakimasu|"
    r"いただきます|맛있게\s*드세요)\W*$",
)

# words saying a list without a header is no recipe (a haul, a prize list, a nutrition fact);
# they only count when there is no ingredient header and no cooking method
NOT_A_RECIPE_CUES = (
    r"\bhaul\b",
    r"\bgrocer(?:y|ies)\b",
    r"\bgiveaway\b",
    r"\bwhat\s+(?:we|i)\s+(?:ordered|"
    r"bought|got)\b",
    r"\bdid\s+you\s+know\b",
    r"\btips?\s+of\s+the\s+day\b",
    r"\beinkauf\b",
    r"\b(?:ein)?gekauft\b",
    r"\bi\s+bought\b",
    r"\bbought\s+today\b",
    r"\bcompré\b",
    r"\bho\s+comprato\b",
    r"\bj['’]ai\s+acheté\b",
    r"\bwusstest\s+du\b",
    r"\bsabías\s+que\b",
    r"\blo\s+sapevi\b",
    r"\bsaviez[-\s]vous\b",
    r"\bcompra\s+(?:semanal|del\s+súper)\b",
    r"\bspesa\b",
    r"\bcourses\b",
)

NUTRITION_WORDS = (
    r"kcal",
    r"calories?",
    r"cals?",
    r"protein",
    r"proteins",
    r"carbs?",
    r"carbohydrates?",
    r"fat",
    r"fats",
    r"fib(?:er|re)",
    r"sodium",
    r"macros?",
    r"eiweiß",
    r"eiweiss",
    r"kohlenhydrate",
    r"fett",
    r"kh",
    r"ballaststoffe",
    r"proteínas?",
    r"calorías",
    r"grasas",
    r"carbohidratos",
    r"proteine",
    r"grassi",
    r"carboidrati",
)

# --- evidence for a best-effort recipe and for titles ---------------------------------------

# the caption says its author made the dish: a bare list after it may be the ingredients
MAKING_CUES = (
    r"made",
    r"make",
    r"making",
    r"homemade",
    r"home-made",
    r"cooked",
    r"baked",
    r"recipe",
    r"gemacht",
    r"selbstgemacht",
    r"gekocht",
    r"gebacken",
    r"rezept",
    r"hecho",
    r"receta",
    r"fatto",
    r"ricetta",
    r"fait(?:\s+maison)?",
    r"recette",
    r"feito",
    r"receita",
    r"gemaakt",
    r"zelfgemaakt",
    r"recept",
)
# a list of dishes from somewhere else: a restaurant, a bar, a menu with prices
NOT_HOME_CUES = (
    r"\btried\b",
    r"\bordered\b",
    r"\brestaurants?\b",
    r"\bmenu\b",
    r"\bvisit(?:ed|ing)?\b",
    r"\bcheck\s+(?:this|it)\s+out\b",
    r"\b(?:place|spot|bar|café|cafe|tavern|shop|store|market)\b",
    r"📍",
    r"[$€£¥]\s?\d",
    r"\d\s?(?:yen|usd|eur|dollars?|euros?)\b",
)
# foods nearly every kitchen has: two of them in a bare list make it an ingredient list
PANTRY_WORDS = word_set("""
salt pepper water oil sugar flour butter egg eggs garlic onion onions carrot carrots cabbage
tomato tomatoes milk cream cheese rice potato potatoes lemon chicken beef pork broth stock
vinegar honey ginger celery
salz pfeffer wasser öl zucker mehl eier knoblauch zwiebel zwiebeln karotten möhren milch sahne
reis kartoffeln zitrone
sal pimienta agua aceite azúcar harina huevos ajo cebolla tomate
sale pepe acqua olio zucchero farina uova aglio cipolla
sel poivre eau huile sucre farine œufs ail oignon oignons
zout peper olie suiker bloem eieren knoflook ui uien
pimenta água azeite açúcar farinha ovos alho
""")
# a first line that is a hook, not the dish's name ("You'll never believe how easy this is")
TITLE_HOOKS = (
    r"you(?:'|’)?ll\s+never\s+(?:believe|guess|see)",
    r"you\s+won(?:'|’)?t\s+believe",
    r"you\s+(?:need|have)\s+to\s+try",
    r"wait\s+(?:for|till|until)\s+(?:it|the\s+end)",
    r"save\s+this",
    r"stop\s+scrolling",
    r"this\s+is\s+your\s+sign",
    r"trust\s+me",
    r"game[\s-]?changer",
    r"pov\b",
    r"recipe\s+below",
    r"(?:full\s+)?recipe\s+in\s+(?:the\s+)?(?:caption|comments?)",
    r"late\s+night\s+craving",
    r"vous\s+n(?:'|’)allez\s+(?:jamais|pas)",
    r"ihr\s+werdet\s+(?:es\s+)?nicht\s+glauben",
    r"das\s+müsst\s+ihr\s+probieren",
    r"non\s+ci\s+crederai",
    r"no\s+vas\s+a\s+creer",
    r"je\s+gelooft\s+(?:het\s+)?nooit",
)
