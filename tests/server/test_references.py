"""A screening is named alike on every computer: the reference its author saw is the one its
supervisor's computer shows; computers connected to a team server put their own code in the
references they make, so that two of them never make the same one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from screening_app.app import sign_in
from screening_app.services.access import create_database, grant_with_recovery
from screening_app.services.model import FAST_KDF
from tests.forms.test_forms import all_examples
from tests.server.conftest import PW, Machine, cli, connect


def references(capsys: pytest.CaptureFixture[str], on: Machine, who: str) -> dict[str, str]:
    code, out = cli(capsys, "list", "--json", *on(who, who))
    assert code == 0, out
    return {r["reference"]: r["child_name"] for r in json.loads(out)}


def computer(path: Path, user: str, role: str) -> None:
    """A database made before its computer ever met the server (as ``connect`` makes one)."""
    recovery = create_database(path, "admin", PW)
    admin = sign_in(path, "admin", PW)
    try:
        admin.accounts.add_user(user, PW, role=role, team="North")
    finally:
        admin.close()
    grant_with_recovery(path, recovery, [user], FAST_KDF)


def test_the_author_s_reference_is_the_supervisor_s_too(
    server: tuple[str, str], on: Machine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, second = (str(p) for p in all_examples()[:2])
    for name, role in (("kit", "practitioner"), ("sol", "supervisor")):
        computer(tmp_path / f"{name}.db", name, role)
    # before connecting, each computer numbers its own: both make CSE-YYYY-000001
    assert cli(capsys, "import", first, *on("kit", "kit"))[0] == 0
    assert cli(capsys, "import", second, *on("sol", "sol"))[0] == 0
    connect(capsys, *server, on, "sol", "kit")
    assert cli(capsys, "import", second, *on("kit", "kit"))[0] == 0  # after: with a code
    kits = references(capsys, on, "kit")
    made_after = next(r for r in kits if not r.endswith("000001"))
    assert re.fullmatch(r"CSE-\d{4}-[A-HJ-NP-Z2-9]{3}-\d{6}", made_after), made_after
    for who in ("kit", "sol", "kit", "sol"):
        assert cli(capsys, "sync", *on(who, who))[0] == 0
    sols = references(capsys, on, "sol")
    assert made_after in sols  # the same name on both computers
    assert sols[made_after] == kits[made_after]
    before = next(r for r in kits if r.endswith("000001"))
    # sol's own CSE-YYYY-000001 was there first: kit's is told apart, not merged or lost
    assert f"{before}-2" in sols and sols[f"{before}-2"] == kits[before]
    assert len(sols) == 3


def test_a_computer_connected_by_an_earlier_version_gets_its_code_at_the_next_sync(
    server: tuple[str, str], on: Machine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from tests.conftest import open_app

    connect(capsys, *server, on, "sol", "kit")
    kit = open_app(tmp_path / "kit.db", "kit", PW)
    try:
        with kit.session.write("forget the code, as an earlier version had none") as db:
            db.execute("DELETE FROM meta WHERE key = 'reference_code'")
        assert kit.screenings.start().row.reference.count("-") == 2  # CSE-YYYY-NNNNNN
        kit.sync.sync()
        assert kit.screenings.start().row.reference.count("-") == 3  # CSE-YYYY-CODE-NNNNNN
    finally:
        kit.close()
