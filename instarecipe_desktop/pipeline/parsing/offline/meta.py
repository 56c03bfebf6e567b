"""Title, servings, times and language of a caption."""

from __future__ import annotations

import re

from instarecipe_desktop.pipeline.parsing.offline import text as tx
from instarecipe_desktop.pipeline.parsing.offline import vocab

_GENERIC_TITLE = re.compile(
    r"\b(?:full\s+(?:written\s+)?recipe|recipe\s+(?:below|here|in\s+(?:the\s+)?(?:caption|"
    r"comments?))|ingredients\s+below|written\s+recipe|rezept\s+(?:unten|hier)|receta\s+abajo"
    r"|here'?s\s+the\s+recipe)\b",
    re.IGNORECASE,
)
_CREDIT = re.compile(r"\b(?:adapted\s+from|recipe\s+by|inspired\s+by|credit|via)\b", re.IGNORECASE)
# an abbreviation's full stop ("St. Patrick's", "Mrs. Smith's") ends no sentence
_ABBREVIATION = r"(?<!\bSt)(?<!\bMt)(?<!\bDr)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bNo)"
_HEAD_CUT = re.compile(rf"\s+[|｜/]\s+|\s+[-–—]\s+|[!！?？。]|{_ABBREVIATION}\.\s|:\s")
_HOOK = re.compile(rf"^\W*(?:{'|'.join(vocab.TITLE_HOOKS)})", re.IGNORECASE)
# "What my mom made for dinner: fat burning soup!": the dish is after the colon
_COLON_TAIL = re.compile(r":\s+(?P<tail>[^:!?.]{3,60})[!.]*\s*$")


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
    title = tx.collapse(tx.strip_symbols(title)).strip(' ,.:;-–—*"“”')
    # "(serves 4)", "(für 2 Personen)": servings, not part of the name
    title = re.sub(r"\s*\((?=[^)]*\d)[^)]*\)\s*$", "", title).strip() or title
    if title.isupper() and len(title) > 3:
        title = " ".join(w.capitalize() if w.isalpha() or "-" in w else w for w in title.split())
        title = "-".join(p[:1].upper() + p[1:] for p in title.split("-"))
    return title[:120]


def _title_cased(text: str) -> bool:
    """Most words capitalised (short words like "and", "de", "aka" do not count)."""
    words = [w.strip("\"“”'‘(") for w in text.split()]
    words = [w for w in words if w[:1].isalpha() and not (len(w) <= 3 and w.islower())]
    if not words:
        return tx.has_cjk(text)
    upper = sum(1 for w in words if w[:1].isupper() or tx.has_cjk(w[:1]))
    return upper >= 0.6 * len(words)


def pick_title(intro: list[str], full_text: str) -> str:
    """The dish's name: a framed short line ("🔥 Ofensuppe 🔥", between rules, numbered),
    else the first line's head when something visibly ends it (emoji, " | ", "!")."""
    best, best_score = "", 0
    intro = _without_hooks(intro)
    for index, line in enumerate(intro[:12]):
        if RULE_LINE.fullmatch(line.strip()):
            continue
        bracket = re.match(r"^\s*[【\[「『]([^】\]」』]{1,40})[】\]」』]", line)
        if bracket and index == 0:
            return _tidy(bracket.group(1))
        line = re.sub(r"^\s*\([^)]*\)\s*", "", line)  # "(20M views!) Two lemonades"
        cleaned = tx.collapse(tx.strip_symbols(tx.strip_tags(line)))
        if (
            _GENERIC_TITLE.search(cleaned)
            or cleaned.endswith("?")
            or _CREDIT.search(cleaned)
            or not cleaned
            or _PREP.search(cleaned)
            or _COOK.search(cleaned)
        ):
            continue
        numbered = re.match(r"^\d{1,3}[.)]\s+(?=\D)", cleaned)
        if numbered:
            cleaned = cleaned[numbered.end() :]
        words = tx.words(cleaned)
        stripped = line.strip()
        framed = (
            bool(numbered)
            or (tx.is_symbol(stripped[0]) and tx.is_symbol(stripped[-1]))
            or _between_rules(intro, index)
        )
        score = 0
        if 1 <= len(words) <= 8 and not re.search(r"[.!?,]$", cleaned) and _title_cased(cleaned):
            score = 3 if framed else (2 if index == 0 else 1)
        if score < 2 and index == 0:
            head, was_cut = _head(line)
            personal = re.search(r"\b(?:i|my|we|you|this|if|here)\b", head, re.IGNORECASE)
            tail = _COLON_TAIL.search(tx.collapse(tx.strip_symbols(tx.strip_tags(line))))
            if head and 1 <= len(tx.words(head)) <= 8 and was_cut and not personal:
                score, cleaned = 2, head
            elif personal and tail and 1 <= len(tx.words(tail.group("tail"))) <= 5:
                score, cleaned = 2, tail.group("tail")[:1].upper() + tail.group("tail")[1:]
        if score > best_score:
            best, best_score = cleaned, score
    if best:
        return _tidy(best)
    save = re.search(
        r"\b(?:save|try|make)\s+this\s+(.{3,80}?)\s+recipe\b", full_text, re.IGNORECASE
    )
    if save:
        return _tidy(save.group(1))
    for line in intro[:3]:
        head, _ = _head(re.sub(r"^\s*\([^)]*\)\s*", "", line))
        if head and not _GENERIC_TITLE.search(head):
            return _tidy(" ".join(head.split()[:10]))
    return ""


