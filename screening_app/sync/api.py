"""The typed client of the team server's resources (their shapes: ``sync/wire.py``).

A service asks ``SealedSecretApi(client, TEAM_LINK_PATH).copy()`` and gets a ``SecretCopy``
back, checked, instead of reading string keys out of whatever JSON came: a server that answers
in another shape is a SyncError that says so, not a KeyError deep in a sync.
"""

from __future__ import annotations

import base64
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from screening_app.sync.client import SyncError
from screening_app.sync.wire import TEAM_KEY_WAITING_PATH, SecretCopy, Waiting, WaitingDevice

M = TypeVar("M", bound=BaseModel)


class Calls(Protocol):
    def call(self, method: str, path: str, **kwargs: Any) -> Any: ...


def read(model: type[M], answer: Any, path: str) -> M:
    """``answer`` as ``model``, or a SyncError naming the route that answered otherwise."""
    try:
        return model.model_validate(answer)
    except ValidationError:
        raise SyncError(
            f"The team server answered {path} in a shape this computer does not know: update "
            "the app or the server so that both are of the same version. Nothing was lost."
        ) from None


class SealedSecretApi:
    """A secret each computer holds sealed for its own key (server/sealed_secrets.py)."""

    def __init__(self, client: Calls, path: str) -> None:
        self.client = client
        self.path = path

    def copy(self) -> SecretCopy:
        return read(SecretCopy, self.client.call("GET", self.path), self.path)

    def create(self, sealed: bytes) -> None:
        self.client.call("PUT", self.path, json={"sealed": _b64(sealed)})

    def waiting(self) -> list[WaitingDevice]:
        path = f"{self.path}/waiting"
        return read(Waiting, self.client.call("GET", path), path).devices

    def grant(self, device_id: str, sealed: bytes) -> None:
        body = {"device_id": device_id, "sealed": _b64(sealed)}
        self.client.call("POST", f"{self.path}/grants", json=body)


def team_key_waiting(client: Calls) -> list[WaitingDevice]:
    """Supervisors' computers of the team missing a copy of some epoch of the team key."""
    answer = client.call("GET", TEAM_KEY_WAITING_PATH)
    return read(Waiting, answer, TEAM_KEY_WAITING_PATH).devices


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
