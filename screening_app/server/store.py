"""The server's storage: accounts, devices, tokens, sign-in throttling and the audit trail, in
PostgreSQL through a connection pool whose connections work as the API role (schema.py).

Nothing here knows HTTP: it raises the kinds of refusal in ``problems.py``, and ``api.py``
answers them. Every request that acts for an account runs in
:meth:`ServerStore.acting`, which sets the account, team and role for the transaction so that
row-level security decides what the queries can see.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, fields

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from psycopg import sql
from psycopg.rows import class_row
from psycopg_pool import ConnectionPool

from screening_app.domain.capabilities import ROLES, Verb, can, holders, needs_team
from screening_app.domain.user_names import name_problem
from screening_app.server import audit
from screening_app.server import sign_in_throttle as throttle
from screening_app.server.problems import (
    Conflict,
    Invalid,
    NotFound,
    Refused,
    ServerError,
    Unauthenticated,
)
from screening_app.server.schema import API_ROLE

TOKEN_LIFETIME = dt.timedelta(minutes=30)
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# a NUL character or a number PostgreSQL cannot hold, anywhere a check let it through
UNSTORABLE = "A value in the request cannot be stored (a NUL character or a number out of range)."


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str
    team: str | None
    team_id: int | None
    active: bool


@dataclass(frozen=True)
class Caller:
    """Who a request acts for (from its token)."""

    account: Account
    device_id: uuid.UUID | None
    device_key: bytes | None = None  # the device's Ed25519 public key, read with the token


@dataclass(frozen=True)
class _Credentials:
    """An account's row as a sign-in reads it."""

    id: int
    password_hash: str
    active: bool
    not_before: dt.datetime | None


@dataclass(frozen=True)
class _TokenHolder(Account):
    """A token's account and device, read in one query before every request."""

    device_id: uuid.UUID | None
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    sign_public: bytes | None


_ACCOUNT = (
    "SELECT a.id, a.name, a.role, t.name, a.team_id, a.active FROM accounts a "
    "LEFT JOIN teams t ON t.id = a.team_id"
)


