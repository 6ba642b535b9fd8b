"""Who may do what is one table (domain/capabilities.py): the services, the account log, the
window and the team server all read it, and nothing else compares a role."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from screening_app.domain import capabilities
from screening_app.domain.capabilities import RECOVERY_KEY, ROLES, TABLE, Verb, can, refusal
from screening_app.errors import PermissionDenied
from tests.conftest import ADMIN_PW, open_app

PACKAGE = Path(capabilities.__file__).parents[1]

# A role compared with a role name, or tested against a list of them, in Python or in SQL.
COMPARED = re.compile(
    r"""role["'\]]*\s*(==|!=)\s*["']"""  # role == "admin"
    r"""|role["'\]]*\s*(\bnot\s+)?\bin\s+(\(|\[|(?!ROLES\b)[A-Z_]{4,}\b)"""  # role in (…)
    r"""|["'](practitioner|supervisor|admin)["']\s*(==|!=)"""  # "admin" == role
    r"""|\brole\s*=\s*'(practitioner|supervisor|admin)'"""  # SQL: a.role = 'supervisor'
)
# Where a role may still be named: the table itself; the team server's schema, whose
# row-level security keeps the same rules inside PostgreSQL (frozen, one file per version).
ALLOWED = re.compile(r"domain/capabilities\.py$|server/schema(_v\d+)?\.py$")


def test_no_role_is_compared_outside_the_table() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if ALLOWED.search(relative):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if COMPARED.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == [], "decide by domain.capabilities.can(role, Verb…) instead:\n" + "\n".join(
        found
    )


@pytest.mark.parametrize(
    "line",
    [
        'if caller.account.role != "supervisor":',
        'if user.role in ("admin", "supervisor"):',
        "if account.role in READERS and x:",
        "\"WHERE a.role = 'supervisor' AND a.active\"",
        'if "admin" == role:',
    ],
)
def test_the_search_finds_each_way_a_role_was_compared(line: str) -> None:
    assert COMPARED.search(line), line


def test_every_verb_has_holders_and_only_known_ones() -> None:
    assert set(TABLE) == set(Verb)
    for verb, holders in TABLE.items():
        assert holders, verb
        assert holders <= {*ROLES, RECOVERY_KEY}, verb


def test_the_rules_that_keep_records_safe() -> None:
    """The few lines of the table a data protection officer would check first."""
    # an administrator runs the system and never sees a child's record
    assert not any(
        can("admin", v) for v in (Verb.READ_SCREENINGS, Verb.SEE_CHILD, Verb.SUBJECT_ACCESS)
    )
    # only supervisors review, delete, transfer and see the organisation's figures
    for verb in (Verb.REVIEW, Verb.DELETE_RECORD, Verb.TRANSFER, Verb.SEE_ORGANISATION_FIGURES):
        assert capabilities.holders(verb) == ("supervisor",), verb
    # the recovery key may restore access, never read or review
    assert can(RECOVERY_KEY, Verb.GRANT_ACCESS) and not can(RECOVERY_KEY, Verb.REVIEW)


def test_a_refusal_names_what_was_refused_and_who_may() -> None:
    words = refusal("practitioner", Verb.DELETE_RECORD)
    assert words is not None
    assert "cannot delete a record" in words and "only supervisors can" in words
    assert refusal("supervisor", Verb.DELETE_RECORD) is None
    assert "practitioners and supervisors" in (refusal("admin", Verb.START_SCREENING) or "")


def test_the_services_refuse_by_the_table(db_path: Path) -> None:
    kit = open_app(db_path)  # a practitioner
    try:
        assert kit.can(Verb.START_SCREENING) and not kit.can(Verb.REVIEW)
        with pytest.raises(PermissionDenied, match="cannot see statistics: only supervisors"):
            kit.statistics.monthly("2026-01", "2026-12")
        with pytest.raises(PermissionDenied, match="cannot merge child records"):
            kit.children.merge(1, 2)
    finally:
        kit.close()
    admin = open_app(db_path, "admin", ADMIN_PW)
    try:
        with pytest.raises(PermissionDenied, match="cannot start a screening"):
            admin.screenings.start()
        teams = {u.team for u in admin.accounts.list_users()}  # every team's accounts
        assert {"North", "South"} <= teams
    finally:
        admin.close()
    sol = open_app(db_path, "sol")  # a supervisor lists their own team's accounts only
    try:
        assert {u.team for u in sol.accounts.list_users()} == {"North"}
    finally:
        sol.close()
