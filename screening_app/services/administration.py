"""The audit trail, settings and backups of one database, as one session may use them."""

from __future__ import annotations

import builtins
import datetime as dt
from pathlib import Path

from screening_app.services.model import AuditEntry, BackupInfo
from screening_app.services.session import Session
from screening_app.storage import audit, backup
from screening_app.storage.accounts_repo import get_setting, set_setting
from screening_app.storage.health import integrity_problem

IDLE_LOCK_MINUTES = "idle_lock_minutes"


class AuditService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def entries(self, *, record: str | None = None, limit: int = 500) -> list[AuditEntry]:
        """Admins see every row; supervisors their team's; practitioners none."""
        self.s.require("admin", "supervisor", doing="read the audit trail")
        team = None if self.s.user.role == "admin" else self.s.user.team
        rows = audit.rows(self.s.db, record=record, team=team, limit=limit)
        return [
            AuditEntry(
                r.id, dt.datetime.fromisoformat(r.at), r.user_name, r.action, r.record, r.detail
            )
            for r in rows
        ]

    def verify(self) -> str | None:
        """None when the hash chain is whole, else which row is the first that breaks it."""
        return audit.verify(self.s.db)


class SettingsService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get_int(self, key: str, default: int) -> int:
        value = get_setting(self.s.db, key)
        try:
            return int(value) if value is not None else default
        except ValueError:
            return default

    def set_int(self, key: str, value: int) -> None:
        with self.s.write("save the setting") as db:
            set_setting(db, key, str(int(value)))
            self.s.audit("setting_changed", None, key)


class BackupService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def backup_now(self, target: Path | None = None) -> BackupInfo:
        store = self.s.store
        with store.transaction():  # no write may land half-way through the copy
            made = backup.make_backup(store.db, store.key, store.path, target)
        with self.s.write("record the backup"):
            self.s.audit("backup", None, made.path.name)
        return BackupInfo(made.path, made.created_at, made.size)

    def list(self) -> list[BackupInfo]:
        return [
            BackupInfo(b.path, b.created_at, b.size) for b in backup.list_backups(self.s.store.path)
        ]

    def check(self) -> builtins.list[str]:
        """Problems found by SQLite's, SQLCipher's and the audit trail's checks (empty: fine)."""
        found = []
        problem = integrity_problem(self.s.db)
        if problem:
            found.append(f"database: {problem}")
        broken = audit.verify(self.s.db)
        if broken:
            found.append(broken)
        return found
