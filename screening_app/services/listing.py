"""The screenings list: what a user may see, filtered and sorted in SQL, and the reassessment
counts of the status bar — both from the one rule in ``domain.reassessment``."""

from __future__ import annotations

import builtins
import datetime as dt

from screening_app.domain import checklist, reassessment
from screening_app.domain.capabilities import Verb, can
from screening_app.services.accounts import to_user
from screening_app.services.model import ListQuery, ScreeningRow, User
from screening_app.services.session import Session
from screening_app.storage import screenings_repo as repo


class ListingService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def list(self, query: ListQuery) -> list[ScreeningRow]:
        self.s.require_reader()
        rows = repo.list_rows(
            self.s.db,
            self.s.scope(),
            self.filters(query),
            sort=query.sort,
            descending=query.descending,
            offset=query.offset,
            limit=query.limit,
        )
        return [ScreeningRow.from_stored(r) for r in rows]

    def count(self, query: ListQuery) -> int:
        self.s.require_reader()
        return repo.count_rows(self.s.db, self.s.scope(), self.filters(query))

    def reassessment_counts(self, today: dt.date | None = None) -> tuple[int, int]:
        """(due within ``DUE_DAYS`` days, overdue) among the screenings this user can see."""
        self.s.require_reader()
        day = today or self.s.today()
        due, overdue = (
            repo.count_rows(self.s.db, self.s.scope(), self.filters(ListQuery(due=window), day))
            for window in ("due", "overdue")
        )
        return due, overdue

    def areas(self) -> builtins.list[tuple[str, str]]:
        """(code, label) of the local authority areas, from the newest form."""
        form = self.s.registry.latest(checklist.FORM_ID)
        if checklist.AREA not in form.index:
            return []
        return list(form.question(checklist.AREA).option_pairs())

    def owners(self) -> builtins.list[User]:
        """Whose screenings the Practitioner filter offers: the team's for a supervisor."""
        if not self.s.can(Verb.SEE_TEAM_MEMBERS):
            return [self.s.user]
        team = self.s.user.team
        accounts = self.s.store.keyring.directory.accounts.values()
        return sorted(
            (to_user(a) for a in accounts if a.team == team and can(a.role, Verb.READ_SCREENINGS)),
            key=lambda u: u.name.casefold(),
        )

    def filters(self, query: ListQuery, today: dt.date | None = None) -> repo.Filters:
        window = reassessment.date_range(query.due, today or self.s.today())
        return repo.Filters(
            status=query.status,
            band=query.band,
            area=query.area,
            owner_id=query.owner_id,
            search=query.search,
            reassess_from=window.start if window else None,
            reassess_before=window.end if window else None,
        )
