"""End-to-end encrypted screenings through the server: stored once, read only by the author and
the team's supervisors, opened only on their desktops; the server and its database never hold a
child's name in the clear."""

from __future__ import annotations

import base64
import subprocess
import uuid

import psycopg
import pytest
from fastapi.testclient import TestClient

from screening_app.crypto import AccountKeys, seal
from screening_app.server.store import ServerStore
from screening_app.sync.envelope import Sealed, open_content, verify
from screening_app.sync.envelope import seal as seal_envelope
from tests.server.postgres import Cluster, binaries

PW = "server-password-1"
DISTINCTIVE = "Zephyrine Quillfeather"


class Desktop:
    """One machine: a server account signed in, a registered device with its own keys."""

    def __init__(self, client: TestClient, name: str) -> None:
        self.client = client
        self.keys = AccountKeys.generate()
        answer = client.post("/v1/sessions", json={"name": name, "password": PW}).json()
        self.headers = {"Authorization": f"Bearer {answer['token']}"}
        self.name = name
        self.team = answer["account"]["team"]
        body = {
            "name": f"{name}'s laptop",
            "x25519": self.keys.box_public.hex(),
            "ed25519": self.keys.sign_public.hex(),
        }
        registered = client.post("/v1/devices", json=body, headers=self.headers)
        assert registered.status_code == 201
        self.device_id = registered.json()["device_id"]

    def send(self, sealed: Sealed) -> tuple[int, dict]:
        body = {
            "envelope": base64.b64encode(sealed.envelope).decode(),
            "signature": base64.b64encode(sealed.signature).decode(),
        }
        answer = self.client.post("/v1/screenings", json=body, headers=self.headers)
        return answer.status_code, answer.json()

    def receive(self) -> list[dict]:
        answer = self.client.get("/v1/screenings", params={"after": 0}, headers=self.headers)
        assert answer.status_code == 200
        return list(answer.json()["screenings"])


@pytest.fixture
def team(client: TestClient, store: ServerStore) -> dict[str, Desktop]:
    for name, role, team_name in (
        ("kit", "practitioner", "North"),
        ("rowan", "practitioner", "North"),
        ("sol", "supervisor", "North"),
        ("lou", "supervisor", "South"),
        ("ada", "admin", None),
    ):
        store.add_account(name, PW, role, team_name)
    desktops = {name: Desktop(client, name) for name in ("kit", "rowan", "sol", "lou")}
    return desktops


def team_key_created_by(sol: Desktop) -> AccountKeys:
    """sol's desktop makes the team's key pair and keeps a sealed copy on the server."""
    team_keys = AccountKeys.generate()
    sealed = seal(team_keys.to_bytes(), sol.keys.box_public, b"cse-screening team key")
    body = {
        "public": team_keys.box_public.hex(),
        "sealed": base64.b64encode(sealed).decode(),
        "recovery": base64.b64encode(b"locked elsewhere").decode(),
    }
    assert sol.client.put("/v1/teams/mine/key", json=body, headers=sol.headers).status_code == 204
    return team_keys


def screening_by(
    author: Desktop,
    team_public: bytes,
    sid: uuid.UUID | None = None,
    team: str | None = None,
    **other: object,
) -> Sealed:
    """A sealed screening by ``author``; ``other`` replaces or adds metadata."""
    metadata = {
        "id": str(sid or uuid.uuid4()),
        "version": 1,
        "team": team or author.team,
        "form_id": "cse-risk-screening",
        "form_version": 1,
        "screening_month": "2026-11",
        "operative_band": "moderate",
        "la_area": "bristol",
        "models": ["online_virtual"],
        "practitioner_role": "teacher",
        **other,
    }
    content = {"answers": {"child_first_name": "Zephyrine", "child_last_name": "Quillfeather"}}
    recipients = {"team": team_public, "author": author.keys.box_public}
    return seal_envelope(metadata, content, recipients, author.keys)


