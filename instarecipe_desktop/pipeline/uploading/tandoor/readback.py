"""What Tandoor kept, compared with what was sent: only a full match is "saved".

A create can answer 201 and still not hold everything, and a create that answered 500 may
have left the recipe row without steps (tests/data/tandoor-api/README.md, pitfall 12). So after
every create or update the recipe is read back and compared: steps, ingredients per step,
food and unit names, amounts, keywords. Names compare as Tandoor links them (ignoring case and
surrounding spaces, a food or unit also by its plural); amounts with a small tolerance
(Tandoor answers floats).
"""

from __future__ import annotations

from typing import Any

_AMOUNT_TOLERANCE = 1e-6


def _key(name: Any) -> str:
    return str(name or "").strip().casefold()


def _amount(value: Any) -> float:
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return float("nan")


def _named(sent: Any, got: Any) -> bool:
    """A nested ``{"name": …}`` (or None) against Tandoor's object (name or plural)."""
    if not sent:
        return not got
    if not isinstance(got, dict):
        return False
    wanted = _key(sent.get("name"))
    return wanted in (_key(got.get("name")), _key(got.get("plural_name")))


def _ordered(items: Any) -> list[dict[str, Any]]:
    rows = [x for x in items or [] if isinstance(x, dict)]
    return sorted(rows, key=lambda x: (x.get("order") or 0, x.get("id") or 0))


def _ingredient_difference(sent: dict[str, Any], got: dict[str, Any], where: str) -> str | None:
    if not _named(sent.get("food"), got.get("food")):
        return (
            f"{where}: Tandoor has food {_label(got.get('food'))}, sent {_label(sent.get('food'))}"
        )
    if not _named(sent.get("unit"), got.get("unit")):
        return (
            f"{where}: Tandoor has unit {_label(got.get('unit'))}, sent {_label(sent.get('unit'))}"
        )
    if abs(_amount(sent.get("amount")) - _amount(got.get("amount"))) > _AMOUNT_TOLERANCE:
        return f"{where}: Tandoor has amount {got.get('amount')}, sent {sent.get('amount')}"
    return None


def _label(named: Any) -> str:
    if isinstance(named, dict) and named.get("name"):
        return f'"{named["name"]}"'
    return "none"


def differences(sent: dict[str, Any], got: dict[str, Any] | None) -> list[str]:
    """Sentences naming what Tandoor's copy lacks or has differently; [] when it matches."""
    if got is None:
        return ["Tandoor has no such recipe"]
    problems: list[str] = []
    sent_steps = _ordered(sent.get("steps"))
    got_steps = _ordered(got.get("steps"))
    if len(got_steps) != len(sent_steps):
        problems.append(f"Tandoor kept {len(got_steps)} of {len(sent_steps)} steps")
    for number, (want, have) in enumerate(zip(sent_steps, got_steps, strict=False), start=1):
        want_rows = _ordered(want.get("ingredients"))
        have_rows = _ordered(have.get("ingredients"))
        if len(have_rows) != len(want_rows):
            problems.append(
                f"step {number}: Tandoor kept {len(have_rows)} of {len(want_rows)} ingredients"
            )
            continue
        for index, (row, kept) in enumerate(zip(want_rows, have_rows, strict=True), start=1):
            problem = _ingredient_difference(row, kept, f"step {number}, ingredient {index}")
            if problem:
                problems.append(problem)
    sent_keywords = {_key(k.get("name")) for k in sent.get("keywords") or [] if isinstance(k, dict)}
    got_keywords = {
        _key(k.get("name") or k.get("label"))
        for k in got.get("keywords") or []
        if isinstance(k, dict)
    }
    missing = sorted(sent_keywords - got_keywords)
    if missing:
        problems.append(
            f"Tandoor kept {len(sent_keywords) - len(missing)} of {len(sent_keywords)} keywords"
        )
    return problems


def is_shell(got: dict[str, Any]) -> bool:
    """A recipe row without steps and keywords: what a create that failed half-way leaves."""
    return not got.get("steps") and not got.get("keywords")


def summary(problems: list[str], limit: int = 3) -> str:
    """The first few differences as one sentence."""
    shown = "; ".join(problems[:limit])
    more = len(problems) - limit
    return shown + (f" (and {more} more)" if more > 0 else "")
