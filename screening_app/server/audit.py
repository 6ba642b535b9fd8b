"""The server's audit trail: who did what and when — never content — as hash chains.

Each team has a chain of its own (``chain`` = the team's id), and the organisation one more
(``chain`` 0: accounts, settings, failed sign-ins), so that uploads of unrelated teams never
wait for each other: an appender locks only its chain (a transaction-scoped advisory lock), reads
that chain's last hash and adds its row. Every row's hash covers the one before it in its chain,
its time, account, action, record and detail, in the encoding the desktop's trail uses too
(domain/audit_chain.py; rows written before schema step 14 are marked encoding 1 and checked in
the server's old one). ``check`` walks every chain from its first row and names any row
removed, changed or re-ordered (``server audit-check``; schema step 12 gave the rows before it
chain 0, where they already formed one chain).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import psycopg
from psycopg.rows import class_row

from screening_app.domain.audit_chain import GENESIS, legacy_link, link, tail

LOCK = 7301  # the first key of the chains' advisory locks
START = GENESIS


def version_record(screening: object, version: int) -> str:
    """How a row names the version of a screening it is about: ``<id>/v<version>``."""
    return f"{screening}/v{version}"


def lock(conn: psycopg.Connection, chain: int) -> None:
    """Hold ``chain`` for the rest of the transaction (taken again by ``append``: re-entrant)."""
    conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK, chain])


def digest(
    prev: str, at: dt.datetime, account_id: int | None, action: str, record: str | None, detail: str
) -> str:
    """A row's hash in the shared encoding (domain/audit_chain.py), ``at`` in UTC."""
    return link(prev, at.astimezone(dt.UTC).isoformat(), account_id, action, record, detail)


def append(
    conn: psycopg.Connection,
    at: dt.datetime,
    account_id: int | None,
    action: str,
    record: str | None,
    detail: str,
    chain: int,
    held: bool = False,
) -> str:
    """Add one row to ``chain``; its hash. ``held``: the transaction holds the chain's lock
    already (an upload takes it first), so it is not asked for again."""
    if not held:
        lock(conn, chain)
    row = conn.execute(
        _APPEND.format(source=""), _params(at, account_id, action, record, detail, chain)
    ).fetchone()
    assert row is not None  # an INSERT … SELECT of one row
    return str(row[0])


# One statement under the chain's lock: the chain's last hash read and this row's hash made from
# it (the encoding's text after the last hash comes from Python: domain/audit_chain.py).
# ``source``: empty, or a CTE's name and a comma, so that the row is written only for a row the
# CTE wrote (``after``).
_APPEND = (
    "INSERT INTO audit (at, account_id, action, record, detail, prev_hash, hash, chain, "
    "encoding) SELECT %s, %s, %s, %s, %s, p.hash, encode(sha256(convert_to('[\"' || "
    "p.hash || '\",' || %s, 'UTF8')), 'hex'), %s, 2 FROM {source}(SELECT coalesce((SELECT "
    "hash FROM audit WHERE chain = %s ORDER BY id DESC LIMIT 1), %s) AS hash) AS p "
    "RETURNING hash"
)


def _params(
    at: dt.datetime,
    account_id: int | None,
    action: str,
    record: str | None,
    detail: str,
    chain: int,
) -> list[object]:
    at = at.astimezone(dt.UTC)
    text = tail(at.isoformat(), account_id, action, record, detail)
    return [at, account_id, action, record, detail, text, chain, chain, START]


def after(
    write: str,
    write_params: list[object],
    at: dt.datetime,
    account_id: int | None,
    action: str,
    record: str | None,
    chain: int,
) -> tuple[str, list[object]]:
    """One statement: ``write`` (an INSERT … RETURNING of at most one row), and this chain's
    row for it only when it wrote one; it returns the row's hash, or nothing. The caller holds
    the chain's lock, taken by a statement of its own before (a statement's snapshot is taken
    as it starts: one that waited for the lock inside itself would read the chain's last hash
    from before the wait)."""
    query = f"WITH written AS ({write}) " + _APPEND.format(source="written, ")
    return query, [*write_params, *_params(at, account_id, action, record, "", chain)]


@dataclass
class Checked:
    rows: int = 0
    chains: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    """An audit row as the check reads it."""

    id: int
    chain: int
    at: dt.datetime
    account_id: int | None
    action: str
    record: str | None
    detail: str
    prev_hash: str
    hash: str
    encoding: int = 2

    def recomputed(self) -> str:
        """The hash its contents give, in the encoding it was written in."""
        fields = (self.account_id, self.action, self.record, self.detail)
        if self.encoding == 1:
            return legacy_link(self.prev_hash, self.at.astimezone(dt.UTC).isoformat(), *fields)
        return digest(self.prev_hash, self.at, *fields)


def check(rows: Iterable[Row]) -> Checked:
    """Walk ``rows``, ordered by chain then id, and say what does not hold."""
    found = Checked()
    chain, prev = None, START
    for row in rows:
        if row.chain != chain:
            chain, prev = row.chain, START
            found.chains += 1
        found.rows += 1
        where = f"audit row {row.id} (chain {row.chain})"
        if row.prev_hash != prev:
            found.problems.append(f"{where}: the row before it was changed or removed")
        elif row.recomputed() != row.hash:
            found.problems.append(f"{where}: its contents were changed after it was written")
        prev = row.hash
    return found


def check_all(conn: psycopg.Connection) -> Checked:
    """Every chain, streamed (the trail can be millions of rows); inside a transaction."""
    with conn.cursor(name="audit_check", row_factory=class_row(Row)) as cursor:
        cursor.itersize = 10_000
        cursor.execute(
            "SELECT id, chain, at, account_id, action, record, detail, prev_hash, hash, "
            "encoding FROM audit ORDER BY chain, id"
        )
        return check(cursor)
