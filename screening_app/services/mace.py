"""The MACE pack of one or more children, for a multi-agency child exploitation meeting.

Each child named by one of their screening's references gets a page: the newest screening's
band and types, the chronology, the links and the open actions (domain/mace.py). Only what the
signed-in user may see goes in; the band is the one stored and signed, the types and "refer now"
come from scoring the stored answers again (as the referral does). Each pack is audited against
every screening it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from screening_app.domain.capabilities import Verb
from screening_app.domain.contacts import with_999
from screening_app.domain.disclosure import Share
from screening_app.domain.disclosure import detail as disclosure_detail
from screening_app.domain.entities import key_words
from screening_app.domain.evaluation import parse_date
from screening_app.domain.mace import (
    MacePack,
    PackChild,
    PackEvent,
    PackLink,
    PackScreening,
    open_actions,
)
from screening_app.domain.measures import high_bands
from screening_app.domain.scoring import score
from screening_app.errors import NotFound
from screening_app.services import permissions
from screening_app.services.children import ChildrenService
from screening_app.services.model import STATUS_LABELS
from screening_app.services.session import Session
from screening_app.storage import review_repo
from screening_app.storage import screenings_repo as repo
from screening_app.storage.screenings_repo import ScreeningRecord


class MaceService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def pack(self, references: Sequence[str], share: Share | None = None) -> MacePack:
        """The pack of the children whose screenings ``references`` name (each child once, in
        the order first named). NotFound names a reference this user cannot see."""
        self.s.require(Verb.MAKE_MACE_PACK)
        children: list[int] = []
        for reference in references:
            record = self._record(reference)
            if record.child_id is None:
                raise NotFound(f"Screening {record.reference} names no child record yet.")
            if record.child_id not in children:
                children.append(record.child_id)
        if not children:
            raise NotFound("Name at least one screening of each child for the pack.")
        return MacePack(
            children=tuple(self._child(child_id) for child_id in children),
            prepared_by=self.s.user.display_name or self.s.user.name,
            generated_at=self.s.clock(),
            contacts_line=with_999(self.s.store.keyring.directory.contacts),
            share_line=share.footer() if share else "",
        )

    def save(
        self,
        references: Sequence[str],
        path: Path,
        share: Share,
        *,
        password: str | None = None,
        force: bool = False,
    ) -> MacePack:
        """Write the pack's PDF (AES-256 when ``password``), whole or not at all, with the
        share at the foot of its pages; audited, with the share, against every screening it
        shows."""
        from screening_app.export.mace_pdf import render_mace
        from screening_app.export.referral_pdf import write_referral

        pack = self.pack(references, share)
        write_referral(path, render_mace(pack), password=password, force=force)
        shown = [s.reference for child in pack.children for s in child.screenings]
        detail = disclosure_detail(share, {"children": len(pack.children)})
        with self.s.write("record the MACE pack"):
            for reference in shown:
                self.s.audit(
                    "mace_pack_encrypted" if password else "mace_pack_saved", reference, detail
                )
        return pack

    def _record(self, reference: str) -> ScreeningRecord:
        record = self.s.by_reference(reference)
        permissions.check(permissions.refusal_of_referral(record))
        return record

    def _child(self, child_id: int) -> PackChild:
        from screening_app.services.links import LinksService

        record = ChildrenService(self.s).gather(child_id)
        rows = review_repo.child_screenings(self.s.db, self.s.scope(), child_id)
        outcomes: dict[int, list[str]] = {}
        for o in review_repo.outcomes_of(self.s.db, [r.id for r in rows]):
            outcomes.setdefault(o.screening_id, []).append(o.code)
        screenings = [self._screening(self.s.visible(r.id), outcomes.get(r.id, [])) for r in rows]
        mine = {s.reference for s in screenings}
        links: dict[tuple[str, str, str], set[str]] = {}
        finder = LinksService(self.s)
        for row in rows:
            for link in finder.matches(row.id):
                others = set(link.references) - mine
                if others:
                    links.setdefault((link.entity_kind, link.key, link.strength), set()).update(
                        others
                    )
        return PackChild(
            name=record.name,
            dob=record.dob,
            screenings=tuple(screenings),
            events=tuple(PackEvent(e.at.date(), e.text, e.reference) for e in record.events),
            links=tuple(
                PackLink(kind, key_words(kind, key), strength, tuple(sorted(others)))
                for (kind, key, strength), others in sorted(links.items())
            ),
            actions=tuple(open_actions(screenings, self.s.today())),
        )

    def _screening(self, record: ScreeningRecord, codes: list[str]) -> PackScreening:
        form = self.s.registry.get(record.form_id, record.form_version)
        answers = repo.answers(self.s.db, self.s.scope(), record.id)
        result = score(form, answers, judgement_approved=bool(record.judgement_approved))
        band = record.operative_band or result.operative_band  # the stored, signed band
        try:
            band_label = form.band(band).label
        except KeyError:
            band_label = band
        measures = {o.code: o.measure or "none" for o in form.outcomes}
        return PackScreening(
            reference=record.reference,
            day=parse_date(record.screening_date),
            status=record.status,
            status_words=STATUS_LABELS.get(record.status, record.status),
            band=band_label,
            high=band in high_bands(form),
            total=record.total if record.total is not None else result.total,
            types=tuple(t.label for t in form.types if t.code in result.types),
            refer_now=tuple(r.reason for r in result.routes),
            not_known=len(result.not_known),
            provisional=result.provisional,
            prompts=tuple(p.id for p in result.prompts),
            awaiting_approval=bool(record.awaiting_approval),
            reassess_by=parse_date(record.reassess_by),
            outcomes=tuple((code, measures.get(code, "none")) for code in codes),
        )
