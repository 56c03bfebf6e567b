"""Title, servings, times and language of a caption."""

from __future__ import annotations

import re

from instarecipe_desktop.pipeline.parsing.offline import text as tx

_GENERIC_TITLE = re.compile(
    r"\b(?:full\s+(?:written\s+)?recipe|recipe\s+(?:below|here|in\s+(?:the\s+)?(?:caption|"
    r"comments?))|ingredients\s+below|written\s+recipe|rezept\s+(?:unten|hier)|receta\s+abajo"
    r"|here'?s\s+the\s+recipe)\b",
    re.IGNORECASE,
)
_HEAD_CUT = re.compile(r"\s+[|｜/]\s+|\s+[-–—]\s+|[!！?？。]|\.\s|:\s")


def _head(line: str) -> tuple[str, bool]:
    """Text before the first emoji / " | " / sentence end; True when something was cut."""
    stripped = tx.strip_tags(line).strip()
    lead = 0
    while lead < len(stripped) and (tx.is_symbol(stripped[lead]) or stripped[lead].isspace()):
        lead += 1
    stripped = stripped[lead:]
    cut = len(stripped)
    for index, char in enumerate(stripped):
        if tx.is_symbol(char):
            cut = index
            break
    match = _HEAD_CUT.search(stripped[:cut])
    if match:
        cut = match.start()
    head = tx.collapse(stripped[:cut]).strip(" ,.:;-–—*\"“”'")
    return head, cut < len(stripped)


def _tidy(title: str) -> str:
    title = tx.collapse(tx.strip_symbols(title)).strip(" ,.:;-–—*\"“”")
    if title.isupper() and len(title) > 3:
        title = " ".join(w.capitalize() if w.isalpha() or "-" in w else w for w in title.split())
        title = "-".join(p[:1].upper() + p[1:] for p in title.split("-"))
    return title[:120]


def pick_title(intro: list[str], full_text: str) -> str:
    lines = [line for line in intro if tx.strip_symbols(tx.strip_tags(line)).strip()]
    for index, line in enumerate(lines[:8]):
        bracket = re.match(r"^\s*[【\[「『]([^】\]」』]{1,40})[】\]」』]", line)
        if bracket and index == 0:
            return _tidy(bracket.group(1))
        cleaned = tx.collapse(tx.strip_symbols(tx.strip_tags(line)))
        if _GENERIC_TITLE.search(cleaned) or cleaned.endswith("?"):
            continue
        head, was_cut = _head(line)
        words = tx.words(head)
        decorated = was_cut or cleaned != line.strip() or head.isupper()
        personal = re.search(r"\b(?:i|my|we|you|this|if|here)\b", head, re.IGNORECASE)
        if head and 1 <= len(words) <= 8 and (decorated or index == 0) and not personal:
            return _tidy(head)
    save = re.search(r"\b(?:save|try|make)\s+this\s+(.{3,80}?)\s+recipe\b", full_text,
                     re.IGNORECASE)
    if save:
        return _tidy(save.group(1))
    for line in lines[:3]:
        head, _ = _head(line)
        if head:
            return _tidy(" ".join(head.split()[:10]))
    return ""


_SERVING_NOUNS = (r"servings?|serves|portions?|portionen|personen|persons?|people|pers\.?|"
                  r"personas|raciones|porciones|persone|porzioni|personnes|parts|stück|stk|"
                  r"pieces|slices|人分|人前")
_SERVINGS = (
    re.compile(r"\b(?:serves|servings?|yields?|makes|portionen|portions?)\s*[:=]?\s*(?:about\s+"
               r"|approx\.?\s+|ca\.?\s+|up\s+to\s+)?(\d{1,2})\b", re.IGNORECASE),
    re.compile(rf"(\d{{1,2}})(?:\s*(?:-|–|to|bis|a)\s*\d{{1,2}})?\s*[„“\"']?(?:{_SERVING_NOUNS})",
               re.IGNORECASE),
    re.compile(r"\b(?:für|fuer|para|per|pour|for)\s+(\d{1,2})\s*(?:-|–|bis|a)?\s*\d{0,2}\s*"
               r"(?:personen|personas|persone|personnes|people|persons|portionen|portions?)",
               re.IGNORECASE),
)
_PER_ONE = re.compile(r"\b(?:per\s+(?:serve|serving|portion|person|meal|bowl)|pro\s+portion|"
                      r"por\s+(?:porción|persona)|1\s+serving)\b", re.IGNORECASE)


