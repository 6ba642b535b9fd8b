"""Accounts: add, disable, change and reset passwords, check a password for a signature.

Passwords are never stored: each account has a key slot (see storage.keyfile) that only its
password opens. Changing a password rewraps that one slot. Accounts are disabled, never deleted,
so the records they wrote keep their author.
"""

from __future__ import annotations

from typing import Any

from screening_app.errors import AnswersError, AuthenticationError, PermissionDenied, Problem
from screening_app.services.model import Role, User
from screening_app.services.session import Session
from screening_app.storage import accounts_repo
from screening_app.storage.driver import DatabaseError, storage_error

MIN_PASSWORD = 10
ROLES: tuple[Role, ...] = ("practitioner", "supervisor", "admin")


def to_user(row: tuple[Any, ...]) -> User:
    return User(
        id=row[0],
        name=row[1],
        display_name=row[2] or row[1],
        role=row[3],
        team=row[4] or "",
        job_title=row[5] or "",
        agency=row[6] or "",
        active=bool(row[7]),
    )


def password_problems(password: str) -> list[Problem]:
    if len(password) < MIN_PASSWORD:
        return [
            Problem(f"Use at least {MIN_PASSWORD} characters, for example three words.", "password")
        ]
    return []


class AccountService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def list_users(self) -> list[User]:
        self.s.require("admin", "supervisor", doing="list accounts")
        team = None if self.s.user.role == "admin" else self.s.user.team
        return [to_user(r) for r in accounts_repo.users(self.s.store.db, team)]

    def add_user(
        self,
        name: str,
        password: str,
        *,
        role: Role,
        display_name: str = "",
        team: str = "",
        job_title: str = "",
        agency: str = "",
    ) -> User:
        self.s.require("admin", doing="add accounts")
        name = name.strip()
        problems = password_problems(password)
        if not name:
            problems.append(Problem("Give the account a user name.", "name"))
        if role not in ROLES:
            problems.append(Problem(f"Role must be one of {', '.join(ROLES)}.", "role"))
        db, keys = self.s.store.db, self.s.store.keys
        if name and accounts_repo.user_by_name(db, name) is not None:
            problems.append(Problem(f"There is already an account called {name}.", "name"))
        if problems:
            raise AnswersError("The account was not added.", problems)
        try:
            with db.atomic():
                user_id = accounts_repo.insert_user(
                    db,
                    {
                        "name": name,
                        "display_name": display_name or name,
                        "role": role,
                        "team": team,
                        "job_title": job_title,
                        "agency": agency,
                        "created_at": self.s.now_text(),
                    },
                )
                keys.add_slot(keys.slot_id(name), password, self.s.store.key, self.s.store.kdf)
                keys.save()
                self.s.audit("account_added", f"user:{user_id}", f"role={role}")
        except DatabaseError as exc:
            raise storage_error(exc, "add the account") from None
        row = accounts_repo.user_by_id(db, user_id)
        assert row is not None
        return to_user(row)

    def set_active(self, user_id: int, active: bool) -> None:
        self.s.require("admin", doing="disable or enable accounts")
        if user_id == self.s.user.id and not active:
            raise PermissionDenied("You cannot disable your own account.")
        db = self.s.store.db
        row = accounts_repo.user_by_id(db, user_id)
        if row is None:
            raise PermissionDenied("There is no such account.")
        keys = self.s.store.keys
        try:
            with db.atomic():
                accounts_repo.set_active(db, user_id, active)
                self.s.audit("account_enabled" if active else "account_disabled", f"user:{user_id}")
            if not active:
                keys.remove_slot(keys.slot_id(row[1]))
                keys.save()
        except DatabaseError as exc:
            raise storage_error(exc, "change the account") from None

    def change_password(self, old_password: str, new_password: str) -> None:
        if not self.verify_password(old_password):
            raise AuthenticationError("Your current password is not right; nothing was changed.")
        self._rewrap(self.s.user.name, new_password, f"user:{self.s.user.id}")

    def reset_password(self, user_id: int, new_password: str) -> None:
        self.s.require("admin", doing="reset passwords")
        row = accounts_repo.user_by_id(self.s.store.db, user_id)
        if row is None:
            raise PermissionDenied("There is no such account.")
        self._rewrap(row[1], new_password, f"user:{user_id}")

    def verify_password(self, password: str) -> bool:
        """True when ``password`` opens the signed-in user's key slot (slow: argon2)."""
        keys = self.s.store.keys
        return keys.unwrap(keys.slot_id(self.s.user.name), password) == self.s.store.key

    def _rewrap(self, name: str, password: str, record: str) -> None:
        problems = password_problems(password)
        if problems:
            raise AnswersError("The password was not changed.", problems)
        keys = self.s.store.keys
        keys.add_slot(keys.slot_id(name), password, self.s.store.key, self.s.store.kdf)
        keys.save()
        try:
            with self.s.store.db.atomic():
                self.s.audit("password_changed", record)
        except DatabaseError as exc:
            raise storage_error(exc, "record the password change") from None
