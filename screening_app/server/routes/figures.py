"""The organisation's figures and an area's profile, counted from clear metadata only
(supervisors; docs/SERVER.md, "Organisation figures")."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from screening_app.server import figures as figures_module
from screening_app.server import (
    outcomes,
)
from screening_app.server.bearer import Bearer, BearerDependency
from screening_app.server.problems import Invalid
from screening_app.server.routing import Router
from screening_app.server.store import ServerStore
from screening_app.sync.wire import AREA_PROFILE_PATH, FIGURES_PATH, MONTH, AreaRows, Figures


def router(store: ServerStore, bearer: BearerDependency) -> APIRouter:
    routes = Router()
    Authorised = Annotated[Bearer, Depends(bearer)]

    @routes.get(FIGURES_PATH, response_model=Figures)
    def figures(
        bearer: Authorised,
        first: Annotated[str, Query(pattern=MONTH)],
        last: Annotated[str, Query(pattern=MONTH)],
        positive: Annotated[list[str], Query(max_length=100)] = [],  # noqa: B006
    ) -> dict[str, Any]:
        who = bearer.caller()
        return {"figures": figures_module.figures(store, who, first, last, positive)}

    @routes.get(AREA_PROFILE_PATH, response_model=AreaRows)
    def area_profile(
        bearer: Authorised,
        area: Annotated[str, Query(pattern=r"^[a-z0-9_]{1,64}$")],
        first: Annotated[str, Query(pattern=MONTH)],
        last: Annotated[str, Query(pattern=MONTH)],
        code: Annotated[list[str], Query(max_length=200)] = [],  # noqa: B006
        measure: Annotated[list[str], Query(max_length=200)] = [],  # noqa: B006
    ) -> dict[str, Any]:
        who = bearer.caller()
        if len(code) != len(measure):
            raise Invalid("Give one measure for each outcome code.")
        pairs = list(zip(code, measure, strict=True))
        return {"rows": outcomes.area_profile(store, who, area, first, last, pairs)}

    return routes
