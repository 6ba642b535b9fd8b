"""Sign-in throttling on the team server: each failure adds to a wait, counted for the address
it came from and for the account named (domain/sign_in_delay.py says how long); a success clears
the account's count, never the address's, which is forgotten a quarter hour after its last
failure (docs/SERVER.md, "API")."""

from __future__ import annotations

import datetime as dt

import psycopg
from psycopg import sql

from screening_app.domain.sign_in_delay import delay_after
from screening_app.server.problems import ServerError, Throttled


def held_until(until: dt.datetime, now: dt.datetime) -> ServerError:
    """The refusal while sign-ins are held back, saying how long to wait."""
    wait = (until - now).total_seconds()
    return Throttled(f"Too many failed sign-ins. Wait {wait:.0f} seconds.", retry_after=wait)


def wait_for_address(conn: psycopg.Connection, address: str, now: dt.datetime) -> None:
    """Refuse at once while ``address`` is held back by its earlier failures."""
    row = conn.execute(
        "SELECT not_before FROM address_failures WHERE address = %s", [address]
    ).fetchone()
    until = row[0] if row is not None else None
    if until is not None and until > now:
        raise held_until(until, now)


ADDRESS_MEMORY = dt.timedelta(minutes=15)  # an address's failures are forgotten after this


def count_failure(
    conn: psycopg.Connection, address: str, account_id: int | None, now: dt.datetime
) -> float:
    """Count one failure for the address and (when known) the account; the longer wait."""
    conn.execute(
        "INSERT INTO address_failures (address) VALUES (%s) ON CONFLICT DO NOTHING", [address]
    )
    conn.execute(
        "UPDATE address_failures SET failures = 0 WHERE address = %s AND not_before < %s",
        [address, now - ADDRESS_MEMORY],
    )
    delay = _one_more(conn, "address_failures", "address", address, now)
    if account_id is not None:
        delay = max(delay, _one_more(conn, "accounts", "id", account_id, now))
    return delay


def _one_more(
    conn: psycopg.Connection, table: str, key: str, value: object, now: dt.datetime
) -> float:
    """Add one failure to the row of ``table`` where ``key`` is ``value``; the wait it brings."""
    row = conn.execute(
        sql.SQL("UPDATE {} SET failures = failures + 1 WHERE {} = %s RETURNING failures").format(
            sql.Identifier(table), sql.Identifier(key)
        ),
        [value],
    ).fetchone()
    assert row is not None
    delay = delay_after(int(row[0]))
    conn.execute(
        sql.SQL("UPDATE {} SET not_before = %s WHERE {} = %s").format(
            sql.Identifier(table), sql.Identifier(key)
        ),
        [now + dt.timedelta(seconds=delay), value],
    )
    return delay
