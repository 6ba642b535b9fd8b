"""``report profile --server``: one area's profile across the organisation, counted by the team
server from clear metadata (band, CSE models, outcomes; never age, sex or an answer), suppressed
here like the team's (domain/profile.py)."""

from __future__ import annotations

from screening_app.domain.profile import (
    MEASURE_WORDS,
    AreaProfile,
    Dimension,
    measure_pairs,
    option_rows,
)
from screening_app.domain.statistics import Shape, model_options
from screening_app.services.server_session import signed_in
from screening_app.services.session import Session
from screening_app.sync import api


def organisation_profile(
    session: Session,
    shape: Shape,
    area: str,
    label: str,
    months: list[str],
    password: str | None = None,
) -> AreaProfile:
    pairs = measure_pairs(shape.measures)
    with signed_in(session, password) as (client, _me):
        params = {
            "area": area,
            "first": months[0],
            "last": months[-1],
            "code": [code for code, _m in pairs],
            "measure": [m for _code, m in pairs],
        }
        rows = api.area_profile(client, params)
    found: dict[str, dict[str, int]] = {}
    for row in rows:
        found.setdefault(row.dimension, {})[row.code or ""] = row.count
    form = shape.form
    bands = [(b.code, b.label) for b in form.bands] + [("not_known", "Not known")]
    return AreaProfile(
        area=label,
        area_code=area,
        first=months[0],
        last=months[-1],
        whose="the whole organisation",
        children=found.get("children", {}).get("", 0),
        screenings=found.get("screenings", {}).get("", 0),
        dimensions=[
            Dimension(
                "Band at the latest screening", option_rows(found.get("band", {}), bands), True
            ),
            Dimension(
                "Models of CSE (a child may be in more than one)",
                option_rows(found.get("model", {}), model_options(form), rest=False),
                False,
            ),
            Dimension(
                "Outcomes (a child may have several)",
                option_rows(found.get("measure", {}), list(MEASURE_WORDS), rest=False),
                False,
                note="Age, sex, vulnerabilities and links are not on the server: they stay "
                "on the teams' computers.",
            ),
        ],
    )
