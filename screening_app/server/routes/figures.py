"""The organisation's figures and an area's profile, counted from clear metadata only
(supervisors; docs/SERVER.md, "Organisation figures")."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from screening_app.server import figures as figures_module
from screening_app.server import (
    outcomes,
)
from screening_app.server.problems import Invalid
from screening_app.server.store import Caller, ServerStore
from screening_app.sync.wire import AREA_PROFILE_PATH, FIGURES_PATH, MONTH, AreaRows, Figures


def router(store: ServerStore, caller: Callable[..., Caller]) -> APIRouter:
    routes = APIRouter()
    Authorised = Annotated[Caller, Depends(caller)]

    @routes.get(FIGURES_PATH, response_model=Figures)
    def figures(
        who: Authorised,
        first: Annotated[str, Query(pattern=MONTH)],
        last: Annotated[str, Query(pattern=MONTH)],
        positive: Annotated[list[str], Query(max_length=100)] = [],  # noqa: B006
    ) -> dict[str, Any]:
        return {"figures": figures_module.figures(store, who, first, last, positive)}

    @routes.get(AREA_PROFILE_PATH, response_model=AreaRows)
    def area_profile(
        who: Authorised,
        area: Annotated[str, Query(pattern=r"^[a-z0-9_]{1,64}$")],
        first: Annotated[str, Query(pattern=MONTH)],
        last: Annotated[str, Query(pattern=MONTH)],
        code: Annotated[list[str], Query(max_length=200)] = [],  # noqa: B006
        measure: Annotated[list[str], Query(max_length=200)] = [],  # noqa: B006
    ) -> dict[str, Any]:
        if len(code) != len(measure):
            raise Invalid("Give one measure for each outcome code.")
        pairs = list(zip(code, measure, strict=True))
        return {"rows": outcomes.area_profile(store, who, area, first, last, pairs)}

    return routes
