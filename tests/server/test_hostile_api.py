"""Hostile input to every route of the API answers 4xx with a sentence, never 500: NUL in a
string, integers too big for PostgreSQL, wrong types, deep JSON, in the bodies, the queries and
the signed metadata of an upload (checked after its signature, so sent from a real device)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from screening_app.server.api import create_app
from screening_app.server.store import ServerStore
from screening_app.sync.client import b64
from screening_app.sync.envelope import parse
from screening_app.sync.envelope import seal as seal_envelope
from tests.server.test_screenings_e2e import PW, Desktop, screening_by, team_key_created_by

HOSTILE: tuple[Any, ...] = (
    "a\x00b",
    2**40,
    2**70,
    -(2**63),
    1.5e308,
    None,
    [],
    {},
    True,
    "x" * 5000,
)
HEX = "ab" * 32
B64 = "QUJD"
SOME_ID = str(uuid.uuid4())

# method, path, a body of the right shape (each leaf is then replaced by each hostile value)
ROUTES: list[tuple[str, str, Any]] = [
    ("POST", "/v1/sessions", {"name": "kit", "password": PW, "device_id": SOME_ID}),
    ("POST", "/v1/sessions/device", {"device_id": SOME_ID, "nonce": B64, "signature": B64}),
    ("POST", "/v1/devices", {"name": "laptop", "x25519": HEX, "ed25519": HEX}),
    ("POST", "/v1/devices/mine/witness", {"length": 10, "head": HEX, "at_previous": HEX}),
    ("POST", "/v1/screenings", {"envelope": B64, "signature": B64}),
    ("PUT", "/v1/teams/mine/key", {"public": HEX, "sealed": B64, "recovery": B64}),
    (
        "POST",
        "/v1/teams/mine/key/grants",
        {"device_id": SOME_ID, "sealed": B64, "keys": [{"epoch": 1, "sealed": B64}]},
    ),
    (
        "POST",
        "/v1/teams/mine/key/rotate",
        {"epoch": 2, "public": HEX, "keys": [{"device_id": SOME_ID, "sealed": B64}]},
    ),
    (
        "POST",
        "/v1/teams/mine/approvals",
        {
            "device_id": SOME_ID,
            "epoch": 1,
            "statement": B64,
            "signature": B64,
            "team_signature": B64,
        },
    ),
    ("POST", "/v1/teams/mine/key/recover", {"keys": [{"epoch": 1, "sealed": B64}]}),
    ("PUT", "/v1/teams/mine/link", {"sealed": B64}),
    ("POST", "/v1/teams/mine/link/grants", {"device_id": SOME_ID, "sealed": B64}),
    ("PUT", "/v1/organisation/link", {"sealed": B64}),
    (
        "PUT",
        "/v1/organisation/link-keys",
        {"screenings": [{"screening_id": SOME_ID, "keys": [HEX]}]},
    ),
    ("PUT", "/v1/screenings/tags", {"tags": [{"id": SOME_ID, "version": 1, "child_tag": HEX}]}),
    ("POST", "/v1/outcomes", {"envelope": B64, "signature": B64}),
    ("POST", f"/v1/screenings/{SOME_ID}/1/review", {"envelope": B64, "signature": B64}),
]
QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("/v1/screenings", {"after": 0}),
    ("/v1/reviews", {"after": 0}),
    ("/v1/outcomes", {"after": 0}),
    ("/v1/figures", {"first": "2026-01", "last": "2026-12", "positive": "referred_scu"}),
    ("/v1/sessions/challenge", {"device_id": SOME_ID}),
]


def mutations(body: Any) -> Iterator[Any]:
    """The body with one leaf at a time replaced by each hostile value."""
    if isinstance(body, dict):
        for key, value in body.items():
            for changed in [*HOSTILE, *mutations(value)]:
                copied = copy.deepcopy(body)
                copied[key] = changed
                yield copied
    elif isinstance(body, list) and body:
        for changed in [*HOSTILE, *mutations(body[0])]:
            yield [changed, *copy.deepcopy(body[1:])]


def refused_politely(answer: Any, *what: Any) -> None:
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:200], *what)
    detail = answer.json().get("detail")
    assert isinstance(detail, str) and detail.endswith((".", ")")), detail


@pytest.fixture
def desktops(store: ServerStore) -> Iterator[tuple[TestClient, dict[str, Desktop]]]:
    with TestClient(create_app(store), raise_server_exceptions=False) as client:
        for name, role in (("kit", "practitioner"), ("sol", "supervisor")):
            store.add_account(name, PW, role, "North")
        yield client, {name: Desktop(client, name) for name in ("kit", "sol")}


def test_every_body_field_and_query_refuses_hostile_values(
    desktops: tuple[TestClient, dict[str, Desktop]],
) -> None:
    client, team = desktops
    for who in ("kit", "sol"):
        headers = team[who].headers
        for method, path, body in ROUTES:
            for hostile in mutations(body):
                answer = client.request(method, path, json=hostile, headers=headers)
                if answer.status_code < 400:
                    continue  # a hostile value that is still a fine one (a long name)
                refused_politely(answer, method, path, str(hostile)[:200])
        for path, params in QUERIES:
            for key in params:
                for value in ("a\x00b", str(2**70), "-1", "x" * 5000):
                    answer = client.get(path, params={**params, key: value}, headers=headers)
                    if answer.status_code >= 400:
                        refused_politely(answer, path, key, value[:20])


def test_deep_or_broken_json_is_refused(desktops: tuple[TestClient, dict[str, Desktop]]) -> None:
    client, _team = desktops
    for text in ("[" * 100_000 + "]" * 100_000, "{" * 50_000, '{"name": "\\ud800"}', "\x00"):
        answer = client.post(
            "/v1/sessions", content=text, headers={"Content-Type": "application/json"}
        )
        refused_politely(answer, text[:20])


def test_hostile_signed_metadata_of_an_upload_is_refused(
    desktops: tuple[TestClient, dict[str, Desktop]],
) -> None:
    client, team = desktops
    kit, sol = team["kit"], team["sol"]
    public = team_key_created_by(sol).box_public
    good = screening_by(kit, public)
    metadata = parse(good.envelope)["metadata"]
    for key in metadata:
        for hostile in HOSTILE:
            meta = {**metadata, key: hostile, "id": str(uuid.uuid4())}
            content = {"answers": {"child_first_name": "Kit"}}
            sealed = seal_envelope(
                meta, content, {"team": public, "author": kit.keys.box_public}, kit.keys
            )
            body = {"envelope": b64(sealed.envelope), "signature": b64(sealed.signature)}
            answer = client.post("/v1/screenings", json=body, headers=kit.headers)
            if answer.status_code >= 400:
                refused_politely(answer, key, str(hostile)[:40])
    for key, longer in (("screening_month", "2026-111"), ("child_tag", HEX + "0")):
        meta = {**metadata, key: longer, "id": str(uuid.uuid4())}  # never cut to fit
        sealed = seal_envelope(meta, {}, {"team": public, "author": kit.keys.box_public}, kit.keys)
        body = {"envelope": b64(sealed.envelope), "signature": b64(sealed.signature)}
        assert client.post("/v1/screenings", json=body, headers=kit.headers).status_code == 422
