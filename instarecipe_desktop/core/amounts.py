"""An amount shown as a cook writes it: ⅓, 1½, 2–3 (the stored number stays a float)."""

from __future__ import annotations

_FRACTIONS = {
    1 / 8: "⅛",
    1 / 4: "¼",
    1 / 3: "⅓",
    3 / 8: "⅜",
    1 / 2: "½",
    5 / 8: "⅝",
    2 / 3: "⅔",
    3 / 4: "¾",
    7 / 8: "⅞",
}
_CLOSE = 0.004  # 0.333 (a rounded third) is still ⅓


def shown_number(value: float) -> str:
    """ "⅓", "1½", "2", "0.15" (a value no common fraction is close to stays decimal)."""
    whole = int(value)
    part = value - whole
    if part < _CLOSE:
        return str(whole)
    if 1 - part < _CLOSE:
        return str(whole + 1)
    for fraction, glyph in _FRACTIONS.items():
        if abs(part - fraction) < _CLOSE:
            return f"{whole}{glyph}" if whole else glyph
    return f"{value:.3f}".rstrip("0").rstrip(".")


def shown_amount(amount: float | None, amount_max: float | None = None) -> str:
    """The amount, or the range "2–3" when an upper bound was written; "" without one."""
    if amount is None:
        return ""
    if amount_max is not None and amount_max > amount:
        return f"{shown_number(amount)}–{shown_number(amount_max)}"
    return shown_number(amount)
