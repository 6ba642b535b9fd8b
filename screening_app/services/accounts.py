"""Accounts: add, disable, enable, grant access, change and reset passwords, check a password.

Accounts live in the key file's signed account log (storage.account_log), so every decision here
is signed with the acting account's key and checked against the rules of the log: only an
administrator adds or disables accounts, only a supervisor who holds the data key (or the
recovery key) grants access, and an administrator never receives the data key. Passwords are
never stored: a password unlocks its account's private keys. Accounts are disabled, never
deleted, so the records they wrote keep their author. docs/SECURITY.md has the whole model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from screening_app.crypto import AccountKeys
from screening_app.domain.capabilities import ROLES, Verb, can
from screening_app.domain.passwords import account_password_problems as password_problems
from screening_app.domain.user_names import name_problem
from screening_app.errors import (
    AnswersError,
    AuthenticationError,
    NotFound,
    PermissionDenied,
    Problem,
)
from screening_app.services.model import Role, User
from screening_app.services.session import Session
from screening_app.storage import rotation
from screening_app.storage.account_log import RECOVERY, Account, LogError
from screening_app.storage.keyring import Keyring, now_seconds
from screening_app.storage.opened import Store


def to_user(account: Account) -> User:
    return User(
        id=account.id,
        name=account.name,
        display_name=account.display_name or account.name,
        role=account.role,  # type: ignore[arg-type]  # the account log only allows ROLES
        team=account.team,
        job_title=account.job_title,
        agency=account.agency,
        active=account.active,
        has_access=account.granted,
    )


def replace_keys(store: Store, account_id: int, password: str, at: str) -> None:
    """New key pairs for ``account_id`` under ``password`` (a reset: any access it had ends)."""
    keys = AccountKeys.generate()
    data = {"x25519": keys.box_public.hex(), "ed25519": keys.sign_public.hex()}

    def relock() -> None:
        store.keyring.set_password(account_id, password, keys, store.kdf)
        store.keyring.drop_data_key(account_id)

    signed(store, "keys_replaced", account_id, data, at, relock)


def grant(store: Store, account_id: int, data_key: bytes, at: str) -> None:
    """Seal ``data_key`` to ``account_id`` and sign the grant as the store's account."""
    grant_as(store.keyring, store.actor, store.keys, account_id, data_key, at)


def grant_as(
    keyring: Keyring, actor: int, keys: AccountKeys, account_id: int, data_key: bytes, at: str
) -> None:
    _append(
        keyring,
        actor,
        keys,
        "access_granted",
        account_id,
        {},
        at,
        lambda: keyring.seal_data_key(account_id, data_key),
    )


def grant_by_recovery(
    keyring: Keyring, recovery: AccountKeys, account_ids: list[int], at: str
) -> None:
    """Give each account (not yet granted) the data key, as the recovery key: its copy of the
    data key is sealed to ``recovery``. The caller saves the key file."""
    data_keys = keyring.data_key(recovery, RECOVERY)
    if not data_keys:
        raise AuthenticationError(
            "The recovery key's copy of the data key is damaged; restore the key file from the "
            "newest backup."
        )
    for account_id in account_ids:
        if not keyring.directory.accounts[account_id].granted:
            grant_as(keyring, RECOVERY, recovery, account_id, data_keys[0], at)
    keyring.take_failures(RECOVERY)


def signed(
    store: Store,
    action: str,
    subject: int | None,
    data: Mapping[str, object],
    at: str,
    change: Callable[[], None] | None = None,
) -> None:
    """Append a decision to the account log, signed by the store's account; a decision the log's
    rules refuse becomes PermissionDenied."""
    _append(store.keyring, store.actor, store.keys, action, subject, data, at, change)


def _append(
    keyring: Keyring,
    actor: int,
    keys: AccountKeys,
    action: str,
    subject: int | None,
    data: Mapping[str, object],
    at: str,
    change: Callable[[], None] | None = None,
) -> None:
    try:
        keyring.append(actor, keys, action, subject, dict(data), at, change)
    except LogError as exc:
        raise PermissionDenied(f"Not allowed: {str(exc).split(': ', 1)[-1]}.") from None


