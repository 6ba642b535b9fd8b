"""Shapes and rules of the monthly statistics (the counting itself is SQL, in storage).

Pure helpers shared by the statistics service, the CSV/PDF export and the dashboard: the month
range, the column list, the positive outcomes, and small-number suppression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from screening_app.domain import checklist
from screening_app.domain.forms import Form
from screening_app.domain.measures import RATES, OutcomeTally, high_bands, measures_of
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
    """Option codes of the form's models question (checklist.models_question)."""
    return [code for code, _label in model_options(form)]


def model_options(form: Form) -> list[tuple[str, str]]:
    """(code, label) of each option of the form's models question; none when it asks none."""
    question = checklist.models_question(form)
    return list(question.option_pairs()) if question is not None else []


def type_codes(shape: Shape) -> list[str]:
    """The types of exploitation the newest form screens (none before version 4): the last
    columns of the CSV, after the deprecated rate, so no earlier column moves."""
    return [t.code for t in shape.form.types]


def area_question_codes(form: Form, question_id: str) -> list[str]:
    return list(form.question(question_id).option_codes()) if question_id in form.index else []


def positive_outcomes(form: Form) -> list[str]:
    return [o.code for o in form.outcomes if o.positive]


@dataclass(frozen=True)
class Shape:
    """What the figures are counted by: the newest version of the form (bands, models, areas,
    roles) and the outcomes of every version, with the measure of each (domain/measures.py)."""

    form: Form
    outcome_codes: tuple[str, ...]  # the newest version's, then older versions' others
    measures: dict[str, str]
    high: frozenset[str]  # the bands at moderate or above
    positive: tuple[str, ...]  # the deprecated positive-outcome rate's codes (any version)

    @staticmethod
    def of(versions: list[Form]) -> Shape:
        newest_first = sorted(versions, key=lambda f: -f.version)
        codes: list[str] = []
        positive: list[str] = []
        for form in newest_first:
            for outcome in form.outcomes:
                if outcome.code not in codes:
                    codes.append(outcome.code)
                if outcome.positive and outcome.code not in positive:
                    positive.append(outcome.code)
        return Shape(
            newest_first[0],
            tuple(codes),
            measures_of(versions),
            high_bands(newest_first[0]),
            tuple(positive),
        )


@dataclass
class MonthFigures:
    """Counts for one month; keys of the dicts are codes (band, model, area, outcome, role)."""

    month: str
    screenings: int = 0
    children: int = 0
    bands: dict[str, int] = field(default_factory=dict)
    models: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)  # of exploitation (version 4 on)
    areas: dict[str, int] = field(default_factory=dict)
    roles: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    with_positive_outcome: int = 0
    median_days_to_review: float | None = None
    tally: OutcomeTally = field(default_factory=OutcomeTally)  # the three rates' counts

    @property
    def positive_outcome_rate(self) -> float | None:
        return round(self.with_positive_outcome / self.screenings, 3) if self.screenings else None


RATE_COLUMNS = tuple(name for name, _label in RATES)
DEPRECATED = "positive_outcome_rate"  # kept for one release after the three rates came


def columns(shape: Shape, area_question: str, role_question: str) -> list[str]:
    """CSV columns (docs/CLI.md, "Statistics CSV"): the fixed ones first, then one per code,
    the three outcome rates (and the with-disruption figure), the median days to review, and
    last the deprecated positive-outcome rate."""
    form = shape.form
    return [
        "month",
        "screenings",
        "children",
        *(f"band_{b}" for b in form.band_codes()),
        *(f"model_{m}" for m in model_codes(form)),
        *(f"area_{a}" for a in area_question_codes(form, area_question)),
        *(f"outcome_{code}" for code in shape.outcome_codes),
        *(f"role_{r}" for r in area_question_codes(form, role_question)),
        *RATE_COLUMNS,
        "median_days_to_review",
        DEPRECATED,
        *(f"type_{code}" for code in type_codes(shape)),
    ]


def suppress(count: int, enabled: bool) -> str:
    """Counts 1 to 4 become "<5" when figures leave the organisation; 0 stays 0."""
    return SUPPRESSED if enabled and 1 <= count <= 4 else str(count)


def rate_text(value: float | None, base: int, suppressed: bool) -> str:
    """A rate for a number column: empty when there is none, or when it is taken over 1 to 4
    screenings and small numbers are suppressed (it could identify a child; a "<5" in a number
    column broke every spreadsheet that read it)."""
    if value is None or (suppressed and 1 <= base <= 4):
        return ""
    return f"{value:.3f}"


def row(
    figures: MonthFigures, shape: Shape, area_question: str, role_question: str, suppressed: bool
) -> list[str]:
    """One CSV row in :func:`columns` order, with suppression applied to every count."""

    def count(value: int) -> str:
        return suppress(value, suppressed)

    form, tally = shape.form, figures.tally
    median = figures.median_days_to_review
    return [
        figures.month,
        count(figures.screenings),
        count(figures.children),
        *(count(figures.bands.get(b, 0)) for b in form.band_codes()),
        *(count(figures.models.get(m, 0)) for m in model_codes(form)),
        *(count(figures.areas.get(a, 0)) for a in area_question_codes(form, area_question)),
        *(count(figures.outcomes.get(code, 0)) for code in shape.outcome_codes),
        *(count(figures.roles.get(r, 0)) for r in area_question_codes(form, role_question)),
        *(rate_text(tally.rate(n), tally.base(n), suppressed) for n in RATE_COLUMNS),
        "" if median is None else f"{median:g}",
        rate_text(figures.positive_outcome_rate, figures.screenings, suppressed),
        *(count(figures.types.get(code, 0)) for code in type_codes(shape)),
    ]
