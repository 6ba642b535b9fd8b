"""Who may do what: the one table from a role to the verbs it may act on.

Every decision that turns on an account's role reads :data:`TABLE` through :func:`can`: the
desktop's services (``Session.require``), the window (menus and buttons are built from it), the
account log's rules (which entries an account, or the recovery key, may sign) and the team
server (``server/permissions.py``, beside PostgreSQL's row-level security, which keeps the same
rules for the rows themselves). Nothing else compares a role (tests/unit/test_capabilities.py
searches the code for it). How to add a verb: docs/ARCHITECTURE.md.

What a user may do with *one* screening (its author, its status, its team) is decided in
``services/permissions.py`` from these verbs and the record.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

Role = Literal["practitioner", "supervisor", "admin"]
ROLES: tuple[Role, ...] = ("practitioner", "supervisor", "admin")
ROLE_LABELS: dict[str, str] = {
    "practitioner": "Practitioner",
    "supervisor": "Supervisor / safeguarding lead",
    "admin": "Administrator",
}
RECOVERY_KEY = "recovery key"
"""Not a role: the organisation's recovery key, which may sign a few account-log entries."""

Holder = Literal["practitioner", "supervisor", "admin", "recovery key"]
Scope = Literal["own", "team", "none"]


class Verb(StrEnum):
    """What an account may do; the value finishes "Your account cannot …"."""

    # children's records
    READ_SCREENINGS = "see children's screenings"
    START_SCREENING = "start a screening"
    IMPORT_SCREENINGS = "import screenings"
    SEE_CHILD = "see a child's record"
    MAKE_MACE_PACK = "make a MACE pack"
    SEE_LINKS = "see links between screenings"
    SEE_LINKS_ACROSS_TEAMS = "see links to other teams' screenings"
    SEE_DISCLOSURES = "see the disclosure log"
    HEAR_OF_REVIEWS = "hear what became of their submitted screenings"
    RECORD_OUTCOMES = "record outcomes"
    RECORD_TEAM_OUTCOMES = "record an outcome on a team member's screening"
    # the team's work
    REVIEW = "review screenings"
    RECEIVE_TEAM_SCREENINGS = "receive the team's screenings"
    KEEP_REPLICAS = "keep reviewed screenings past the retention period"
    SEE_TEAM_MEMBERS = "choose among the team's practitioners"
    MERGE_CHILDREN = "merge child records"
    SEE_STATISTICS = "see statistics"
    EXPORT_STATISTICS = "export statistics"
    SEE_PANEL = "see the panel report"
    EXPORT_PANEL = "export the panel report"
    MAKE_PROFILE = "make an area profile"
    EXPORT_PROFILE = "export an area profile"
    SEE_ORGANISATION_FIGURES = "see the organisation's figures"
    # information governance
    SUBJECT_ACCESS = "make a subject access export"
    TRANSFER = "transfer a child's records"
    RECEIVE_TRANSFER = "receive a transfer"
    KEEP_RECEIPT = "record a transfer's receipt"
    SEE_DUE = "see what is due for review or deletion"
    DELETE_RECORD = "delete a record"
    SEE_DELETED = "see what was deleted"
    PLACE_HOLD = "place a legal hold"
    LIFT_HOLD = "lift a legal hold"
    ACKNOWLEDGE_FINDING = "acknowledge an audit-trail finding"
    READ_AUDIT = "read the audit trail"
    # the team server and its keys
    CONNECT = "connect to the team server"
    SEND_SCREENINGS = "send screenings to the team server"
    HOLD_TEAM_KEY = "hold the team key"
    RECOVER_TEAM_KEY = "recover the team key"
    TAG_SCREENINGS = "tag the team's screenings with a child's link"
    SEE_COMPUTERS = "see the team's computers"
    APPROVE_COMPUTER = "approve a computer"
    # accounts, keys and settings
    LIST_ACCOUNTS = "list accounts"
    SEE_EVERY_TEAM = "see every team's accounts and audit trail"
    ADD_ACCOUNTS = "add accounts"
    DISABLE_ACCOUNTS = "disable or enable accounts"
    RESET_PASSWORDS = "reset passwords"
    REVOKE_DEVICES = "revoke a device"
    GRANT_ACCESS = "grant access to records"
    GRANT_WITH_RECOVERY_KEY = "grant access with the recovery key"
    ROTATE_DATA_KEY = "rotate the data key"
    CHANGE_DATA_KEY = "change the data key"
    RESTORE_BACKUP = "restore a backup"
    CHANGE_SETTINGS = "change settings"
    SET_CONTACTS = "set the area's contact numbers"


_P: frozenset[Holder] = frozenset({"practitioner"})
_S: frozenset[Holder] = frozenset({"supervisor"})
_A: frozenset[Holder] = frozenset({"admin"})
_PS = _P | _S
_AS = _A | _S
_R: frozenset[Holder] = frozenset({RECOVERY_KEY})  # type: ignore[arg-type]  # a literal


