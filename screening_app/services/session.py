"""What every service of one signed-in session shares: the open store, the user, the forms.

Also the rules every service applies: who may see a screening (``scope``/``visible``), that
writes are one transaction each with the writer lock held (``write``), and that every action on
a child's record is written to the audit trail in the same transaction as the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from screening_app.domain.capabilities import Verb, can, refusal, scope_of
from screening_app.domain.registry import FormRegistry
from screening_app.errors import NotFound, PermissionDenied
from screening_app.services.model import User
from screening_app.storage import audit
from screening_app.storage import screenings_repo as repo
from screening_app.storage.driver import Database, DatabaseError, storage_error
from screening_app.storage.opened import Store
from screening_app.storage.screenings_repo import Scope, ScreeningRecord

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


@dataclass
class Session:
    store: Store
    user: User
    registry: FormRegistry
    clock: Clock = field(default=system_clock)
    _audited: int = field(default=0, repr=False)  # audit rows written in this session

    @property
    def db(self) -> Database:
        return self.store.db

    def now_text(self) -> str:
        return self.clock().isoformat(sep=" ")

    def today(self) -> dt.date:
        return self.clock().date()

    @contextmanager
    def write(self, doing: str) -> Iterator[Database]:
        """One all-or-nothing change; a driver error becomes "Could not <doing>: …". When the
        change wrote audit rows, the key file's signed record of the trail follows it."""
        audited = self._audited
        try:
            with self.store.transaction() as db:
                yield db
        except DatabaseError as exc:
            raise storage_error(exc, doing) from None
        if self._audited != audited:
            self.store.vouch_for_audit(self.now_text())

    def audit(self, action: str, record: str | None = None, detail: str = "") -> None:
        """One audit row (call inside the change's ``write`` block when there is one). Sessions
        without the data key write none: their decisions are in the signed account log."""
        if not self.store.has_data:
            return
        audit.append(
            self.store.db,
            at=self.now_text(),
            user_id=self.user.id,
            user_name=self.user.name,
            action=action,
            record=record,
            detail=detail,
            signer=(self.store.actor, self.store.keys.sign),
        )
        self._audited += 1

    def scope(self) -> Scope:
        """Whose screenings this user sees (domain/capabilities.py): their own and those shared
        with them, their team's, or none."""
        kind = scope_of(self.user.role)
        return (
            Scope(kind, self.user.id, self.user.team)
            if kind == "team"
            else Scope(kind, self.user.id)
        )

    def can(self, verb: Verb) -> bool:
        return can(self.user.role, verb)

    def require(self, verb: Verb) -> None:
        """PermissionDenied, naming who may, unless this user's role may do ``verb``."""
        refused = refusal(self.user.role, verb)
        if refused is not None:
            raise PermissionDenied(refused)

    def require_reader(self) -> None:
        self.require(Verb.READ_SCREENINGS)

    def by_reference(self, reference: str) -> ScreeningRecord:
        """The screening ``reference`` names, if this user may see it; otherwise NotFound,
        with the same words whether it exists or not."""
        found = repo.id_of_reference(self.db, reference.strip().upper())
        missing = NotFound(f"There is no screening {reference} that you can see.")
        if found is None:
            raise missing
        try:
            return self.visible(found)
        except NotFound:
            raise missing from None

    def visible(self, screening_id: int) -> ScreeningRecord:
        """The screening, if this user may see it; otherwise NotFound (never says which)."""
        self.require_reader()
        row = repo.fetch(self.db, self.scope(), screening_id)
        if row is None:
            raise NotFound("That screening does not exist or is not shared with you.")
        return row