RULE_LINE = re.compile(r"[-—–_=~.•·*━─]{1,40}")


def _without_hooks(intro: list[str]) -> list[str]:
    """The intro without a hook line ("You'll never see it coming 😱"); a hook that opens a
    line keeps what follows its first emoji or sentence end ("... 😍 Creamy tomato soup")."""
    kept = []
    for line in intro:
        if not _HOOK.match(tx.strip_tags(line)):
            kept.append(line)
            continue
        stripped = line.strip()
        cut = next((i for i, c in enumerate(stripped) if i and tx.is_symbol(c)), None)
        end = _HEAD_CUT.search(stripped)
        if end is not None and (cut is None or end.start() < cut):
            cut = end.end()
        rest = stripped[cut:].lstrip() if cut is not None else ""
        while rest and (tx.is_symbol(rest[0]) or rest[0].isspace()):
            rest = rest[1:]
        if re.search(r"\w", rest):
            kept.append(rest)
    return kept


def _between_rules(intro: list[str], index: int) -> bool:
    before = intro[index - 1].strip() if index > 0 else ""
    after = intro[index + 1].strip() if index + 1 < len(intro) else ""
    return bool(RULE_LINE.fullmatch(before)) and bool(RULE_LINE.fullmatch(after))


_SERVING_NOUNS = (
    r"servings?|serves|portionen|portions?|personen|personnes|personas|persone|"
    r"persons?|people|pers\.?|raciones|porciones|porzioni|parts|stück|stk|"
    r"pieces|slices|人分|人前|인분"
)
_SERVINGS = (
    re.compile(
        r"\b(?:serves|servings?|yields?|makes|portionen|portions?|raciones|porciones|"
        r"porções|porzioni|rende|rinde|rendimiento|rendimento|opbrengst)\s*[:=]?\s*(?:about\s+"
        r"|approx\.?\s+|ca\.?\s+|up\s+to\s+)?(\d{1,2})\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(\d{{1,2}})(?:\s*(?:-|–|to|bis|a)\s*\d{{1,2}})?\s*[„“\"']?(?:{_SERVING_NOUNS})",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:für|fuer|para|per|pour|for)\s+(\d{1,2})\s*(?:-|–|bis|a)?\s*\d{0,2}\s*"
        r"(?:personen|personas|persone|personnes|people|persons|portionen|portions?)",
        re.IGNORECASE,
    ),
)
# a yield in parentheses or opening a line: "(pour 15 crêpes)", "Voor 4: ..."
_YIELD_FOR = re.compile(
    r"(?:^|\()\s*(?:pour|für|fuer|para|per|voor|for)\s+(\d{1,2})\b(?![.,/:]\d)"
    r"(?!\s*(?:min|minutes?|minuten|minutos|minuti|h\b|hours?|°))"
    rf"(?!\s*(?:{vocab.UNIT_PATTERN})\b)",  # "Pour 2 cups of milk"
    re.IGNORECASE,
)
# in the caption's first lines, only the unambiguous serving words ("⏱ 45 min | 🍽 6 servings")
_HEAD_SERVINGS = re.compile(
    r"\b(?:serves|servings?|raciones|porciones)\s*[:=]?\s*(\d{1,2})\b|"
    r"\b(\d{1,2})\s*(?:servings?|portions?|portionen|personen|"
    r"personnes|personas|persone|people|porzioni|raciones|porciones|"
    r"인분|人分|人前)",
    re.IGNORECASE,
)
_PER_ONE = re.compile(
    r"\b(?:per\s+(?:serve|serving|portion|person|meal|bowl)|pro\s+portion|"
    r"por\s+(?:porción|persona)|1\s+serving)\b",
    re.IGNORECASE,
)


