"""Amounts shown as a cook writes them."""

from __future__ import annotations

import pytest

from instarecipe_desktop.core.amounts import shown_amount


@pytest.mark.parametrize(
    ("amount", "amount_max", "shown"),
    [
        (1 / 3, None, "⅓"),
        (0.333, None, "⅓"),
        (1.5, None, "1½"),
        (2 / 3, None, "⅔"),
        (2.0, None, "2"),
        (200.0, 250.0, "200–250"),
        (2.0, 3.0, "2–3"),
        (0.5, 1.0, "½–1"),
        (0.15, None, "0.15"),
        (1.999, None, "2"),
        (None, None, ""),
        (3.0, 2.0, "3"),  # an upper bound below the amount is no range
    ],
)
def test_shown_amount(amount: float | None, amount_max: float | None, shown: str) -> None:
    assert shown_amount(amount, amount_max) == shown