TABLE: dict[Verb, frozenset[Holder]] = {
    Verb.READ_SCREENINGS: _PS,
    Verb.START_SCREENING: _PS,
    Verb.IMPORT_SCREENINGS: _PS,
    Verb.SEE_CHILD: _PS,
    Verb.MAKE_MACE_PACK: _PS,
    Verb.SEE_LINKS: _PS,
    Verb.SEE_LINKS_ACROSS_TEAMS: _S,
    Verb.SEE_DISCLOSURES: _PS,
    Verb.HEAR_OF_REVIEWS: _P,
    Verb.RECORD_OUTCOMES: _PS,
    Verb.RECORD_TEAM_OUTCOMES: _S,
    Verb.REVIEW: _S,
    Verb.RECEIVE_TEAM_SCREENINGS: _S,
    Verb.KEEP_REPLICAS: _S,
    Verb.SEE_TEAM_MEMBERS: _S,
    Verb.MERGE_CHILDREN: _S,
    Verb.SEE_STATISTICS: _S,
    Verb.EXPORT_STATISTICS: _S,
    Verb.SEE_PANEL: _S,
    Verb.EXPORT_PANEL: _S,
    Verb.MAKE_PROFILE: _S,
    Verb.EXPORT_PROFILE: _S,
    Verb.SEE_ORGANISATION_FIGURES: _S,
    Verb.SUBJECT_ACCESS: _S,
    Verb.TRANSFER: _S,
    Verb.RECEIVE_TRANSFER: _S,
    Verb.KEEP_RECEIPT: _S,
    Verb.SEE_DUE: _S,
    Verb.DELETE_RECORD: _S,
    Verb.SEE_DELETED: _S,
    Verb.PLACE_HOLD: _S,
    Verb.LIFT_HOLD: _S,
    Verb.ACKNOWLEDGE_FINDING: _S,
    Verb.READ_AUDIT: _AS,
    Verb.CONNECT: _PS,
    Verb.SEND_SCREENINGS: _PS,
    Verb.HOLD_TEAM_KEY: _S,
    Verb.RECOVER_TEAM_KEY: _S,
    Verb.TAG_SCREENINGS: _S,
    Verb.SEE_COMPUTERS: _S,
    Verb.APPROVE_COMPUTER: _S,
    Verb.LIST_ACCOUNTS: _AS,
    Verb.SEE_EVERY_TEAM: _A,
    Verb.ADD_ACCOUNTS: _A,
    Verb.DISABLE_ACCOUNTS: _A,
    Verb.RESET_PASSWORDS: _A | _R,
    Verb.REVOKE_DEVICES: _A,
    Verb.GRANT_ACCESS: _S | _R,
    Verb.GRANT_WITH_RECOVERY_KEY: _AS,
    Verb.ROTATE_DATA_KEY: _PS | _R,
    Verb.CHANGE_DATA_KEY: _AS | _R,
    Verb.RESTORE_BACKUP: _AS | _R,
    Verb.CHANGE_SETTINGS: _A,
    Verb.SET_CONTACTS: _A,
}

_PLURALS = {"practitioner": "practitioners", "supervisor": "supervisors", "admin": "administrators"}
SCOPES: dict[str, Scope] = {"practitioner": "own", "supervisor": "team", "admin": "none"}
"""Whose screenings a role sees: its own and those shared with it, its team's, or none."""


def can(holder: str, verb: Verb) -> bool:
    """True when ``holder`` (a role, or :data:`RECOVERY_KEY`) may do ``verb``."""
    return holder in TABLE[verb]


def holders(verb: Verb, *, recovery: bool = False) -> tuple[str, ...]:
    """The roles that may do ``verb``, in :data:`ROLES` order (with the recovery key when
    ``recovery`` and it may)."""
    found: tuple[str, ...] = tuple(r for r in ROLES if r in TABLE[verb])
    return (*found, RECOVERY_KEY) if recovery and RECOVERY_KEY in TABLE[verb] else found


def scope_of(role: str) -> Scope:
    return SCOPES.get(role, "none")


def needs_team(role: str) -> bool:
    """Accounts that see children's records belong to a team; administrators need none."""
    return can(role, Verb.READ_SCREENINGS)


def refusal(role: str, verb: Verb) -> str | None:
    """Why an account of ``role`` may not do ``verb`` (None when it may), in words that name
    who may."""
    if can(role, verb):
        return None
    return (
        f"Your account ({role}) cannot {verb.value}: only {who(verb)} can. Ask your "
        "safeguarding lead or administrator if you need to."
    )


def who(verb: Verb) -> str:
    """The roles that may do ``verb``, as words: "supervisors", "practitioners and
    supervisors"."""
    names = {
        "practitioner": "practitioners",
        "supervisor": "supervisors",
        "admin": "administrators",
    }
    words = [names[r] for r in holders(verb)] or ["nobody"]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
