"""The typed client of the team server's resources (their shapes: ``sync/wire.py``).

A service asks ``SealedSecretApi(client, TEAM_LINK_PATH).copy()`` and gets a ``SecretCopy``
back, checked, instead of reading string keys out of whatever JSON came: a server that answers
in another shape is a SyncError that says so, not a KeyError deep in a sync.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from screening_app.sync.client import M, b64, read
from screening_app.sync.wire import (
    AREA_PROFILE_PATH,
    BATCH_PATH,
    DEVICES_PATH,
    FIGURES_PATH,
    OUTCOMES_PATH,
    REVIEWS_PATH,
    SCREENINGS_PATH,
    SETTINGS_PATH,
    TAGS_PATH,
    TOMBSTONES_PATH,
    UNTAGGED_PATH,
    WITNESS_PATH,
    AreaRow,
    AreaRows,
    BatchAnswer,
    BatchItemAnswer,
    Consistent,
    Decided,
    DecisionCopy,
    Decisions,
    DeviceMade,
    FigureRow,
    Figures,
    LastWitness,
    OutcomeCopy,
    Outcomes,
    ScreeningCopy,
    Screenings,
    ScreeningVersion,
    Settings,
    Stored,
    SupervisorKeys,
    Tagged,
    TombstoneCopy,
    Tombstones,
    Untagged,
    Witnessed,
    WitnessHead,
    review_path,
    supervisor_keys_path,
)
from screening_app.sync.wire_keys import (
    COMPUTERS_PATH,
    LINK_KEYS_PATH,
    ORGANISATION_LINKS_PATH,
    TEAM_KEY_PATH,
    TEAM_KEY_WAITING_PATH,
    TEAM_RECOVERY_PATH,
    ListedApproval,
    ListedComputer,
    OrganisationLink,
    OrganisationLinks,
    SecretCopy,
    TeamComputers,
    TeamKeyCopies,
    TeamRecovery,
    Unknown,
    Waiting,
    WaitingDevice,
)


class Calls(Protocol):
    def call(self, method: str, path: str, **kwargs: Any) -> Any: ...


class SealedSecretApi:
    """A secret each computer holds sealed for its own key (server/sealed_secrets.py)."""

    def __init__(self, client: Calls, path: str) -> None:
        self.client = client
        self.path = path

    def copy(self) -> SecretCopy:
        return read(SecretCopy, self.client.call("GET", self.path), self.path)

    def create(self, sealed: bytes) -> None:
        self.client.call("PUT", self.path, json={"sealed": b64(sealed)})

    def waiting(self) -> list[WaitingDevice]:
        path = f"{self.path}/waiting"
        return read(Waiting, self.client.call("GET", path), path).devices

    def grant(self, device_id: str, sealed: bytes) -> None:
        body = {"device_id": device_id, "sealed": b64(sealed)}
        self.client.call("POST", f"{self.path}/grants", json=body)


class _Listing(BaseModel):
    epoch: int
    computers: list[Any]
    approvals: list[Any]


def team_computers(client: Calls) -> TeamComputers:
    """The team's computers and their approvals, each item read on its own: one the server
    lists in another shape is left out, not the whole list (an approval counts only once it
    verifies on this computer, whatever the server says)."""
    listing = read(_Listing, client.call("GET", COMPUTERS_PATH), COMPUTERS_PATH)
    return TeamComputers(
        epoch=listing.epoch,
        computers=_each(ListedComputer, listing.computers),
        approvals=_each(ListedApproval, listing.approvals),
    )


def _each(model: type[M], items: list[Any]) -> list[M]:
    kept = []
    for item in items:
        try:
            kept.append(model.model_validate(item))
        except ValidationError:
            continue
    return kept


def team_key_waiting(client: Calls) -> list[WaitingDevice]:
    """Supervisors' computers of the team missing a copy of some epoch of the team key."""
    answer = client.call("GET", TEAM_KEY_WAITING_PATH)
    return read(Waiting, answer, TEAM_KEY_WAITING_PATH).devices


def register_device(client: Calls, name: str, x25519: bytes, ed25519: bytes) -> str:
    """Register this computer's public keys; its device id."""
    body = {"name": name, "x25519": x25519.hex(), "ed25519": ed25519.hex()}
    return read(DeviceMade, client.call("POST", DEVICES_PATH, json=body), DEVICES_PATH).device_id


def settings(client: Calls) -> Settings:
    return read(Settings, client.call("GET", SETTINGS_PATH), SETTINGS_PATH)


def last_witness(client: Calls) -> WitnessHead | None:
    """The head of this computer's audit trail the server saw last, if any."""
    return read(LastWitness, client.call("GET", WITNESS_PATH), WITNESS_PATH).witness


