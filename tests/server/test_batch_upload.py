"""Batched uploads (server/batches.py, services/sync_send.py): many screenings in one request,
each answered as a single upload would be — partial failures, a duplicate inside the batch, a
batch over the limit refused as a sentence — and a desktop's queue sent in a few requests over
one connection, falling back to one request each for a server that does not know batches."""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from screening_app.crypto import AccountKeys
from screening_app.server import batches
from screening_app.sync.client import ServerClient, SyncError
from screening_app.sync.envelope import Sealed
from tests.conftest import open_app
from tests.forms.test_forms import all_examples
from tests.server.conftest import PW as DESKTOP_PW
from tests.server.conftest import Machine, cli, connect
from tests.server.test_screenings_e2e import (
    Desktop,
    screening_by,
    team,  # noqa: F401  (the fixture)
    team_key_created_by,
)


def item(sealed: Sealed) -> dict[str, str]:
    return {
        "envelope": base64.b64encode(sealed.envelope).decode(),
        "signature": base64.b64encode(sealed.signature).decode(),
    }


@pytest.mark.parametrize(
    ("together", "halves"),
    [(True, False), (False, False), (True, True)],
    ids=["in one insert", "item by item", "checked in two halves side by side"],
)
def test_a_batch_is_answered_item_by_item(
    team: dict[str, Desktop],  # noqa: F811
    client: TestClient,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    together: bool,
    halves: bool,
) -> None:
    # a batch of 16 or more is checked in two halves on two threads; its answers keep its order
    monkeypatch.setattr(batches, "_SIDE_BY_SIDE", 2 if halves else 1000)
    if not together:  # as when PostgreSQL refuses a value: each item in a savepoint of its own

        def refuses(*_args: object) -> None:
            raise psycopg.DataError("a value out of range")

        monkeypatch.setattr(batches, "_store_together", refuses)
    kit, sol = team["kit"], team["sol"]
    public = team_key_created_by(sol).box_public
    first, second = screening_by(kit, public), screening_by(kit, public)
    same_id = uuid.UUID(json.loads(first.envelope)["metadata"]["id"])
    other_content = screening_by(kit, public, sid=same_id)
    forged = screening_by(kit, public)
    stranger = Sealed(forged.envelope, AccountKeys.generate().sign(b"not this"))
    elsewhere = screening_by(kit, public, team="South")  # refused by its metadata ...
    elsewhere_forged = Sealed(elsewhere.envelope, stranger.signature)  # ... after its signature
    items = [
        item(first),
        {"envelope": "not base64!", "signature": "AA=="},
        item(stranger),
        item(first),  # the same screening twice in one batch: stored once
        item(other_content),  # the same id and version with other content
        item(second),
        item(elsewhere),
        item(elsewhere_forged),
    ]
    answer = client.post("/v1/screenings/batch", json={"items": items}, headers=kit.headers)
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["status"] for r in results] == [201, 422, 422, 200, 409, 201, 403, 422]
    assert "not this device's" in results[2]["detail"]
    assert "own team" in results[6]["detail"]
    assert "not this device's" in results[7]["detail"]
    assert "already sent with other content" in results[4]["detail"]
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM screenings").fetchone() == (2,)
        received = conn.execute(
            "SELECT count(*) FROM audit WHERE action LIKE 'screening%%received'"
        ).fetchone()
    assert received == ((1,) if together else (2,))  # one row for the batch, or one each

    too_many = {"items": [item(screening_by(kit, public)) for _ in range(101)]}
    answer = client.post("/v1/screenings/batch", json=too_many, headers=kit.headers)
    assert answer.status_code == 413
    assert answer.json()["detail"].startswith("A batch holds at most 100 screenings and this one")
    answer = client.post("/v1/screenings/batch", json={"items": [item(first)]}, headers={})
    assert answer.status_code == 401


