"""SQL for user accounts and settings."""

from __future__ import annotations

from typing import NamedTuple

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


def insert_user(db: Database, values: dict[str, object]) -> int:
    values = {**values, "name_fold": str(values["name"]).casefold()}
    columns = ", ".join(safe_names(values))
    marks = ", ".join("?" for _ in values)
    cursor = db.execute(f"INSERT INTO users ({columns}) VALUES ({marks})", list(values.values()))
    return int(cursor.lastrowid or 0)


def set_active(db: Database, user_id: int, active: bool) -> None:
    db.execute("UPDATE users SET active = ? WHERE id = ?", [int(active), user_id])


def get_setting(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else None


def set_setting(db: Database, key: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, value])