def witness(client: Calls, length: int, head: str, at_previous: str | None) -> bool:
    """Have the server keep this head; False when the trail no longer holds the last one."""
    body = {"length": length, "head": head, "at_previous": at_previous}
    return read(Consistent, client.call("POST", WITNESS_PATH, json=body), WITNESS_PATH).consistent


def send_screening(client: Calls, envelope: str, signature: str) -> Stored:
    body = {"envelope": envelope, "signature": signature}
    return read(Stored, client.call("POST", SCREENINGS_PATH, json=body), SCREENINGS_PATH)


def send_batch(client: Calls, items: list[dict[str, str]]) -> list[BatchItemAnswer]:
    """Many uploads in one request: an answer per item, in order."""
    answer = client.call("POST", BATCH_PATH, json={"items": items})
    return read(BatchAnswer, answer, BATCH_PATH).results


def screenings_since(client: Calls, after: int) -> list[ScreeningCopy]:
    answer = client.call("GET", SCREENINGS_PATH, params={"after": after})
    return read(Screenings, answer, SCREENINGS_PATH).screenings


def untagged(client: Calls) -> list[ScreeningVersion]:
    return read(Untagged, client.call("GET", UNTAGGED_PATH), UNTAGGED_PATH).screenings


def put_tags(client: Calls, tags: list[dict[str, Any]]) -> int:
    answer = client.call("PUT", TAGS_PATH, json={"tags": tags})
    return read(Tagged, answer, TAGS_PATH).tagged


def send_decision(
    client: Calls, screening_id: str, version: int, envelope: str, signature: str
) -> str:
    """A supervisor's decision; the screening's status on the server now."""
    path = review_path(screening_id, version)
    body = {"envelope": envelope, "signature": signature}
    return read(Decided, client.call("POST", path, json=body), path).status


def decisions_since(client: Calls, after: int) -> list[DecisionCopy]:
    answer = client.call("GET", REVIEWS_PATH, params={"after": after})
    return read(Decisions, answer, REVIEWS_PATH).reviews


def send_outcome(client: Calls, envelope: str, signature: str) -> bool:
    """An outcome; True when it is new on the server."""
    body = {"envelope": envelope, "signature": signature}
    return read(Stored, client.call("POST", OUTCOMES_PATH, json=body), OUTCOMES_PATH).stored


def outcomes_since(client: Calls, after: int) -> list[OutcomeCopy]:
    answer = client.call("GET", OUTCOMES_PATH, params={"after": after})
    return read(Outcomes, answer, OUTCOMES_PATH).outcomes


def organisation_figures(
    client: Calls, first: str, last: str, positive: list[str]
) -> list[FigureRow]:
    params = {"first": first, "last": last, "positive": positive}
    return read(Figures, client.call("GET", FIGURES_PATH, params=params), FIGURES_PATH).figures


def area_profile(client: Calls, params: dict[str, Any]) -> list[AreaRow]:
    answer = client.call("GET", AREA_PROFILE_PATH, params=params)
    return read(AreaRows, answer, AREA_PROFILE_PATH).rows


def send_tombstone(client: Calls, data: bytes, signature: bytes) -> Witnessed:
    body = {"envelope": b64(data), "signature": b64(signature)}
    return read(Witnessed, client.call("POST", TOMBSTONES_PATH, json=body), TOMBSTONES_PATH)


def tombstones_since(client: Calls, after: int) -> list[TombstoneCopy]:
    answer = client.call("GET", TOMBSTONES_PATH, params={"after": after})
    return read(Tombstones, answer, TOMBSTONES_PATH).tombstones


def supervisor_keys(client: Calls, name: str) -> SupervisorKeys:
    path = supervisor_keys_path(name)
    return read(SupervisorKeys, client.call("GET", path), path)


def put_link_keys(client: Calls, screenings: list[dict[str, Any]]) -> set[str]:
    """Replace the link keys of each screening; the ids the server does not hold yet."""
    body = {"screenings": screenings}
    answer = client.call("PUT", LINK_KEYS_PATH, json=body)
    return set(read(Unknown, answer, LINK_KEYS_PATH).unknown)


def organisation_links(client: Calls) -> list[OrganisationLink]:
    answer = client.call("GET", ORGANISATION_LINKS_PATH)
    return read(OrganisationLinks, answer, ORGANISATION_LINKS_PATH).links


def team_key(client: Calls) -> TeamKeyCopies:
    return read(TeamKeyCopies, client.call("GET", TEAM_KEY_PATH), TEAM_KEY_PATH)


def team_recovery(client: Calls) -> TeamRecovery:
    return read(TeamRecovery, client.call("GET", TEAM_RECOVERY_PATH), TEAM_RECOVERY_PATH)


def send(client: Calls, method: str, path: str, body: BaseModel) -> Any:
    """A request whose body is one of wire.py's models, checked here before it goes."""
    return client.call(method, path, json=body.model_dump(mode="json", exclude_none=True))
