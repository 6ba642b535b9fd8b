"""Outcomes through the team server: recorded on one computer (by the screening's author or a
supervisor of the team), they reach the others at their next sync. The code and date travel in
the clear (they are the organisation figures' outcome columns); the note is sealed for the team
and the screening's author, like the screening itself (docs/SERVER.md)."""

from __future__ import annotations

from screening_app.services import signing
from screening_app.services.session import Session
from screening_app.services.team_key import TeamKeys
from screening_app.storage import review_repo, sync_repo
from screening_app.storage import screenings_repo as repo
from screening_app.storage.opened import get_meta, set_meta
from screening_app.sync import api
from screening_app.sync.client import ServerClient, SyncError, b64, unb64
from screening_app.sync.envelope import EnvelopeError, Sealed, open_content, seal, verify
from screening_app.sync.wire import OutcomeCopy


class OutcomeSync:
    def __init__(self, session: Session) -> None:
        self.s = session

    def send(self, client: ServerClient, team_public: bytes, problems: list[str]) -> int:
        """Send the queued outcomes; how many the server took."""
        keys, sent = self.s.store.keys, 0
        for item in sync_repo.queued_outcomes(self.s.db):
            screening = sync_repo.of_screening(self.s.db, item.screening_id)
            if screening is None:
                continue
            kept = sync_repo.sealed_of(self.s.db, "sync_outcomes", item.outcome_id)
            if kept is None:
                author = (
                    keys.box_public
                    if screening.direction == "out"
                    else bytes.fromhex(screening.author_box or "")
                )
                metadata = {
                    "outcome_id": item.remote_id,
                    "id": screening.remote_id,
                    "version": screening.version,
                    "code": item.code,
                    "date": item.date,
                }
                recipients = {"team": team_public, "author": author}
                made = seal(metadata, {"note": item.note}, recipients, keys)
                with self.s.write("keep what is being sent") as db:
                    sync_repo.keep_sealed(
                        db, "sync_outcomes", item.outcome_id, made.envelope, made.signature
                    )
                kept = (made.envelope, made.signature)
            try:
                api.send_outcome(client, b64(kept[0]), b64(kept[1]))
            except SyncError as exc:
                problems.append(f"An outcome was not sent: {exc.message}")
                if exc.status in (0, 401, 403, 500, 502, 503):
                    return sent
                continue
            with self.s.write("record the outcome sent") as db:
                sync_repo.mark_outcome(db, item.outcome_id, "sent")
            sent += 1
        return sent

    def receive(self, client: ServerClient, team: TeamKeys, problems: list[str]) -> int:
        """Take the outcomes recorded on other computers; how many were new here."""
        after = int(get_meta(self.s.db, "sync_after_outcomes") or 0)
        received = 0
        for entry in api.outcomes_since(client, after):
            with self.s.write("record the outcome received") as db:
                if not sync_repo.outcome_known(db, entry.outcome_id):
                    received += self._store(entry, team, problems)
                set_meta(db, "sync_after_outcomes", str(entry.seq))
        return received

    def _store(self, entry: OutcomeCopy, team: TeamKeys, problems: list[str]) -> int:
        db = self.s.db
        local = sync_repo.by_remote(db, entry.id, int(entry.version))
        if local is None:
            return 0  # a screening this computer does not hold
        try:
            body = verify(
                Sealed(unb64(entry.envelope), unb64(entry.signature)),
                bytes.fromhex(entry.recorder_device_key),
            )
            meta = body["metadata"]
            if meta.get("code") != entry.code or meta.get("date") != entry.date:
                raise EnvelopeError("its code or date differs from what was signed")
            if local.direction == "out":
                note = open_content(body, "author", self.s.store.keys)
            else:
                opener = team.opener(int(meta.get("team_epoch") or 1)) or team.opener(team.epoch)
                if opener is None:
                    raise EnvelopeError("this computer has no copy of the team key")
                note = open_content(body, "team", opener)
        except (EnvelopeError, ValueError) as exc:
            problems.append(f"An outcome from {entry.recorder} was not opened: {exc}")
            return 0
        recorder = sync_repo.remote_user(
            db, int(entry.recorder_id), entry.recorder, self.s.user.team, self.s.now_text()
        )
        new_id = review_repo.add_outcome(
            db,
            repo.ALL,
            local.screening_id,
            str(entry.code),
            str(entry.date),
            str(note.get("note") or ""),
            recorder,
            self.s.now_text(),
        )
        sync_repo.received_outcome(db, new_id, entry.outcome_id)
        signing.record(
            self.s,
            local.screening_id,
            "outcome",
            {"from": signing.sender(entry.recorder_device_key, entry.signature)},
            outcome_id=new_id,
        )
        record = repo.fetch(db, repo.ALL, local.screening_id)
        self.s.audit("outcome_received", record.reference if record else None, entry.code)
        return 1
