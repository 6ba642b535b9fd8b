"""SQL for the database's copy of the accounts (for joins and authors) and settings.

The accounts themselves live in the key file's signed account log (storage.account_log); the
``users`` table is refreshed from it by :func:`sync_users` every time the database is opened,
so an administrator, who never opens the database, still decides who the accounts are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from screening_app.storage.account_log import Account
from screening_app.storage.driver import Database, safe_names


class UserRow(NamedTuple):
    id: int
    name: str
    display_name: str
    role: str
    team: str
    job_title: str
    agency: str
    active: int


USER_COLUMNS = ", ".join(UserRow._fields)


def user_by_name(db: Database, name: str) -> UserRow | None:
    row = db.execute(
        f"SELECT {USER_COLUMNS} FROM users WHERE name_fold = ?", [name.casefold()]
    ).fetchone()
    return UserRow._make(row) if row else None


def user_by_id(db: Database, user_id: int) -> UserRow | None:
    row = db.execute(f"SELECT {USER_COLUMNS} FROM users WHERE id = ?", [user_id]).fetchone()
    return UserRow._make(row) if row else None


def users(db: Database, team: str | None = None) -> list[UserRow]:
    if team is None:
        cursor = db.execute(f"SELECT {USER_COLUMNS} FROM users ORDER BY name_fold")
    else:
        cursor = db.execute(
            f"SELECT {USER_COLUMNS} FROM users WHERE team = ? ORDER BY name_fold", [team]
        )
    return [UserRow._make(r) for r in cursor.fetchall()]


def sync_users(db: Database, accounts: Iterable[Account]) -> None:
    """Make the ``users`` table say what the account log says (call inside a transaction)."""
    for account in accounts:
        values = {
            "id": account.id,
            "name": account.name,
            "name_fold": account.name.casefold(),
            "display_name": account.display_name,
            "role": account.role,
            "team": account.team,
            "job_title": account.job_title,
            "agency": account.agency,
            "active": int(account.active),
            "created_at": account.created_at,
        }
        columns = safe_names(values)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
        db.execute(
            f"INSERT INTO users ({', '.join(columns)}) VALUES ({', '.join('?' for _ in values)}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            list(values.values()),
        )


def get_setting(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else None


def set_setting(db: Database, key: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, value])
