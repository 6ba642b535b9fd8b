"""Everything one signed-in session can do, built once at sign-in and passed to the UI/CLI."""

from __future__ import annotations

import builtins
import datetime as dt
from pathlib import Path

from screening_app.domain.registry import FormRegistry
from screening_app.services.accounts import AccountService
from screening_app.services.children import ChildrenService
from screening_app.services.model import AuditEntry, BackupInfo, User
from screening_app.services.review import ReviewService
from screening_app.services.screenings import ScreeningService
from screening_app.services.session import Session
from screening_app.services.statistics import StatisticsService
from screening_app.storage import audit, backup
from screening_app.storage.accounts_repo import get_setting, set_setting
from screening_app.storage.driver import DatabaseError, storage_error
from screening_app.storage.store import integrity_problem

IDLE_LOCK_MINUTES = "idle_lock_minutes"


class AuditService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def entries(self, *, record: str | None = None, limit: int = 500) -> list[AuditEntry]:
        """Admins see every row; supervisors their team's; practitioners none."""
        self.s.require("admin", "supervisor", doing="read the audit trail")
        team = None if self.s.user.role == "admin" else self.s.user.team
        rows = audit.rows(self.s.store.db, record=record, team=team, limit=limit)
        return [
            AuditEntry(
                r.id, dt.datetime.fromisoformat(r.at), r.user_name, r.action, r.record, r.detail
            )
            for r in rows
        ]

    def verify(self) -> str | None:
        return audit.verify(self.s.store.db)


class SettingsService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get_int(self, key: str, default: int) -> int:
        value = get_setting(self.s.store.db, key)
        try:
            return int(value) if value is not None else default
        except ValueError:
            return default

    def set_int(self, key: str, value: int) -> None:
        try:
            with self.s.store.db.atomic():
                set_setting(self.s.store.db, key, str(int(value)))
                self.s.audit("setting_changed", None, key)
        except DatabaseError as exc:
            raise storage_error(exc, "save the setting") from None


class BackupService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def backup_now(self, target: Path | None = None) -> BackupInfo:
        store = self.s.store
        made = backup.make_backup(store.db, store.key, store.path, target)
        try:
            with store.db.atomic():
                self.s.audit("backup", None, made.path.name)
        except DatabaseError as exc:
            raise storage_error(exc, "record the backup") from None
        return BackupInfo(made.path, made.created_at, made.size)

    def list(self) -> list[BackupInfo]:
        return [
            BackupInfo(b.path, b.created_at, b.size) for b in backup.list_backups(self.s.store.path)
        ]

    def check(self) -> builtins.list[str]:
        """Problems found by SQLite's, SQLCipher's and the audit trail's checks (empty: fine)."""
        found = []
        problem = integrity_problem(self.s.store.db)
        if problem:
            found.append(f"database: {problem}")
        broken = audit.verify(self.s.store.db)
        if broken:
            found.append(broken)
        return found


class AppServices:
    """One per signed-in session; ``close()`` backs up (at most daily) and marks a clean close."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.user: User = session.user
        self.registry: FormRegistry = session.registry
        self.database_path: Path = session.store.path
        self.accounts = AccountService(session)
        self.screenings = ScreeningService(session)
        self.audit = AuditService(session)
        self.settings = SettingsService(session)
        self.backups = BackupService(session)
        self.review = ReviewService(session, self.screenings)
        self.statistics = StatisticsService(session)
        self.children = ChildrenService(session, self.screenings)
        self._closed = False

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        store = self.session.store
        try:
            if backup.backup_due(store.path, self.session.today()):
                self.backups.backup_now()
            with store.db.atomic():
                self.session.audit("sign_out")
        finally:
            store.close()
