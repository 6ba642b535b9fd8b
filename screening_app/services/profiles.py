"""Area profiles for publication (docs/STATISTICS.md, "Area profiles"): the children screened
in one local authority area over a period, counted by age, sex, band, CSE model, vulnerability,
outcome and link, with small numbers suppressed (domain/profile.py). A supervisor's team's from
this computer; with ``server``, the organisation's from the team server's clear metadata only
(band, models, outcomes: the server holds no age, sex or answer)."""

from __future__ import annotations

from pathlib import Path

from screening_app.domain import checklist
from screening_app.domain.capabilities import Verb
from screening_app.domain.profile import (
    AGE_BANDS,
    MEASURE_WORDS,
    AreaProfile,
    Dimension,
    ShownProfile,
    measure_pairs,
    option_rows,
    publishable,
    to_csv,
)
from screening_app.domain.statistics import model_options, months_between
from screening_app.errors import InputFileError, Problem
from screening_app.files import write_text
from screening_app.services.session import Session
from screening_app.services.statistics import StatisticsService, next_month
from screening_app.storage import profile_repo


class ProfileService:
    def __init__(self, session: Session, statistics: StatisticsService) -> None:
        self.s = session
        self.statistics = statistics

    def areas(self) -> list[tuple[str, str]]:
        """(code, label) of every area the form offers."""
        form = self.statistics.form()
        return list(form.question(checklist.AREA).option_pairs())

    def profile(
        self, area: str, start: str, end: str, *, server: bool = False, password: str | None = None
    ) -> ShownProfile:
        """The area's profile, ready to publish: small numbers already suppressed."""
        self.s.require(Verb.MAKE_PROFILE)
        months = months_between(start, end)
        labels = dict(self.areas())
        if area not in labels:
            raise InputFileError(
                "unknown area",
                [
                    Problem(
                        f"'{area[:40]}' is not an area; use one of {', '.join(labels)}", "--area"
                    )
                ],
            )
        if server:
            from screening_app.services.server_profile import organisation_profile

            raw = organisation_profile(
                self.s, self.statistics.shape(), area, labels[area], months, password
            )
        else:
            raw = self._team(area, labels[area], months)
        with self.s.write("record the profile"):
            self.s.audit("area_profile_made", None, f"{area} {months[0]} to {months[-1]}")
        return publishable(raw)

    def _team(self, area: str, label: str, months: list[str]) -> AreaProfile:
        db, team = self.s.db, self.s.user.team
        lo, hi = f"{months[0]}-01", f"{next_month(months[-1])}-01"
        form, shape = self.statistics.form(), self.statistics.shape()
        children, screenings = profile_repo.totals(db, area, lo, hi, team)
        ages = profile_repo.by_latest(db, "age", area, lo, hi, team)
        sexes = profile_repo.by_latest(db, "sex", area, lo, hi, team)
        bands = profile_repo.by_latest(db, "band", area, lo, hi, team)
        models = profile_repo.with_model(db, area, lo, hi, team)
        vulnerabilities = [q for q in form.questions() if q.id.startswith("v_")]
        yes = profile_repo.answered_yes(db, [q.id for q in vulnerabilities], area, lo, hi, team)
        outcomes = profile_repo.with_outcome(db, measure_pairs(shape.measures), area, lo, hi, team)
        links = profile_repo.linked(db, area, lo, hi, team)
        dimensions = [
            Dimension("Age at the latest screening", option_rows(ages, list(AGE_BANDS)), True),
            Dimension(
                "Sex", option_rows(sexes, list(form.question("child_gender").option_pairs())), True
            ),
            Dimension(
                "Band at the latest screening",
                option_rows(
                    bands, [(b.code, b.label) for b in form.bands] + [("not_known", "Not known")]
                ),
                True,
            ),
            Dimension(
                "Models of CSE (a child may be in more than one)",
                option_rows(models, model_options(form), rest=False),
                False,
            ),
            Dimension(
                "Vulnerabilities (a child may have several)",
                [(q.label, yes.get(q.id, 0)) for q in vulnerabilities],
                False,
            ),
            Dimension(
                "Outcomes (a child may have several)",
                option_rows(outcomes, list(MEASURE_WORDS), rest=False),
                False,
            ),
            Dimension(
                "Links",
                [("Linked to another child by a phone, vehicle, place or account", links)],
                False,
            ),
        ]
        return AreaProfile(
            area=label,
            area_code=area,
            first=months[0],
            last=months[-1],
            whose=f"team {team}",
            children=children,
            screenings=screenings,
            dimensions=dimensions,
        )

    def write(
        self, shown: ShownProfile, path: Path, *, as_csv: bool = False, force: bool = False
    ) -> None:
        """The profile as a PDF (or CSV) at ``path``; audited."""
        self.s.require(Verb.EXPORT_PROFILE)
        if as_csv:
            write_text(path, to_csv(shown), force=force)
        else:
            from screening_app.export.profile_pdf import render_profile_pdf
            from screening_app.export.referral_pdf import write_referral

            write_referral(path, render_profile_pdf(shown, produced=self.s.clock()), force=force)
        with self.s.write("record the export"):
            self.s.audit(
                "area_profile_exported",
                None,
                f"{shown.area_code} {shown.first} to {shown.last}, {'CSV' if as_csv else 'PDF'}",
            )
