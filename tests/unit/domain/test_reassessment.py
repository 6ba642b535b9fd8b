"""The reassessment rule's edges, and the SQL filter's date range agreeing with it day by day."""

from __future__ import annotations

import datetime as dt

import pytest

from screening_app.domain.reassessment import DUE_DAYS, date_range, state

TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-1, "overdue"), (0, "due"), (DUE_DAYS, "due"), (DUE_DAYS + 1, ""), (-400, "overdue")],
)
def test_due_window_edges(offset: int, expected: str) -> None:
    assert state(TODAY + dt.timedelta(days=offset), TODAY) == expected


def test_a_replaced_screening_is_never_due() -> None:
    assert state(TODAY - dt.timedelta(days=30), TODAY, newest=False) == ""
    assert state(None, TODAY) == ""


@pytest.mark.parametrize("window", ["due", "overdue", "due_or_overdue"])
def test_the_filter_selects_exactly_the_days_the_rule_names(window: str) -> None:
    wanted = {"due": {"due"}, "overdue": {"overdue"}, "due_or_overdue": {"due", "overdue"}}
    span = date_range(window, TODAY)  # type: ignore[arg-type]
    assert span is not None
    for offset in range(-40, 40):
        day = TODAY + dt.timedelta(days=offset)
        iso = day.isoformat()
        selected = (span.start is None or iso >= span.start) and (
            span.end is None or iso < span.end
        )
        assert selected == (state(day, TODAY) in wanted[window]), offset
    assert date_range("any", TODAY) is None
