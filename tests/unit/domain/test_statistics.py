"""Statistics helpers: months, columns, suppression, rows."""

from __future__ import annotations

import pytest

from screening_app.domain.forms import Form
from screening_app.domain.measures import OutcomeTally
from screening_app.domain.registry import FormRegistry
from screening_app.domain.statistics import (
    MonthFigures,
    Shape,
    columns,
    months_between,
    positive_outcomes,
    row,
    suppress,
)
from screening_app.errors import InputFileError


def test_months_between_crosses_years() -> None:
    assert months_between("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months_between("2026-03", "2026-03") == ["2026-03"]


@pytest.mark.parametrize(
    ("start", "end", "fragment"),
    [
        ("2026-13", "2026-12", "not a month"),
        ("2026-1", "2026-12", "YYYY-MM"),
        ("2026-05", "2026-01", "before"),
        ("2000-01", "2026-01", "120"),
    ],
)
def test_bad_periods_are_refused(start: str, end: str, fragment: str) -> None:
    with pytest.raises(InputFileError) as caught:
        months_between(start, end)
    assert fragment in " ".join(caught.value.lines())


@pytest.mark.parametrize(
    ("count", "enabled", "shown"),
    [(0, True, "0"), (1, True, "<5"), (4, True, "<5"), (5, True, "5"), (3, False, "3")],
)
def test_small_number_suppression(count: int, enabled: bool, shown: str) -> None:
    assert suppress(count, enabled) == shown


@pytest.fixture(scope="module")
def shape(registry: FormRegistry) -> Shape:
    return Shape.of([registry.get("cse-risk-screening", v) for v in (1, 2, 3)])


def test_columns_follow_the_contract(shape: Shape) -> None:
    cols = columns(shape, "la_area", "practitioner_role")
    assert cols[:7] == [
        "month",
        "screenings",
        "children",
        "band_low",
        "band_mild",
        "band_moderate",
        "band_significant",
    ]
    assert "model_gang" in cols and "area_banes" in cols
    # every version's outcomes: the newest's first, then codes only older versions have
    assert cols.index("outcome_referred_scu") < cols.index("outcome_outcome_22")
    assert cols.index("model_gang") < cols.index("area_banes") < cols.index("outcome_other")
    assert cols[-6:] == [
        "investigation_outcome_rate",
        "disruption_rate",
        "with_disruption_rate",
        "safeguarding_action_rate",
        "median_days_to_review",
        "positive_outcome_rate",  # deprecated, kept one release
    ]


def test_disruption_counts_as_positive(form: Form) -> None:
    assert "disruption_activity" in positive_outcomes(form)
    assert "no_further_action" not in positive_outcomes(form)


def test_row_matches_columns_and_suppresses(shape: Shape) -> None:
    figures = MonthFigures(
        month="2026-01",
        screenings=12,
        children=3,
        bands={"low": 7, "mild": 5},
        models={"gang": 2},
        areas={"bristol": 12},
        with_positive_outcome=6,
        tally=OutcomeTally(investigated=8, investigation_positive=2, moderate_or_above=3),
    )
    cols = columns(shape, "la_area", "practitioner_role")
    values = dict(zip(cols, row(figures, shape, "la_area", "practitioner_role", True), strict=True))
    assert values["screenings"] == "12"
    assert values["children"] == "<5"
    assert values["band_low"] == "7"
    assert values["model_gang"] == "<5"
    assert values["band_significant"] == "0"
    assert values["positive_outcome_rate"] == "0.500"
    assert values["investigation_outcome_rate"] == "0.250"
    assert values["disruption_rate"] == ""  # no screening investigated or referred to the SCU
    assert values["safeguarding_action_rate"] == ""  # 0 of 3: a base of 1 to 4 is suppressed
    plain = dict(zip(cols, row(figures, shape, "la_area", "practitioner_role", False), strict=True))
    assert plain["children"] == "3" and plain["safeguarding_action_rate"] == "0.000"


def test_a_suppressed_rate_is_left_empty_never_written_as_text(shape: Shape) -> None:
    """A rate over 1 to 4 screenings could identify a child; "<5" in a number column broke the
    spreadsheets reading it."""
    figures = MonthFigures(month="2026-02", screenings=3, children=3, with_positive_outcome=1)
    cols = columns(shape, "la_area", "practitioner_role")
    values = dict(zip(cols, row(figures, shape, "la_area", "practitioner_role", True), strict=True))
    assert values["screenings"] == "<5" and values["positive_outcome_rate"] == ""
    plain = dict(zip(cols, row(figures, shape, "la_area", "practitioner_role", False), strict=True))
    assert plain["positive_outcome_rate"] == "0.333"
