"""The audit trail, settings and backups of one database, as one session may use them.

The audit trail has two parts: the account log in the key file (accounts, access, settings,
restores — all an administrator sees) and the database's own trail of actions on records.
"""

from __future__ import annotations

import builtins
import datetime as dt
from pathlib import Path

from screening_app.domain import contacts as area_contacts
from screening_app.domain.capabilities import Verb
from screening_app.errors import InputFileError, WorkflowError
from screening_app.services import check_record
from screening_app.services.model import AuditEntry, BackupInfo
from screening_app.services.session import Session
from screening_app.storage import audit, backup
from screening_app.storage.account_log import RECOVERY
from screening_app.storage.health import integrity_problem
from screening_app.storage.opened import get_meta

IDLE_LOCK_MINUTES = "idle_lock_minutes"


class AuditService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def entries(self, *, record: str | None = None, limit: int = 500) -> list[AuditEntry]:
        """Newest first. Admins see the account log; supervisors their team's actions too."""
        self.s.require(Verb.READ_AUDIT)
        team = None if self.s.can(Verb.SEE_EVERY_TEAM) else self.s.user.team
        found = self._account_log(team) if record is None else []
        if self.s.store.has_data:
            found += [
                AuditEntry(
                    r.id, dt.datetime.fromisoformat(r.at), r.user_name, r.action, r.record, r.detail
                )
                for r in audit.rows(self.s.db, record=record, team=team, limit=limit)
            ]
        return sorted(found, key=lambda e: (e.at, abs(e.id)), reverse=True)[:limit]

    def _account_log(self, team: str | None) -> list[AuditEntry]:
        directory = self.s.store.keyring.directory
        accounts = directory.accounts
        found = []
        for entry in self.s.store.keyring.data["log"]:
            subject = accounts.get(entry["subject"]) if entry["subject"] is not None else None
            if team is not None and (subject is None or subject.team != team):
                continue
            actor = accounts.get(entry["actor"])
            name = "recovery key" if entry["actor"] == RECOVERY else (actor.name if actor else "")
            found.append(
                AuditEntry(
                    -int(entry["seq"]) - 1,  # negative: not a database row
                    dt.datetime.fromisoformat(entry["at"]),
                    name,
                    entry["action"],
                    f"user:{subject.id}" if subject else None,
                    subject.name if subject else "",
                )
            )
        return found

    def verify(self) -> str | None:
        """None when the hash chain is whole, else which row is the first that breaks it. (The
        account log was checked, signature by signature, when the key file was read.)"""
        if not self.s.store.has_data:
            return None
        return audit.verify(self.s.db)


class SettingsService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get_int(self, key: str, default: int) -> int:
        return self.s.store.keyring.directory.settings.get(key, default)

    def set_int(self, key: str, value: int) -> None:
        """An administrator's decision, signed into the account log (within its limits)."""
        self.s.require(Verb.CHANGE_SETTINGS)
        from screening_app.services.accounts import signed

        signed(
            self.s.store,
            "setting_changed",
            None,
            {"key": key, "value": int(value)},
            self.s.now_text(),
        )
        self.s.store.save_keyring()

    def contacts(self) -> area_contacts.Contacts:
        """The area's numbers beside "Call 999" (none until an administrator sets them)."""
        return self.s.store.keyring.directory.contacts

    def set_contacts(self, area: str, numbers: dict[str, str]) -> area_contacts.Contacts:
        """An administrator's decision, signed into the account log (only when it changes
        something); blank numbers clear."""
        self.s.require(Verb.SET_CONTACTS)
        from screening_app.services.accounts import signed

        try:
            chosen = area_contacts.make(area, numbers)
        except area_contacts.ContactError as exc:
            raise InputFileError(str(exc)) from None
        if chosen == self.contacts():
            return chosen  # nothing changed: no entry in the log
        signed(self.s.store, "contacts_set", None, chosen.as_data(), self.s.now_text())
        self.s.store.save_keyring()
        return chosen


class BackupService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def backup_now(self, target: Path | None = None) -> BackupInfo:
        """Copy the database and key file; an administrator copies the encrypted file as is."""
        store = self.s.store
        if store.has_data:
            with store.transaction():  # no write may land half-way through the copy
                made = backup.make_backup(
                    store.db, store.data_key, store.keyring, store.path, target
                )
            with self.s.write("record the backup"):
                self.s.audit("backup", None, made.path.name)
        else:
            with store.writer():
                made = backup.make_backup(None, None, store.keyring, store.path, target)
        return BackupInfo(made.path, made.created_at, made.size)

    def list(self) -> list[BackupInfo]:
        return [
            BackupInfo(b.path, b.created_at, b.size) for b in backup.list_backups(self.s.store.path)
        ]

    def acknowledge_audit_problem(self) -> str:
        """A supervisor records that the audit-trail finding of the sign-in checks was looked
        into; the finding goes into the trail itself and the key file vouches for the trail as
        it is now."""
        self.s.require(Verb.ACKNOWLEDGE_FINDING)
        store = self.s.store
        finding = get_meta(self.s.db, "audit_problem")
        if finding is None:
            raise WorkflowError("There is no audit-trail finding to acknowledge.")
        with self.s.write("record the acknowledgement") as db:
            db.execute("DELETE FROM meta WHERE key = 'audit_problem'")
            self.s.audit("audit_problem_acknowledged", None, finding[:300])
        store.warnings.clear()
        store.vouch_for_audit(self.s.now_text())
        return finding

    def signed_findings(self) -> builtins.list[str]:
        """What is shown but not what was signed (``services.integrity``): the window runs it
        after sign-in, off the GUI thread. Empty for a session without the data key."""
        if not self.s.store.has_data:
            return []
        try:
            return check_record.check_and_remember(self.s, self.s.registry)
        except Exception:
            if self.s.store.has_data:
                raise
            return []  # signed out while it ran: there is no one to tell

    def check(self) -> builtins.list[str]:
        """Problems found by SQLite's, SQLCipher's and the audit trail's checks (empty: fine).
        The key file and its account log were checked when it was read."""
        found: builtins.list[str] = list(self.s.store.warnings)
        if not self.s.store.has_data:
            return found
        problem = integrity_problem(self.s.db)
        if problem:
            found.append(f"database: {problem}")
        broken = audit.verify(self.s.db)
        if broken:
            found.append(broken)
        found += check_record.check_and_remember(self.s, self.s.registry)
        return found