class AccountService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def list_users(self) -> list[User]:
        self.s.require(Verb.LIST_ACCOUNTS)
        team = None if self.s.can(Verb.SEE_EVERY_TEAM) else self.s.user.team
        accounts = self.s.store.keyring.directory.accounts.values()
        return sorted(
            (to_user(a) for a in accounts if team is None or a.team == team),
            key=lambda u: u.name.casefold(),
        )

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
        self.s.require(Verb.ADD_ACCOUNTS)
        name = name.strip()
        problems = password_problems(password)
        wrong = name_problem(name)
        if wrong:
            problems.append(Problem(wrong, "name"))
        if role not in ROLES:
            problems.append(Problem(f"Role must be one of {', '.join(ROLES)}.", "role"))
        directory = self.s.store.keyring.directory
        if name and directory.by_name(name) is not None:
            problems.append(Problem(f"There is already an account called {name}.", "name"))
        if problems:
            raise AnswersError("The account was not added.", problems)
        keys = AccountKeys.generate()
        user_id = max(directory.accounts) + 1
        data = {
            "name": name,
            "display_name": display_name or name,
            "role": role,
            "team": team,
            "job_title": job_title,
            "agency": agency,
            "x25519": keys.box_public.hex(),
            "ed25519": keys.sign_public.hex(),
        }
        keyring = self.s.store.keyring
        signed(
            self.s.store,
            "account_added",
            user_id,
            data,
            self.s.now_text(),
            lambda: keyring.set_password(user_id, password, keys, self.s.store.kdf),
        )
        self.s.store.save_keyring()
        return to_user(directory.accounts[user_id])

    def set_active(self, user_id: int, active: bool) -> None:
        """Disable (at once; the data key rotates before anything new is written) or enable."""
        self.s.require(Verb.DISABLE_ACCOUNTS)
        if user_id == self.s.user.id and not active:
            raise PermissionDenied("You cannot disable your own account.")
        self._account(user_id)
        action = "account_enabled" if active else "account_disabled"
        keyring = self.s.store.keyring
        change = None if active else (lambda: keyring.drop_data_key(user_id))
        signed(self.s.store, action, user_id, {}, self.s.now_text(), change)
        self.s.store.save_keyring()
        self._rotate_if_due()

    def grant(self, user_id: int) -> User:
        """Give a colleague access to the records: a supervisor's decision, signed."""
        self.s.require(Verb.GRANT_ACCESS)
        account = self._account(user_id)
        if account.team != self.s.user.team:
            raise PermissionDenied("You can grant access to accounts of your own team only.")
        if account.granted:
            return to_user(account)
        key = self.s.store.data_key
        assert key is not None  # a supervisor's session always holds it
        grant(self.s.store, user_id, key, self.s.now_text())
        self.s.store.save_keyring()
        return to_user(self.s.store.keyring.directory.accounts[user_id])

    def grant_with_recovery(self, user_id: int, recovery_key: str) -> User:
        """Give an account access with the recovery key, typed into this session (how the
        first supervisor of a new database gets access; an administrator's window offers it)."""
        self.s.require(Verb.GRANT_WITH_RECOVERY_KEY)
        self._account(user_id)
        keyring = self.s.store.keyring
        recovery = keyring.unlock_recovery(recovery_key, now_seconds())
        grant_by_recovery(keyring, recovery, [user_id], self.s.now_text())
        self.s.store.save_keyring()
        return to_user(keyring.directory.accounts[user_id])

    def request_rotation(self) -> None:
        """After a suspected compromise: change the data key (now, or at the next sign-in of an
        account that holds it)."""
        self.s.require(Verb.CHANGE_DATA_KEY)
        signed(self.s.store, "rotation_requested", None, {}, self.s.now_text())
        self.s.store.save_keyring()
        self._rotate_if_due()

    def change_password(self, old_password: str, new_password: str) -> None:
        """Relock your own keys under a new password. Copies of the key file made before still
        open with the old password: see docs/SECURITY.md."""
        if not self.verify_password(old_password):
            raise AuthenticationError("Your current password is not right; nothing was changed.")
        self._check_password(new_password)
        store = self.s.store
        signed(
            store,
            "password_changed",
            self.s.user.id,
            {},
            self.s.now_text(),
            lambda: store.keyring.set_password(self.s.user.id, new_password, store.keys, store.kdf),
        )
        store.save_keyring()

    def reset_password(self, user_id: int, new_password: str) -> None:
        """New keys under a new password. A practitioner or supervisor then needs access
        granted again: the administrator holds no data key to give."""
        self.s.require(Verb.RESET_PASSWORDS)
        self._account(user_id)
        self._check_password(new_password)
        replace_keys(self.s.store, user_id, new_password, self.s.now_text())
        self.s.store.save_keyring()
        self._rotate_if_due()

    def verify_password(self, password: str) -> bool:
        """True when ``password`` opens the signed-in account's keys (slow: argon2)."""
        return self.s.store.keyring.verify_password(self.s.user.id, password)

    def needs_grant(self, user: User) -> bool:
        return user.active and can(user.role, Verb.READ_SCREENINGS) and not user.has_access

    def _rotate_if_due(self) -> None:
        store = self.s.store
        if store.has_data and store.keyring.directory.rotation_due:
            rotation.rotate(store, self.s.now_text())

    @staticmethod
    def _check_password(password: str) -> None:
        problems = password_problems(password)
        if problems:
            raise AnswersError("The password was not changed.", problems)

    def _account(self, user_id: int) -> Account:
        account = self.s.store.keyring.directory.accounts.get(user_id)
        if account is None:
            raise NotFound("There is no such account.")
        return account