def test_the_journey_of_one_screening(team: dict[str, Desktop]) -> None:
    kit, sol, rowan, lou = team["kit"], team["sol"], team["rowan"], team["lou"]
    team_keys = team_key_created_by(sol)
    key = sol.client.get("/v1/teams/mine/key", headers=kit.headers).json()
    assert key["public"] == team_keys.box_public.hex() and key["keys"] == []
    sealed = screening_by(kit, bytes.fromhex(key["public"]))
    assert kit.send(sealed) == (201, {"stored": True, "status": "submitted"})
    assert kit.send(sealed) == (200, {"stored": False, "status": "submitted"})  # idempotent

    received = sol.receive()
    assert [r["author"] for r in received] == ["kit"]
    body = verify(
        Sealed(
            base64.b64decode(received[0]["envelope"]), base64.b64decode(received[0]["signature"])
        ),
        bytes.fromhex(received[0]["author_device_key"]),
    )
    assert open_content(body, "team", team_keys)["answers"]["child_first_name"] == "Zephyrine"
    assert [r["author"] for r in kit.receive()] == ["kit"]
    assert rowan.receive() == []  # same team, not the author, not a supervisor
    assert lou.receive() == []  # another team's supervisor


def test_the_same_version_with_other_content_is_a_conflict(team: dict[str, Desktop]) -> None:
    kit, sol = team["kit"], team["sol"]
    public = team_key_created_by(sol).box_public
    sid = uuid.uuid4()
    assert kit.send(screening_by(kit, public, sid))[0] == 201
    status, answer = kit.send(screening_by(kit, public, sid))
    assert status == 409 and "already sent with other content" in answer["detail"]


def test_forged_or_misdirected_uploads_are_refused(team: dict[str, Desktop]) -> None:
    kit, rowan, sol = team["kit"], team["rowan"], team["sol"]
    public = team_key_created_by(sol).box_public
    by_rowan = screening_by(rowan, public)
    status, answer = kit.send(by_rowan)  # signed by rowan's device, sent by kit's
    assert status == 422 and "signature" in answer["detail"]
    sid = uuid.uuid4()
    assert rowan.send(screening_by(rowan, public, sid))[0] == 201
    status, _answer = kit.send(screening_by(kit, public, sid))  # rowan's id, kit's envelope
    assert status == 403
    status, answer = kit.send(screening_by(kit, public, team="South"))
    assert status == 403 and "own team" in answer["detail"]
    status, answer = kit.send(Sealed(b"{}", b"x"))
    assert status == 422 and "cannot be read" in answer["detail"]


def test_only_the_first_supervisor_creates_the_team_key(team: dict[str, Desktop]) -> None:
    team_key_created_by(team["sol"])
    sol, kit = team["sol"], team["kit"]
    body = {"public": "ab" * 32, "sealed": "eA==", "recovery": "eA=="}
    again = sol.client.put("/v1/teams/mine/key", json=body, headers=sol.headers)
    assert again.status_code == 409 and "already" in again.json()["detail"], again.text
    assert kit.client.put("/v1/teams/mine/key", json=body, headers=kit.headers).status_code == 403


def test_the_database_and_a_dump_hold_no_child_s_name(
    team: dict[str, Desktop], cluster: Cluster, database_url: str
) -> None:
    kit, sol = team["kit"], team["sol"]
    public = team_key_created_by(sol).box_public
    for _ in range(3):
        assert kit.send(screening_by(kit, public))[0] == 201
    bin_dir = binaries()
    assert bin_dir is not None
    dump = subprocess.run(
        [str(bin_dir / "pg_dump"), "--dbname", database_url], capture_output=True, check=True
    ).stdout
    assert b"screenings" in dump and b"moderate" in dump  # the metadata is there, in the clear
    for word in DISTINCTIVE.split():
        assert word.encode() not in dump
    with psycopg.connect(cluster.url(), autocommit=True) as root:
        root.execute("CHECKPOINT")  # everything on disk, the write-ahead log included
    for path in cluster.folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(w.encode() in data for w in DISTINCTIVE.split()), path.name
