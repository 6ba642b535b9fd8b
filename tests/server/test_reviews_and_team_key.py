"""Decisions through the server (one per version; the second supervisor gets the current state)
and sharing the team key with a further supervisor's device."""

from __future__ import annotations

import base64
import uuid

import httpx
import pytest
from fastapi.testclient import TestClient

from screening_app.crypto import AccountKeys, seal, unseal
from screening_app.server.store import ServerStore
from screening_app.sync import approval
from screening_app.sync.envelope import Sealed, open_content, verify
from screening_app.sync.envelope import seal as seal_envelope
from tests.server.test_screenings_e2e import PW, Desktop, screening_by, team_key_created_by

TEAM_KEY = b"cse-screening team key"


@pytest.fixture
def north(client: TestClient, store: ServerStore) -> dict[str, Desktop]:
    for name, role in (("kit", "practitioner"), ("sol", "supervisor"), ("sam", "supervisor")):
        store.add_account(name, PW, role, "North")
    store.add_account("lou", PW, "supervisor", "South")
    return {name: Desktop(client, name) for name in ("kit", "sol", "sam", "lou")}


def decision(by: Desktop, sid: str, choice: str, comment: str, team_public: bytes) -> Sealed:
    metadata = {"id": sid, "version": 1, "decision": choice}
    recipients = {"team": team_public}
    return seal_envelope(metadata, {"comment": comment}, recipients, by.keys)


def send_decision(by: Desktop, sid: str, sealed: Sealed) -> tuple[int, dict]:
    body = {
        "envelope": base64.b64encode(sealed.envelope).decode(),
        "signature": base64.b64encode(sealed.signature).decode(),
    }
    answer = by.client.post(f"/v1/screenings/{sid}/1/review", json=body, headers=by.headers)
    return answer.status_code, answer.json()


def test_a_decision_reaches_the_author_and_a_second_one_is_a_conflict(
    north: dict[str, Desktop],
) -> None:
    kit, sol, sam, lou = north["kit"], north["sol"], north["sam"], north["lou"]
    team_keys = team_key_created_by(sol)
    sid = str(uuid.uuid4())
    assert kit.send(screening_by(kit, team_keys.box_public, uuid.UUID(sid)))[0] == 201

    comment = "Please add the date of the last missing episode."
    sealed = decision(sol, sid, "return", comment, team_keys.box_public)
    assert (
        send_decision(kit, sid, decision(kit, sid, "approve", "", team_keys.box_public))[0] == 403
    )
    assert (
        send_decision(lou, sid, decision(lou, sid, "approve", "", team_keys.box_public))[0] == 404
    )
    assert send_decision(sol, sid, sealed) == (200, {"status": "returned"})
    status, answer = send_decision(
        sam, sid, decision(sam, sid, "approve", "", team_keys.box_public)
    )
    assert status == 409 and "returned" in answer["detail"]

    got = kit.client.get("/v1/reviews", params={"after": 0}, headers=kit.headers).json()["reviews"]
    assert [(r["decision"], r["reviewer"]) for r in got] == [("return", "sol")]
    body = verify(
        Sealed(base64.b64decode(got[0]["envelope"]), base64.b64decode(got[0]["signature"])),
        bytes.fromhex(got[0]["reviewer_device_key"]),
    )
    assert open_content(body, "team", team_keys) == {"comment": comment}
    assert lou.client.get("/v1/reviews", headers=lou.headers).json()["reviews"] == []
    assert [s["status"] for s in kit.receive()] == ["returned"]


def approve_by_api(
    by: Desktop, signer: Desktop, team: AccountKeys, target: Desktop, x25519: str = ""
) -> httpx.Response:
    """``by`` posts an approval of ``target``'s computer, signed with ``signer``'s keys."""
    statement = {
        "what": approval.WHAT,
        "team_key": team.box_public.hex(),
        "epoch": 1,
        "device_id": target.device_id,
        "x25519": x25519 or target.keys.box_public.hex(),
        "ed25519": target.keys.sign_public.hex(),
        "account": target.name,
        "approver": by.name,
        "approver_device": by.device_id,
        "at": "2026-11-24",
    }
    raw = approval.encode(statement)
    body = {
        "device_id": target.device_id,
        "epoch": 1,
        "statement": base64.b64encode(raw).decode(),
        "signature": base64.b64encode(approval.sign(raw, signer.keys)).decode(),
        "team_signature": base64.b64encode(approval.sign(raw, team)).decode(),
    }
    return by.client.post("/v1/teams/mine/approvals", json=body, headers=by.headers)


def test_the_team_key_is_shared_with_a_further_supervisor(north: dict[str, Desktop]) -> None:
    sol, sam, kit = north["sol"], north["sam"], north["kit"]
    team_keys = team_key_created_by(sol)
    waiting = sol.client.get("/v1/teams/mine/waiting", headers=sol.headers).json()["devices"]
    assert [w["account"] for w in waiting] == ["sam"]  # not kit: practitioners get no team key
    assert kit.client.get("/v1/teams/mine/waiting", headers=kit.headers).status_code == 403
    for_sam = seal(team_keys.to_bytes(), bytes.fromhex(waiting[0]["x25519"]), TEAM_KEY)
    assert waiting[0]["epochs"] == [1]
    empty = {"device_id": waiting[0]["device_id"], "keys": []}
    assert (
        sol.client.post("/v1/teams/mine/key/grants", json=empty, headers=sol.headers).status_code
        == 422
    )
    copy = {"epoch": 1, "sealed": base64.b64encode(for_sam).decode()}
    grant = {"device_id": waiting[0]["device_id"], "keys": [copy]}
    answer = sol.client.post("/v1/teams/mine/key/grants", json=grant, headers=sol.headers)
    assert answer.status_code == 403  # nobody has approved sam's computer yet
    assert answer.json()["detail"] == (
        "That computer has not been approved by a supervisor of your team."
    )
    assert approve_by_api(kit, kit, team_keys, sam).status_code == 403  # a practitioner
    assert approve_by_api(sam, sam, team_keys, sam).status_code == 403  # sam holds no key
    # what the server checks of an approval: its own form, the keys registered, the signer
    tampered = approve_by_api(sol, sol, team_keys, sam, x25519="00" * 32)
    assert tampered.status_code == 422 and "as registered" in tampered.json()["detail"]
    signed_by_other = approve_by_api(sol, sam, team_keys, sam)
    assert signed_by_other.status_code == 422
    assert "not signed by the approving computer" in signed_by_other.json()["detail"]
    assert approve_by_api(sol, sol, team_keys, sam).status_code == 201
    assert approve_by_api(sol, sol, team_keys, sam).status_code == 200  # kept once
    answer = sol.client.post("/v1/teams/mine/key/grants", json=grant, headers=sol.headers)
    assert answer.status_code == 204
    mine = sam.client.get("/v1/teams/mine/key", headers=sam.headers).json()
    assert [k["epoch"] for k in mine["keys"]] == [1]
    opened = unseal(base64.b64decode(mine["keys"][0]["sealed"]), sam.keys, TEAM_KEY)
    assert opened is not None and AccountKeys.from_bytes(opened).box_public == team_keys.box_public
    again = sol.client.post("/v1/teams/mine/key/grants", json=grant, headers=sol.headers)
    assert again.status_code == 404  # sam is no longer waiting
