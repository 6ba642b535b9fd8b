"""The team server's HTTP API (FastAPI: typed request bodies validated by pydantic, which the
form model already uses; served by uvicorn). Every answer is JSON; every refusal is a status
with a plain ``detail`` sentence — never a traceback, never the content of the request.

This module makes the app: the exception handlers (each kind of refusal in ``problems.py`` with
its status), the signed-in caller's dependency (``bearer.py``), ``/health``; the routes are
one ``routing.Router`` per resource (an endpoint's work in one worker thread):
``routes/accounts.py``, ``routes/records.py``, ``routes/team.py``, ``routes/figures.py``,
``sealed_secrets.py``, ``batches.py``, ``tombstones.py``, ``directory.py``; their bodies and
answers are in ``sync/wire.py``. The routes:

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

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from screening_app.server import (
    batches,
    directory,
    schema,
    screenings,
    sealed_secrets,
    tombstones,
)
from screening_app.server.bearer import signed_in
from screening_app.server.body_limit import BodyLimit
from screening_app.server.problems import ServerError
from screening_app.server.routes import accounts, records, team
from screening_app.server.routes import figures as figures_routes
from screening_app.server.store import UNSTORABLE, ServerStore
from screening_app.sync import wire

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
        lifespan=_running(store, lifespan),
        # FastAPI's OpenTelemetry traces, metrics and logs stay off whatever the environment
        # says: what the server knows of requests is in its audit trail, and goes nowhere else
        telemetry={"tracing": False, "metrics": False, "logs": False, "auto_configure": False},
    )
    app.add_middleware(BodyLimit)
    screenings.band_codes()  # the forms are read once as a worker starts, not in a request
    wire.build_all()  # every body and answer checked from the first request on

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

    bearer = signed_in(store)

    @app.get("/health")
    def health() -> dict[str, Any]:
        with store.transaction() as conn:
            current = schema.version(conn)
        return {"status": "ok" if current == schema.LATEST else "schema out of date"}

    routers = (accounts, records, team, figures_routes, sealed_secrets, batches, tombstones)
    for resource in (*routers, directory):
        app.include_router(resource.router(store, bearer))
    return app


def _running(store: ServerStore, lifespan: Any) -> Any:
    """A worker's lifespan: at most as many requests in its threads at once as its pool has
    connections, then ``lifespan``'s own start and stop. A request beyond the pool could only
    wait there for a connection while competing for the interpreter with those working
    (anyio's default is 40 threads; docs/SERVER.md, "Workers")."""

    @asynccontextmanager
    async def running(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = store.pool.max_size
        if lifespan is None:
            yield
            return
        async with lifespan(app):
            yield

    return running
