"""What the desktop and the team server say to each other (docs/SERVER.md): the request bodies,
whose fields pydantic checks (type, length, form) before any handler sees them, and the answers,
which the server declares as its routes' response models and the desktop reads back typed.

Qt-free and server-free: the server imports it, and so does the desktop's client. A resource's
path is named here once (``SCREENINGS_PATH`` …), for both sides; ``sync/api.py`` is the typed
client of these resources. The team's keys, computers and links are in ``wire_keys.py``.
"""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from screening_app.domain.capabilities import Role

MAX_BODY = 2_000_000  # bytes: one encrypted screening is a few kilobytes


class Wire(BaseModel):
    """A request body or answer of the team server's API. Each model is built on first use
    (``defer_build``): the desktop imports them all at sign-in but needs only a few, and only
    once it syncs; the server builds them all as its app starts (``build_all``)."""

    model_config = ConfigDict(defer_build=True)


def build_all() -> None:
    """Build every wire model now (the server, before FastAPI reads them)."""
    pending = list(Wire.__subclasses__())
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        # built now, and no longer marked deferred: FastAPI wraps each body model in a type
        # adapter of its own, which would otherwise build a deferred model again there (and
        # warn that its field's alias has no effect)
        model.model_config["defer_build"] = False
        model.model_rebuild(force=True)


class SignIn(Wire):
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    device_id: uuid.UUID | None = None  # a registered device: its token may send screenings


class DeviceSignIn(Wire):
    device_id: uuid.UUID
    nonce: str = Field(max_length=100)  # base64
    signature: str = Field(max_length=200)  # base64


class NewDevice(Wire):
    name: str = Field(min_length=1, max_length=200)
    x25519: str = Field(pattern=r"^[0-9a-f]{64}$")
    ed25519: str = Field(pattern=r"^[0-9a-f]{64}$")


class Upload(Wire):
    envelope: str = Field(max_length=1_500_000)  # base64
    signature: str = Field(max_length=200)


class Witness(Wire):
    length: int = Field(ge=0, le=2_000_000_000)
    head: str = Field(pattern=r"^[0-9a-f]{64}$")
    at_previous: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class ChildTag(Wire):
    id: uuid.UUID
    version: int = Field(ge=1, le=100_000)
    child_tag: str = Field(pattern=r"^[0-9a-f]{64}$")


class ChildTags(Wire):
    tags: list[ChildTag] = Field(max_length=1000)


MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


# -- sessions, this computer, the organisation's settings --------------------------------------
DEVICES_PATH = "/v1/devices"
SETTINGS_PATH = "/v1/settings"
WITNESS_PATH = "/v1/devices/mine/witness"


class Account(Wire):
    """``GET /v1/me``: who a token acts for."""

    name: str
    role: Role
    team: str | None = None


class SignedIn(Wire):
    """``POST /v1/sessions`` and ``POST /v1/sessions/device``: a token and whose it is."""

    token: str
    expires_in: int
    account: Account


class Challenge(Wire):
    """``GET /v1/sessions/challenge``: a nonce (base64) for the device to sign."""

    nonce: str


class DeviceMade(Wire):
    """``POST /v1/devices``: the new device's id."""

    device_id: str


class Settings(Wire):
    """``GET /v1/settings``: days a practitioner's computer keeps reviewed work (None: ever)."""

    retention_days: int | None = None


class WitnessHead(Wire):
    """The head of a computer's audit trail the server saw last: its length, hash, and when."""

    length: int
    head: str
    at: str


class LastWitness(Wire):
    """``GET /v1/devices/mine/witness``."""

    witness: WitnessHead | None = None


class Consistent(Wire):
    """``POST /v1/devices/mine/witness``: whether the trail still holds what was witnessed."""

    consistent: bool


# -- screenings --------------------------------------------------------------------------------
SCREENINGS_PATH = "/v1/screenings"
BATCH_PATH = "/v1/screenings/batch"
UNTAGGED_PATH = "/v1/screenings/untagged"
TAGS_PATH = "/v1/screenings/tags"


class Stored(Wire):
    """``POST /v1/screenings`` (and an outcome, an approval): new (201) or already there (200)."""

    stored: bool
    status: str | None = None  # a screening's status on the server


class ScreeningCopy(Wire):
    """One screening version the caller may see, sealed as its author's computer sent it."""

    seq: int
    id: str
    version: int
    status: str
    author: str
    author_id: int
    envelope: str  # base64
    signature: str  # base64
    author_device_key: str | None = None  # hex Ed25519: checks the signature
    author_device_box: str | None = None  # hex X25519: a reply (a decision) is sealed for it


