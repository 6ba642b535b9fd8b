"""What every service of one signed-in session shares: the open store, the user, the forms.

Also the two rules every service applies: who may see a screening (``scope``) and that every
action on a child's record is written to the audit trail in the same transaction as the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from screening_app.domain.registry import FormRegistry
from screening_app.errors import PermissionDenied
from screening_app.services.model import User
from screening_app.storage import audit
from screening_app.storage.screenings_repo import Scope
from screening_app.storage.store import Store

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


@dataclass
class Session:
    store: Store
    user: User
    registry: FormRegistry
    clock: Clock = field(default=system_clock)

    def now_text(self) -> str:
        return self.clock().isoformat(sep=" ")

    def today(self) -> dt.date:
        return self.clock().date()

    def audit(self, action: str, record: str | None = None, detail: str = "") -> None:
        """One audit row (call inside the change's ``db.atomic()`` block when there is one)."""
        audit.append(
            self.store.db,
            at=self.now_text(),
            user_id=self.user.id,
            user_name=self.user.name,
            action=action,
            record=record,
            detail=detail,
        )

    def scope(self) -> Scope:
        """Practitioners: their own and shared; supervisors: their team's; admins: none."""
        if self.user.role == "supervisor":
            return Scope("team", self.user.id, self.user.team)
        if self.user.role == "practitioner":
            return Scope("own", self.user.id)
        return Scope("none", self.user.id)

    def require(self, *roles: str, doing: str) -> None:
        if self.user.role not in roles:
            raise PermissionDenied(
                f"Your account ({self.user.role}) cannot {doing}. Ask your safeguarding lead "
                "or administrator if you need to."
            )
