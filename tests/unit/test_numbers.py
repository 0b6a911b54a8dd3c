"""Scores and percentages read the same everywhere (review: 81% on one page, 80.5% on another)."""

from __future__ import annotations

import pytest

from app.domain.numbers import percent, percent_value, points


@pytest.mark.parametrize(("score", "maximum", "shown"), [
    (80.5, None, "81%"), (2.5, None, "3%"), (16.1, 20, "81%"), (0, 7, "0%"),
    (7, 7, "100%"), (1, 0, "0%"), (None, None, "—"), (0.5, 1, "50%"), (1, 3, "33%"),
])
def test_percentages_round_half_up_to_whole_numbers(score, maximum, shown) -> None:
    assert percent(score, maximum) == shown


def test_a_percentage_value_is_an_integer_for_csv_and_charts() -> None:
    assert percent_value(80.5) == 81
    assert percent_value(None) is None


@pytest.mark.parametrize(("value", "shown"), [
    (5.333333, "5.3"), (3.0, "3"), (0.4, "0.4"), (0.25, "0.3"), (0.05, "0.1"), (27, "27"),
    (None, "—"), (-0.5, "-0.5"),
])
def test_points_show_at_most_one_decimal(value, shown) -> None:
    assert points(value) == shown
