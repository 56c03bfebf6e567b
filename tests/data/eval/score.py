#!/usr/bin/env python3
"""Score a recipe parser against hand-labelled Instagram captions.

Usage:
    score.py CAPTIONS_DIR -- COMMAND [ARG ...]

COMMAND is run once per caption with the caption on standard input. It must print one
recipe as JSON on standard output and exit 0, or exit 3 when the text holds no recipe.
The recipe JSON (camelCase) is:

    {"name": str, "servings": int|null, "steps": [{"instruction": str,
      "ingredients": [{"amount": float|null, "unit": str|null, "food": str|null,
                       "note": str|null, "isHeader": bool}]}]}

Ingredients are matched to the labels by food name (fuzzy), in any order; header rows are
skipped. Prints one line per caption and a summary; the last line is machine-readable.
"""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import sys
import time
from pathlib import Path

UNIT_ALIASES = {
    "g": {"g", "gram", "grams", "gr", "gramm"},
    "kg": {"kg", "kilogram", "kilograms"},
    "ml": {"ml", "milliliter", "milliliters", "millilitre", "millilitres"},
    "l": {"l", "liter", "liters", "litre", "litres"},
    "cup": {"cup", "cups", "c"},
    "tbsp": {
        "tbsp",
        "tablespoon",
        "tablespoons",
        "tbs",
        "tbl",
        "el",
        "esslöffel",
        "cucchiaio",
        "cucharada",
    },
    "tsp": {"tsp", "teaspoon", "teaspoons", "tl", "teelöffel", "cucchiaino", "cucharadita"},
    "lb": {"lb", "lbs", "pound", "pounds"},
    "oz": {"oz", "ounce", "ounces"},
    "clove": {
        "clove",
        "cloves",
        "zehe",
        "zehen",
        "spicchio",
        "spicchi",
        "diente",
        "dientes",
        "gousse",
        "gousses",
    },
    "pinch": {"pinch", "pinches", "prise", "prisen", "pizzico", "pizzichi", "pizca", "pincée"},
    "piece": {"piece", "pieces", "pc", "pcs", "stück", "stk", "pezzo", "pezzi", "pieza", "piezas"},
    "slice": {
        "slice",
        "slices",
        "scheibe",
        "scheiben",
        "fetta",
        "fette",
        "rebanada",
        "tranche",
        "tranches",
    },
    "can": {"can", "cans", "tin", "tins", "dose", "dosen", "lattina"},
    "bunch": {"bunch", "bunches", "bund", "mazzo"},
    "dash": {"dash", "dashes", "spritzer", "schuss"},
}


def norm_unit(unit: str | None) -> str | None:
    if not unit:
        return None
    u = unit.strip().lower().rstrip(".")
    for canon, names in UNIT_ALIASES.items():
        if u in names:
            return canon
    return u


def words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"\w+", (text or "").lower()) if len(w) > 1 or not w.isascii()}


def similar(a: str | None, b: str | None) -> float:
    wa, wb = words(a), words(b)
    if wa and wb:
        overlap = len(wa & wb) / min(len(wa), len(wb))
        if overlap >= 0.5:
            return overlap
    return difflib.SequenceMatcher(None, (a or "").lower(), (b or "").lower()).ratio()


def match(expected: list[dict], got: list[dict]) -> list[tuple[dict, dict]]:
    pairs, free = [], list(got)
    for exp in expected:
        best, score = None, 0.6
        for cand in free:
            s = similar(exp.get("food"), cand.get("food"))
            if s > score:
                best, score = cand, s
        if best is not None:
            free.remove(best)
            pairs.append((exp, best))
    return pairs


def amount_ok(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) <= 0.02 * max(abs(float(a)), 1e-9) + 0.01
    except (TypeError, ValueError):
        return False


def main() -> int:
    if "--" not in sys.argv or sys.argv.index("--") != 2:
        print(__doc__)
        return 2
    folder = Path(sys.argv[1])
    command = sys.argv[3:]
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    tot = dict(
        cases=0,
        detect_ok=0,
        exp_ing=0,
        got_ing=0,
        matched=0,
        amount_ok=0,
        unit_ok=0,
        exp_steps=0,
        step_abs_err=0,
        titles=0,
        title_ok=0,
        failures=0,
        seconds=0.0,
    )
    for label in labels:
        text = (folder / label["file"]).read_text(encoding="utf-8")
        t0 = time.perf_counter()
        proc = subprocess.run(command, input=text, capture_output=True, text=True, timeout=300)
        tot["seconds"] += time.perf_counter() - t0
        tot["cases"] += 1
        got = None
        if proc.returncode == 0:
            try:
                got = json.loads(proc.stdout)
            except json.JSONDecodeError:
                tot["failures"] += 1
        elif proc.returncode != 3:
            tot["failures"] += 1
        said_recipe = got is not None
        tot["detect_ok"] += said_recipe == label["has_recipe"]
        if not label["has_recipe"]:
            print(f"{label['file']}: {'ok' if not said_recipe else 'FALSE RECIPE'}")
            continue
        ings = [
            i
            for s in (got or {}).get("steps", [])
            for i in s.get("ingredients", [])
            if not i.get("isHeader")
        ]
        exp = label["ingredients"]
        pairs = match(exp, ings)
        tot["exp_ing"] += len(exp)
        tot["got_ing"] += len(ings)
        tot["matched"] += len(pairs)
        tot["amount_ok"] += sum(amount_ok(e.get("amount"), g.get("amount")) for e, g in pairs)
        tot["unit_ok"] += sum(
            norm_unit(e.get("unit")) == norm_unit(g.get("unit")) for e, g in pairs
        )
        steps = [s for s in (got or {}).get("steps", []) if (s.get("instruction") or "").strip()]
        if label["steps"]:
            tot["exp_steps"] += len(label["steps"])
            tot["step_abs_err"] += abs(len(steps) - len(label["steps"]))
        if label.get("title"):
            tot["titles"] += 1
            tot["title_ok"] += similar(label["title"], (got or {}).get("name")) >= 0.5
        print(
            f"{label['file']}: ingredients {len(pairs)}/{len(exp)} matched of {len(ings)} given,"
            f" steps {len(steps)}/{len(label['steps'])}, name {(got or {}).get('name')!r}"
        )
    recall = tot["matched"] / max(tot["exp_ing"], 1)
    precision = tot["matched"] / max(tot["got_ing"], 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    summary = {
        "cases": tot["cases"],
        "recipe_detection": round(tot["detect_ok"] / max(tot["cases"], 1), 3),
        "ingredient_f1": round(f1, 3),
        "ingredient_recall": round(recall, 3),
        "ingredient_precision": round(precision, 3),
        "amount_accuracy": round(tot["amount_ok"] / max(tot["matched"], 1), 3),
        "unit_accuracy": round(tot["unit_ok"] / max(tot["matched"], 1), 3),
        "step_count_error": round(tot["step_abs_err"] / max(tot["exp_steps"], 1), 3),
        "title_accuracy": round(tot["title_ok"] / max(tot["titles"], 1), 3),
        "command_failures": tot["failures"],
        "seconds_per_caption": round(tot["seconds"] / max(tot["cases"], 1), 3),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
