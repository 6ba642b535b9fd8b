"""Sending and receiving through the team server (docs/SERVER.md), for one signed-in account.

- ``connect``: pin the server's certificate, sign in with the same name and password, register
  this computer (its account keys are the device keys), create the team key when the first
  supervisor connects, and queue every screening already submitted here.
- ``sync``: send what is queued (screenings; a supervisor's decisions), then receive: a
  supervisor gets the team's screenings, opened with the team key; everyone gets the decisions on
  their own screenings. Drafts never leave the computer. A failure stops the round with a message
  and loses nothing: the queue stays for the next try.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from screening_app.domain import checklist
from screening_app.domain.capabilities import Verb, can
from screening_app.errors import WorkflowError
from screening_app.services import (
    approvals,
    child_tags,
    org_links,
    outbox,
    retention,
    signing,
    sync_send,
    team_key,
    tombstones,
)
from screening_app.services.screenings import (
    REFERENCE_CODE,
    ScreeningService,
    give_reference_code,
)
from screening_app.services.server_session import signed_in
from screening_app.services.session import Session
from screening_app.services.sync_decisions import DecisionSync
from screening_app.services.sync_outcomes import OutcomeSync
from screening_app.services.sync_report import SyncReport
from screening_app.services.team_key import TeamKeys
from screening_app.storage import audit, sync_repo
from screening_app.storage import screenings_repo as repo
from screening_app.storage.driver import Database
from screening_app.storage.opened import get_meta, set_meta
from screening_app.sync import api
from screening_app.sync.client import ServerClient, fetch_certificate, unb64
from screening_app.sync.envelope import EnvelopeError, Sealed, open_content, parse, seal, verify
from screening_app.sync.wire import Account, ScreeningCopy, SignedIn


def _epoch_of(sealed: Sealed) -> int:
    """The team key epoch a kept envelope was sealed for."""
    try:
        return int(parse(sealed.envelope)["metadata"].get("team_epoch") or 1)
    except (EnvelopeError, TypeError, ValueError):
        return 0


class SyncService:
    def __init__(self, session: Session, screenings: ScreeningService) -> None:
        self.s = session
        self.screenings = screenings  # stores what is received

    def connected(self) -> bool:
        return outbox.connected(self.s)

    # -- connecting ------------------------------------------------------------------------
    def connect(self, url: str, fingerprint: str, password: str) -> str | None:
        """Link this database to the server; the team's recovery text when a key was made."""
        self.s.require(Verb.CONNECT)
        pem = fetch_certificate(url, fingerprint)
        client = ServerClient(url, pem)
        made = None
        try:
            account = client.sign_in(self.s.user.name, password).account
            if account.role != self.s.user.role or (account.team or "") != self.s.user.team:
                raise WorkflowError(
                    f"The server's account {account.name} is a {account.role} of team "
                    f"{account.team}, but here it is a {self.s.user.role} of team "
                    f"{self.s.user.team or '(none)'}. Ask IT to make them the same."
                )
            keys = self.s.store.keys
            name = socket.gethostname()[:100] or "desktop"
            device = api.register_device(client, name, keys.box_public, keys.sign_public)
            if self.s.can(Verb.HOLD_TEAM_KEY):
                made = team_key.create_if_none(self.s, client, device)
        finally:
            client.close()
        with self.s.write("remember the team server") as db:
            for key, value in (
                ("sync_url", url),
                ("sync_certificate", pem),
                ("sync_device", device),
                ("sync_after_screenings", "0"),
                ("sync_after_reviews", "0"),
            ):
                set_meta(db, key, value)
            give_reference_code(db, device)
            for screening_id in repo.own_submitted(db, self.s.user.id):
                outbox.queue_submission(self.s, screening_id)
            self.s.audit("server_connected", None, url[:200])
        return made

    def recover_team_key(self, code: str, password: str) -> None:
        """A supervisor's computer without the team key takes it from the recovery copy."""
        team_key.recover(self.s, code, password)

    def waiting(self) -> str:
        """The state in words, for the window's status bar."""
        if not self.connected():
            return "Not connected to a team server"
        waiting, failing = sync_repo.counts(self.s.db)
        text = f"{waiting} waiting to send"
        return text + (f" ({failing} could not be sent yet)" if failing else "")

    # -- a round -------------------------------------------------------------------------
    @contextmanager
    def _signed_in(self, password: str | None) -> Iterator[tuple[ServerClient, SignedIn]]:
        """A client signed in for this computer (services/server_session.py)."""
        if not self.connected():
            raise WorkflowError("This database is not connected to a team server: `connect` first.")
        device = get_meta(self.s.db, "sync_device")
        if device is not None and get_meta(self.s.db, REFERENCE_CODE) is None:
            with self.s.write("give this computer's references a code") as written:
                give_reference_code(written, device)  # connected by an earlier version
        with signed_in(self.s, password) as opened:
            yield opened

    def sync(self, password: str | None = None) -> SyncReport:
        """One round. Without ``password`` this computer signs in with its own key."""
        report = SyncReport()
        with self._signed_in(password) as (client, me):
            keys, report.notes = team_key.tend(self.s, client, team_key.fetch(self.s, client))
            if keys.link is None or (
                self.s.can(Verb.HOLD_TEAM_KEY) and keys.epoch not in keys.held
            ):
                report.notes.append(approvals.waiting_words(self.s))
            self._send(client, keys, report)
            decisions = DecisionSync(self.s)
            decisions.send(client, keys.public, report)
            self._receive(client, keys, me.account, report)
            decisions.receive(client, report)
            outcomes = OutcomeSync(self.s)
            report.outcomes_sent = outcomes.send(client, keys.public, report.problems)
            report.outcomes_received = outcomes.receive(client, keys, report.problems)
            org_links.exchange(self.s, client, report, keys)
            child_tags.fill(self.s, client, keys.link)
            days = api.settings(client).retention_days
            report.removed = retention.apply(self.s, days)
            report.witnessed = tombstones.send(self.s, client, report.problems)
            report.deleted = tombstones.receive(self.s, client, report.problems)
            self._witness(client, report)
        return report

    # -- this team's computers (docs/SECURITY.md, "Approving a computer") ---------------
    def computer_code(self) -> str:
        """This computer's code, for a supervisor in post to approve it by."""
        return approvals.this_code(self.s)

    def computers(self, password: str | None = None) -> list[approvals.Computer]:
        """The team's computers, as a supervisor's computer verifies their approvals."""
        self.s.require(Verb.SEE_COMPUTERS)
        with self._signed_in(password) as (client, _me):
            keys = team_key.fetch(self.s, client)
            return approvals.computers(self.s, client, keys)

    def approve(self, code: str, password: str | None = None) -> tuple[approvals.Computer, str]:
        """Approve the waiting computer with ``code``, then share the team's keys with it at
        once; the computer, and what was shared in words."""
        self.s.require(Verb.APPROVE_COMPUTER)
        with self._signed_in(password) as (client, _me):
            keys = team_key.fetch(self.s, client)
            chosen, _statement = approvals.approve(self.s, client, keys, code)
            _keys, notes = team_key.tend(self.s, client, keys)
        shared = [n for n in notes if n.startswith("Shared")]
        if not can(chosen.role, Verb.HOLD_TEAM_KEY):  # the link secret only
            shared.append("Its screenings now carry the team's child tags (the link secret).")
        return chosen, " ".join(shared)

    def _witness(self, client: ServerClient, report: SyncReport) -> None:
        """The server witnesses the head of this computer's audit trail at every sync; entries
        it witnessed that are gone or changed since are reported (docs/SECURITY.md)."""
        before = api.last_witness(client)
        length, head = audit.tail(self.s.db)
        at_previous = audit.hash_at(self.s.db, before.length) if before else None
        if not api.witness(client, length, head, at_previous) and before is not None:
            report.problems.append(
                f"This computer's audit trail no longer holds what the team server saw on "
                f"{before.at[:10]} ({before.length} entries): entries were deleted or "
                "changed since. After a restore from a backup this is expected; otherwise "
                "tell your safeguarding lead."
            )

    def _sealed(self, table: str, key: int) -> Sealed | None:
        kept = sync_repo.sealed_of(self.s.db, table, key)
        return Sealed(*kept) if kept else None

    def _keep(self, table: str, key: int, sealed: Sealed) -> Sealed:
        """Keep what was sealed before sending it: a retry sends the very same bytes."""
        with self.s.write("keep what is being sent") as db:
            sync_repo.keep_sealed(db, table, key, sealed.envelope, sealed.signature)
        return sealed

    def _send(self, client: ServerClient, team: TeamKeys, report: SyncReport) -> None:
        """The queued screenings, sealed and sent in batches (services/sync_send.py)."""
        sealed = []
        for item in sync_repo.queued(self.s.db):
            made = self._sealed_item(item, team)
            if made is not None:
                sealed.append((item.screening_id, made))
        sync_send.send(self.s, client, sealed, report)

    def _sealed_item(self, item: sync_repo.SyncItem, team: TeamKeys) -> Sealed | None:
        """What goes for one queued screening: kept from an earlier try, or sealed now for the
        team key's current epoch."""
        keys = self.s.store.keys
        record = repo.fetch(self.s.db, self.s.scope(), item.screening_id)
        if record is None:
            return None
        sealed = self._sealed("sync_items", item.screening_id)
        if sealed is not None and _epoch_of(sealed) != team.epoch:
            sealed = None  # refused under the old team key: sealed again for the new one
        if sealed is not None:
            return sealed
        answers = repo.answers(self.s.db, self.s.scope(), item.screening_id)
        metadata = {
            "id": item.remote_id,
            "version": item.version,
            "team": self.s.user.team,
            "form_id": record.form_id,
            "form_version": record.form_version,
            "screening_month": (record.screening_date or "")[:7],
            "operative_band": record.operative_band,
            "la_area": record.la_area,
            "models": [str(m) for m in answers.get(checklist.CSE_MODELS) or []],
            "types": repo.types_of(self.s.db, item.screening_id),
            "practitioner_role": record.practitioner_role or "",
            "team_epoch": team.epoch,
            "child_tag": child_tags.child_tag(team.link, answers),
        }
        content = {
            "reference": record.reference,
            "answers": answers,
            "score": repo.score_of(self.s.db, self.s.scope(), item.screening_id),
        }
        recipients = {"team": team.public, "author": keys.box_public}
        return self._keep(
            "sync_items", item.screening_id, seal(metadata, content, recipients, keys)
        )

    def _receive(
        self,
        client: ServerClient,
        team: TeamKeys,
        me: Account,
        report: SyncReport,
    ) -> None:
        if not team.held and self.s.can(Verb.HOLD_TEAM_KEY):
            report.problems.append(
                "This computer has no copy of the team key yet, so the team's screenings wait "
                "on the server: a supervisor whose computer holds it approves this one by its "
                "code, or use the team recovery key (`screening-app team recover`)."
            )
            return  # nothing skipped: they arrive once the key is here
        after = int(get_meta(self.s.db, "sync_after_screenings") or 0)
        for entry in api.screenings_since(client, after):
            local = sync_repo.by_remote(self.s.db, entry.id, entry.version)
            with self.s.write("record what was received") as db:
                if local is not None:
                    self._follow_status(db, local, entry.status)
                elif (
                    entry.author != me.name
                    and team.held
                    and self._store_received(entry, team, report)
                ):
                    report.received += 1
                set_meta(db, "sync_after_screenings", str(entry.seq))

    def _store_received(self, entry: ScreeningCopy, team: TeamKeys, report: SyncReport) -> bool:
        try:
            body = verify(
                Sealed(unb64(entry.envelope), unb64(entry.signature)),
                bytes.fromhex(entry.author_device_key or ""),
            )
            opener = team.opener(int(body["metadata"].get("team_epoch") or 1))
            if opener is None:
                raise EnvelopeError("this computer has no copy of the team key it was sealed for")
            content = open_content(body, "team", opener)
        except (EnvelopeError, ValueError) as exc:
            report.problems.append(f"A screening from {entry.author} was not opened: {exc}")
            return False
        author = sync_repo.remote_user(
            self.s.db,
            int(entry.author_id),
            entry.author,
            self.s.user.team,
            self.s.now_text(),
        )
        meta = body["metadata"]
        form = self.s.registry.get(str(meta["form_id"]), int(meta["form_version"]))
        answers = dict(content["answers"])
        reference = str(content.get("reference") or "")[:64] or "CSE-received"
        local_id = self.screenings.store_received(form, answers, author, entry.status, reference)
        earlier = sync_repo.by_remote(self.s.db, entry.id, int(entry.version) - 1)
        if earlier is not None:  # an amendment: the version it replaces is superseded here too
            repo.update(self.s.db, repo.ALL, earlier.screening_id, {"status": "superseded"})
            repo.update(self.s.db, repo.ALL, local_id, {"previous_id": earlier.screening_id})
            signing.record(self.s, earlier.screening_id, "supersede")
        signing.record(
            self.s,
            local_id,
            "receive",
            {"from": signing.sender(entry.author_device_key, entry.signature)},
        )
        stored = repo.fetch(self.s.db, repo.ALL, local_id)
        if stored is not None and stored.operative_band is not None:
            codes = form.band_codes()
            if form.band_rank(stored.operative_band) >= len(codes) - 2:  # the two highest
                label = form.band(stored.operative_band).label
                report.urgent.append(f"{stored.reference} ({stored.child_name}): {label}")
        sync_repo.received(
            self.s.db,
            local_id,
            entry.id,
            int(entry.version),
            entry.author_device_box or "",
            self.s.now_text(),
        )
        return True

    def _follow_status(self, db: Database, local: sync_repo.SyncItem, status: str) -> None:
        record = repo.fetch(db, repo.ALL, local.screening_id)
        if record is not None and record.status != status and status in ("approved", "returned"):
            repo.update(db, repo.ALL, local.screening_id, {"status": status})
            signing.record(self.s, local.screening_id, "status", {"from": "the team server"})