class Screenings(Wire):
    """``GET /v1/screenings?after=SEQ``: the next page, in the order the server took them."""

    screenings: list[ScreeningCopy]


class Batch(Wire):
    """``POST /v1/screenings/batch``: many uploads in one request (at most ``MAX_BATCH``)."""

    items: list[Upload] = Field(min_length=1)


class BatchItemAnswer(Wire):
    """What a single upload would have answered: its status, and a sentence when refused."""

    status: int
    state: str | None = None
    detail: str | None = None


class BatchAnswer(Wire):
    """``POST /v1/screenings/batch``: an answer per item, in order."""

    results: list[BatchItemAnswer]


class ScreeningVersion(Wire):
    id: str
    version: int


class Untagged(Wire):
    """``GET /v1/screenings/untagged``: the team's screenings without a child's tag."""

    screenings: list[ScreeningVersion]


class Tagged(Wire):
    """``PUT /v1/screenings/tags``: how many were tagged (a tag already there stays)."""

    tagged: int


# -- decisions and outcomes --------------------------------------------------------------------
REVIEWS_PATH = "/v1/reviews"
OUTCOMES_PATH = "/v1/outcomes"


def review_path(screening_id: str, version: int | str) -> str:
    """``POST`` a supervisor's decision on one screening version here."""
    return f"/v1/screenings/{screening_id}/{version}/review"


class Decided(Wire):
    """``POST .../review``: the screening's status on the server now."""

    status: str


class DecisionCopy(Wire):
    """A supervisor's decision the caller may see, sealed for the author and the team."""

    seq: int
    id: str
    version: int
    decision: Literal["approve", "return"]
    reviewer: str
    reviewer_id: int
    envelope: str
    signature: str
    reviewer_device_key: str


class Decisions(Wire):
    """``GET /v1/reviews?after=SEQ``."""

    reviews: list[DecisionCopy]


class OutcomeCopy(Wire):
    """An outcome recorded on a screening the caller may see."""

    seq: int
    outcome_id: str
    id: str
    version: int
    code: str
    date: str
    envelope: str
    signature: str
    recorder: str
    recorder_id: int
    recorder_device_key: str


class Outcomes(Wire):
    """``GET /v1/outcomes?after=SEQ``."""

    outcomes: list[OutcomeCopy]


# -- the organisation's figures ----------------------------------------------------------------
FIGURES_PATH = "/v1/figures"
AREA_PROFILE_PATH = "/v1/figures/area"


class FigureRow(Wire):
    """A count of one kind (screenings, band, area, …) in one month; a profile carries its
    outcome codes; the median days to review may be unknown (None)."""

    kind: str
    month: str
    code: str | None = None
    codes: list[str] = Field(default_factory=list)
    value: float | None = None


class Figures(Wire):
    """``GET /v1/figures?first=&last=&positive=``: counted from clear metadata only."""

    figures: list[FigureRow]


class AreaRow(Wire):
    dimension: str
    code: str | None = None
    count: int


class AreaRows(Wire):
    """``GET /v1/figures/area``: one area's children across the organisation."""

    rows: list[AreaRow]


# -- deletions and transfers -------------------------------------------------------------------
TOMBSTONES_PATH = "/v1/tombstones"


def supervisor_keys_path(name: str) -> str:
    """``GET``: the public keys of a supervisor's computers, to seal a transfer for them."""
    return f"/v1/supervisors/{name}/keys"


class Witnessed(Wire):
    """``POST /v1/tombstones``: stored (201) or already witnessed (200), and the witness."""

    stored: bool
    witnessed_at: str
    witness: str


class TombstoneCopy(Wire):
    """A deletion another computer of the team sent, as the server witnessed it."""

    seq: int
    tombstone: str  # base64 of the signed deletion
    signature: str
    witnessed_at: str
    witness: str
    decider: str
    decider_device_key: str


class Tombstones(Wire):
    """``GET /v1/tombstones?after=SEQ``."""

    tombstones: list[TombstoneCopy]


class DeviceKeys(Wire):
    x25519: str
    ed25519: str


class SupervisorKeys(Wire):
    """``GET /v1/supervisors/{name}/keys``: whose team, and each of their computers' keys."""

    name: str
    team: str | None = None
    devices: list[DeviceKeys]
