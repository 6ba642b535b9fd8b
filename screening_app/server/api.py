"""The team server's HTTP API (FastAPI: typed request bodies validated by pydantic, which the
form model already uses; served by uvicorn). Every answer is JSON; every refusal is a status
with a plain ``detail`` sentence — never a traceback, never the content of the request.

- ``GET /health`` — is the server up and its schema current
- ``POST /v1/sessions`` — sign in: a short-lived bearer token (throttled per account and address)
- ``GET /v1/sessions/challenge``, ``POST /v1/sessions/device`` — a registered device signs in
  with its own key (a one-time nonce), so that a desktop syncs without keeping the password
- ``GET /v1/me`` — the account behind a token
- ``GET|POST /v1/devices/mine/witness`` — the head of this desktop's audit trail, witnessed
- ``GET /v1/settings`` — the organisation's settings (the retention period on devices)
- ``POST /v1/devices`` — register this desktop and its public keys (the token is bound to it)
- ``DELETE /v1/devices/{id}`` — an administrator revokes a device
- ``POST /v1/screenings`` — send an encrypted screening (idempotent; 409 on a conflict)
- ``POST /v1/screenings/batch`` — up to 100 at once, answered item by item (server/batches.py)
- ``GET /v1/screenings?after=SEQ`` — the screenings this account may see, sent after SEQ
- ``GET /v1/screenings/untagged``, ``PUT /v1/screenings/tags`` — a supervisor's computer fills
  in the child's tag of screenings sent before their computer had the link secret
- ``PUT|GET /v1/teams/mine/key`` — the team's public key and this device's sealed copies
- ``GET /v1/teams/mine/waiting``, ``POST /v1/teams/mine/key/grants`` — share the team key
- ``GET /v1/teams/mine/computers``, ``POST /v1/teams/mine/approvals`` — the team's computers
  and the approvals a supervisor in post signed for them (no key goes to a computer without one)
- ``POST /v1/teams/mine/key/rotate`` — the next epoch of the team key (a supervisor left)
- ``GET /v1/teams/mine/recovery``, ``POST /v1/teams/mine/key/recover`` — the recovery copy
- ``GET|PUT /v1/teams/mine/link``, ``GET /v1/teams/mine/link/waiting``,
  ``POST /v1/teams/mine/link/grants`` — the team's link secret (child tags)
- ``GET|PUT /v1/organisation/link``, ``GET /v1/organisation/link/waiting``,
  ``POST /v1/organisation/link/grants`` — the organisation's link secret (supervisors)
- ``PUT /v1/organisation/link-keys``, ``GET /v1/organisation/links`` — keyed hashes of a team's
  entities, and its screenings that share one with another team
- ``POST /v1/screenings/{id}/{version}/review``, ``GET /v1/reviews?after=SEQ`` — decisions
- ``POST /v1/outcomes``, ``GET /v1/outcomes?after=SEQ`` — outcomes (code and date clear)
- ``POST /v1/tombstones``, ``GET /v1/tombstones?after=SEQ`` — deletions at the end of a
  retention period, witnessed (server/tombstones.py)
- ``GET /v1/supervisors/{name}/keys`` — a supervisor's computers' public keys, to seal a
  transfer to another setting for them (server/directory.py)
- ``GET /v1/figures?first=YYYY-MM&last=YYYY-MM&positive=CODE`` — organisation figures
- ``GET /v1/figures/area?area=CODE&first=&last=&code=&measure=`` — one area's profile counts
"""

import base64
import uuid
from typing import Annotated, Any

import psycopg
from fastapi import Depends, FastAPI, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from screening_app.server import (
    approvals,
    batches,
    devices,
    directory,
    org_links,
    outcomes,
    reviews,
    schema,
    screenings,
    sealed_secrets,
    team_keys,
    tombstones,
)
from screening_app.server import figures as figures_module
from screening_app.server.body_limit import BodyLimit
from screening_app.server.problems import Invalid, ServerError, Unauthenticated, decoded
from screening_app.server.store import TOKEN_LIFETIME, UNSTORABLE, Caller, ServerStore
from screening_app.sync.wire import (
    AREA_PROFILE_PATH,
    DEVICES_PATH,
    FIGURES_PATH,
    LINK_KEYS_PATH,
    MONTH,
    ORGANISATION_LINKS_PATH,
    OUTCOMES_PATH,
    REVIEWS_PATH,
    SCREENINGS_PATH,
    SETTINGS_PATH,
    TAGS_PATH,
    TEAM_KEY_PATH,
    TEAM_KEY_WAITING_PATH,
    TEAM_RECOVERY_PATH,
    UNTAGGED_PATH,
    WITNESS_PATH,
    Account,
    Approval,
    AreaRows,
    Challenge,
    ChildTags,
    Consistent,
    Decided,
    Decisions,
    DeviceMade,
    DeviceSignIn,
    EpochKey,
    Figures,
    Grant,
    LastWitness,
    LinkKeys,
    NewDevice,
    OrganisationLinks,
    Outcomes,
    Recovered,
    Rotation,
    Screenings,
    Settings,
    SignedIn,
    SignIn,
    Stored,
    Tagged,
    TeamKey,
    TeamKeyCopies,
    TeamRecovery,
    Unknown,
    Untagged,
    Upload,
    Waiting,
    Witness,
    review_path,
)

