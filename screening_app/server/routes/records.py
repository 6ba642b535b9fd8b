"""Screenings, supervisors' decisions and outcomes, sent and received: ``/v1/screenings``,
``/v1/reviews``, ``/v1/outcomes`` (docs/SERVER.md, "API")."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from screening_app.server import (
    child_tags,
    downloads,
    outcomes,
    reviews,
    screenings,
)
from screening_app.server.bearer import Bearer, BearerDependency
from screening_app.server.problems import decoded
from screening_app.server.routing import Router
from screening_app.server.store import ServerStore
from screening_app.sync.wire import (
    OUTCOMES_PATH,
    REVIEWS_PATH,
    SCREENINGS_PATH,
    TAGS_PATH,
    UNTAGGED_PATH,
    ChildTags,
    Decided,
    Decisions,
    Outcomes,
    Screenings,
    Stored,
    Tagged,
    Untagged,
    Upload,
    review_path,
)


def router(store: ServerStore, bearer: BearerDependency) -> APIRouter:
    routes = Router()
    Authorised = Annotated[Bearer, Depends(bearer)]

    @routes.post(SCREENINGS_PATH, response_model=Stored)
    def send(body: Upload, bearer: Authorised, response: Response) -> dict[str, Any]:
        who = bearer.caller()
        stored = screenings.upload(
            store, who, decoded(body.envelope, "envelope"), decoded(body.signature, "signature")
        )
        response.status_code = 201 if stored.created else 200
        return {"stored": stored.created, "status": stored.status}

    @routes.get(SCREENINGS_PATH, response_model=Screenings)
    def receive(bearer: Authorised, after: Annotated[int, Query(ge=0)] = 0) -> Screenings:
        who = bearer.caller()
        return Screenings(screenings=downloads.since(store, who, after))

    @routes.get(UNTAGGED_PATH, response_model=Untagged)
    def untagged(bearer: Authorised) -> dict[str, Any]:
        who = bearer.caller()
        return {"screenings": child_tags.untagged(store, who)}

    @routes.put(TAGS_PATH, response_model=Tagged)
    def put_tags(body: ChildTags, bearer: Authorised) -> dict[str, Any]:
        who = bearer.caller()
        tags = [(t.id, t.version, t.child_tag) for t in body.tags]
        return {"tagged": child_tags.put_tags(store, who, tags)}

    @routes.post(OUTCOMES_PATH, response_model=Stored)
    def send_outcome(body: Upload, bearer: Authorised, response: Response) -> dict[str, Any]:
        who = bearer.caller()
        created = outcomes.record(
            store, who, decoded(body.envelope, "envelope"), decoded(body.signature, "signature")
        )
        response.status_code = 201 if created else 200
        return {"stored": created}

    @routes.get(OUTCOMES_PATH, response_model=Outcomes)
    def receive_outcomes(bearer: Authorised, after: Annotated[int, Query(ge=0)] = 0) -> Outcomes:
        who = bearer.caller()
        return Outcomes(outcomes=outcomes.since(store, who, after))

    @routes.post(review_path("{screening_id}", "{version}"), response_model=Decided)
    def review(
        screening_id: uuid.UUID, version: int, body: Upload, bearer: Authorised
    ) -> dict[str, str]:
        who = bearer.caller()
        status = reviews.decide(
            store,
            who,
            screening_id,
            version,
            decoded(body.envelope, "envelope"),
            decoded(body.signature, "signature"),
        )
        return {"status": status}

    @routes.get(REVIEWS_PATH, response_model=Decisions)
    def decisions(bearer: Authorised, after: Annotated[int, Query(ge=0)] = 0) -> Decisions:
        who = bearer.caller()
        return Decisions(reviews=reviews.since(store, who, after))

    return routes
