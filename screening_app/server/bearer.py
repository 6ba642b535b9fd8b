"""Who sends a request. The ``Authorization: Bearer TOKEN`` header's shape is checked on the
worker's event loop (``signed_in``, an async dependency: no thread); whose the token is — one
statement in the database — is read by the endpoint itself, as its first step, in the thread it
runs in (``Bearer.caller``). FastAPI runs a plain-function dependency in a thread of its own
and then the endpoint in another: two hand-overs between the event loop and the threads for
each request, where this makes one (docs/SERVER.md, "Workers"). A request without a token of
the right shape is refused (401) before anything else; one whose token is unknown or expired
but whose body is malformed is told the body is malformed (422) — the shapes are public
(docs/SERVER.md, "API") — and nothing is read or stored for it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Header

from screening_app.server.problems import Unauthenticated
from screening_app.server.store import Caller, ServerStore


@dataclass(frozen=True)
class Bearer:
    """A request's token, its shape checked, not yet who it belongs to."""

    store: ServerStore
    token: str

    def caller(self) -> Caller:
        """The signed-in caller: 401 when the token is unknown or expired, 403 for a revoked
        device or a disabled account (ServerStore.caller)."""
        return self.store.caller(self.token)


# what each resource's ``router(store, bearer)`` is given, to declare with ``Depends(bearer)``
BearerDependency = Callable[..., Awaitable[Bearer]]


def signed_in(store: ServerStore) -> BearerDependency:
    """The dependency every signed-in route declares (``Depends(signed_in(store))``)."""

    async def bearer(authorization: Annotated[str, Header()] = "") -> Bearer:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("Sign in first: send Authorization: Bearer TOKEN.")
        return Bearer(store, token.strip())

    return bearer
