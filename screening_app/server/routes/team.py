"""The team's keys and computers: the team key and its recovery copy, the approvals of
computers, and the keyed hashes that link screenings across the organisation (docs/SERVER.md)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from screening_app.server import (
    approvals,
    org_links,
    team_keys,
)
from screening_app.server.bearer import Bearer, BearerDependency
from screening_app.server.problems import Invalid, decoded
from screening_app.server.routing import Router
from screening_app.server.store import ServerStore
from screening_app.sync.wire_keys import (
    APPROVALS_PATH,
    COMPUTERS_PATH,
    LINK_KEYS_PATH,
    ORGANISATION_LINKS_PATH,
    TEAM_KEY_GRANTS_PATH,
    TEAM_KEY_PATH,
    TEAM_KEY_RECOVER_PATH,
    TEAM_KEY_ROTATE_PATH,
    TEAM_KEY_WAITING_PATH,
    TEAM_RECOVERY_PATH,
    Approval,
    EpochKey,
    Grant,
    LinkKeys,
    OrganisationLinks,
    Recovered,
    Rotation,
    TeamComputers,
    TeamKey,
    TeamKeyCopies,
    TeamRecovery,
    Unknown,
    Waiting,
)


def router(store: ServerStore, bearer: BearerDependency) -> APIRouter:
    routes = Router()
    Authorised = Annotated[Bearer, Depends(bearer)]

    @routes.put(TEAM_KEY_PATH, status_code=204)
    def create_team_key(body: TeamKey, bearer: Authorised) -> None:
        who = bearer.caller()
        team_keys.create(
            store,
            who,
            bytes.fromhex(body.public),
            decoded(body.sealed, "key"),
            decoded(body.recovery, "recovery copy"),
            bytes.fromhex(body.recovery_public) if body.recovery_public else None,
            decoded(body.epoch_recovery, "recovery copy") if body.epoch_recovery else None,
        )

    @routes.get(TEAM_KEY_PATH, response_model=TeamKeyCopies)
    def get_team_key(bearer: Authorised) -> dict[str, Any]:
        who = bearer.caller()
        return team_keys.current(store, who)

    @routes.get(TEAM_KEY_WAITING_PATH, response_model=Waiting)
    def waiting(bearer: Authorised) -> Waiting:
        who = bearer.caller()
        return Waiting(devices=team_keys.waiting(store, who))

    @routes.post(TEAM_KEY_GRANTS_PATH, status_code=204)
    def grant(body: Grant, bearer: Authorised) -> None:
        who = bearer.caller()
        team_keys.grant(store, who, body.device_id, _epochs(body.keys))

    @routes.get(COMPUTERS_PATH, response_model=TeamComputers)
    def team_computers(bearer: Authorised) -> TeamComputers:
        who = bearer.caller()
        return approvals.computers(store, who)

    @routes.post(APPROVALS_PATH)
    def approve_computer(body: Approval, bearer: Authorised) -> JSONResponse:
        who = bearer.caller()
        stored = approvals.record(
            store,
            who,
            body.device_id,
            body.epoch,
            decoded(body.statement, "approval"),
            decoded(body.signature, "signature"),
            decoded(body.team_signature, "signature"),
        )
        return JSONResponse({"stored": stored}, status_code=201 if stored else 200)

    @routes.post(TEAM_KEY_ROTATE_PATH, status_code=204)
    def rotate(body: Rotation, bearer: Authorised) -> None:
        who = bearer.caller()
        sealed_for = {k.device_id: decoded(k.sealed, "key") for k in body.keys}
        recovery = decoded(body.recovery, "recovery copy") if body.recovery else None
        team_keys.rotate(store, who, body.epoch, bytes.fromhex(body.public), recovery, sealed_for)

    @routes.get(TEAM_RECOVERY_PATH, response_model=TeamRecovery)
    def get_recovery(bearer: Authorised) -> dict[str, Any]:
        who = bearer.caller()
        return team_keys.recovery(store, who)

    @routes.post(TEAM_KEY_RECOVER_PATH, status_code=204)
    def recovered(body: Recovered, bearer: Authorised) -> None:
        who = bearer.caller()
        team_keys.keep_recovered(store, who, _epochs(body.keys))

    @routes.put(LINK_KEYS_PATH, response_model=Unknown)
    def put_link_keys(body: LinkKeys, bearer: Authorised) -> dict[str, Any]:
        who = bearer.caller()
        keys = {item.screening_id: [_hex32(k) for k in item.keys] for item in body.screenings}
        return {"unknown": org_links.put_keys(store, who, keys)}

    @routes.get(ORGANISATION_LINKS_PATH, response_model=OrganisationLinks)
    def organisation_links(bearer: Authorised) -> OrganisationLinks:
        who = bearer.caller()
        return OrganisationLinks(links=org_links.links(store, who))

    return routes


def _hex32(text: str) -> bytes:
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise Invalid("A link key is not hexadecimal.") from None
    if len(key) != 32:
        raise Invalid("A link key is not 32 bytes.")
    return key


def _epochs(keys: list[EpochKey]) -> dict[int, bytes]:
    return {k.epoch: decoded(k.sealed, "key") for k in keys}
