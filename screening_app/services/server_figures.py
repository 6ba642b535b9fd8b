"""``stats --server``: the organisation's monthly figures, computed by the team server in SQL from
the clear metadata of every team's screenings (docs/SERVER.md, "What the server sees"), in the
same shape as the figures this computer computes for its own team."""

from __future__ import annotations

from screening_app.domain.capabilities import Verb
from screening_app.domain.measures import tally
from screening_app.domain.statistics import MonthFigures, Shape, months_between
from screening_app.services.server_session import signed_in
from screening_app.services.session import Session

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
        params = {"first": months[0], "last": months[-1], "positive": list(shape.positive)}
        rows = client.call("GET", "/v1/figures", params=params)["figures"]
    figures = {m: MonthFigures(m) for m in months}
    profiles = []
    for row in rows:
        month = figures.get(row["month"])
        if month is None:
            continue
        kind, code, value = row["kind"], row["code"], row["value"]
        if kind == "screenings":
            month.screenings = int(value)
        elif kind == "children":
            month.children = int(value)
        elif kind in ATTRIBUTES:
            getattr(month, ATTRIBUTES[kind])[code] = int(value)
        elif kind == "outcome":
            month.outcomes[code] = int(value)
        elif kind == "positive":
            month.with_positive_outcome = int(value)
        elif kind == "median_days" and value is not None:
            month.median_days_to_review = round(float(value), 1)
        elif kind == "profile":
            profiles.append((row["month"], code or None, row.get("codes") or [], int(value)))
    for period, counted in tally(profiles, shape.measures, shape.high).items():
        if period in figures:
            figures[period].tally = counted
    return [figures[m] for m in months]
