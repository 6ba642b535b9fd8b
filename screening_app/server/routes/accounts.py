"""Signing in, this computer and the organisation's settings: ``/v1/sessions``, ``/v1/me``,
``/v1/settings``, ``/v1/devices`` and the audit-trail witness (docs/SERVER.md, "API")."""

import base64
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from screening_app.server import (
    devices,
)
from screening_app.server.bearer import Bearer, BearerDependency
from screening_app.server.problems import decoded
from screening_app.server.routing import Router
from screening_app.server.store import TOKEN_LIFETIME, ServerStore
from screening_app.sync.wire import (
    DEVICES_PATH,
    SETTINGS_PATH,
    WITNESS_PATH,
    Account,
    Challenge,
    Consistent,
    DeviceMade,
    DeviceSignIn,
    LastWitness,
    NewDevice,
    Settings,
    SignedIn,
    SignIn,
    Witness,
)


def router(store: ServerStore, bearer: BearerDependency) -> APIRouter:
    routes = Router()
    Authorised = Annotated[Bearer, Depends(bearer)]

    @routes.post("/v1/sessions", response_model=SignedIn)
    def sign_in(body: SignIn, request: Request) -> dict[str, Any]:
        address = request.client.host if request.client else "unknown"
        token, account = store.sign_in(body.name, body.password, address, body.device_id)
        return {
            "token": token,
            "expires_in": int(TOKEN_LIFETIME.total_seconds()),
            "account": _account(account.name, account.role, account.team),
        }

    @routes.get("/v1/sessions/challenge", response_model=Challenge)
    def challenge(device_id: uuid.UUID) -> dict[str, str]:
        return {"nonce": base64.b64encode(devices.challenge(store, device_id)).decode("ascii")}

    @routes.post("/v1/sessions/device", response_model=SignedIn)
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

    @routes.get(WITNESS_PATH, response_model=LastWitness)
    def last_witness(bearer: Authorised) -> dict[str, Any]:
        who = bearer.caller()
        return {"witness": devices.last_witness(store, who)}

    @routes.post(WITNESS_PATH, response_model=Consistent)
    def witness(body: Witness, bearer: Authorised) -> dict[str, bool]:
        who = bearer.caller()
        return {"consistent": devices.witness(store, who, body.length, body.head, body.at_previous)}

    @routes.get(SETTINGS_PATH, response_model=Settings)
    def settings(bearer: Authorised) -> dict[str, Any]:
        bearer.caller()  # anyone signed in, no one else
        return {"retention_days": store.retention_days()}

    @routes.get("/v1/me", response_model=Account)
    def me(bearer: Authorised) -> dict[str, Any]:
        who = bearer.caller()
        return _account(who.account.name, who.account.role, who.account.team)

    @routes.post(DEVICES_PATH, status_code=201, response_model=DeviceMade)
    def register(body: NewDevice, bearer: Authorised) -> dict[str, str]:
        who = bearer.caller()
        device = devices.register_device(
            store,
            who,
            body.name,
            bearer.token,  # the token is bound to the device it registers
            bytes.fromhex(body.x25519),
            bytes.fromhex(body.ed25519),
        )
        return {"device_id": str(device)}

    @routes.delete("/v1/devices/{device_id}", status_code=204)
    def revoke(device_id: uuid.UUID, bearer: Authorised) -> None:
        who = bearer.caller()
        devices.revoke_device(store, who, device_id)

    return routes


def _account(name: str, role: str, team: str | None) -> dict[str, Any]:
    return {"name": name, "role": role, "team": team}
