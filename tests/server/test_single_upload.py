"""One screening sent on its own (server/screenings.py ``upload``): the common case goes in two
round trips, the team chain's lock, the insert, its audit row and the COMMIT sent together;
every other case — a retry, other content under the same version, an amendment with nothing
before it, a team key changed or being changed, even between the first read and the insert —
is answered as before, nothing half-stored, and the team's chain still checks end to end."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from fastapi.testclient import TestClient

from screening_app.server import audit, screenings
from screening_app.server.store import ServerStore
from screening_app.sync.envelope import Sealed
from tests.server.test_screenings_e2e import (
    Desktop,
    screening_by,
    team,  # noqa: F401  (the fixture)
    team_key_created_by,
)


def _stored(database_url: str) -> tuple[int, int, list[str]]:
    """Screenings held, their audit rows, and what the trail's check finds."""
    with psycopg.connect(database_url) as conn:
        held = conn.execute("SELECT count(*) FROM screenings").fetchone()
        received = conn.execute(
            "SELECT count(*) FROM audit WHERE action = 'screening_received'"
        ).fetchone()
        problems = audit.check_all(conn).problems
    assert held is not None and received is not None
    return held[0], received[0], problems


def test_each_answer_of_a_single_upload(
    team: dict[str, Desktop],  # noqa: F811
    client: TestClient,
    database_url: str,
) -> None:
    kit, sol = team["kit"], team["sol"]
    public = team_key_created_by(sol).box_public
    first = screening_by(kit, public)
    assert kit.send(first)[0] == 201
    assert kit.send(first)[0] == 200  # a retry after a lost answer: stored once
    sid = uuid.UUID(json.loads(first.envelope)["metadata"]["id"])
    status, body = kit.send(screening_by(kit, public, sid=sid))
    assert status == 409 and "already sent with other content" in body["detail"]
    status, body = kit.send(screening_by(kit, public, version=2))
    assert status == 409 and "An amendment follows the version before it" in body["detail"]
    status, body = kit.send(screening_by(kit, public, team_epoch=7))
    assert status == 409 and "it is now at epoch 1" in body["detail"]
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE teams SET rotation_due = true WHERE name = 'North'")
    status, body = kit.send(screening_by(kit, public))
    assert status == 409 and "its key is being changed" in body["detail"]
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE teams SET rotation_due = false WHERE name = 'North'")
    amended = screening_by(kit, public, sid=sid, version=2)
    assert kit.send(amended)[0] == 201
    assert _stored(database_url) == (2, 2, [])


def test_a_key_changed_between_the_read_and_the_insert_stores_nothing(
    team: dict[str, Desktop],  # noqa: F811
    client: TestClient,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the epoch is read before the chain's lock; a supervisor's new key committed meanwhile
    # (here: just before the lock is asked for) must not let the screening in under the old one
    kit, sol = team["kit"], team["sol"]
    public = team_key_created_by(sol).box_public
    taken = audit.lock
    changes = []

    def key_changed_first(conn: psycopg.Connection, chain: int) -> None:
        if not changes:
            with psycopg.connect(database_url, autocommit=True) as other:
                other.execute("UPDATE teams SET key_epoch = 2 WHERE name = 'North'")
            changes.append(chain)
        taken(conn, chain)

    monkeypatch.setattr(audit, "lock", key_changed_first)
    status, body = kit.send(screening_by(kit, public))
    assert changes, "the upload never asked for the chain's lock"
    assert status == 409 and "it is now at epoch 2" in body["detail"]
    assert _stored(database_url) == (0, 0, [])
    assert kit.send(screening_by(kit, public, team_epoch=2))[0] == 201
    assert _stored(database_url) == (1, 1, [])


def test_uploads_of_a_team_at_once_are_each_stored_once_in_one_whole_chain(
    team: dict[str, Desktop],  # noqa: F811
    client: TestClient,
    store: ServerStore,
    database_url: str,
) -> None:
    # two practitioners' computers send at the same moment, some of it twice (a retry racing
    # its first try): the chain's lock orders them, each is written once with one audit row
    kit, rowan = team["kit"], team["rowan"]
    public = team_key_created_by(team["sol"]).box_public
    callers = {d.name: store.caller(d.headers["Authorization"].split()[1]) for d in (kit, rowan)}
    sent = [(d, screening_by(d, public)) for d in (kit, rowan) for _ in range(24)]
    sent += sent[::4]  # every fourth again, at once with the rest

    def upload(item: tuple[Desktop, Sealed]) -> bool:
        desktop, sealed = item
        caller = callers[desktop.name]
        return screenings.upload(store, caller, sealed.envelope, sealed.signature).created

    with ThreadPoolExecutor(8) as pool:
        created = list(pool.map(upload, sent))
    assert created.count(True) == 48 and created.count(False) == 12
    assert _stored(database_url) == (48, 48, [])


def test_a_value_postgresql_refuses_is_a_422_and_nothing_is_stored(
    team: dict[str, Desktop],  # noqa: F811
    client: TestClient,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the checks before the database leave nothing it refuses that we know of; should one come,
    # the error arrives when the pipeline's COMMIT is read, and is answered as before
    kit = team["kit"]
    public = team_key_created_by(team["sol"]).box_public
    out_of_range = screenings.INSERT_IF_CURRENT.replace(
        "'submitted'", "'submitted' || (99999::smallint * 99)"
    )
    monkeypatch.setattr(screenings, "INSERT_IF_CURRENT", out_of_range)
    status, body = kit.send(screening_by(kit, public))
    assert status == 422 and "cannot be stored" in body["detail"], body
    assert _stored(database_url) == (0, 0, [])
