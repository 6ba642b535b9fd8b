"""``stats --server``: the organisation's monthly figures, computed by the team server in SQL from
the clear metadata of every team's screenings (docs/SERVER.md, "What the server sees"), in the
same shape as the figures this computer computes for its own team."""

from __future__ import annotations

from screening_app.domain.capabilities import Verb
from screening_app.domain.measures import tally
from screening_app.domain.statistics import MonthFigures, Shape, months_between
from screening_app.services.server_session import signed_in
from screening_app.services.session import Session
from screening_app.sync import api

ATTRIBUTES = {
    "band": "bands",
    "area": "areas",
    "role": "roles",
    "model": "models",
    "type": "types",
}


def organisation_figures(
    session: Session, shape: Shape, start: str, end: str, password: str | None = None
) -> list[MonthFigures]:
    """One MonthFigures per month from ``start`` to ``end``, across the organisation."""
    session.require(Verb.SEE_ORGANISATION_FIGURES)
    months = months_between(start, end)
    with signed_in(session, password) as (client, _me):
        rows = api.organisation_figures(client, months[0], months[-1], list(shape.positive))
    figures = {m: MonthFigures(m) for m in months}
    profiles = []
    for row in rows:
        month = figures.get(row.month)
        if month is None:
            continue
        kind, code, value = row.kind, row.code or "", row.value
        count = int(value or 0)  # only the median days may be unknown
        if kind == "screenings":
            month.screenings = count
        elif kind == "children":
            month.children = count
        elif kind in ATTRIBUTES:
            getattr(month, ATTRIBUTES[kind])[code] = count
        elif kind == "outcome":
            month.outcomes[code] = count
        elif kind == "positive":
            month.with_positive_outcome = count
        elif kind == "median_days" and value is not None:
            month.median_days_to_review = round(value, 1)
        elif kind == "profile":
            profiles.append((row.month, code or None, row.codes, count))
    for period, counted in tally(profiles, shape.measures, shape.high).items():
        if period in figures:
            figures[period].tally = counted
    return [figures[m] for m in months]