class ServerStore:
    def __init__(self, url: str, *, clock: Clock = utc_now, pool_size: int = 4) -> None:
        self.clock = clock
        self.hasher = PasswordHasher()  # argon2id, the library's default cost
        self._dummy = self.hasher.hash(secrets.token_hex(16))  # unknown names cost the same
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            configure=_as_api_role,
            open=True,
            kwargs={"autocommit": True},
        )

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        with self.pool.connection() as conn, conn.transaction():
            yield conn

    @contextmanager
    def acting(self, caller: Caller, pipelined: bool = False) -> Iterator[psycopg.Connection]:
        """A transaction in which row-level security sees ``caller``. ``pipelined``: statements
        whose result is not read are sent with the next one that is (psycopg's pipeline mode),
        and the COMMIT with the last: fewer round trips, each of which waits for the
        interpreter's lock in a busy worker."""
        with (
            self.pool.connection() as conn,
            conn.pipeline() if pipelined else nullcontext(),
            conn.transaction(),
        ):
            account = caller.account
            conn.execute(
                "SELECT set_config('app.account_id', %s, true), "
                "set_config('app.team_id', %s, true), set_config('app.role', %s, true), "
                "set_config('app.device_id', %s, true)",
                [
                    str(account.id),
                    str(account.team_id or ""),
                    account.role,
                    str(caller.device_id or ""),
                ],
            )
            yield conn

    # -- accounts ------------------------------------------------------------------------
    def add_account(
        self, name: str, password: str, role: str, team: str | None, added_by: str | None = None
    ) -> Account:
        """A new account; ``added_by`` is the administrator making it, shown to a supervisor
        who approves one of its computers (docs/SECURITY.md, "Approving a computer")."""
        name = name.strip()
        wrong = name_problem(name)
        if wrong:
            raise Invalid(wrong)
        if role not in ROLES:
            raise Invalid(f"The role must be one of {', '.join(ROLES)}.")
        if len(password) < 10:
            raise Invalid("A password has at least 10 characters.")
        if needs_team(role) and not (team or "").strip():
            raise Invalid("Practitioners and supervisors belong to a team.")
        with self.transaction() as conn:
            team_id = None
            if team and team.strip():
                row = conn.execute(
                    "INSERT INTO teams (name) VALUES (%s) ON CONFLICT (name) DO UPDATE "
                    "SET name = excluded.name RETURNING id",
                    [team.strip()],
                ).fetchone()
                assert row is not None
                team_id = int(row[0])
            try:
                row = conn.execute(
                    "INSERT INTO accounts (name, name_fold, role, team_id, password_hash, "
                    "added_by) VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
                    [name, name.casefold(), role, team_id, self.hasher.hash(password), added_by],
                ).fetchone()
            except psycopg.errors.UniqueViolation:
                raise Conflict(f"There is already an account called {name}.") from None
            assert row is not None
            self.audit(conn, int(row[0]), "account_added", f"account:{row[0]}", role)
        found = self.account(name)
        assert found is not None
        return found

    def disable_account(self, admin: Account, name: str) -> Account:
        """An administrator disables an account at once: its tokens stop working and its
        devices are revoked (its own computers keep their local data)."""
        if not can(admin.role, Verb.DISABLE_ACCOUNTS) or not admin.active:
            raise Refused("Only an administrator disables accounts.")
        target = self.account(name)
        if target is None:
            raise NotFound(f"There is no account called {name}.")
        if target.id == admin.id:
            raise Conflict("You cannot disable your own account.")
        now = self.clock()
        with self.transaction() as conn:
            conn.execute("UPDATE accounts SET active = false WHERE id = %s", [target.id])
            conn.execute("DELETE FROM tokens WHERE account_id = %s", [target.id])
            conn.execute(
                "UPDATE devices SET revoked_at = %s WHERE account_id = %s AND revoked_at IS NULL",
                [now, target.id],
            )
            mark_rotation_due(conn, target.id)
            self.audit(conn, admin.id, "account_disabled", f"account:{target.id}", "")
        found = self.account(name)
        assert found is not None
        return found

    # -- organisation settings -------------------------------------------------------------
    def set_retention(self, admin: Account, days: int | None) -> None:
        """How many days after approval a practitioner's computer keeps a screening's content
        (None: for ever). Supervisors' computers keep theirs."""
        if not can(admin.role, Verb.CHANGE_SETTINGS) or not admin.active:
            raise Refused("Only an administrator changes the organisation's settings.")
        if days is not None and not 1 <= days <= 36_500:
            raise Invalid("The retention period is 1 to 36500 days.")
        with self.transaction() as conn:
            if days is None:
                conn.execute("DELETE FROM settings WHERE key = 'retention_days'")
            else:
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES ('retention_days', %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [str(days)],
                )
            self.audit(conn, admin.id, "setting_changed", None, f"retention_days={days}")

    def retention_days(self) -> int | None:
        with self.transaction() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = 'retention_days'").fetchone()
        return int(row[0]) if row else None

    def account(self, name: str) -> Account | None:
        with self.transaction() as conn:
            row = conn.execute(_ACCOUNT + " WHERE a.name_fold = %s", [name.casefold()]).fetchone()
        return Account(*row) if row else None

    def has_accounts(self) -> bool:
        with self.transaction() as conn:
            row = conn.execute("SELECT count(*) FROM accounts").fetchone()
        return bool(row and row[0])

    # -- signing in ----------------------------------------------------------------------
    def sign_in(
        self, name: str, password: str, address: str, device: uuid.UUID | None = None
    ) -> tuple[str, Account]:
        """A fresh token for ``name``; failures are counted per account and per address (and
        committed before the refusal is raised)."""
        now = self.clock()
        refusal: ServerError | None = None
        with self.transaction() as conn:
            throttle.wait_for_address(conn, address, now)
            row = (
                conn.cursor(row_factory=class_row(_Credentials))
                .execute(
                    "SELECT id, password_hash, active, not_before FROM accounts "
                    "WHERE name_fold = %s",
                    [name.strip().casefold()],
                )
                .fetchone()
            )
            if row is not None and row.not_before is not None and row.not_before > now:
                raise throttle.held_until(row.not_before, now)
            known = row is not None and row.active
            hashed = row.password_hash if known and row else self._dummy
            if not self._verify(hashed, password) or not known:
                account_id = row.id if row else None
                delay = throttle.count_failure(conn, address, account_id, now)
                self.audit(conn, account_id, "sign_in_failed", None, address)
                message = "That user name and password do not match an active account."
                refusal = Unauthenticated(message, retry_after=delay)
            else:
                assert row is not None
                conn.execute(
                    "UPDATE accounts SET failures = 0, not_before = NULL WHERE id = %s", [row.id]
                )
                # the address keeps its count: one good password of the attacker's own must not
                # clear the way to guess others' (it is forgotten a quarter hour after the last)
                if device is not None:
                    owned = conn.execute(
                        "SELECT revoked_at FROM devices WHERE id = %s AND account_id = %s",
                        [device, row.id],
                    ).fetchone()
                    if owned is None:
                        raise Refused("This device is not registered to this account.")
                    if owned[0] is not None:
                        raise Refused("This device was revoked by an administrator.")
                token = self.new_token(conn, row.id, device, now)
        if refusal is not None:
            raise refusal
        account = self.account(name)
        assert account is not None
        return token, account

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def new_token(
        self, conn: psycopg.Connection, account_id: int, device: uuid.UUID | None, now: dt.datetime
    ) -> str:
        token = secrets.token_urlsafe(32)
        conn.execute("DELETE FROM tokens WHERE expires_at < %s", [now])
        conn.execute(
            "INSERT INTO tokens (digest, account_id, device_id, expires_at) "
            "VALUES (%s, %s, %s, %s)",
            [digest(token), account_id, device, now + TOKEN_LIFETIME],
        )
        return token

    def caller(self, token: str) -> Caller:
        """Who ``token`` belongs to; 401 when unknown or expired, 403 for a revoked device."""
        # one statement, before every request: on its own (the pool's connections commit each
        # statement), not in a transaction that costs two round trips more
        with self.pool.connection() as conn:
            row = (
                conn.cursor(row_factory=class_row(_TokenHolder))
                .execute(
                    "SELECT a.id, a.name, a.role, tm.name AS team, a.team_id, a.active, "
                    "t.device_id, t.expires_at, d.revoked_at, d.sign_public FROM tokens t "
                    "JOIN accounts a ON a.id = t.account_id "
                    "LEFT JOIN teams tm ON tm.id = a.team_id "
                    "LEFT JOIN devices d ON d.id = t.device_id WHERE t.digest = %s",
                    [digest(token)],
                )
                .fetchone()
            )
        if row is None or row.expires_at <= self.clock():
            raise Unauthenticated("Sign in again: the session has expired.")
        if row.revoked_at is not None:
            raise Refused("This device was revoked by an administrator.")
        if not row.active:
            raise Refused("This account is disabled.")
        account = Account(**{f.name: getattr(row, f.name) for f in fields(Account)})
        key = bytes(row.sign_public) if row.sign_public is not None else None
        return Caller(account, row.device_id, key)

    # -- audit -----------------------------------------------------------------------------
    def audit(
        self,
        conn: psycopg.Connection,
        account_id: int | None,
        action: str,
        record: str | None,
        detail: str = "",
        *,
        team: int | None = None,
        chain_held: bool = False,
    ) -> str:
        """Append one row to the team's chain (the organisation's without a team); its hash
        (server/audit.py). ``chain_held``: this transaction has locked the chain already."""
        return audit.append(
            conn, self.clock(), account_id, action, record, detail, team or 0, chain_held
        )

    def audit_as(
        self,
        conn: psycopg.Connection,
        caller: Caller,
        action: str,
        record: str | None,
        detail: str = "",
        *,
        chain_held: bool = False,
    ) -> str:
        """A row of what ``caller`` did, on their team's chain."""
        team = caller.account.team_id
        return self.audit(
            conn, caller.account.id, action, record, detail, team=team, chain_held=chain_held
        )


def mark_rotation_due(conn: psycopg.Connection, account_id: int) -> None:
    """A supervisor leaves (disabled, or a device revoked): their team's key must change
    (team_keys.py; the next supervisor to sync makes the next epoch)."""
    conn.execute(
        "UPDATE teams SET rotation_due = true FROM accounts a WHERE a.id = %s "
        "AND a.role = ANY(%s) AND teams.id = a.team_id AND teams.key_public IS NOT NULL",
        [account_id, list(holders(Verb.HOLD_TEAM_KEY))],
    )


def _as_api_role(conn: psycopg.Connection) -> None:
    conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(API_ROLE)))


def digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
