"""Deletion witnessed by the team server (docs/GOVERNANCE.md, "Deletion"): a supervisor deletes a
record whose period has ended; the server removes its sealed copy, keeps the clear figures,
stores the tombstone (no name, no reason) and answers with the hash of its own audit row; the
author's computer then removes its copy, a computer where the child is under a legal hold keeps
it and says so, and the same tombstone twice is witnessed once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import psycopg
import pytest

from screening_app.errors import WorkflowError
from screening_app.services import tombstones
from tests.conftest import open_app
from tests.forms.test_forms import all_examples
from tests.server.conftest import PW, Machine, approve, cli, connect

LATER = dt.datetime(2080, 1, 2, 9, 0)  # every record's period has ended by then
REASON = "The period ended; nothing is open."


def test_a_deletion_is_witnessed_and_reaches_the_team_s_computers(
    server: tuple[str, str],
    on: Machine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connect(capsys, *server, on, "sol", "kit", "sam")
    approve(capsys, on, "sol", "sam")
    first, second = (str(p) for p in all_examples()[:2])
    assert cli(capsys, "import", first, second, *on("kit", "kit"))[0] == 0
    assert cli(capsys, "sync", *on("kit", "kit"))[0] == 0
    for supervisor in ("sol", "sam"):
        assert cli(capsys, "sync", *on(supervisor, supervisor))[0] == 0
    sam = open_app(tmp_path / "sam.db", "sam", PW, now=LATER)
    held = sam.retention.due(LATER.date())[1].reference
    sam.retention.place_hold(held, "The Northvale inquiry asked for it.")  # on sam's computer
    sam.close()

    sol = open_app(tmp_path / "sol.db", "sol", PW, now=LATER)
    gone = [d.reference for d in sol.retention.due(LATER.date())]
    assert len(gone) == 2
    for reference in gone:
        deletion = sol.retention.delete(reference, REASON)
        assert deletion.state() == "waiting to be witnessed by the team server"
    report = sol.sync.sync()
    assert report.witnessed == 2, report.problems
    listed = sol.retention.deleted()
    assert all(d.state().startswith("witnessed by the team server on ") for d in listed)
    assert sol.sync.sync().witnessed == 0  # witnessed once

    # a retry whose answer was lost: the same tombstone is witnessed once, with the same hash
    again = [dataclasses.replace(d, witnessed_at=None, witness=None) for d in listed]
    monkeypatch.setattr(tombstones, "deleted", lambda _s: again)
    assert sol.sync.sync().witnessed == 2
    # another decision on the same version is refused
    body = again[0].tombstone
    assert body is not None
    other = dataclasses.replace(again[0], tombstone={**body, "decided_at": "2080-01-02 10:00:00"})
    monkeypatch.setattr(tombstones, "deleted", lambda _s: [other])
    report = sol.sync.sync()
    assert "was already deleted by another decision" in "\n".join(report.problems)
    monkeypatch.undo()
    witnesses = {d.witness for d in sol.retention.deleted()}
    sol.close()

    with psycopg.connect(database_url) as conn:
        hashes = {
            row[0] for row in conn.execute("SELECT hash FROM audit WHERE action = 'record_deleted'")
        }
        assert witnesses == hashes and len(hashes) == 2
        removed = conn.execute(
            "SELECT count(*) FILTER (WHERE envelope IS NULL), count(*) FROM screenings"
        ).fetchone()
        assert removed == (2, 2)  # the clear metadata stays for the figures
        for (body,) in conn.execute("SELECT body FROM tombstones"):
            assert b"nothing is open" not in bytes(body)  # the reason stays on the desktop

    kit = open_app(tmp_path / "kit.db", "kit", PW, now=LATER)
    report = kit.sync.sync()
    assert report.deleted == 2 and "their tombstones stay" in "\n".join(report.lines())
    row = kit.session.by_reference(gone[0])
    with pytest.raises(WorkflowError, match="was deleted on 2080-01-02 at the end of its"):
        kit.screenings.get(row.id)
    assert kit.backups.check() == []  # the signatures hold over what was kept
    kit.close()

    sam = open_app(tmp_path / "sam.db", "sam", PW, now=LATER)
    report = sam.sync.sync()
    assert report.deleted == 1
    assert f"{held} was deleted by sol on the team server, but is kept here" in "\n".join(
        report.problems
    )
    assert sam.screenings.get(sam.session.by_reference(held).id).answers  # still here
    sam.close()
