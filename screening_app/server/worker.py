"""One server worker process: ``server run --workers N`` starts N of these behind one listening
socket (uvicorn's process manager), each with its own pool of ``SCREENING_SERVER_POOL``
PostgreSQL connections. Nothing is shared between workers but the database: sessions, the audit
chains' locks and the uploads' idempotence all live in PostgreSQL, so any worker may answer any
request (docs/SERVER.md, "Workers")."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from screening_app.server.api import create_app
from screening_app.server.store import ServerStore

DATABASE = "SCREENING_SERVER_DATABASE"
POOL = "SCREENING_SERVER_POOL"


def app() -> FastAPI:
    """The application of one worker (a uvicorn factory)."""
    store = ServerStore(os.environ[DATABASE], pool_size=int(os.environ.get(POOL) or 4))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    return create_app(store, lifespan=lifespan)
