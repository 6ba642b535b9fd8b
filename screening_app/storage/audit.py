"""The audit trail: one row per action, hash-chained and signed so a changed row shows.

Each row's hash covers the previous row's hash and its own fields, so editing, deleting or
reordering any row breaks every link after it; each row also carries its author's Ed25519
signature over that hash, so re-computing the chain after an edit does not help without every
author's private key. Deleting the newest rows, or all of them, is caught by the signed count
and last hash kept in the key file (storage.store, docs/SECURITY.md). Rows hold who, when, what
and which record — never answers or names of children.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from screening_app.domain.audit_chain import GENESIS as GENESIS
from screening_app.domain.audit_chain import link
from screening_app.storage.driver import Database

Signer = Callable[[bytes], bytes]


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str
    user_id: int | None
    user_name: str
    action: str
    record: str | None
    detail: str


def _digest(
    prev: str,
    at: str,
    user_id: int | None,
    user_name: str,
    action: str,
    record: str | None,
    detail: str,
) -> str:
    return link(prev, at, user_id, user_name, action, record, detail)


def append(
    db: Database,
    *,
    at: str,
    user_id: int | None,
    user_name: str,
    action: str,
    record: str | None = None,
    detail: str = "",
    signer: tuple[int, Signer] | None = None,
) -> None:
    """Add one row (call inside the transaction of the change it records), signed by
    ``signer`` = (account id, signing function) when given."""
    row = db.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    digest = _digest(prev, at, user_id, user_name, action, record, detail)
    signer_id, signature = None, None
    if signer is not None:
        signer_id, signature = signer[0], signer[1](bytes.fromhex(digest)).hex()
    db.execute(
        "INSERT INTO audit (at, user_id, user_name, action, record, detail, prev_hash, hash, "
        "signer_id, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [at, user_id, user_name, action, record, detail, prev, digest, signer_id, signature],
    )


def tail(db: Database) -> tuple[int, str]:
    """(number of rows, hash of the newest) — what the key file vouches for."""
    count = int(db.execute("SELECT count(*) FROM audit").fetchone()[0])
    row = db.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return count, (row[0] if row else GENESIS)


def hash_at(db: Database, position: int) -> str | None:
    """The hash of the ``position``-th row (1 = the oldest), or None past the end; position 0
    is the start of the chain (GENESIS), as ``tail`` gives for an empty trail."""
    if position <= 0:
        return GENESIS  # (SQLite reads OFFSET -1 as 0: it would have answered the first row)
    row = db.execute(
        "SELECT hash FROM audit ORDER BY id LIMIT 1 OFFSET ?", [position - 1]
    ).fetchone()
    return str(row[0]) if row else None


def forged(
    db: Database,
    verify: Callable[[int, bytes, bytes], bool],
    signed_from: int,
    *,
    trusted_to: int = 0,
) -> list[str]:
    """Rows from id ``signed_from`` on whose signature is missing or not their author's.
    ``verify(account id, signature, message)``; rows up to ``trusted_to`` were verified before
    and are unchanged (see ``rows_hash``): only their presence and author are checked."""
    found = []
    cursor = db.execute(
        "SELECT id, user_id, hash, signer_id, signature FROM audit WHERE id >= ? ORDER BY id",
        [signed_from],
    )
    for row_id, user_id, digest, signer_id, signature in cursor:
        if signature is None or signer_id is None:
            found.append(f"audit row {row_id}: it is not signed")
        elif (user_id is not None and signer_id != user_id) or (
            row_id > trusted_to and not _verifies(verify, signer_id, signature, digest)
        ):
            found.append(f"audit row {row_id}: its signature is not its author's")
    return found


def _verifies(
    verify: Callable[[int, bytes, bytes], bool],
    signer_id: object,
    signature: object,
    digest: object,
) -> bool:
    try:
        return verify(
            int(str(signer_id)), bytes.fromhex(str(signature)), bytes.fromhex(str(digest))
        )
    except ValueError:  # an edited row: not a number, not hex
        return False


def verify(db: Database) -> str | None:
    """None when every link holds, else a sentence naming the first broken row."""
    prev = GENESIS
    cursor = db.execute(
        "SELECT id, at, user_id, user_name, action, record, detail, prev_hash, hash "
        "FROM audit ORDER BY id"
    )
    for row_id, at, user_id, user_name, action, record, detail, prev_hash, digest in cursor:
        if prev_hash != prev:
            return f"audit row {row_id}: the row before it was changed or removed"
        if _digest(prev, at, user_id, user_name, action, record, detail) != digest:
            return f"audit row {row_id}: its contents were changed after it was written"
        prev = digest
    return None


def rows(
    db: Database,
    *,
    record: str | None = None,
    team: str | None = None,
    actions: Sequence[str] = (),
    limit: int = 500,
) -> list[AuditRow]:
    """Newest first; ``team`` limits to actions by that team's members, ``actions`` to those
    actions."""
    sql = "SELECT a.id, a.at, a.user_id, a.user_name, a.action, a.record, a.detail FROM audit a"
    where: list[str] = []
    params: list[object] = []
    if team is not None:
        sql += " JOIN users u ON u.id = a.user_id"
        where.append("u.team = ?")
        params.append(team)
    if record is not None:
        where.append("a.record = ?")
        params.append(record)
    if actions:
        where.append(f"a.action IN ({', '.join('?' for _ in actions)})")
        params.extend(actions)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.id DESC LIMIT ?"
    params.append(limit)
    return [AuditRow(*r) for r in db.execute(sql, params).fetchall()]


def first_detail(db: Database, action: str) -> str | None:
    """The detail of the oldest row of ``action``, if there is one."""
    row = db.execute(
        "SELECT detail FROM audit WHERE action = ? ORDER BY id LIMIT 1", [action]
    ).fetchone()
    return str(row[0]) if row else None


def newest_id(db: Database) -> int:
    return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM audit").fetchone()[0])


def rows_hash(db: Database, upto: int) -> str:
    """A hash of the rows up to id ``upto``: their ids, authors, hashes and signatures."""
    text = db.execute(
        "SELECT group_concat(id || '|' || COALESCE(user_id, '') || '|' || hash || '|' || "
        "COALESCE(signer_id, '') || '|' || COALESCE(signature, ''), ',' ORDER BY id) "
        "FROM audit WHERE id <= ?",
        [upto],
    ).fetchone()[0]
    return hashlib.sha256(str(text or "").encode()).hexdigest()
