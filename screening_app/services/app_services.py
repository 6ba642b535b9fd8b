"""Everything one signed-in session can do: built once at sign-in by the composition root
(``screening_app.app``) and passed to the window, the CLI, the demo and the tests."""

from __future__ import annotations

from pathlib import Path

from screening_app.domain.registry import FormRegistry
from screening_app.services.accounts import AccountService
from screening_app.services.administration import AuditService, BackupService, SettingsService
from screening_app.services.children import ChildrenService
from screening_app.services.disclosures import DisclosureService
from screening_app.services.links import LinksService
from screening_app.services.listing import ListingService
from screening_app.services.mace import MaceService
from screening_app.services.model import User
from screening_app.services.profiles import ProfileService
from screening_app.services.record_retention import RecordRetentionService
from screening_app.services.referrals import ReferralService
from screening_app.services.review import ReviewService
from screening_app.services.sar import SubjectAccessService
from screening_app.services.screenings import ScreeningService
from screening_app.services.session import Clock, Session
from screening_app.services.statistics import StatisticsService
from screening_app.services.sync import SyncService
from screening_app.services.transfers import TransferService
from screening_app.storage import backup


class AppServices:
    """One per signed-in session; ``close()`` backs up (at most daily) and marks a clean close."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.user: User = session.user
        self.registry: FormRegistry = session.registry
        self.clock: Clock = session.clock
        self.can = session.can  # what this user may do (domain/capabilities.py)
        self.database_path: Path = session.store.path
        self.accounts = AccountService(session)
        self.screenings = ScreeningService(session)
        self.listing = ListingService(session)
        self.links = LinksService(session)
        self.referrals = ReferralService(session)
        self.review = ReviewService(session)
        self.children = ChildrenService(session)
        self.mace = MaceService(session)
        self.disclosures = DisclosureService(session)
        self.subject_access = SubjectAccessService(session)
        self.retention = RecordRetentionService(session)
        self.statistics = StatisticsService(session)
        self.profiles = ProfileService(session, self.statistics)
        self.audit = AuditService(session)
        self.settings = SettingsService(session)
        self.backups = BackupService(session)
        self.sync = SyncService(session, self.screenings)
        self.transfers = TransferService(session, self.screenings)
        self._closed = False

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        store = self.session.store
        try:
            if not store.lock.still_held():
                return  # another copy may own the database now: write nothing (see lock.py)
            if backup.backup_due(store.path, self.session.today()):
                self.backups.backup_now()
            if store.has_data:
                with self.session.write("record the sign-out"):
                    self.session.audit("sign_out")
        finally:
            store.close()
