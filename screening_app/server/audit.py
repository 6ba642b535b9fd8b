"""The server's audit trail: who did what and when — never content — as hash chains.

Each team has a chain of its own (``chain`` = the team's id), and the organisation one more
(``chain`` 0: accounts, settings, failed sign-ins), so that uploads of unrelated teams never
wait for each other: an appender locks only its chain (a transaction-scoped advisory lock), reads
that chain's last hash and adds its row. Every row's hash covers the one before it in its chain,
its time, account, action, record and detail; ``check`` walks every chain from its first row
and names any row removed, changed or re-ordered (``server audit-check``; schema step 12 gave
the rows before it chain 0, where they already formed one chain).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg

LOCK = 7301  # the first key of the chains' advisory locks
START = "0" * 64


def lock(conn: psycopg.Connection, chain: int) -> None:
    """Hold ``chain`` for the rest of the transaction (taken again by ``append``: re-entrant)."""
    conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK, chain])


def digest(
    prev: str, at: dt.datetime, account_id: int | None, action: str, record: str | None, detail: str
) -> str:
    payload = json.dumps([prev, at.isoformat(), account_id, action, record, detail])
    return hashlib.sha256(payload.encode()).hexdigest()


def append(
    conn: psycopg.Connection,
    at: dt.datetime,
    account_id: int | None,
    action: str,
    record: str | None,
    detail: str,
    chain: int,
) -> str:
    """Add one row to ``chain``; its hash."""
    lock(conn, chain)
    row = conn.execute(
        "SELECT hash FROM audit WHERE chain = %s ORDER BY id DESC LIMIT 1", [chain]
    ).fetchone()
    prev = row[0] if row else START
    at = at.astimezone(dt.UTC)
    made = digest(prev, at, account_id, action, record, detail)
    conn.execute(
        "INSERT INTO audit (at, account_id, action, record, detail, prev_hash, hash, chain) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        [at, account_id, action, record, detail, prev, made, chain],
    )
    return made


@dataclass
class Checked:
    rows: int = 0
    chains: int = 0
    problems: list[str] = field(default_factory=list)


def check(rows: Iterable[tuple[Any, ...]]) -> Checked:
    """Walk ``rows`` — (id, chain, at, account id, action, record, detail, prev hash, hash),
    ordered by chain then id — and say what does not hold."""
    found = Checked()
    chain, prev = None, START
    for row_id, this_chain, at, account_id, action, record, detail, prev_hash, stored in rows:
        if this_chain != chain:
            chain, prev = this_chain, START
            found.chains += 1
        found.rows += 1
        where = f"audit row {row_id} (chain {this_chain})"
        if prev_hash != prev:
            found.problems.append(f"{where}: the row before it was changed or removed")
        elif digest(prev, at.astimezone(dt.UTC), account_id, action, record, detail) != stored:
            found.problems.append(f"{where}: its contents were changed after it was written")
        prev = stored
    return found


def check_all(conn: psycopg.Connection) -> Checked:
    """Every chain, streamed (the trail can be millions of rows); inside a transaction."""
    with conn.cursor(name="audit_check") as cursor:
        cursor.itersize = 10_000
        cursor.execute(
            "SELECT id, chain, at, account_id, action, record, detail, prev_hash, hash "
            "FROM audit ORDER BY chain, id"
        )
        return check(cursor)
