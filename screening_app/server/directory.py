"""``GET /v1/supervisors/{name}/keys``: the public keys of a supervisor's registered computers,
for a supervisor of any team of the organisation to seal a transfer for them (a child moving to
another setting: docs/GOVERNANCE.md). Public keys only; asking is audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Path

from screening_app.domain.capabilities import Verb, holders
from screening_app.server import permissions, rows
from screening_app.server.bearer import Bearer, BearerDependency
from screening_app.server.problems import NotFound
from screening_app.server.routing import Router
from screening_app.server.store import Caller, ServerStore
from screening_app.sync.wire import SupervisorKeys, supervisor_keys_path


def supervisor_keys(store: ServerStore, caller: Caller, name: str) -> dict[str, Any]:
    permissions.require(caller, Verb.TRANSFER)
    with store.transaction() as conn:
        found = rows.every(
            conn,
            _Keys,
            "SELECT t.name AS team, d.box_public, d.sign_public FROM accounts a "
            "JOIN teams t ON t.id = a.team_id JOIN devices d ON d.account_id = a.id "
            "WHERE a.name = %s AND a.role = ANY(%s) AND a.active "
            "AND d.revoked_at IS NULL AND d.box_public IS NOT NULL ORDER BY d.registered_at",
            [name, list(holders(Verb.RECEIVE_TRANSFER))],
        )
        if not found:
            raise NotFound(
                f"There is no supervisor {name} with a computer connected to this server: check "
                "the name, or send the transfer under a password instead.",
            )
        store.audit_as(conn, caller, "supervisor_keys_read", name)
    return {
        "name": name,
        "team": found[0].team,
        "devices": [
            {"x25519": bytes(k.box_public).hex(), "ed25519": bytes(k.sign_public).hex()}
            for k in found
        ],
    }


@dataclass(frozen=True)
class _Keys:
    team: str
    box_public: bytes
    sign_public: bytes


def router(store: ServerStore, bearer: BearerDependency) -> APIRouter:
    routes = Router()
    signed_in = Depends(bearer)

    @routes.get(supervisor_keys_path("{name}"), response_model=SupervisorKeys)
    def keys(
        name: str = Path(min_length=1, max_length=100), bearer: Bearer = signed_in
    ) -> dict[str, Any]:
        who = bearer.caller()
        return supervisor_keys(store, who, name)

    return routes
