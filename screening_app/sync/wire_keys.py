"""What the desktop and the team server say to each other about the team's keys and the links
between screenings (docs/SERVER.md): the team key and its recovery copy, the approvals of
computers, the secrets each computer holds sealed for its own key, and the keyed hashes that
link screenings across the organisation. The rest of the contract is ``wire.py``.
"""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import Field

from screening_app.sync.wire import Wire

TEAM_LINK_PATH = "/v1/teams/mine/link"  # the team's link secret (child tags)
ORGANISATION_LINK_PATH = "/v1/organisation/link"  # the organisation's (links across teams)
TEAM_KEY_WAITING_PATH = "/v1/teams/mine/waiting"  # supervisors' computers missing an epoch
LINK_KEYS_PATH = "/v1/organisation/link-keys"
ORGANISATION_LINKS_PATH = "/v1/organisation/links"
TEAM_KEY_PATH = "/v1/teams/mine/key"
TEAM_KEY_GRANTS_PATH = "/v1/teams/mine/key/grants"
TEAM_KEY_ROTATE_PATH = "/v1/teams/mine/key/rotate"
TEAM_KEY_RECOVER_PATH = "/v1/teams/mine/key/recover"
APPROVALS_PATH = "/v1/teams/mine/approvals"
COMPUTERS_PATH = "/v1/teams/mine/computers"
TEAM_RECOVERY_PATH = "/v1/teams/mine/recovery"


class Sealed(Wire):
    sealed: str = Field(max_length=1000)  # base64


class EpochKey(Wire):
    epoch: int = Field(ge=1, le=100_000)
    sealed: str = Field(max_length=1000)  # base64


class Grant(Wire):
    device_id: uuid.UUID
    sealed: str = Field(default="", max_length=1000)  # base64 (the link secret)
    keys: list[EpochKey] = Field(default=[], max_length=1000)  # the team key's epochs


class TeamKey(Wire):
    public: str = Field(pattern=r"^[0-9a-f]{64}$")
    sealed: str = Field(max_length=1000)  # base64
    recovery: str = Field(max_length=2000)  # base64: the recovery key locked under the code
    recovery_public: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    epoch_recovery: str | None = Field(default=None, max_length=1000)  # base64


class DeviceKey(Wire):
    device_id: uuid.UUID
    sealed: str = Field(max_length=1000)  # base64


class Rotation(Wire):
    epoch: int = Field(ge=2, le=100_000)
    public: str = Field(pattern=r"^[0-9a-f]{64}$")
    recovery: str | None = Field(default=None, max_length=1000)  # base64
    keys: list[DeviceKey] = Field(min_length=1, max_length=1000)


class ScreeningLinkKeys(Wire):
    screening_id: uuid.UUID
    keys: list[str] = Field(max_length=50)  # hex HMAC-SHA256: one per entity at most


class LinkKeys(Wire):
    screenings: list[ScreeningLinkKeys] = Field(max_length=1000)


class Approval(Wire):
    device_id: uuid.UUID
    epoch: int = Field(ge=1, le=100_000)
    statement: str = Field(max_length=6000)  # base64 of the signed statement (sync/approval.py)
    signature: str = Field(max_length=200)  # base64: the approving computer's key
    team_signature: str = Field(max_length=200)  # base64: the team key of that epoch


class Recovered(Wire):
    keys: list[EpochKey] = Field(min_length=1, max_length=1000)


class SecretCopy(Wire):
    """``GET {secret}``: this computer's sealed copy, if it has one, and whether one exists."""

    sealed: str | None = None  # base64, sealed for this computer's X25519 key
    exists: bool


class WaitingDevice(Wire):
    """A computer waiting for a copy: its id, whose it is, its public X25519 key (hex)."""

    device_id: str
    account: str
    x25519: str
    team: str | None = None  # the organisation's secret: the computer's team
    epochs: list[int] = Field(default_factory=list)  # the team key: the epochs it lacks


class Waiting(Wire):
    """``GET {secret}/waiting`` and ``GET /v1/teams/mine/waiting``: the computers that have no
    copy yet."""

    devices: list[WaitingDevice]


class Unknown(Wire):
    """``PUT /v1/organisation/link-keys``: the screening ids the server does not hold (yet)."""

    unknown: list[str]


class OrganisationLink(Wire):
    """A screening of the caller's team sharing a keyed hash with another team's screenings."""

    link_key: str
    screening_id: str
    team: str
    screenings: int
    supervisors: str = ""


class OrganisationLinks(Wire):
    """``GET /v1/organisation/links``."""

    links: list[OrganisationLink]


class SealedEpoch(Wire):
    epoch: int
    sealed: str | None = None  # base64; a team made before epochs has no per-epoch copy


class TeamKeyCopies(Wire):
    """``GET /v1/teams/mine/key``: the current epoch, its public key, whether it must change,
    and this computer's sealed copies of each epoch (no public key: the team has none yet)."""

    public: str | None = None
    epoch: int
    rotation_due: bool = False
    recovery_public: str | None = None
    keys: list[SealedEpoch] = Field(default_factory=list)


class TeamRecovery(Wire):
    """``GET /v1/teams/mine/recovery``: the recovery key locked under the code, and every
    epoch sealed for it (``scheme`` "key": a team made before epochs)."""

    recovery: str
    scheme: Literal["epochs", "key"]
    epochs: list[SealedEpoch]


class ListedComputer(Wire):
    """A computer of the team as the server lists it: whose, and its public keys."""

    device_id: str
    account: str
    role: str
    name: str
    registered_at: str
    x25519: str = Field(pattern=r"^[0-9a-f]{64}$")
    ed25519: str = Field(pattern=r"^[0-9a-f]{64}$")
    added_by: str | None = None  # the server administrator who made the account
    account_added_at: str | None = None


class ListedApproval(Wire):
    """An approval a supervisor's computer sent: only the desktops can verify it."""

    device_id: str
    epoch: int
    statement: str  # base64 of the signed statement (sync/approval.py)
    signature: str  # base64: the approving computer's key
    team_signature: str  # base64: the team key of that epoch


class TeamComputers(Wire):
    """``GET /v1/teams/mine/computers``: the key's current epoch, the team's computers and
    every approval of them."""

    epoch: int
    computers: list[ListedComputer]
    approvals: list[ListedApproval]
