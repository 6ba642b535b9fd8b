"""What the desktop and the team server say to each other (docs/SERVER.md): the request bodies,
whose fields pydantic checks (type, length, form) before any handler sees them, and the answers,
which the server declares as its routes' response models and the desktop reads back typed.

Qt-free and server-free: the server imports it, and so does the desktop's client. A resource's
path is named here once (``TEAM_LINK_PATH`` …), for both sides; ``sync/api.py`` is the typed
client of these resources.
"""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

MAX_BODY = 2_000_000  # bytes: one encrypted screening is a few kilobytes


class SignIn(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    device_id: uuid.UUID | None = None  # a registered device: its token may send screenings


class DeviceSignIn(BaseModel):
    device_id: uuid.UUID
    nonce: str = Field(max_length=100)  # base64
    signature: str = Field(max_length=200)  # base64


class NewDevice(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    x25519: str = Field(pattern=r"^[0-9a-f]{64}$")
    ed25519: str = Field(pattern=r"^[0-9a-f]{64}$")


class Upload(BaseModel):
    envelope: str = Field(max_length=1_500_000)  # base64
    signature: str = Field(max_length=200)


class Witness(BaseModel):
    length: int = Field(ge=0, le=2_000_000_000)
    head: str = Field(pattern=r"^[0-9a-f]{64}$")
    at_previous: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class Sealed(BaseModel):
    sealed: str = Field(max_length=1000)  # base64


class EpochKey(BaseModel):
    epoch: int = Field(ge=1, le=100_000)
    sealed: str = Field(max_length=1000)  # base64


class Grant(BaseModel):
    device_id: uuid.UUID
    sealed: str = Field(default="", max_length=1000)  # base64 (the link secret)
    keys: list[EpochKey] = Field(default=[], max_length=1000)  # the team key's epochs


class TeamKey(BaseModel):
    public: str = Field(pattern=r"^[0-9a-f]{64}$")
    sealed: str = Field(max_length=1000)  # base64
    recovery: str = Field(max_length=2000)  # base64: the recovery key locked under the code
    recovery_public: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    epoch_recovery: str | None = Field(default=None, max_length=1000)  # base64


class DeviceKey(BaseModel):
    device_id: uuid.UUID
    sealed: str = Field(max_length=1000)  # base64


class Rotation(BaseModel):
    epoch: int = Field(ge=2, le=100_000)
    public: str = Field(pattern=r"^[0-9a-f]{64}$")
    recovery: str | None = Field(default=None, max_length=1000)  # base64
    keys: list[DeviceKey] = Field(min_length=1, max_length=1000)


class ScreeningLinkKeys(BaseModel):
    screening_id: uuid.UUID
    keys: list[str] = Field(max_length=50)  # hex HMAC-SHA256: one per entity at most


class LinkKeys(BaseModel):
    screenings: list[ScreeningLinkKeys] = Field(max_length=1000)


class ChildTag(BaseModel):
    id: uuid.UUID
    version: int = Field(ge=1, le=100_000)
    child_tag: str = Field(pattern=r"^[0-9a-f]{64}$")


class ChildTags(BaseModel):
    tags: list[ChildTag] = Field(max_length=1000)


class Approval(BaseModel):
    device_id: uuid.UUID
    epoch: int = Field(ge=1, le=100_000)
    statement: str = Field(max_length=6000)  # base64 of the signed statement (sync/approval.py)
    signature: str = Field(max_length=200)  # base64: the approving computer's key
    team_signature: str = Field(max_length=200)  # base64: the team key of that epoch


class Recovered(BaseModel):
    keys: list[EpochKey] = Field(min_length=1, max_length=1000)


MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


# -- a secret each computer holds sealed for its own key ----------------------------------------
TEAM_LINK_PATH = "/v1/teams/mine/link"  # the team's link secret (child tags)
ORGANISATION_LINK_PATH = "/v1/organisation/link"  # the organisation's (links across teams)
TEAM_KEY_WAITING_PATH = "/v1/teams/mine/waiting"  # supervisors' computers missing an epoch


class SecretCopy(BaseModel):
    """``GET {secret}``: this computer's sealed copy, if it has one, and whether one exists."""

    sealed: str | None = None  # base64, sealed for this computer's X25519 key
    exists: bool


class WaitingDevice(BaseModel):
    """A computer waiting for a copy: its id, whose it is, its public X25519 key (hex)."""

    device_id: str
    account: str
    x25519: str
    team: str | None = None  # the organisation's secret: the computer's team
    epochs: list[int] = Field(default_factory=list)  # the team key: the epochs it lacks


class Waiting(BaseModel):
    """``GET {secret}/waiting`` and ``GET /v1/teams/mine/waiting``: the computers that have no
    copy yet."""

    devices: list[WaitingDevice]
