"""Shapes and rules of the monthly statistics (the counting itself is SQL, in storage).

Pure helpers shared by the statistics service, the CSV/PDF export and the dashboard: the month
range, the column list, the positive outcomes, and small-number suppression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from screening_app.domain.forms import Form
from screening_app.errors import InputFileError, Problem

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
SUPPRESSED = "<5"


def parse_month(text: str, what: str = "month") -> tuple[int, int]:
    match = _MONTH.match(text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InputFileError(
            f"{what}: not a month",
            [Problem(f"'{text}' is not a month; write it as YYYY-MM, for example 2026-01", what)],
        )
    return int(match.group(1)), int(match.group(2))


def months_between(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end`` inclusive, as YYYY-MM (at most 10 years)."""
    (y1, m1), (y2, m2) = parse_month(start, "--from"), parse_month(end, "--to")
    first, last = y1 * 12 + m1 - 1, y2 * 12 + m2 - 1
    if last < first:
        raise InputFileError(
            "period is backwards",
            [Problem(f"--to {end} is before --from {start}; swap them", "--to")],
        )
    if last - first >= 120:
        raise InputFileError(
            "period too long", [Problem("choose a period of at most 120 months", "--to")]
        )
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(first, last + 1)]


def model_codes(form: Form) -> list[str]:
    """Option codes of the form's multi-choice "models" question (the first multi_choice)."""
    for question in form.questions():
        if question.type == "multi_choice":
            return list(question.option_codes())
    return []


def area_question_codes(form: Form, question_id: str) -> list[str]:
    return list(form.question(question_id).option_codes()) if question_id in form.index else []


def positive_outcomes(form: Form) -> list[str]:
    return [o.code for o in form.outcomes if o.positive]


@dataclass
class MonthFigures:
    """Counts for one month; keys of the dicts are codes (band, model, area, outcome, role)."""

    month: str
    screenings: int = 0
    children: int = 0
    bands: dict[str, int] = field(default_factory=dict)
    models: dict[str, int] = field(default_factory=dict)
    areas: dict[str, int] = field(default_factory=dict)
    roles: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    with_positive_outcome: int = 0
    median_days_to_review: float | None = None

    @property
    def positive_outcome_rate(self) -> float | None:
        return round(self.with_positive_outcome / self.screenings, 3) if self.screenings else None


def columns(form: Form, area_question: str, role_question: str) -> list[str]:
    """CSV columns: the fixed ones first (CHECKLIST/issue contract), then one per code."""
    return [
        "month",
        "screenings",
        "children",
        *(f"band_{b}" for b in form.band_codes()),
        *(f"model_{m}" for m in model_codes(form)),
        *(f"area_{a}" for a in area_question_codes(form, area_question)),
        *(f"outcome_{o.code}" for o in form.outcomes),
        *(f"role_{r}" for r in area_question_codes(form, role_question)),
        "positive_outcome_rate",
        "median_days_to_review",
    ]


def suppress(count: int, enabled: bool) -> str:
    """Counts 1 to 4 become "<5" when figures leave the organisation; 0 stays 0."""
    return SUPPRESSED if enabled and 1 <= count <= 4 else str(count)


def row(
    figures: MonthFigures, form: Form, area_question: str, role_question: str, suppressed: bool
) -> list[str]:
    """One CSV row in :func:`columns` order, with suppression applied to every count."""

    def count(value: int) -> str:
        return suppress(value, suppressed)

    rate = figures.positive_outcome_rate
    if suppressed and 1 <= figures.screenings <= 4:
        rate_text = ""  # a rate over fewer than 5 could identify a child; a number column
        # stays numbers only (a "<5" there broke every spreadsheet that read it)
    else:
        rate_text = "" if rate is None else f"{rate:.3f}"
    median = figures.median_days_to_review
    return [
        figures.month,
        count(figures.screenings),
        count(figures.children),
        *(count(figures.bands.get(b, 0)) for b in form.band_codes()),
        *(count(figures.models.get(m, 0)) for m in model_codes(form)),
        *(count(figures.areas.get(a, 0)) for a in area_question_codes(form, area_question)),
        *(count(figures.outcomes.get(o.code, 0)) for o in form.outcomes),
        *(count(figures.roles.get(r, 0)) for r in area_question_codes(form, role_question)),
        rate_text,
        "" if median is None else f"{median:g}",
    ]
