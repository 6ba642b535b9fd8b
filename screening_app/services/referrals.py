"""The referral PDF of a submitted screening: built, previewed, saved or printed — each audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from screening_app.domain.disclosure import SHARE_ACTIONS, Share
from screening_app.domain.disclosure import detail as disclosure_detail
from screening_app.domain.scoring import ScoreResult, StoredScore, score
from screening_app.errors import InputFileError, StorageError
from screening_app.export.model import ReferralInput, ReviewInfo
from screening_app.files import write_text
from screening_app.services import permissions
from screening_app.services.session import Session
from screening_app.storage import screenings_repo as repo

ExportKind = Literal[
    "referral_preview", "referral_saved", "referral_encrypted", "printed", "pole_exported"
]


def _same_as_signed(reference: str, result: ScoreResult, stored: StoredScore | None) -> None:
    """Refuse a referral whose answers no longer give the score stored when it was submitted
    (which db check verifies against its signature): the database was changed outside the app,
    and a referral must not print either side."""
    if stored is None:
        return
    changed = stored.differs_from(result)
    if changed:
        raise StorageError(
            f"The answers of {reference} no longer give the score stored when it was submitted "
            f"({', '.join(changed)} differ): the database was changed outside the app, so no "
            "referral was made. Run `screening-app db check`, which names what changed, and "
            "tell your safeguarding lead."
        )


class ReferralService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def referral_input(
        self,
        screening_id: int,
        *,
        generated_at: dt.datetime | None = None,
        share: Share | None = None,
    ) -> ReferralInput:
        record = self.s.visible(screening_id)
        permissions.check(permissions.refusal_of_referral(record))
        form = self.s.registry.get(record.form_id, record.form_version)
        answers = repo.answers(self.s.db, self.s.scope(), screening_id)
        result = score(form, answers, judgement_approved=bool(record.judgement_approved))
        kept = StoredScore.kept_as(repo.score_of(self.s.db, self.s.scope(), record.id))
        _same_as_signed(record.reference, result, kept)
        return ReferralInput(
            form=form,
            answers=answers,
            result=result,
            reference=record.reference,
            generated_at=generated_at or self.s.clock(),
            review=self._review_info(screening_id),
            contacts=self.s.store.keyring.directory.contacts,
            share_line=share.footer() if share else "",
        )

    def referral_pdf(self, screening_id: int) -> bytes:
        """The referral PDF in memory (for the preview); audited as a view of the referral."""
        from screening_app.export.referral_pdf import render_referral

        pdf = render_referral(self.referral_input(screening_id))
        self.record_export(screening_id, "referral_preview")
        return pdf

    def shared_pdf(self, screening_id: int, share: Share) -> bytes:
        """The referral as it is shared: the share at the foot of every page (for printing;
        :meth:`record_export` records the print once it is done)."""
        from screening_app.export.referral_pdf import render_referral

        return render_referral(self.referral_input(screening_id, share=share))

    def save_referral(
        self, screening_id: int, path: Path, share: Share, *, password: str | None = None
    ) -> None:
        """Write the referral with the share at the foot of its pages (AES-256 when
        ``password``); audited with the share."""
        from screening_app.export.referral_pdf import write_referral

        pdf = self.shared_pdf(screening_id, share)
        write_referral(path, pdf, password=password, force=True)
        kind: ExportKind = "referral_encrypted" if password else "referral_saved"
        self.record_export(screening_id, kind, share=share)

    def export_pole(self, reference: str, path: Path, share: Share, *, force: bool = False) -> Path:
        """A screening's entities and links, POLE-shaped: CSV when ``path`` ends in .csv,
        JSON otherwise (the JSON carries the share); never over an existing file without
        ``force``; audited with the share."""
        from screening_app.export import pole
        from screening_app.services.links import ENTITIES, LinksService

        record = self.s.by_reference(reference)
        permissions.check(permissions.refusal_of_referral(record))
        answers = repo.answers(self.s.db, self.s.scope(), record.id)
        given = answers.get(ENTITIES) if isinstance(answers.get(ENTITIES), list) else []
        links = [link.as_json() for link in LinksService(self.s).matches(record.id)]
        items = pole.pole_entities(record.reference, given or [], links)
        if path.suffix.lower() == ".csv":
            text = pole.to_csv(record.reference, items)
        else:
            text = pole.to_json(record.reference, record.screening_date, items, share.as_data())
        write_text(path, text, force=force)
        self.record_export(record.id, "pole_exported", share=share, extra={"entities": len(items)})
        return path

    def record_export(
        self,
        screening_id: int,
        kind: ExportKind,
        *,
        share: Share | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        """One audit row; an export that leaves the app is a share, and must say with whom,
        what for and on what basis (domain/disclosure.py): refused without one."""
        if kind in SHARE_ACTIONS and share is None:
            raise InputFileError(
                "A share needs its lawful basis: say who receives it, what for, and on what basis."
            )
        record = self.s.visible(screening_id)
        detail = disclosure_detail(share, extra) if share is not None else ""
        with self.s.write("record the export"):
            self.s.audit(kind, record.reference, detail)

    def _review_info(self, screening_id: int) -> ReviewInfo | None:
        decisions = [
            c
            for c in repo.review_comments(self.s.db, self.s.scope(), screening_id)
            if c.decision in ("approve", "return")
        ]
        if not decisions:
            return None
        last = decisions[-1]
        return ReviewInfo(
            reviewer=last.author_name,
            status="approved" if last.decision == "approve" else "returned",
            band_approved=last.band,
            reviewed_at=dt.datetime.fromisoformat(last.at),
            comment=last.comment,
        )
