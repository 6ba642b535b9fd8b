"""The organisation's retention period: a practitioner's computer removes an approved
screening's content once the period has passed since its review; the supervisor keeps it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from screening_app.errors import WorkflowError
from screening_app.services.model import ListQuery
from screening_app.storage import screenings_repo as repo
from tests.conftest import NOW, open_app
from tests.forms.test_forms import all_examples
from tests.server.conftest import PW, Machine, cli, connect


def test_content_leaves_the_practitioners_computer_after_the_period(
    server: tuple[str, str],
    on: Machine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    url, fingerprint = server
    admin = ["--database", database_url, "--user", "ada", "--password-file", str(tmp_path / "pw")]
    code, out = cli(capsys, "server", "settings", "--retention-days", "thirty", *admin)
    assert code == 2 and "not a whole number of days" in out
    code, out = cli(capsys, "server", "settings", "--retention-days", "30", *admin)
    assert code == 0 and "30 days after approval" in out
    connect(capsys, url, fingerprint, on, "sol", "kit")
    first, second = (str(p) for p in all_examples()[:2])
    assert cli(capsys, "import", first, second, *on("kit", "kit"))[0] == 0
    assert cli(capsys, "sync", *on("kit", "kit"))[0] == 0
    assert cli(capsys, "sync", *on("sol", "sol"))[0] == 0
    sol = open_app(tmp_path / "sol.db", "sol", PW)
    try:
        rows = sol.listing.list(ListQuery())
        sol.review.approve(rows[0].id, PW)  # the other stays submitted
        sol.sync.sync()
    finally:
        sol.close()

    kit = open_app(tmp_path / "kit.db", "kit", PW)
    try:
        assert kit.sync.sync().removed == 0  # just approved: the period has not passed
    finally:
        kit.close()
    later = NOW + dt.timedelta(days=31)
    kit = open_app(tmp_path / "kit.db", "kit", PW, now=later)
    try:
        report = kit.sync.sync()
        assert report.removed == 1 and "retention period" in "\n".join(report.lines())
        rows = {r.status: r for r in kit.listing.list(ListQuery())}
        approved, waiting = rows["approved"], rows["submitted"]
        assert approved.child_name == repo.REMOVED and approved.reference
        assert repo.answers(kit.session.db, repo.ALL, approved.id) == {}
        assert repo.answers(kit.session.db, repo.ALL, waiting.id) != {}  # not approved: kept
        with pytest.raises(WorkflowError, match="retention period"):
            kit.screenings.get(approved.id)
        assert kit.backups.check() == []  # the signatures still hold over what was kept
        assert kit.sync.sync().removed == 0
    finally:
        kit.close()
    sol = open_app(tmp_path / "sol.db", "sol", PW, now=later)
    try:
        sol.sync.sync()
        kept = [r for r in sol.listing.list(ListQuery()) if r.status == "approved"]
        assert kept and kept[0].child_name != repo.REMOVED  # the supervisor's replica stays
    finally:
        sol.close()
