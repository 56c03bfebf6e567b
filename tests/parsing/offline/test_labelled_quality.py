"""Quality on hand-labelled captions, matched exactly as tests/data/eval/score.py (copied from shared/) matches them.

The dev set (tests/data/eval/captions-dev) and our own labelled pool captions (fixtures/) must both
meet the issue's aims: detection 1.0, ingredient F1 >= 0.85, amount and unit accuracy >= 0.9.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.pipeline.parsing.offline import parse_caption

from .conftest import FIXTURES, load_labels


def _score(folder: Path, scorer: ModuleType) -> dict[str, float]:
    cases = detect_ok = expected = given = matched = amount_ok = unit_ok = 0
    label_steps = step_error = titles = title_ok = 0
    for label in load_labels(folder):
        cases += 1
        try:
            recipe = parse_caption((folder / label["file"]).read_text(encoding="utf-8")).to_json()
        except PermanentError:
            recipe = None
        detect_ok += (recipe is not None) is label["has_recipe"]
        if not label["has_recipe"]:
            continue
        got = [
            i
            for s in (recipe or {}).get("steps", [])
            for i in s["ingredients"]
            if not i["isHeader"]
        ]
        pairs = scorer.match(label["ingredients"], got)
        expected += len(label["ingredients"])
        given += len(got)
        matched += len(pairs)
        amount_ok += sum(scorer.amount_ok(e.get("amount"), g.get("amount")) for e, g in pairs)
        unit_ok += sum(
            scorer.norm_unit(e.get("unit")) == scorer.norm_unit(g.get("unit")) for e, g in pairs
        )
        steps = [s for s in (recipe or {}).get("steps", []) if s["instruction"].strip()]
        if label["steps"]:
            label_steps += len(label["steps"])
            step_error += abs(len(steps) - len(label["steps"]))
        if label.get("title"):
            titles += 1
            title_ok += scorer.similar(label["title"], (recipe or {}).get("name")) >= 0.5
    recall, precision = matched / max(expected, 1), matched / max(given, 1)
    return {
        "detection": detect_ok / cases,
        "f1": 2 * precision * recall / max(precision + recall, 1e-9),
        "amount": amount_ok / max(matched, 1),
        "unit": unit_ok / max(matched, 1),
        "step_error": step_error / max(label_steps, 1),
        "title": title_ok / max(titles, 1),
    }


@pytest.mark.parametrize("which", ["dev", "own"])
def test_meets_the_aims(which: str, test_data_dir: Path, scorer: ModuleType) -> None:
    folder = test_data_dir / "eval" / "captions-dev" if which == "dev" else FIXTURES
    score = _score(folder, scorer)
    assert score["detection"] == 1.0, score
    assert score["f1"] >= 0.85, score
    assert score["amount"] >= 0.9, score
    assert score["unit"] >= 0.9, score


def test_servings_of_the_dev_set(test_data_dir: Path) -> None:
    folder = test_data_dir / "eval" / "captions-dev"
    for label in load_labels(folder):
        if label["has_recipe"]:
            recipe = parse_caption((folder / label["file"]).read_text(encoding="utf-8"))
            assert recipe.servings == label["servings"], label["file"]


BLIND = Path(__file__).parent / "fixtures_blind"


def test_the_blind_set_keeps_its_measured_level(scorer: ModuleType) -> None:
    """fixtures_blind/: 7 recipes and 8 non-recipes from the pool, labelled before the parser
    was run on them. Measured before the rules they prompted: detection 0.8, F1 0.744; after:
    detection 0.933 (the prose-only Caipirinha stays rejected), F1 0.935, amount and unit 0.98.
    The floors are those figures less a small margin."""
    score = _score(BLIND, scorer)
    assert score["detection"] >= 0.9, score
    assert score["f1"] >= 0.9, score
    assert score["amount"] >= 0.95, score
    assert score["unit"] >= 0.95, score


AUTHORED = Path(__file__).parent / "fixtures_authored"


def test_the_authored_set_keeps_its_measured_level(scorer: ModuleType) -> None:
    """fixtures_authored/: 20 recipes written in formats and languages the dev set lacks
    (it, fr, pt, es-MX/AR, nl, ko, zh, tr, de; emoji lists, keycaps, food-first "Flour - 200g",
    "Eggs x2", cups, ranges) and 5 near-miss non-recipes, labelled before the parser was run on
    them. Measured before the rules they prompted: detection 0.88, F1 0.957, amount 0.977,
    unit 0.947; after: 1.0 on all four (the nutrition tip's advice "spread it over 3-4 meals"
    no longer counts as a method). Floors leave a margin of one caption."""
    score = _score(AUTHORED, scorer)
    assert score["detection"] >= 0.96, score
    assert score["f1"] >= 0.97, score
    assert score["amount"] >= 0.97, score
    assert score["unit"] >= 0.97, score


def test_servings_of_the_authored_set() -> None:
    for label in load_labels(AUTHORED):
        if label["has_recipe"]:
            recipe = parse_caption((AUTHORED / label["file"]).read_text(encoding="utf-8"))
            assert recipe.servings == label["servings"], label["file"]


FRESH = Path(__file__).parent / "fixtures_authored_fresh"


def test_the_second_authored_set_keeps_its_measured_level(scorer: ModuleType) -> None:
    """fixtures_authored_fresh/: 8 recipes and 4 near-misses written after the first authored
    set's rules, labelled before the parser was run on them. Before the rules they prompted:
    detection 0.833, F1 0.971, amount 1.0, unit 0.94; after: 1.0 on all four."""
    score = _score(FRESH, scorer)
    assert score["detection"] >= 0.99, score
    assert score["f1"] >= 0.97, score
    assert score["amount"] >= 0.97, score
    assert score["unit"] >= 0.97, score


THIRD = Path(__file__).parent / "fixtures_authored_third"


def test_the_third_authored_set_keeps_its_measured_level(scorer: ModuleType) -> None:
    """fixtures_authored_third/: 6 recipes and 2 near-misses written after the second set's
    rules, labelled before the parser was run on them. Before the rules they prompted:
    detection 0.875, F1 0.985, amount 1.0, unit 0.938; after: detection, F1 and amount 1.0,
    unit 0.97 ("1 Knoblauchzehe" stays a count: test_quantities keeps that convention)."""
    score = _score(THIRD, scorer)
    assert score["detection"] >= 0.99, score
    assert score["f1"] >= 0.97, score
    assert score["amount"] >= 0.97, score
    assert score["unit"] >= 0.95, score


def test_the_issue_13_blind_set_keeps_its_measured_level(
    test_data_dir: Path, scorer: ModuleType
) -> None:
    """tests/data/eval/blind13/: 21 recipes (one per class of issue 13) and 11 hard real
    non-recipes, labelled before the parser ever ran on them. First run: detection 0.938,
    F1 0.910, amount 0.896, unit 0.679, step-count error 0.213, title 0.762. After the method
    headers, unit words, amount forms, food-first leaders and marked sections: detection 0.969,
    F1 0.957, amount 1.0, unit 0.973, step error 0.0, title 0.81. After normalising once, the
    titles' hooks and the best-effort bare list: detection 1.0, F1 1.0, amount 1.0, unit 0.975
    (rametto read as sprig), step error 0.0, title 1.0. Floors leave a margin of one caption."""
    score = _score(test_data_dir / "eval" / "blind13", scorer)
    assert score["detection"] >= 0.96, score
    assert score["f1"] >= 0.97, score
    assert score["amount"] >= 0.97, score
    assert score["unit"] >= 0.95, score
    assert score["step_error"] <= 0.05, score
    assert score["title"] >= 0.9, score
