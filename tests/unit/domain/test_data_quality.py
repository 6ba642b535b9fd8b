"""The data-quality monitor on constructed series: each check finds what it is for, and a
steady series (noise included) gives no finding at all."""

from __future__ import annotations

import pytest

from screening_app.domain import data_quality as dq


def months(first_year: int, values: list[int]) -> dict[str, int]:
    return {f"{first_year + i // 12}-{i % 12 + 1:02d}": v for i, v in enumerate(values)}


STEADY = [40, 43, 38, 41, 44, 39, 42, 37, 40, 45, 41, 38] * 3  # three years of ordinary noise


def test_a_steady_series_with_noise_gives_no_finding() -> None:
    assert dq.series_checks(months(2021, STEADY), "occurrences") == []
    flat = months(2021, [10] * 36)
    assert dq.series_checks(flat, "occurrences") == []
    assert dq.series_checks(months(2021, [10] * 35 + [11]), "occurrences") == []  # one more


def test_a_drop_in_level_is_one_finding_from_the_month_it_starts() -> None:
    values = [*STEADY[:27], 20, 22, 19, 21, 23, 20, 22, 21, 20]  # from 2023-04: a new system
    found = dq.level_shifts(months(2021, values), "occurrences")
    assert [(f.check, f.period) for f in found] == [("level_shift", "2023-04")]
    message = found[0].message
    assert message.startswith("From 2023-04 to ")
    assert "far below the recent level" in message and "median of the months before" in message
    assert dq.RECORDING in message  # a fall is said to be possibly a recording change
    yearly = dq.falls_on_year(months(2021, values), "occurrences")
    assert [(f.period) for f in yearly] == ["2023"]
    assert "fewer than in 2022" in yearly[0].message


def test_a_rise_is_found_but_not_blamed_on_recording() -> None:
    found = dq.level_shifts(months(2021, [*STEADY[:20], 90]), "screenings")
    assert [f.period for f in found] == ["2022-09"]
    assert "far above" in found[0].message and dq.RECORDING not in found[0].message


def test_a_quarter_below_the_same_quarter_a_year_before() -> None:
    values = [*STEADY[:15], 25, 26, 24, *STEADY[18:24]]  # 2022-Q2 low, in a partial year
    found = dq.falls_on_year(months(2021, values), "crimes")
    assert [f.period for f in found] == ["2022-Q2"]
    assert "% fewer than in 2021-Q2" in found[0].message


def test_stated_totals_that_differ_from_their_months_name_the_year_and_both_figures() -> None:
    series = months(2022, STEADY[:12])
    found = dq.totals_mismatch(series, {"2022": 500, "2023": None}, "occurrences")
    assert len(found) == 1 and found[0].period == "2022"
    assert "stated total is 500 occurrences" in found[0].message
    assert f"add up to {sum(STEADY[:12])}" in found[0].message
    assert dq.totals_mismatch(series, {"2022": sum(STEADY[:12])}, "occurrences") == []


def test_a_count_that_stops_after_a_steady_run() -> None:
    found = dq.stopped_recording(months(2024, [12, 9, 14, 11, 10, 13, 0, 0]), "crimes")
    assert [f.period for f in found] == ["2024-07"]
    assert "after 6 months of 9 to 14 a month" in found[0].message
    assert dq.stopped_recording(months(2024, [3, 0, 2, 0, 1, 0, 0]), "crimes") == []
    assert dq.stopped_recording(months(2024, [2, 1, 2, 1, 1, 2, 0]), "crimes") == []  # chance


@pytest.mark.parametrize(
    ("no_outcome", "before", "checks"),
    [
        ({"2026-01": 2, "2026-02": 0}, {}, [("no_outcome", "2026")]),
        (
            {"2025-12": 1, "2026-01": 2, "2026-03": 5},
            {},
            [("no_outcome", "2025"), ("no_outcome", "2026")],
        ),
        ({}, {"2026-03": 1}, [("outcome_before", "2026")]),
        ({"2026-01": 0}, {"2026-01": 0}, []),
    ],
)
def test_record_checks(
    no_outcome: dict[str, int], before: dict[str, int], checks: list[tuple[str, str]]
) -> None:
    found = dq.record_checks(no_outcome, before, 90, {"2024-05": 0})
    assert [(f.check, f.period) for f in found] == checks
    if len(found) == 2:
        assert found[1].message.startswith("2026: 7 screening(s) at moderate or above")
        assert "after 90 days" in found[1].message and "(most in 2026-03: 5)" in found[1].message


def test_screenings_mostly_not_known_are_named_per_year() -> None:
    found = dq.record_checks({}, {}, 90, {"2026-02": 3, "2026-05": 1})
    assert [(f.check, f.period) for f in found] == [("not_known", "2026")]
    assert found[0].message.startswith("2026: 4 screening(s) have more than 25% of their")
    assert "(most in 2026-02: 3)" in found[0].message
