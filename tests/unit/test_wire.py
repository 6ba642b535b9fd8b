"""The desktop reads the team server's answers typed (sync/api.py over sync/wire.py): an
answer in a shape it does not know is a plain SyncError naming the route, not a KeyError."""

from __future__ import annotations

from typing import Any

import pytest

from screening_app.sync.api import SealedSecretApi, team_key_waiting
from screening_app.sync.client import SyncError
from screening_app.sync.wire_keys import TEAM_LINK_PATH


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
