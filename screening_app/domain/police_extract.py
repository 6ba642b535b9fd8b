"""A police extract as the source report gives it (docs/STATISTICS.md, "A police extract"):
monthly CSE-flagged occurrences with the crimes among them, the totals the source stated, and
per year the recorded crimes and their positive outcomes. Pure parsing and arithmetic.

Monthly file: a header ``month,occurrences,crimes``, then rows ``YYYY-MM,N,N``, and optionally
rows ``YYYY-total,N,N`` with the totals the source stated. Yearly file: a header
``year,recorded_crimes,positive_outcomes``, then rows ``YYYY,N,N``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from typing import Any

from screening_app.domain import data_quality
from screening_app.errors import InputFileError, Problem

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_TOTAL = re.compile(r"^(\d{4})-total$")
_YEAR = re.compile(r"^\d{4}$")
MAX_ROWS = 10_000


@dataclass
class Extract:
    months: dict[str, tuple[int, int]] = field(default_factory=dict)  # month: (occ., crimes)
    stated: dict[str, tuple[int, int]] = field(default_factory=dict)  # year: (occ., crimes)
    outcomes: dict[str, tuple[int, int]] = field(default_factory=dict)  # year: (crimes, pos.)

    def years(self) -> list[str]:
        return sorted({m[:4] for m in self.months} | set(self.stated) | set(self.outcomes))

    def occurrences(self) -> dict[str, int]:
        return {m: v[0] for m, v in self.months.items()}

    def crimes(self) -> dict[str, int]:
        return {m: v[1] for m, v in self.months.items()}


def _rows(text: str, name: str, header: list[str]) -> list[tuple[int, list[str]]]:
    lines = text.splitlines()
    if len(lines) > MAX_ROWS:
        raise InputFileError(
            f"{name}: too many rows",
            [Problem(f"more than {MAX_ROWS} rows; is it the right file?", name)],
        )
    reader = list(csv.reader(lines))
    if not reader or [c.strip().lower() for c in reader[0]] != header:
        raise InputFileError(
            f"{name}: wrong header",
            [Problem(f"the first line must be {','.join(header)}", f"{name}:1")],
        )
    return [(i, row) for i, row in enumerate(reader[1:], start=2) if any(c.strip() for c in row)]


def _count(text: str, name: str, line: int, column: str) -> int:
    value = text.strip()
    if not value.isdigit() or len(value) > 9:
        raise InputFileError(
            f"{name}: not a count",
            [
                Problem(
                    f"{column} {value[:20]!r} is not a whole number of 0 or more", f"{name}:{line}"
                )
            ],
        )
    return int(value)


def parse_monthly(text: str, name: str) -> Extract:
    extract = Extract()
    problems = []
    for line, row in _rows(text, name, ["month", "occurrences", "crimes"]):
        where = f"{name}:{line}"
        if len(row) != 3:
            problems.append(Problem(f"expected 3 fields, found {len(row)}", where))
            continue
        period = row[0].strip()
        try:
            occurrences = _count(row[1], name, line, "occurrences")
            crimes = _count(row[2], name, line, "crimes")
        except InputFileError as exc:
            problems.extend(exc.problems)
            continue
        if crimes > occurrences:
            problems.append(
                Problem(f"{crimes} crimes among {occurrences} occurrences: more than all", where)
            )
            continue
        total = _TOTAL.match(period)
        if _MONTH.match(period):
            target, key = extract.months, period
        elif total:
            target, key = extract.stated, total.group(1)
        else:
            problems.append(
                Problem(f"{period[:20]!r} is not a month (YYYY-MM) or YYYY-total", where)
            )
            continue
        if key in target:
            problems.append(Problem(f"{period} is given twice", where))
            continue
        target[key] = (occurrences, crimes)
    if problems:
        raise InputFileError(f"{name}: {len(problems)} problem(s)", problems)
    if not extract.months:
        raise InputFileError(f"{name}: no months", [Problem("the file gives no month", name)])
    return extract


def parse_yearly(text: str, name: str, into: Extract) -> Extract:
    problems = []
    for line, row in _rows(text, name, ["year", "recorded_crimes", "positive_outcomes"]):
        where = f"{name}:{line}"
        if len(row) != 3 or not _YEAR.match(row[0].strip()):
            problems.append(Problem("expected YYYY,recorded_crimes,positive_outcomes", where))
            continue
        try:
            recorded = _count(row[1], name, line, "recorded_crimes")
            positive = _count(row[2], name, line, "positive_outcomes")
        except InputFileError as exc:
            problems.extend(exc.problems)
            continue
        if positive > recorded:
            problems.append(Problem(f"{positive} positive outcomes of {recorded} crimes", where))
            continue
        into.outcomes[row[0].strip()] = (recorded, positive)
    if problems:
        raise InputFileError(f"{name}: {len(problems)} problem(s)", problems)
    return into


def summary(extract: Extract) -> dict[str, Any]:
    """The ``figures check --json`` object: per year the counts, the stated totals, the
    positive outcomes and their rate (a fraction to 2 places: a whole percentage), and every
    finding of the data-quality monitor."""
    years: dict[str, Any] = {}
    for year in extract.years():
        in_year = [v for m, v in extract.months.items() if m.startswith(f"{year}-")]
        stated = extract.stated.get(year)
        outcome = extract.outcomes.get(year)
        rate = round(outcome[1] / outcome[0], 2) if outcome and outcome[0] else None
        years[year] = {
            "occurrences": sum(v[0] for v in in_year),
            "crimes": sum(v[1] for v in in_year),
            "stated_occurrences": stated[0] if stated else None,
            "stated_crimes": stated[1] if stated else None,
            "positive_outcomes": outcome[1] if outcome else None,
            "rate": rate,
        }
    findings = data_quality.series_checks(
        extract.occurrences(),
        "occurrences",
        {y: v[0] for y, v in extract.stated.items()},
    ) + data_quality.series_checks(
        extract.crimes(), "crimes", {y: v[1] for y, v in extract.stated.items()}
    )
    findings.sort(key=lambda f: (f.period, f.check))
    return {"years": years, "findings": [f.to_json() for f in findings]}
