"""Accounts: add, disable, change and reset passwords, check a password for a signature.

Passwords are never stored: each account has a key slot (see storage.keyfile) that only its
password opens. Changing a password rewraps that one slot. Accounts are disabled, never deleted,
so the records they wrote keep their author.
"""

from __future__ import annotations

from screening_app.domain.passwords import account_password_problems as password_problems
from screening_app.errors import (
    AnswersError,
    AuthenticationError,
    NotFound,
    PermissionDenied,
    Problem,
)
from screening_app.services.model import Role, User
from screening_app.services.session import Session
from screening_app.storage import accounts_repo
from screening_app.storage.accounts_repo import UserRow

ROLES: tuple[Role, ...] = ("practitioner", "supervisor", "admin")


def to_user(row: UserRow) -> User:
    return User(
        id=row.id,
        name=row.name,
        display_name=row.display_name or row.name,
        role=row.role,  # type: ignore[arg-type]  # the schema's CHECK keeps it a Role
        team=row.team or "",
        job_title=row.job_title or "",
        agency=row.agency or "",
        active=bool(row.active),
    )


class AccountService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def list_users(self) -> list[User]:
        self.s.require("admin", "supervisor", doing="list accounts")
        team = None if self.s.user.role == "admin" else self.s.user.team
        return [to_user(r) for r in accounts_repo.users(self.s.db, team)]

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
        db, keys = self.s.db, self.s.store.keys
        if name and accounts_repo.user_by_name(db, name) is not None:
            problems.append(Problem(f"There is already an account called {name}.", "name"))
        if problems:
            raise AnswersError("The account was not added.", problems)
        with self.s.write("add the account"):
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
        row = accounts_repo.user_by_id(db, user_id)
        assert row is not None
        return to_user(row)

    def set_active(self, user_id: int, active: bool) -> None:
        self.s.require("admin", doing="disable or enable accounts")
        if user_id == self.s.user.id and not active:
            raise PermissionDenied("You cannot disable your own account.")
        row = self._account(user_id)
        keys = self.s.store.keys
        with self.s.write("change the account") as db:
            accounts_repo.set_active(db, user_id, active)
            self.s.audit("account_enabled" if active else "account_disabled", f"user:{user_id}")
        if not active:
            keys.remove_slot(keys.slot_id(row.name))
            keys.save()

    def change_password(self, old_password: str, new_password: str) -> None:
        if not self.verify_password(old_password):
            raise AuthenticationError("Your current password is not right; nothing was changed.")
        self._rewrap(self.s.user.name, new_password, f"user:{self.s.user.id}")

    def reset_password(self, user_id: int, new_password: str) -> None:
        self.s.require("admin", doing="reset passwords")
        self._rewrap(self._account(user_id).name, new_password, f"user:{user_id}")

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
        with self.s.write("record the password change"):
            self.s.audit("password_changed", record)

    def _account(self, user_id: int) -> UserRow:
        row = accounts_repo.user_by_id(self.s.db, user_id)
        if row is None:
            raise NotFound("There is no such account.")
        return row
