"""Review decisions through the team server: a supervisor's approve or return, made on a
screening received from the server, goes back to it (its comment sealed for the team and the
screening's author, with the days it took to review in the clear for the figures), and reaches
the author's computer at its next sync (docs/SERVER.md)."""

from __future__ import annotations

from screening_app.domain.evaluation import parse_date
from screening_app.domain.scoring import score
from screening_app.services import signing
from screening_app.services.session import Session
from screening_app.services.sync_report import SyncReport
from screening_app.storage import review_repo, sync_repo
from screening_app.storage import screenings_repo as repo
from screening_app.storage.driver import Database
from screening_app.storage.opened import get_meta, set_meta
from screening_app.sync import api
from screening_app.sync.client import ServerClient, SyncError, b64, unb64
from screening_app.sync.envelope import EnvelopeError, Sealed, open_content, seal, verify
from screening_app.sync.wire import DecisionCopy


def _kept(db: Database, review_id: int) -> Sealed | None:
    kept = sync_repo.sealed_of(db, "sync_decisions", review_id)
    return Sealed(*kept) if kept else None


class DecisionSync:
    def __init__(self, session: Session) -> None:
        self.s = session

    def send(self, client: ServerClient, team_public: bytes, report: SyncReport) -> None:
        """Send the decisions made here on screenings that came from the server."""
        keys = self.s.store.keys
        for review_id, screening_id, decision, comment, band in sync_repo.queued_decisions(
            self.s.db
        ):
            item = sync_repo.of_screening(self.s.db, screening_id)
            if item is None or not item.author_box:
                continue
            sealed = _kept(self.s.db, review_id)
            if sealed is None:
                metadata = {
                    "id": item.remote_id,
                    "version": item.version,
                    "decision": decision,
                    "days_to_review": self._days_to_review(screening_id),
                }
                recipients = {"team": team_public, "author": bytes.fromhex(item.author_box)}
                made = seal(metadata, {"comment": comment, "band": band}, recipients, keys)
                with self.s.write("keep what is being sent") as db:
                    sync_repo.keep_sealed(
                        db, "sync_decisions", review_id, made.envelope, made.signature
                    )
                sealed = made
            envelope, signature = b64(sealed.envelope), b64(sealed.signature)
            try:
                api.send_decision(client, item.remote_id, item.version, envelope, signature)
                state, error = "sent", ""
            except SyncError as exc:
                if exc.status != 409:
                    report.problems.append(exc.message)
                    return
                state, error = "sent", exc.message
                report.problems.append(f"Not sent: {exc.message}")
            with self.s.write("record the decision sent") as db:
                sync_repo.mark_decision(db, review_id, state, error)
            report.decisions_sent += 0 if error else 1

    def _days_to_review(self, screening_id: int) -> int | None:
        """From the screening's date to its review: the figures' median, without the dates."""
        record = repo.fetch(self.s.db, repo.ALL, screening_id)
        screened = parse_date(record.screening_date) if record else None
        reviewed = parse_date((record.reviewed_at or "")[:10]) if record else None
        if screened is None or reviewed is None:
            return None
        return max(0, (reviewed - screened).days)

    def receive(self, client: ServerClient, report: SyncReport) -> None:
        """Take the decisions made on other computers about this computer's screenings."""
        after = int(get_meta(self.s.db, "sync_after_reviews") or 0)
        for entry in api.decisions_since(client, after):
            local = sync_repo.by_remote(self.s.db, entry.id, entry.version)
            with self.s.write("record the decision received") as db:
                if (
                    local is not None
                    and local.direction == "out"
                    and self._apply_decision(db, local, entry, report)
                ):
                    report.decisions_received += 1
                set_meta(db, "sync_after_reviews", str(entry.seq))

    def _apply_decision(
        self, db: Database, local: sync_repo.SyncItem, entry: DecisionCopy, report: SyncReport
    ) -> bool:
        try:
            body = verify(
                Sealed(unb64(entry.envelope), unb64(entry.signature)),
                bytes.fromhex(entry.reviewer_device_key),
            )
            decided = open_content(body, "author", self.s.store.keys)
        except (EnvelopeError, ValueError) as exc:
            report.problems.append(f"A decision from {entry.reviewer} was not opened: {exc}")
            return False
        status = {"approve": "approved", "return": "returned"}[entry.decision]
        reviewer = sync_repo.remote_user(
            db, int(entry.reviewer_id), entry.reviewer, self.s.user.team, self.s.now_text()
        )
        review_id = review_repo.add_review(
            db,
            repo.ALL,
            local.screening_id,
            reviewer,
            entry.decision,
            str(decided.get("comment") or ""),
            decided.get("band"),
            self.s.now_text(),
        )
        at = self.s.now_text()
        values: dict[str, object] = {"status": status, "reviewed_at": at, "updated_at": at}
        record = repo.fetch(db, repo.ALL, local.screening_id)
        if status == "approved" and record is not None and record.content_removed_at is None:
            # the approved band applies here too (a lowered judgement, once approved)
            form = self.s.registry.get(record.form_id, record.form_version)
            answers = repo.answers(db, repo.ALL, local.screening_id)
            result = score(form, answers, judgement_approved=True)
            values.update(
                judgement_approved=1,
                awaiting_approval=0,
                operative_band=result.operative_band,
                reassess_by=result.reassess_by,
            )
            repo.set_score(db, repo.ALL, local.screening_id, result.snapshot())
        repo.update(db, repo.ALL, local.screening_id, values)
        signing.record(
            self.s,
            local.screening_id,
            "decision",
            {"from": signing.sender(entry.reviewer_device_key, entry.signature)},
            review_id=review_id,
        )
        self.s.audit("review_received", record.reference if record else None, status)
        return True
