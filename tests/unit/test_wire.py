"""The desktop reads the team server's answers typed (sync/api.py over sync/wire.py): an
answer in a shape it does not know is a plain SyncError naming the route, not a KeyError."""

from __future__ import annotations

from typing import Any

import pytest

from screening_app.sync.api import SealedSecretApi, team_computers, team_key_waiting
from screening_app.sync.client import SyncError
from screening_app.sync.wire_keys import COMPUTERS_PATH, TEAM_LINK_PATH


class Answering:
    """A stand-in for the client: what each (method, path) answers, and what was sent."""

    def __init__(self, answers: dict[tuple[str, str], Any]) -> None:
        self.answers = answers
        self.sent: list[tuple[str, str, Any]] = []

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        self.sent.append((method, path, kwargs.get("json")))
        return self.answers.get((method, path))


def test_a_sealed_secret_is_read_and_granted_typed() -> None:
    server = Answering(
        {
            ("GET", TEAM_LINK_PATH): {"sealed": None, "exists": True},
            ("GET", f"{TEAM_LINK_PATH}/waiting"): {
                "devices": [{"device_id": "d-1", "account": "kit", "x25519": "ab" * 32}]
            },
        }
    )
    link = SealedSecretApi(server, TEAM_LINK_PATH)
    copy = link.copy()
    assert copy.exists and copy.sealed is None
    (waiting,) = link.waiting()
    assert (waiting.account, waiting.team, waiting.epochs) == ("kit", None, [])
    link.grant(waiting.device_id, b"\x01\x02")
    assert server.sent[-1] == (
        "POST",
        f"{TEAM_LINK_PATH}/grants",
        {"device_id": "d-1", "sealed": "AQI="},
    )


@pytest.mark.parametrize(
    "answer", [None, {"sealed": "x"}, {"exists": "perhaps"}, ["not", "an", "object"]]
)
def test_an_answer_of_another_shape_is_a_sync_error_naming_the_route(answer: Any) -> None:
    server = Answering({("GET", TEAM_LINK_PATH): answer})
    with pytest.raises(SyncError, match="answered /v1/teams/mine/link in a shape"):
        SealedSecretApi(server, TEAM_LINK_PATH).copy()


def test_the_team_key_s_waiting_computers_carry_the_epochs_they_lack() -> None:
    server = Answering(
        {
            ("GET", "/v1/teams/mine/waiting"): {
                "devices": [
                    {"device_id": "d-2", "account": "sol", "x25519": "cd" * 32, "epochs": [1, 2]}
                ]
            }
        }
    )
    assert [d.epochs for d in team_key_waiting(server)] == [[1, 2]]


def _computer(device_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "device_id": device_id,
        "account": "kit",
        "role": "practitioner",
        "name": "Laptop 3",
        "registered_at": "2026-11-02T09:00:00+00:00",
        "x25519": "ab" * 32,
        "ed25519": "cd" * 32,
    } | changes


def test_the_team_s_computers_are_read_one_by_one_and_a_malformed_one_is_left_out() -> None:
    """A server that lists one computer or approval oddly loses only that item: the others are
    still shown and verified (and an approval counts only once it verifies here anyway)."""
    approval = {
        "device_id": "d-1",
        "epoch": 2,
        "statement": "AQI=",
        "signature": "AQI=",
        "team_signature": "AQI=",
    }
    server = Answering(
        {
            ("GET", COMPUTERS_PATH): {
                "epoch": 2,
                "computers": [
                    _computer("d-1"),
                    _computer("d-2", x25519="not hex"),
                    {"device_id": "d-3"},
                    "a string",
                    _computer("d-4", added_by="ada"),
                ],
                "approvals": [approval, approval | {"epoch": "two"}, None],
            }
        }
    )
    listing = team_computers(server)
    assert listing.epoch == 2
    assert [c.device_id for c in listing.computers] == ["d-1", "d-4"]
    assert listing.computers[1].added_by == "ada"
    assert [a.device_id for a in listing.approvals] == ["d-1"]


@pytest.mark.parametrize("answer", [None, {"computers": []}, {"epoch": 1, "computers": "x"}])
def test_a_computers_listing_of_another_shape_is_a_sync_error(answer: Any) -> None:
    server = Answering({("GET", COMPUTERS_PATH): answer})
    with pytest.raises(SyncError, match=f"answered {COMPUTERS_PATH} in a shape"):
        team_computers(server)
