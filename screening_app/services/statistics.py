"""Monthly figures for supervisors: counts by band, CSE model, area, role and outcome.

Computed by GROUP BY queries (storage.stats_repo) and assembled per month here. Supervisors see
their team's figures. Administrators cannot read children's records and get no statistics:
even aggregated, small teams' figures can point to a child.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from screening_app.domain import checklist, data_quality, panel
from screening_app.domain.capabilities import Verb
from screening_app.domain.forms import SCORED_TYPES, Form
from screening_app.domain.measures import tally
from screening_app.domain.panel import PanelReport
from screening_app.domain.statistics import MonthFigures, Shape, months_between
from screening_app.files import write_text
from screening_app.services.session import Session
from screening_app.storage import stats_repo

NO_OUTCOME_DAYS = 90  # a screening at moderate or above with no outcome after this is a finding


def next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


class StatisticsService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def form(self) -> Form:
        return self.s.registry.latest(checklist.FORM_ID)

    def shape(self) -> Shape:
        """The newest form's columns, and every version's outcomes with their measures."""
        registry = self.s.registry
        versions = [v for f, v, _ in registry.available() if f == checklist.FORM_ID]
        return Shape.of([registry.get(checklist.FORM_ID, v) for v in versions])

    def monthly(self, start: str, end: str) -> list[MonthFigures]:
        """One MonthFigures per month from ``start`` to ``end`` (YYYY-MM, inclusive)."""
        self.s.require(Verb.SEE_STATISTICS)
        months = months_between(start, end)
        figures = {m: MonthFigures(m) for m in months}
        db, team = self.s.db, self.s.user.team
        lo, hi = f"{months[0]}-01", f"{next_month(months[-1])}-01"
        for total in stats_repo.totals(db, lo, hi, team):
            figures[total.month].screenings = total.screenings
            figures[total.month].children = total.children
        for column, attribute in (
            ("operative_band", "bands"),
            ("la_area", "areas"),
            ("practitioner_role", "roles"),
        ):
            for row in stats_repo.by_column(db, column, lo, hi, team):
                getattr(figures[row.month], attribute)[row.code or ""] = row.screenings
        for row in stats_repo.by_model(db, lo, hi, team):
            figures[row.month].models[row.code or ""] = row.screenings
        for row in stats_repo.by_type(db, lo, hi, team):
            figures[row.month].types[row.code or ""] = row.screenings
        for row in stats_repo.by_outcome(db, lo, hi, team):
            figures[row.month].outcomes[row.code or ""] = row.screenings
        shape = self.shape()
        for value in stats_repo.with_positive(db, list(shape.positive), lo, hi, team):
            figures[value.month].with_positive_outcome = int(value.value)
        profiles = stats_repo.outcome_profiles(db, lo, hi, team)
        for month, counted in tally(profiles, shape.measures, shape.high).items():
            figures[month].tally = counted
        for value in stats_repo.median_days_to_review(db, lo, hi, team):
            figures[value.month].median_days_to_review = round(float(value.value), 1)
        return [figures[m] for m in months]

    def from_server(self, start: str, end: str, password: str | None = None) -> list[MonthFigures]:
        """The same figures across the organisation, computed by the team server."""
        from screening_app.services.server_figures import organisation_figures

        return organisation_figures(self.s, self.shape(), start, end, password)

    def panel(
        self,
        start: str,
        end: str,
        *,
        server: bool = False,
        password: str | None = None,
        suppressed: bool = True,
    ) -> PanelReport:
        """The panel report (docs/STATISTICS.md) of the team's figures, or with ``server`` the
        organisation's; the record checks need the records, so they run on the team's only."""
        self.s.require(Verb.SEE_PANEL)
        if server:
            figures = self.from_server(start, end, password)
            return panel.build(figures, "the whole organisation", suppressed=suppressed)
        figures = self.monthly(start, end)
        lo, hi = f"{figures[0].month}-01", f"{next_month(figures[-1].month)}-01"
        db, team = self.s.db, self.s.user.team
        cutoff = (self.s.today() - dt.timedelta(days=NO_OUTCOME_DAYS)).isoformat()
        high = sorted(self.shape().high)
        no_outcome = stats_repo.without_outcome(db, high, cutoff, lo, hi, team)
        before = stats_repo.outcomes_before_screening(db, lo, hi, team)
        scored = [q.id for q in self.form().questions() if q.type in SCORED_TYPES]
        unknown = stats_repo.mostly_not_known(
            db, scored, data_quality.NOT_KNOWN_SHARE, lo, hi, team
        )
        found = data_quality.record_checks(
            {v.month: int(v.value) for v in no_outcome},
            {v.month: int(v.value) for v in before},
            NO_OUTCOME_DAYS,
            {v.month: int(v.value) for v in unknown},
        )
        return panel.build(figures, f"team {team}", suppressed=suppressed, record_findings=found)

    def write_panel(
        self, report: PanelReport, path: Path, *, as_csv: bool = False, force: bool = False
    ) -> None:
        """The panel report as a PDF (or a CSV) at ``path``; the export is audited."""
        self.s.require(Verb.EXPORT_PANEL)
        if as_csv:
            write_text(path, panel.to_csv(report), force=force)
        else:
            from screening_app.export.panel_pdf import render_panel_pdf
            from screening_app.export.referral_pdf import write_referral

            write_referral(path, render_panel_pdf(report, produced=self.s.clock()), force=force)
        with self.s.write("record the export"):
            self.s.audit(
                "panel_report_exported",
                None,
                f"{report.first} to {report.last}, {'CSV' if as_csv else 'PDF'}, "
                f"suppressed={report.suppressed}",
            )

    def write_pdf(
        self,
        figures: list[MonthFigures],
        path: Path,
        *,
        suppressed: bool,
        organisation: bool = False,
    ) -> None:
        """A printable summary PDF of ``figures`` (the team's, or the organisation's)."""
        from screening_app.export.referral_pdf import write_referral
        from screening_app.export.stats_pdf import render_stats_pdf

        self.s.require(Verb.EXPORT_STATISTICS)
        pdf = render_stats_pdf(
            figures,
            self.form(),
            team="all teams (the organisation)" if organisation else self.s.user.team,
            suppressed=suppressed,
            produced=self.s.clock(),
        )
        write_referral(path, pdf, force=True)
        with self.s.write("record the export"):
            self.s.audit("statistics_printed", None, f"{len(figures)} months")

    def write_csv(self, figures: list[MonthFigures], path: Path, *, suppressed: bool) -> None:
        """CSV of ``figures`` (small numbers suppressed unless ``suppressed`` is False)."""
        from screening_app.export.stats_csv import to_csv

        self.s.require(Verb.EXPORT_STATISTICS)
        write_text(path, to_csv(figures, self.shape(), suppressed=suppressed))
        with self.s.write("record the export"):
            self.s.audit(
                "statistics_exported", None, f"{len(figures)} months, suppressed={suppressed}"
            )
