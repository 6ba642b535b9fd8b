"""Monthly figures for supervisors: counts by band, CSE model, area, role and outcome.

Computed by GROUP BY queries (storage.stats_repo) and assembled per month here. Supervisors see
their team's figures. Administrators cannot read children's records and get no statistics:
even aggregated, small teams' figures can point to a child.
"""

from __future__ import annotations

from screening_app.domain.forms import Form
from screening_app.domain.statistics import MonthFigures, months_between, positive_outcomes
from screening_app.services.session import Session
from screening_app.storage import stats_repo

FORM_ID = "cse-risk-screening"


def _next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


class StatisticsService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def form(self) -> Form:
        return self.s.registry.latest(FORM_ID)

    def monthly(self, start: str, end: str) -> list[MonthFigures]:
        """One MonthFigures per month from ``start`` to ``end`` (YYYY-MM, inclusive)."""
        self.s.require("supervisor", doing="see statistics")
        months = months_between(start, end)
        figures = {m: MonthFigures(m) for m in months}
        db, team = self.s.store.db, self.s.user.team
        lo, hi = f"{months[0]}-01", f"{_next_month(months[-1])}-01"
        for month, count, children in stats_repo.totals(db, lo, hi, team):
            figures[month].screenings, figures[month].children = count, children
        for column, attribute in (
            ("operative_band", "bands"),
            ("la_area", "areas"),
            ("practitioner_role", "roles"),
        ):
            for month, code, count in stats_repo.by_column(db, column, lo, hi, team):
                getattr(figures[month], attribute)[code or ""] = count
        for month, code, count in stats_repo.by_model(db, lo, hi, team):
            figures[month].models[code] = count
        for month, code, count in stats_repo.by_outcome(db, lo, hi, team):
            figures[month].outcomes[code] = count
        positive = positive_outcomes(self.form())
        for month, count in stats_repo.with_positive(db, positive, lo, hi, team):
            figures[month].with_positive_outcome = count
        for month, days in stats_repo.median_days_to_review(db, lo, hi, team):
            figures[month].median_days_to_review = round(float(days), 1)
        return [figures[m] for m in months]
