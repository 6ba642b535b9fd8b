"""The server witnesses the head of each desktop's audit trail at every sync: entries it saw
that are later deleted on the desktop (by someone holding the key) are reported, and recorded in
the server's own audit."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.conftest import open_app
from tests.forms.test_forms import all_examples
from tests.server.conftest import PW, Machine, cli, connect


def test_a_deleted_audit_tail_is_noticed_by_the_server(
    server: tuple[str, str],
    on: Machine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    url, fingerprint = server
    connect(capsys, url, fingerprint, on, "sol", "kit")
    assert cli(capsys, "import", str(all_examples()[0]), *on("kit", "kit"))[0] == 0
    code, out = cli(capsys, "sync", *on("kit", "kit"))
    assert code == 0 and "audit trail" not in out
    code, out = cli(capsys, "sync", *on("kit", "kit"))  # a longer trail since: consistent
    assert code == 0 and "audit trail" not in out

    kit = open_app(tmp_path / "kit.db", "kit", PW)
    try:
        with kit.session.store.transaction() as db:  # a key holder removes the newest entries
            db.execute("DELETE FROM audit WHERE id > (SELECT max(id) - 5 FROM audit)")
        report = kit.sync.sync()
    finally:
        kit.close()
    assert any("entries were deleted or changed" in p for p in report.problems)
    with psycopg.connect(database_url) as conn:
        seen = conn.execute(
            "SELECT count(*) FROM audit WHERE action = 'audit_trail_rewritten'"
        ).fetchone()
        witnessed = conn.execute("SELECT count(*), bool_and(consistent) FROM witnesses").fetchone()
    assert seen == (1,)
    assert witnessed is not None and witnessed[0] >= 3 and witnessed[1] is False
