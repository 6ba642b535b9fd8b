"""A data-quality monitor over monthly counts (docs/STATISTICS.md, "When the figures look
wrong"): pure functions, run on the app's own figures, the server's and a police extract.

The source report warned that one year's fall in CSE-flagged occurrences was not real — staff
used the flag less after a change of recording software. These checks look for the signs:

- ``level_shift``: a month (or quarter) far outside its own recent level — beyond the median of
  the 12 months (4 quarters) before it ± 3 × their median absolute deviation, scaled by 1.4826
  to a standard deviation's worth and at least 1 (so a perfectly flat history does not flag a
  change of one); consecutive months on the same side are one finding, and a quarter is
  reported only when none of its months was;
- ``fall_on_year``: a whole year more than 25 % below the year before; a quarter more than
  25 % below the same quarter a year before, outside a year already reported;
- ``totals_mismatch``: a stated total that differs from the sum of its months;
- ``stopped_recording``: a count that drops to zero after six months of at least 3 each;
- record checks from the app's own data: screenings at moderate or above with no outcome after
  90 days (``no_outcome``), outcomes dated before their screening (``outcome_before``), and
  screenings with more than a quarter of their scored questions "Not known" (``not_known``).

A finding is not an error: it names the check, the period, both figures and what to look at.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass

RECORDING = "This may reflect recording, not prevalence: check for a change of system or practice."
HISTORY_MONTHS = 12
MIN_HISTORY = 6  # months before a month is judged against its recent level
FALL = 0.25
STEADY_MONTHS = 6
STEADY_LEAST = 3  # a month's count of at least 3: a 0 by chance is then unlikely (< 5 %)
MAD_SCALE = 1.4826
NOT_KNOWN_SHARE = 0.25  # more "Not known" than this and a screening's band is not to be relied on


@dataclass(frozen=True)
class Finding:
    check: str
    period: str  # YYYY, YYYY-MM or YYYY-QN
    message: str

    def to_json(self) -> dict[str, str]:
        return {"check": self.check, "period": self.period, "message": self.message}


def quarter_of(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def _by_quarter(series: Mapping[str, int]) -> dict[str, int]:
    """Sums per quarter, for the quarters whose three months are all in ``series``."""
    sums: dict[str, list[int]] = {}
    for month, value in series.items():
        sums.setdefault(quarter_of(month), []).append(value)
    return {q: sum(v) for q, v in sums.items() if len(v) == 3}


def _by_year(series: Mapping[str, int]) -> dict[str, int]:
    """Sums per calendar year, for the years whose twelve months are all in ``series``."""
    sums: dict[str, list[int]] = {}
    for month, value in series.items():
        sums.setdefault(month[:4], []).append(value)
    return {y: sum(v) for y, v in sums.items() if len(v) == 12}


def _previous(period: str) -> str:
    """The same period a year earlier (YYYY, YYYY-MM or YYYY-QN)."""
    return f"{int(period[:4]) - 1:04d}{period[4:]}"


def level_shifts(series: Mapping[str, int], what: str) -> list[Finding]:
    """Runs of months outside the level of the months before them; then runs of quarters, for
    quarters none of whose months was found already."""
    months = _shifts(series, HISTORY_MONTHS, MIN_HISTORY, what, "month")
    flagged = {quarter_of(m) for f in months for m in f.covers}
    quarters = [
        f
        for f in _shifts(_by_quarter(series), 4, 4, what, "quarter")
        if not set(f.covers) & flagged
    ]
    return [f.finding for f in months + quarters]


@dataclass(frozen=True)
class _Run:
    finding: Finding
    covers: tuple[str, ...]


def _shifts(series: Mapping[str, int], window: int, least: int, what: str, unit: str) -> list[_Run]:
    """Each period judged against the median ± 3 × the scaled median absolute deviation
    (1.4826 × MAD: a standard deviation's worth for normal noise) of the ``window`` periods
    before it; consecutive periods beyond it on the same side make one finding."""
    periods = sorted(series)
    outside: list[tuple[str, str, float, float, float]] = []
    for i, period in enumerate(periods):
        history = [series[p] for p in periods[max(0, i - window) : i]]
        if len(history) < least:
            continue
        level = statistics.median(history)
        spread = 3 * max(MAD_SCALE * statistics.median(abs(v - level) for v in history), 1)
        if abs(series[period] - level) > spread:
            side = "below" if series[period] < level else "above"
            outside.append((period, side, level, max(0.0, level - spread), level + spread))
    runs: list[list[tuple[str, str, float, float, float]]] = []
    for item in outside:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and last[1] == item[1]
            and periods.index(item[0]) == periods.index(last[0]) + 1
        ):
            runs[-1].append(item)
        else:
            runs.append([item])
    found = []
    for run in runs:
        first, side, level, low, high = run[0]
        values = [series[p] for p, *_ in run]
        if len(run) == 1:
            opening = f"{first}: {values[0]} {what}, far {side} the recent level"
        else:
            opening = (
                f"From {first} to {run[-1][0]}, {len(run)} {unit}s in a row far {side} the "
                f"recent level ({min(values)} to {max(values)} {what})"
            )
        message = (
            f"{opening}: the median of the {unit}s before {first} was {level:g}, and "
            f"{low:.0f} to {high:.0f} was expected."
        )
        if side == "below":
            message += f" {RECORDING}"
        found.append(_Run(Finding("level_shift", first, message), tuple(p for p, *_ in run)))
    return found


def falls_on_year(series: Mapping[str, int], what: str) -> list[Finding]:
    """Whole years more than 25 % below the year before; then quarters, outside those years."""
    found = []
    years = _by_year(series)
    flagged = set()
    for grouped in (years, _by_quarter(series)):
        for period in sorted(grouped):
            before = grouped.get(_previous(period))
            if period[:4] in flagged or not before or grouped[period] >= (1 - FALL) * before:
                continue
            if period in years:
                flagged.add(period)
            fall = round(100 * (before - grouped[period]) / before)
            found.append(
                Finding(
                    "fall_on_year",
                    period,
                    f"{period}: {grouped[period]} {what}, {fall} % fewer than in "
                    f"{_previous(period)} ({before}). {RECORDING}",
                )
            )
    return found


def totals_mismatch(
    series: Mapping[str, int], stated: Mapping[str, int | None], what: str
) -> list[Finding]:
    """Years whose stated total differs from the sum of the months given for them."""
    found = []
    for year in sorted(stated):
        total = stated[year]
        if total is None:
            continue
        summed = sum(v for m, v in series.items() if m.startswith(f"{year}-"))
        if summed != total:
            found.append(
                Finding(
                    "totals_mismatch",
                    year,
                    f"{year}: the stated total is {total} {what} but its months add up to "
                    f"{summed}. Check the source table: a month may be missing or mistyped.",
                )
            )
    return found


def stopped_recording(series: Mapping[str, int], what: str) -> list[Finding]:
    """The first zero after six months of at least 3 each."""
    periods = sorted(series)
    found = []
    for i, period in enumerate(periods):
        before = [series[p] for p in periods[max(0, i - STEADY_MONTHS) : i]]
        if series[period] != 0 or len(before) < STEADY_MONTHS or min(before) < STEADY_LEAST:
            continue
        found.append(
            Finding(
                "stopped_recording",
                period,
                f"{period}: no {what}, after {STEADY_MONTHS} months of {min(before)} to "
                f"{max(before)} a month. A count that stops suddenly is often a flag the "
                "system can no longer record: check the recording system.",
            )
        )
    return found


def series_checks(
    series: Mapping[str, int], what: str, stated: Mapping[str, int | None] | None = None
) -> list[Finding]:
    """Every check of a monthly series, in order of period."""
    found = (
        level_shifts(series, what)
        + falls_on_year(series, what)
        + totals_mismatch(series, stated or {}, what)
        + stopped_recording(series, what)
    )
    return sorted(found, key=lambda f: (f.period[:4], f.period, f.check))


def record_checks(
    no_outcome: Mapping[str, int],
    outcome_before: Mapping[str, int],
    days: int,
    not_known: Mapping[str, int] | None = None,
) -> list[Finding]:
    """What the app's own records show, one finding per year of screening (the month with the
    most named): screenings at moderate or above without an outcome after ``days`` days,
    outcomes dated before their screening, and screenings with more than a quarter of their
    scored questions answered "Not known"."""
    found = []
    for check, counts, words in (
        (
            "no_outcome",
            no_outcome,
            f"screening(s) at moderate or above have no outcome recorded after {days} days. "
            "Record what happened (Outcomes on each screening), or the rates leave them out.",
        ),
        (
            "outcome_before",
            outcome_before,
            "screening(s) have an outcome dated before the screening itself. Check the dates "
            "of those outcomes.",
        ),
        (
            "not_known",
            not_known or {},
            f"screening(s) have more than {NOT_KNOWN_SHARE:.0%} of their scored questions "
            'answered "Not known": find out before relying on their bands, which may be too low.',
        ),
    ):
        years: dict[str, dict[str, int]] = {}
        for month, count in counts.items():
            if count:
                years.setdefault(month[:4], {})[month] = count
        for year, months in sorted(years.items()):
            worst = max(sorted(months), key=lambda m: months[m])
            most = f" (most in {worst}: {months[worst]})" if len(months) > 1 else ""
            found.append(
                Finding(check, year, f"{year}: {sum(months.values())} {words[:-1]}{most}.")
            )
    return found
