"""The account log: who may do what, as a signed, hash-chained list of decisions.

Every change to the accounts of a database — created, added, disabled, enabled, keys replaced
after a password reset, access granted, data key rotated, a setting changed — is one entry
signed with the Ed25519 key of the account that made it and chained to the entry before. The
directory of accounts (names, roles, teams, public keys, who has access) is never stored: it is
*folded* from the log by :func:`fold`, which checks each signature and each rule as it goes.
So a file edited to make someone a supervisor, re-enable an account or swap a public key is
refused as damaged, and only an administrator's key can add an account, only a supervisor's
(or the recovery key's) can grant access. docs/SECURITY.md explains the model.

Actor 0 is the recovery key, which has key pairs of its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from screening_app import crypto
from screening_app.domain import contacts as area_contacts
from screening_app.domain import record_retention
from screening_app.domain.capabilities import RECOVERY_KEY, ROLES, Verb, can

RECOVERY = 0
GENESIS = "0" * 64
ACTIONS = frozenset(
    {
        "database_created",
        "account_added",
        "account_disabled",
        "account_enabled",
        "keys_replaced",
        "password_changed",
        "access_granted",
        "data_key_rotated",
        "rotation_requested",
        "setting_changed",
        "contacts_set",
        "restored",
        "account_imported",
        "keys_set",
    }
)
# signed settings and their ranges: the idle lock, and how long each kind of record is kept
SETTINGS = {"idle_lock_minutes": (1, 240), **record_retention.settings_limits()}


class LogError(ValueError):
    """An entry that is not signed by its actor, breaks the chain or breaks a rule."""


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    display_name: str
    role: str
    team: str
    job_title: str
    agency: str
    created_at: str
    box_public: bytes
    sign_public: bytes
    active: bool = True
    granted: bool = False  # holds the data key (sealed to box_public) by a grant in the log
    past_sign_keys: tuple[bytes, ...] = ()  # earlier signing keys: old signatures stay valid
    pending: bool = False  # moved from a format-1 key file; gets keys at its first sign-in

    @property
    def sign_keys(self) -> tuple[bytes, ...]:
        return (self.sign_public, *self.past_sign_keys)


@dataclass
class Directory:
    """What the log adds up to."""

    database_id: str = ""
    accounts: dict[int, Account] = field(default_factory=dict)
    recovery_box: bytes = b""
    recovery_sign: bytes = b""
    key_epoch: int = 0
    rotation_due: bool = False
    settings: dict[str, int] = field(default_factory=dict)
    contacts: area_contacts.Contacts = area_contacts.NONE  # the area's numbers beside 999
    vaults_digest: str = ""  # what the newest entry says the vaults hold (storage.keyring)
    head: str = GENESIS
    count: int = 0

    def by_name(self, name: str) -> Account | None:
        fold = name.strip().casefold()
        return next((a for a in self.accounts.values() if a.name.casefold() == fold), None)

    def sign_key(self, actor: int) -> bytes:
        if actor == RECOVERY:
            return self.recovery_sign
        account = self.accounts.get(actor)
        if account is None or not account.active or account.pending:
            raise LogError(f"account {actor} does not exist, is disabled or has no keys yet")
        return account.sign_public


def entry_hash(entry: dict[str, Any]) -> str:
    return hashlib.sha256(crypto.canonical(entry)).hexdigest()


def signed_part(entry: dict[str, Any]) -> bytes:
    return crypto.digest({k: v for k, v in entry.items() if k != "sig"})


def make_entry(
    directory: Directory,
    actor: int,
    keys: crypto.AccountKeys,
    action: str,
    subject: int | None,
    data: dict[str, Any],
    at: str,
) -> dict[str, Any]:
    """A new signed entry following ``directory``'s head (not yet checked: see :func:`apply`)."""
    entry: dict[str, Any] = {
        "seq": directory.count,
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "data": data,
        "prev": directory.head,
    }
    entry["sig"] = keys.sign(signed_part(entry)).hex()
    return entry


def fold(entries: list[dict[str, Any]]) -> Directory:
    """The directory, checking every entry; LogError names the first that fails."""
    directory = Directory()
    for entry in entries:
        apply(directory, entry)
    if not directory.count:
        raise LogError("the account log is empty")
    return directory


