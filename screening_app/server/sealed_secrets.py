"""A secret each computer holds sealed for its own key, as one resource: the team's link secret
(child tags) and the organisation's (links across teams) follow the same four steps, so they
are served by one set of routes over a :class:`SealedSecret` (docs/SERVER.md):

- ``GET {path}``: this computer's sealed copy, and whether the secret exists at all;
- ``PUT {path}``: the first supervisor's computer makes it, sealed for itself;
- ``GET {path}/waiting``: the computers without a copy (each with its public key);
- ``POST {path}/grants``: a computer that holds it gives a waiting one its own sealed copy.

What differs — which table, who may receive a copy — is each secret's own functions
(``team_keys.py``, ``org_links.py``); the paths are named in ``sync/wire.py`` for both sides.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends

from screening_app.server import org_links, team_keys
from screening_app.server.bearer import Bearer, BearerDependency
from screening_app.server.problems import decoded
from screening_app.server.routing import Router
from screening_app.server.store import Caller, ServerStore
from screening_app.sync.wire_keys import (
    ORGANISATION_LINK_PATH,
    TEAM_LINK_PATH,
    Grant,
    Sealed,
    SecretCopy,
    Waiting,
    WaitingDevice,
)


@dataclass(frozen=True)
class SealedSecret:
    path: str
    copy: Callable[[ServerStore, Caller], dict[str, Any]]
    create: Callable[[ServerStore, Caller, bytes], None]
    waiting: Callable[[ServerStore, Caller], list[WaitingDevice]]
    grant: Callable[[ServerStore, Caller, uuid.UUID, bytes], None]


SECRETS = (
    SealedSecret(
        TEAM_LINK_PATH,
        team_keys.link_copy,
        team_keys.create_link,
        team_keys.link_waiting,
        team_keys.grant_link,
    ),
    SealedSecret(
        ORGANISATION_LINK_PATH,
        org_links.secret_copy,
        org_links.create_secret,
        org_links.waiting,
        org_links.grant,
    ),
)


def router(store: ServerStore, bearer: BearerDependency) -> APIRouter:
    routes = Router()
    for secret in SECRETS:
        _serve(routes, store, Depends(bearer), secret)
    return routes


def _serve(routes: APIRouter, store: ServerStore, signed_in: Any, secret: SealedSecret) -> None:
    @routes.get(secret.path, response_model=SecretCopy)
    def copy(bearer: Bearer = signed_in) -> dict[str, Any]:
        who = bearer.caller()
        return secret.copy(store, who)

    @routes.put(secret.path, status_code=204)
    def create(body: Sealed, bearer: Bearer = signed_in) -> None:
        who = bearer.caller()
        secret.create(store, who, decoded(body.sealed, "secret"))

    @routes.get(f"{secret.path}/waiting", response_model=Waiting)
    def waiting(bearer: Bearer = signed_in) -> Waiting:
        who = bearer.caller()
        return Waiting(devices=secret.waiting(store, who))

    @routes.post(f"{secret.path}/grants", status_code=204)
    def grant(body: Grant, bearer: Bearer = signed_in) -> None:
        who = bearer.caller()
        secret.grant(store, who, body.device_id, decoded(body.sealed, "secret"))
