"""Subject access: a supervisor's export of everything held about one child, other people's
names redacted by default, a reviewer's choice per item (domain/sar.py). A request for a child
the supervisor may not see returns nothing and is audited; every export is audited against
each screening it shows."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from screening_app.domain import sar
from screening_app.domain.capabilities import Verb
from screening_app.domain.evaluation import parse_date
from screening_app.domain.forms import GivenAnswers
from screening_app.domain.wording import answer_words, day_words
from screening_app.errors import NotFound
from screening_app.services.model import STATUS_LABELS
from screening_app.services.session import Session
from screening_app.storage import review_repo, sar_repo
from screening_app.storage import screenings_repo as repo
from screening_app.storage.screenings_repo import ScreeningRecord


class SubjectAccessService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def items(self, reference: str) -> list[sar.Item]:
        """The names the export would redact, with the names (for the reviewer's eyes: a
        supervisor who may see them), so that they can choose which to reveal."""
        _export, redact = self._build(reference, ())
        return list(redact.items.values())

    def export(
        self,
        reference: str,
        path: Path,
        *,
        reveal: Iterable[str] = (),
        password: str | None = None,
        force: bool = False,
    ) -> sar.Export:
        """Write the export (AES-256 with ``password``), whole or not at all; audited."""
        from screening_app.export.referral_pdf import write_referral
        from screening_app.export.sar_pdf import render_sar

        built, redact = self._build(reference, reveal)
        write_referral(path, render_sar(built), password=password, force=force)
        revealed = sorted(redact.reveal & {i.id for i in redact.items.values()})
        detail = f"{len(redact.items)} item(s) redacted by default; revealed: {revealed or 'none'}"
        with self.s.write("record the subject access export"):
            for reference in built.references:
                self.s.audit("sar_exported", reference, detail)
        return built

    def _build(self, reference: str, reveal: Iterable[str]) -> tuple[sar.Export, sar.Redactor]:
        self.s.require(Verb.SUBJECT_ACCESS)
        record = self._record(reference)
        db, scope = self.s.db, self.s.scope()
        assert record.child_id is not None  # _record refuses a screening with no child record
        rows = review_repo.child_screenings(db, scope, record.child_id)
        records = [self.s.visible(r.id) for r in rows]
        answers = {r.id: repo.answers(db, scope, r.id) for r in records}
        child = review_repo.child(db, record.child_id)
        assert child is not None
        own = [child.first_name, child.last_name, f"{child.first_name} {child.last_name}"]
        persons, handles = _named(answers.values())
        redact = sar.redactor(
            sar_repo.other_children(db, record.child_id), persons, handles, keep=own, reveal=reveal
        )
        sections = [self._screening(r, answers[r.id], redact) for r in records]
        ids = [r.id for r in records]
        sections.append(self._reviews(ids, records, redact))
        sections.append(self._outcomes(ids, records, redact))
        sections.append(self._shares([r.reference for r in records], redact))
        built = sar.Export(
            child=f"{child.first_name} {child.last_name}",
            born=day_words(born) if (born := parse_date(child.dob)) else "not recorded",
            prepared_by=self.s.user.display_name or self.s.user.name,
            produced=self.s.now_text()[:16].replace("T", " "),
            sections=tuple(sections),
            schedule=tuple(redact.schedule()),
            references=tuple(r.reference for r in records),
        )
        return built, redact

    def _record(self, reference: str) -> ScreeningRecord:
        """The screening named, if this supervisor may see it and it names a child record;
        otherwise nothing, and the refusal is audited."""
        wanted = reference.strip().upper()
        try:
            record = self.s.by_reference(wanted)
            if record.child_id is None:
                raise NotFound("no child record")
        except NotFound:
            with self.s.write("record the refused subject access export"):
                self.s.audit("sar_refused", wanted[:40], "not a child this account may see")
            raise NotFound(
                f"There is no child's screening {reference} that you can see: nothing exported."
            ) from None
        return record

    def _screening(
        self, record: ScreeningRecord, answers: GivenAnswers, redact: sar.Redactor
    ) -> sar.Section:
        form = self.s.registry.get(record.form_id, record.form_version)
        status = STATUS_LABELS.get(record.status, record.status)
        rows: list[tuple[str, str]] = [("Status", status), ("By", record.owner_name)]
        band = record.operative_band or ""
        if band:
            label = next((b.label for b in form.bands if b.code == band), band)
            rows.append(("Band", f"{label} (score {record.total})"))
        for question in form.questions():
            if question.id not in answers:
                continue
            words = answer_words(question, answers[question.id]) or ""
            rows.append((question.label, redact(words)))
        day = record.screening_date or ""
        return sar.Section(f"Screening {record.reference}, {day}", tuple(rows))

    def _reviews(
        self, ids: list[int], records: list[ScreeningRecord], redact: sar.Redactor
    ) -> sar.Section:
        refs = {r.id: r.reference for r in records}
        rows = []
        for v in review_repo.reviews_of(self.s.db, ids):
            verb = "Approved" if v.decision == "approve" else "Returned for changes"
            text = f"{verb} by {v.reviewer} on {v.at[:10]}" + (
                f": {redact(v.comment)}" if v.comment else ""
            )
            rows.append((refs[v.screening_id], text))
        return sar.Section("Reviews", tuple(rows))

    def _outcomes(
        self, ids: list[int], records: list[ScreeningRecord], redact: sar.Redactor
    ) -> sar.Section:
        refs = {r.id: r for r in records}
        rows = []
        for o in review_repo.outcomes_of(self.s.db, ids):
            record = refs[o.screening_id]
            form = self.s.registry.get(record.form_id, record.form_version)
            label = next((x.label for x in form.outcomes if x.code == o.code), o.code)
            note = f": {redact(o.note)}" if o.note else ""
            rows.append((record.reference, f"{label} on {o.date}{note}"))
        return sar.Section("Outcomes", tuple(rows))

    def _shares(self, references: list[str], redact: sar.Redactor) -> sar.Section:
        """The disclosure log's rows of these screenings, oldest first."""
        from screening_app.services.disclosures import DisclosureService

        wanted = set(references)
        rows = []
        for d in reversed(DisclosureService(self.s).shares(lambda r: r if r in wanted else None)):
            to = f" with {d.recipient} for {d.purpose} ({d.basis})" if d.recipient else ""
            rows.append((d.reference, redact(f"{d.what} on {d.at:%Y-%m-%d}{to}")))
        return sar.Section("Who it was shared with", tuple(rows))


def _named(answers: Iterable[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The persons of concern's names and the online accounts' handles in these answers."""
    persons, handles = [], []
    for one in answers:
        for entity in one.get("entities_of_concern") or []:
            if not isinstance(entity, dict):
                continue
            if entity.get("kind") == "person" and entity.get("name"):
                persons.append(str(entity["name"]))
            if entity.get("kind") == "online_account" and entity.get("handle"):
                handles.append(str(entity["handle"]))
    return persons, handles