def apply(directory: Directory, entry: dict[str, Any]) -> None:
    """Check ``entry`` against ``directory`` and apply it (in place)."""
    seq = entry["seq"]
    where = f"account log entry {seq}"
    if seq != directory.count or entry["prev"] != directory.head:
        raise LogError(f"{where}: out of order, or an entry before it was removed or changed")
    action, actor, subject, data = entry["action"], entry["actor"], entry["subject"], entry["data"]
    try:
        if action == "database_created":
            if seq != 0:
                raise LogError("only the first entry may create the database")
            key = bytes.fromhex(data["ed25519"])
        elif action == "keys_set":  # signed by the new key itself, like the first entry
            key = bytes.fromhex(data["ed25519"])
        else:
            key = directory.sign_key(actor)
        if not crypto.verify(key, bytes.fromhex(entry["sig"]), signed_part(entry)):
            raise LogError("its signature does not match its contents or its author")
        _RULES[action](directory, entry["at"], actor, subject, data)
        digest = str(data["vaults"])
        if len(digest) != 64:
            raise LogError("it does not say what the vaults hold")
        directory.vaults_digest = digest
    except LogError as exc:
        raise LogError(f"{where} ({action}): {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise LogError(f"{where} ({action}): malformed ({exc.__class__.__name__})") from None
    directory.head = entry_hash(entry)
    directory.count += 1


# -- the rules ------------------------------------------------------------------------------------
def _actor(directory: Directory, actor: int, verb: Verb) -> Account | None:
    """The acting account (None for the recovery key), which must be allowed ``verb``
    (domain/capabilities.py)."""
    if actor == RECOVERY:
        if not can(RECOVERY_KEY, verb):
            raise LogError("the recovery key may not do this")
        return None
    account = directory.accounts[actor]
    if not can(account.role, verb):
        raise LogError(f"a {account.role} may not do this")
    return account


def _subject(directory: Directory, subject: int | None) -> Account:
    if subject is None or subject not in directory.accounts:
        raise LogError("no such account")
    return directory.accounts[subject]


def _new_account(
    data: dict[str, Any], account_id: int, at: str, role: str, *, pending: bool = False
) -> Account:
    """An account from an entry's data; ``pending``: carried over from a format-1 key file,
    with no keys until its first sign-in."""
    name = str(data["name"]).strip()
    if not name or len(name) > 64:
        raise LogError("a user name must have 1 to 64 characters")
    return Account(
        id=account_id,
        name=name,
        display_name=str(data.get("display_name") or name)[:200],
        role=role,
        team=str(data.get("team", ""))[:100],
        job_title=str(data.get("job_title", ""))[:100],
        agency=str(data.get("agency", ""))[:200],
        created_at=str(data.get("created_at") or at)[:40],
        box_public=b"" if pending else _public(data["x25519"]),
        sign_public=b"" if pending else _public(data["ed25519"]),
        active=bool(int(data.get("active", 1))),
        pending=pending,
    )


def _public(text: str) -> bytes:
    raw = bytes.fromhex(text)
    if len(raw) != crypto.KEY_BYTES:
        raise LogError("a public key must be 32 bytes")
    return raw


def _created(d: Directory, at: str, actor: int, subject: int | None, data: dict[str, Any]) -> None:
    if subject != actor or actor < 1:
        raise LogError("the first administrator creates the database")
    d.database_id = str(data["database_id"])
    d.recovery_box = _public(data["recovery_x25519"])
    d.recovery_sign = _public(data["recovery_ed25519"])
    d.accounts[actor] = _new_account(data, actor, at, "admin")


def _added(d: Directory, at: str, actor: int, subject: int | None, data: dict[str, Any]) -> None:
    _actor(d, actor, Verb.ADD_ACCOUNTS)
    if subject != max(d.accounts) + 1:
        raise LogError("account ids are given in order")
    role = str(data["role"])
    if role not in ROLES:
        raise LogError(f"unknown role {role!r}")
    account = _new_account(data, subject, at, role)
    if d.by_name(account.name) is not None:
        raise LogError(f"there is already an account called {account.name}")
    d.accounts[subject] = account


def _disabled(d: Directory, at: str, actor: int, subject: int | None, data: dict[str, Any]) -> None:
    _actor(d, actor, Verb.DISABLE_ACCOUNTS)
    account = _subject(d, subject)
    if subject == actor or not account.active:
        raise LogError("an administrator disables another, active account")
    d.rotation_due = d.rotation_due or account.granted
    d.accounts[account.id] = replace(account, active=False, granted=False)


def _enabled(d: Directory, at: str, actor: int, subject: int | None, data: dict[str, Any]) -> None:
    _actor(d, actor, Verb.DISABLE_ACCOUNTS)
    account = _subject(d, subject)
    if account.active:
        raise LogError("the account is already active")
    d.accounts[account.id] = replace(account, active=True)  # access must be granted again


def _keys_replaced(
    d: Directory, at: str, actor: int, subject: int | None, data: dict[str, Any]
) -> None:
    _actor(d, actor, Verb.RESET_PASSWORDS)
    account = _subject(d, subject)
    d.rotation_due = d.rotation_due or account.granted
    d.accounts[account.id] = replace(
        account,
        box_public=_public(data["x25519"]),
        sign_public=_public(data["ed25519"]),
        past_sign_keys=account.sign_keys,
        granted=False,
        pending=False,
    )


def _password_changed(
    d: Directory, at: str, actor: int, subject: int | None, data: dict[str, Any]
) -> None:
    if subject != actor:
        raise LogError("only the account itself changes its password")


def _granted(d: Directory, at: str, actor: int, subject: int | None, data: dict[str, Any]) -> None:
    granter = _actor(d, actor, Verb.GRANT_ACCESS)
    if granter is not None and not granter.granted:
        raise LogError("the supervisor has no access to give")
    account = _subject(d, subject)
    if not account.active or not can(account.role, Verb.READ_SCREENINGS):
        raise LogError("access is given to active practitioners and supervisors only")
    d.accounts[account.id] = replace(account, granted=True)


def _rotated(d: Directory, at: str, actor: int, subject: int | None, data: dict[str, Any]) -> None:
    rotator = _actor(d, actor, Verb.ROTATE_DATA_KEY)
    if rotator is not None and not rotator.granted:
        raise LogError("only an account holding the data key can rotate it")
    if int(data["epoch"]) != d.key_epoch + 1:
        raise LogError("data key epochs count up by one")
    d.key_epoch += 1
    d.rotation_due = False


def _rotation_requested(
    d: Directory, at: str, actor: int, subject: int | None, data: dict[str, Any]
) -> None:
    _actor(d, actor, Verb.CHANGE_DATA_KEY)
    d.rotation_due = True


def _setting(d: Directory, at: str, actor: int, subject: int | None, data: dict[str, Any]) -> None:
    _actor(d, actor, Verb.CHANGE_SETTINGS)
    key, value = str(data["key"]), int(data["value"])
    low, high = SETTINGS.get(key, (0, -1))
    if not low <= value <= high:
        raise LogError(f"setting {key} = {value} is not allowed")
    d.settings[key] = value


def _contacts(d: Directory, at: str, actor: int, subject: int | None, data: dict[str, Any]) -> None:
    """The area's MASH, children's services and out-of-hours numbers (domain.contacts)."""
    _actor(d, actor, Verb.SET_CONTACTS)
    try:
        d.contacts = area_contacts.from_data(data)
    except area_contacts.ContactError as exc:
        raise LogError(f"contacts: {exc}") from None


def _imported(d: Directory, at: str, actor: int, subject: int | None, data: dict[str, Any]) -> None:
    """An account moved from a format-1 key file: no keys until its first sign-in."""
    _actor(d, actor, Verb.ADD_ACCOUNTS)
    if subject is None or subject < 1 or subject in d.accounts:
        raise LogError("an imported account keeps an unused id of its own")
    role = str(data["role"])
    if role not in ROLES:
        raise LogError(f"unknown role {role!r}")
    account = _new_account(data, subject, at, role, pending=True)
    if d.by_name(account.name) is not None:
        raise LogError(f"there is already an account called {account.name}")
    d.accounts[subject] = account


def _keys_set(d: Directory, at: str, actor: int, subject: int | None, data: dict[str, Any]) -> None:
    """An imported account's first sign-in: its own new keys, and (for a reader whose format-1
    password opened the data key) its access."""
    account = _subject(d, subject)
    if subject != actor or not account.pending or not account.active:
        raise LogError("only an imported account sets its own first keys")
    d.accounts[account.id] = replace(
        account,
        box_public=_public(data["x25519"]),
        sign_public=_public(data["ed25519"]),
        pending=False,
        granted=bool(int(data["access"])) and can(account.role, Verb.READ_SCREENINGS),
    )


def _restored(d: Directory, at: str, actor: int, subject: int | None, data: dict[str, Any]) -> None:
    _actor(d, actor, Verb.RESTORE_BACKUP)


_RULES = {
    "database_created": _created,
    "account_added": _added,
    "account_disabled": _disabled,
    "account_enabled": _enabled,
    "keys_replaced": _keys_replaced,
    "password_changed": _password_changed,
    "access_granted": _granted,
    "data_key_rotated": _rotated,
    "rotation_requested": _rotation_requested,
    "setting_changed": _setting,
    "contacts_set": _contacts,
    "restored": _restored,
    "account_imported": _imported,
    "keys_set": _keys_set,
}