def test_a_batch_stores_each_column_as_a_single_upload_does(
    team: dict[str, Desktop],  # noqa: F811
    client: TestClient,
    database_url: str,
) -> None:
    # the batch's rows travel as one array per column: lists, absent values and numbers arrive
    # as they do one by one
    kit, sol = team["kit"], team["sol"]
    public = team_key_created_by(sol).box_public
    kinds = [
        {"models": ["online_virtual", "peer_on_peer"], "types": ["sexual", "criminal"]},
        {"operative_band": None, "models": [], "la_area": "", "child_tag": "ab" * 32},
        {"version": 2, "form_version": 4, "screening_month": "2025-01", "practitioner_role": ""},
    ]
    batched = [screening_by(kit, public, **kind) for kind in kinds]
    answer = client.post(
        "/v1/screenings/batch", json={"items": [item(s) for s in batched]}, headers=kit.headers
    )
    # a second version with no first is refused alike either way
    assert [r["status"] for r in answer.json()["results"]][:2] == [201, 201]
    singly = [screening_by(kit, public, **kind) for kind in kinds]
    assert [kit.send(s)[0] for s in singly][:2] == [201, 201]
    last = answer.json()["results"][2], kit.send(singly[2])
    assert last[0]["status"] == last[1][0]
    columns = (
        "version, team_id, author_id, device_id, form_id, form_version, status, "
        "screening_month, operative_band, la_area, models, types, practitioner_role, "
        "child_tag, team_epoch"
    )
    with psycopg.connect(database_url) as conn:
        stored = {
            str(row[0]): row[1:]
            for row in conn.execute(f"SELECT id, {columns} FROM screenings").fetchall()
        }
    for one, other in zip(batched[:2], singly[:2], strict=True):
        assert stored[_id(one)] == stored[_id(other)]
    assert stored[_id(batched[0])][10:12] == (
        ["online_virtual", "peer_on_peer"],
        ["sexual", "criminal"],
    )
    assert stored[_id(batched[1])][8:11] == (None, "", [])


def _id(sealed: Sealed) -> str:
    return str(json.loads(sealed.envelope)["metadata"]["id"])


def test_a_desktop_sends_its_queue_in_batches_and_falls_back_to_single_uploads(
    server: tuple[str, str],
    on: Machine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connect(capsys, *server, on, "sol", "kit")
    examples = [str(p) for p in all_examples()]
    copies = examples * (250 // len(examples) + 1)
    assert cli(capsys, "import", "--allow-duplicate", *copies, *on("kit", "kit"))[0] == 0
    calls: list[str] = []
    old_server: list[bool] = []
    real = ServerClient.call

    def counted(self: ServerClient, method: str, path: str, **kwargs: object) -> object:
        calls.append(f"{method} {path}")
        if path == "/v1/screenings/batch" and old_server:
            raise SyncError("There is no such route: see docs/SERVER.md.", 404)
        return real(self, method, path, **kwargs)

    monkeypatch.setattr(ServerClient, "call", counted)
    kit = open_app(tmp_path / "kit.db", "kit", DESKTOP_PW)
    report = kit.sync.sync()
    assert report.sent == len(copies) and report.problems == []
    assert calls.count("POST /v1/screenings/batch") == -(-len(copies) // 100)
    assert "POST /v1/screenings" not in calls
    kit.close()
    # an older server: the batch route is unknown, so each screening goes on its own
    two = [examples[0], examples[1]]
    assert cli(capsys, "import", "--allow-duplicate", *two, *on("kit", "kit"))[0] == 0
    calls.clear()
    old_server.append(True)
    kit = open_app(tmp_path / "kit.db", "kit", DESKTOP_PW)
    report = kit.sync.sync()
    assert report.sent == 2 and calls.count("POST /v1/screenings") == 2
    kit.close()
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT count(*), count(DISTINCT (id, version)) FROM screenings")
        assert rows.fetchone() == (len(copies) + 2, len(copies) + 2)