def find_servings(texts: list[str]) -> tuple[int | None, str | None]:
    for text in texts:
        for regex in _SERVINGS:
            match = regex.search(text)
            if match:
                value = int(match.group(1))
                if 0 < value <= 50:
                    return value, tx.collapse(match.group(0))
        if _PER_ONE.search(text):
            return 1, tx.collapse(_PER_ONE.search(text).group(0))  # type: ignore[union-attr]
    return None, None


_DURATION = (r"(?P<n>\d+(?:[.,]\d+)?)(?:\s*(?:-|–|to|bis)\s*\d+)?\s*(?P<u>h|hrs?|hours?|std\.?|"
             r"stunden?|horas?|ore|heures?|min\.?|mins?|minutes?|minuten?|minutos?|minuti|分)\b")
_PREP = re.compile(rf"\b(?:prep(?:aration)?(?:\s+time)?|active(?:\s+time)?|arbeitszeit|"
                   rf"zubereitungszeit|tiempo\s+de\s+preparación|ready\s+in|fertig\s+in|"
                   rf"total(?:\s+time)?|gesamtzeit)\s*[:=]?\s*(?:about\s+|ca\.?\s+|just\s+"
                   rf"(?:about\s+)?)?{_DURATION}", re.IGNORECASE)
_COOK = re.compile(rf"\b(?:cook(?:ing)?\s+time|bake\s+time|baking\s+time|backzeit|kochzeit|"
                   rf"garzeit|ruhezeit|wartezeit|rest(?:ing)?\s+time|chill(?:ing)?\s+time|"
                   rf"tiempo\s+de\s+cocción)\s*[:=]?\s*(?:about\s+|ca\.?\s+)?{_DURATION}",
                   re.IGNORECASE)


def _minutes(match: re.Match[str]) -> int:
    value = float(match.group("n").replace(",", "."))
    unit = match.group("u").lower()
    hours = unit.startswith(("h", "std", "stu", "ore"))
    return round(value * 60) if hours else round(value)


def find_times(texts: list[str], steps: list[str]) -> tuple[int | None, int | None]:
    """(working, waiting) minutes from labelled phrases; else the method's stated durations."""
    working = waiting = None
    for text in texts:
        if working is None and (match := _PREP.search(text)):
            working = _minutes(match)
        if waiting is None and (match := _COOK.search(text)):
            waiting = _minutes(match)
    if working is None and waiting is None and steps:
        total = 0
        for step in steps:
            for match in re.finditer(_DURATION, step, re.IGNORECASE):
                total += _minutes(match)
        waiting = total or None
    return working, waiting


_LANG_WORDS = {
    "en": {"the", "and", "with", "add", "of", "to", "cup", "cups", "tbsp", "tsp", "until", "in"},
    "de": {"und", "mit", "der", "die", "das", "zutaten", "zubereitung", "el", "tl", "für", "im",
           "den", "ein", "eine"},
    "es": {"y", "con", "de", "la", "el", "los", "las", "ingredientes", "preparación", "para",
           "en", "al"},
    "it": {"e", "con", "di", "il", "la", "ingredienti", "preparazione", "per", "del", "q.b"},
    "fr": {"et", "avec", "de", "la", "le", "les", "ingrédients", "préparation", "pour", "des"},
}


def detect_language(text: str) -> str | None:
    if re.search(r"[\u3040-\u30ff]", text) and len(re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]",
                                                               text)) > 20:
        return "ja"
    if len(re.findall(r"[\uac00-\ud7af]", text)) > 20:
        return "ko"
    if len(re.findall(r"[\u4e00-\u9fff]", text)) > 20:
        return "zh"
    words = tx.words(text)
    scores = {lang: sum(1 for w in words if w in vocab) for lang, vocab in _LANG_WORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= 3 else None