def find_servings(texts: list[str], head: list[str] | None = None) -> tuple[int | None, str | None]:
    """A stated number of servings wins over "per serving" (which may be about the macros).

    ``head``: the caption's first lines as written, searched for unambiguous serving words
    only (a meta line "⏱ 45 min | 🍽 6 servings" may have been set aside as a macro line)."""
    for text in texts:
        for regex in (*_SERVINGS, _YIELD_FOR):
            match = regex.search(text)
            if match and 0 < int(match.group(1)) <= 50:
                return int(match.group(1)), tx.collapse(match.group(0))
    for text in head or []:
        match = _HEAD_SERVINGS.search(text)
        if match and 0 < int(match.group(1) or match.group(2)) <= 50:
            return int(match.group(1) or match.group(2)), tx.collapse(match.group(0))
    for text in texts:
        match = _PER_ONE.search(text)
        if match:
            return 1, tx.collapse(match.group(0))
    return None, None


_DURATION = (
    r"(?P<n>\d+(?:[.,]\d+)?)(?:\s*(?:-|–|to|bis)\s*\d+)?\s*(?P<u>h|hrs?|hours?|std\.?|"
    r"stunden?|horas?|ore|heures?|min\.?|mins?|minutes?|minuten?|minutos?|minuti|分)\b"
)
_PREP = re.compile(
    rf"\b(?:prep(?:aration)?(?:\s+time)?|active(?:\s+time)?|arbeitszeit|"
    rf"zubereitungszeit|tiempo\s+de\s+preparación|ready\s+in|fertig\s+in|"
    rf"total(?:\s+time)?|gesamtzeit)\s*[:=]?\s*(?:about\s+|ca\.?\s+|just\s+"
    rf"(?:about\s+)?)?{_DURATION}",
    re.IGNORECASE,
)
_COOK = re.compile(
    rf"\b(?:cook(?:ing)?\s+time|bake\s+time|baking\s+time|backzeit|kochzeit|"
    rf"garzeit|ruhezeit|wartezeit|rest(?:ing)?\s+time|chill(?:ing)?\s+time|"
    rf"tiempo\s+de\s+cocción)\s*[:=]?\s*(?:about\s+|ca\.?\s+)?{_DURATION}",
    re.IGNORECASE,
)


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
    "de": {
        "und",
        "mit",
        "der",
        "die",
        "das",
        "zutaten",
        "zubereitung",
        "el",
        "tl",
        "für",
        "im",
        "den",
        "ein",
        "eine",
    },
    "es": {
        "y",
        "con",
        "de",
        "la",
        "el",
        "los",
        "las",
        "ingredientes",
        "preparación",
        "para",
        "en",
        "al",
    },
    "it": {"e", "con", "di", "il", "la", "ingredienti", "preparazione", "per", "del", "q.b"},
    "fr": {"et", "avec", "de", "la", "le", "les", "ingrédients", "préparation", "pour", "des"},
}


def detect_language(text: str) -> str | None:
    if (
        re.search(r"[\u3040-\u30ff]", text)
        and len(re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]", text)) > 20
    ):
        return "ja"
    if len(re.findall(r"[\uac00-\ud7af]", text)) > 20:
        return "ko"
    if len(re.findall(r"[\u4e00-\u9fff]", text)) > 20:
        return "zh"
    words = tx.words(text)
    scores = {lang: sum(1 for w in words if w in vocab) for lang, vocab in _LANG_WORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= 3 else None