_HTTP_WORDS = {
    400: "The request body is not valid JSON.",
    404: "There is no such route: see docs/SERVER.md.",
    405: "That method is not allowed on this route: see docs/SERVER.md.",
}


def create_app(store: ServerStore, *, lifespan: Any = None) -> FastAPI:
    """The API over ``store``; ``lifespan``: what a worker does at start and stop
    (server/worker.py closes its pool)."""
    app = FastAPI(
        title="CSE Screening team server",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimit)

    @app.exception_handler(ServerError)
    async def refused(_request: Request, exc: ServerError) -> JSONResponse:
        """Each kind of refusal (problems.py) with its status, from ``problems.STATUS``."""
        headers = {"Retry-After": f"{exc.retry_after:.0f}"} if exc.retry_after else None
        return JSONResponse({"detail": exc.message}, status_code=exc.status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_refused(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = _HTTP_WORDS.get(exc.status_code) or f"{str(exc.detail).rstrip('.')}."
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(psycopg.DataError)
    async def unstorable(_request: Request, _exc: psycopg.DataError) -> JSONResponse:
        return JSONResponse({"detail": UNSTORABLE}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def malformed(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = sorted({".".join(str(p) for p in e["loc"][1:]) or "body" for e in exc.errors()})
        detail = f"The request is malformed ({', '.join(fields)}); see docs/SERVER.md."
        return JSONResponse({"detail": detail}, status_code=422)

    def caller(authorization: Annotated[str, Header()] = "") -> Caller:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("Sign in first: send Authorization: Bearer TOKEN.")
        return store.caller(token.strip())

    Authorised = Annotated[Caller, Depends(caller)]

    @app.get("/health")
    def health() -> dict[str, Any]:
        with store.transaction() as conn:
            current = schema.version(conn)
        return {"status": "ok" if current == schema.LATEST else "schema out of date"}

    @app.post("/v1/sessions", response_model=SignedIn)
    def sign_in(body: SignIn, request: Request) -> dict[str, Any]:
        address = request.client.host if request.client else "unknown"
        token, account = store.sign_in(body.name, body.password, address, body.device_id)
        return {
            "token": token,
            "expires_in": int(TOKEN_LIFETIME.total_seconds()),
            "account": _account(account.name, account.role, account.team),
        }

    @app.get("/v1/sessions/challenge", response_model=Challenge)
    def challenge(device_id: uuid.UUID) -> dict[str, str]:
        return {"nonce": base64.b64encode(devices.challenge(store, device_id)).decode("ascii")}

    @app.post("/v1/sessions/device", response_model=SignedIn)
    def device_sign_in(body: DeviceSignIn) -> dict[str, Any]:
        token = devices.sign_in_device(
            store,
            body.device_id,
            decoded(body.nonce, "nonce"),
            decoded(body.signature, "signature"),
        )
        who = store.caller(token)
        return {
            "token": token,
            "expires_in": int(TOKEN_LIFETIME.total_seconds()),
            "account": _account(who.account.name, who.account.role, who.account.team),
        }

    @app.get(WITNESS_PATH, response_model=LastWitness)
    def last_witness(who: Authorised) -> dict[str, Any]:
        return {"witness": devices.last_witness(store, who)}

    @app.post(WITNESS_PATH, response_model=Consistent)
    def witness(body: Witness, who: Authorised) -> dict[str, bool]:
        return {"consistent": devices.witness(store, who, body.length, body.head, body.at_previous)}

    @app.get(SETTINGS_PATH, response_model=Settings)
    def settings(who: Authorised) -> dict[str, Any]:
        return {"retention_days": store.retention_days()}

    @app.get("/v1/me", response_model=Account)
    def me(who: Authorised) -> dict[str, Any]:
        return _account(who.account.name, who.account.role, who.account.team)

    @app.post(DEVICES_PATH, status_code=201, response_model=DeviceMade)
    def register(
        body: NewDevice, who: Authorised, authorization: Annotated[str, Header()]
    ) -> dict[str, str]:
        token = authorization.partition(" ")[2].strip()
        device = devices.register_device(
            store, who, body.name, token, bytes.fromhex(body.x25519), bytes.fromhex(body.ed25519)
        )
        return {"device_id": str(device)}

    @app.delete("/v1/devices/{device_id}", status_code=204)
    def revoke(device_id: uuid.UUID, who: Authorised) -> None:
        devices.revoke_device(store, who, device_id)

    @app.post(SCREENINGS_PATH, response_model=Stored)
    def send(body: Upload, who: Authorised, response: Response) -> dict[str, Any]:
        stored = screenings.upload(
            store, who, decoded(body.envelope, "envelope"), decoded(body.signature, "signature")
        )
        response.status_code = 201 if stored.created else 200
        return {"stored": stored.created, "status": stored.status}

    @app.get(SCREENINGS_PATH, response_model=Screenings)
    def receive(who: Authorised, after: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
        return {"screenings": screenings.since(store, who, after)}

    @app.get(UNTAGGED_PATH, response_model=Untagged)
    def untagged(who: Authorised) -> dict[str, Any]:
        return {"screenings": screenings.untagged(store, who)}

    @app.put(TAGS_PATH, response_model=Tagged)
    def put_tags(body: ChildTags, who: Authorised) -> dict[str, Any]:
        tags = [(t.id, t.version, t.child_tag) for t in body.tags]
        return {"tagged": screenings.put_tags(store, who, tags)}

    @app.put(TEAM_KEY_PATH, status_code=204)
    def create_team_key(body: TeamKey, who: Authorised) -> None:
        team_keys.create(
            store,
            who,
            bytes.fromhex(body.public),
            decoded(body.sealed, "key"),
            decoded(body.recovery, "recovery copy"),
            bytes.fromhex(body.recovery_public) if body.recovery_public else None,
            decoded(body.epoch_recovery, "recovery copy") if body.epoch_recovery else None,
        )

    @app.get(TEAM_KEY_PATH, response_model=TeamKeyCopies)
    def get_team_key(who: Authorised) -> dict[str, Any]:
        return team_keys.current(store, who)

    @app.get(TEAM_KEY_WAITING_PATH, response_model=Waiting)
    def waiting(who: Authorised) -> dict[str, Any]:
        return {"devices": team_keys.waiting(store, who)}

    @app.post("/v1/teams/mine/key/grants", status_code=204)
    def grant(body: Grant, who: Authorised) -> None:
        team_keys.grant(store, who, body.device_id, _epochs(body.keys))

    @app.get("/v1/teams/mine/computers")
    def team_computers(who: Authorised) -> dict[str, Any]:
        return approvals.computers(store, who)

    @app.post("/v1/teams/mine/approvals")
    def approve_computer(body: Approval, who: Authorised) -> JSONResponse:
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

    @app.post("/v1/teams/mine/key/rotate", status_code=204)
    def rotate(body: Rotation, who: Authorised) -> None:
        sealed_for = {k.device_id: decoded(k.sealed, "key") for k in body.keys}
        recovery = decoded(body.recovery, "recovery copy") if body.recovery else None
        team_keys.rotate(store, who, body.epoch, bytes.fromhex(body.public), recovery, sealed_for)

    @app.get(TEAM_RECOVERY_PATH, response_model=TeamRecovery)
    def get_recovery(who: Authorised) -> dict[str, Any]:
        return team_keys.recovery(store, who)

    @app.post("/v1/teams/mine/key/recover", status_code=204)
    def recovered(body: Recovered, who: Authorised) -> None:
        team_keys.keep_recovered(store, who, _epochs(body.keys))

    @app.put(LINK_KEYS_PATH, response_model=Unknown)
    def put_link_keys(body: LinkKeys, who: Authorised) -> dict[str, Any]:
        keys = {item.screening_id: [_hex32(k) for k in item.keys] for item in body.screenings}
        return {"unknown": org_links.put_keys(store, who, keys)}

    @app.get(ORGANISATION_LINKS_PATH, response_model=OrganisationLinks)
    def organisation_links(who: Authorised) -> dict[str, Any]:
        return {"links": org_links.links(store, who)}

    @app.post(OUTCOMES_PATH, response_model=Stored)
    def send_outcome(body: Upload, who: Authorised, response: Response) -> dict[str, Any]:
        created = outcomes.record(
            store, who, decoded(body.envelope, "envelope"), decoded(body.signature, "signature")
        )
        response.status_code = 201 if created else 200
        return {"stored": created}

    @app.get(OUTCOMES_PATH, response_model=Outcomes)
    def receive_outcomes(who: Authorised, after: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
        return {"outcomes": outcomes.since(store, who, after)}

    @app.get(FIGURES_PATH, response_model=Figures)
    def figures(
        who: Authorised,
        first: Annotated[str, Query(pattern=MONTH)],
        last: Annotated[str, Query(pattern=MONTH)],
        positive: Annotated[list[str], Query(max_length=100)] = [],  # noqa: B006
    ) -> dict[str, Any]:
        return {"figures": figures_module.figures(store, who, first, last, positive)}

    @app.get(AREA_PROFILE_PATH, response_model=AreaRows)
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

    @app.post(review_path("{screening_id}", "{version}"), response_model=Decided)
    def review(
        screening_id: uuid.UUID, version: int, body: Upload, who: Authorised
    ) -> dict[str, str]:
        status = reviews.decide(
            store,
            who,
            screening_id,
            version,
            decoded(body.envelope, "envelope"),
            decoded(body.signature, "signature"),
        )
        return {"status": status}

    @app.get(REVIEWS_PATH, response_model=Decisions)
    def decisions(who: Authorised, after: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
        return {"reviews": reviews.since(store, who, after)}

    app.include_router(batches.router(store, caller))
    app.include_router(tombstones.router(store, caller))
    app.include_router(directory.router(store, caller))
    app.include_router(sealed_secrets.router(store, caller))
    return app


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


def _account(name: str, role: str, team: str | None) -> dict[str, Any]:
    return {"name": name, "role": role, "team": team}
