"""Transfer of a child's screenings to another setting, with a signed receipt (docs/GOVERNANCE.md,
"Transfer to another setting"; the file: sync/transfer.py).

- ``send``: a supervisor seals the child's current screenings (answers, status, outcomes) for a
  named receiving supervisor — for their registered computers, with the public keys the team
  server gives, or under a password sent separately. The transfer is a share: it asks with whom,
  what for and on what basis, and is a ``transfer_sent`` row of the audit trail per screening.
- ``receive``: the receiving supervisor opens it, the screenings are stored as received from
  that setting (scored here from the same answers, each with a signed fact naming the transfer),
  and a receipt signed with their account key is made — kept in their audit trail and written
  for the sender.
- ``record_receipt``: the sender checks the receipt (the transfer it names was made here, its
  digest matches, and for a keyed transfer the signer is one of the computers it was sealed for)
  and keeps it; the disclosure log then shows the transfer as received.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screening_app.domain import disclosure
from screening_app.domain.answers import validate
from screening_app.domain.capabilities import Verb
from screening_app.domain.disclosure import Share
from screening_app.errors import InputFileError, NotFound, ScreeningError, WorkflowError
from screening_app.files import read_regular
from screening_app.services import signing
from screening_app.services.screenings import ScreeningService
from screening_app.services.server_session import signed_in
from screening_app.services.session import Session
from screening_app.storage import audit, review_repo
from screening_app.storage import screenings_repo as repo
from screening_app.storage.driver import Database
from screening_app.sync import api, transfer
from screening_app.sync.transfer import TransferError

SENT, RECEIVED, RECEIPT = "transfer_sent", "transfer_received", "transfer_receipt"
CURRENT = ("submitted", "approved", "returned")
MIN_PASSWORD = 12


@dataclass(frozen=True)
class Sent:
    transfer_id: str
    to: str
    references: list[str]
    data: bytes  # the file


@dataclass(frozen=True)
class Received:
    transfer_id: str
    sender: str
    setting: str
    references: list[str]
    receipt: bytes  # the file for the sender
    again: bool = False  # received before: the same receipt once more


class TransferService:
    def __init__(self, session: Session, screenings: ScreeningService) -> None:
        self.s = session
        self.screenings = screenings

    # -- sending -------------------------------------------------------------------------
    def send(
        self,
        reference: str,
        to: str,
        share: Share,
        *,
        password: str | None = None,
        server_password: str | None = None,
    ) -> Sent:
        """The transfer file of the child of ``reference`` for supervisor ``to``: under
        ``password``, or else sealed for ``to``'s computers (keys from the team server)."""
        self.s.require(Verb.TRANSFER)
        to = " ".join(to.split())
        if not to:
            raise InputFileError("Name the receiving supervisor.")
        if password is not None and len(password) < MIN_PASSWORD:
            raise InputFileError(
                f"Use a transfer password of at least {MIN_PASSWORD} characters: a phrase of a "
                "few words is easy to read out and hard to guess."
            )
        record = self.s.by_reference(reference)
        if record.child_id is None:
            raise NotFound(f"Screening {record.reference} names no child record: nothing to send.")
        db, scope = self.s.db, self.s.scope()
        rows = [
            self.s.visible(r.id)
            for r in review_repo.child_screenings(db, scope, int(record.child_id))
            if r.status in CURRENT
        ]
        rows = [r for r in rows if r.content_removed_at is None]
        if not rows:
            raise WorkflowError("This child has no submitted screening here to transfer.")
        outcomes: dict[int, list[dict[str, str]]] = {}
        for o in review_repo.outcomes_of(db, [r.id for r in rows]):
            outcomes.setdefault(o.screening_id, []).append(
                {"code": o.code, "date": o.date, "note": o.note}
            )
        content = {
            "screenings": [
                {
                    "reference": r.reference,
                    "form_id": r.form_id,
                    "form_version": r.form_version,
                    "status": r.status,
                    "answers": repo.answers(db, scope, r.id),
                    "outcomes": outcomes.get(r.id, []),
                }
                for r in rows
            ]
        }
        keys = None if password is not None else self._keys_of(to, server_password)
        meta = {
            "transfer_id": str(uuid.uuid4()),
            "sender": self.s.user.name,
            "sender_key": self.s.store.keys.sign_public.hex(),
            "setting": self.s.user.team or "",
            "to": to,
            "how": transfer.LOCKED if password is not None else "keys",
            "made_at": self.s.now_text(),
            "screenings": len(rows),
        }
        data, digest = transfer.make(
            meta,
            content,
            self.s.store.keys,
            keys=[bytes.fromhex(k["x25519"]) for k in keys or []],
            password=password,
            kdf=self.s.store.kdf,
        )
        extra = {
            "transfer_id": meta["transfer_id"],
            "to": to,
            "how": meta["how"],
            "digest": digest,
            "receivers": [k["ed25519"] for k in keys or []],
        }
        references = [r.reference for r in rows]
        with self.s.write("record the transfer"):
            for ref in references:
                self.s.audit(SENT, ref, disclosure.detail(share, extra))
        return Sent(str(meta["transfer_id"]), to, references, data)

    def _keys_of(self, name: str, password: str | None) -> list[dict[str, str]]:
        with signed_in(self.s, password) as (client, _me):
            found = api.supervisor_keys(client, name)
        return [d.model_dump() for d in found.devices]

    # -- receiving -----------------------------------------------------------------------
    @staticmethod
    def read_file(path: Path) -> bytes:
        return read_regular(path, transfer.MAX_BYTES, "transfer file")

    @staticmethod
    def read_receipt(path: Path) -> bytes:
        return read_regular(path, transfer.MAX_RECEIPT, "receipt")

    @staticmethod
    def locked(data: bytes) -> bool:
        """Whether the transfer in ``data`` is locked under a password."""
        try:
            return bool(transfer.read(data).meta["how"] == transfer.LOCKED)
        except TransferError as exc:
            raise InputFileError(f"The transfer cannot be received: {exc}.") from None

    def receive(self, data: bytes, password: str | None = None) -> Received:
        """Store the screenings of a transfer for this supervisor; the receipt for the sender."""
        self.s.require(Verb.RECEIVE_TRANSFER)
        try:
            sent = transfer.read(data)
            meta = sent.meta
            before = self._received(sent.transfer_id)
            if before is not None:
                return before
            if meta["how"] == transfer.LOCKED:
                if password is None:
                    raise InputFileError(
                        "This transfer is locked under a password: give the password the sender "
                        "sent separately."
                    )
                if str(meta["to"]).casefold() != self.s.user.name.casefold():
                    raise WorkflowError(
                        f"This transfer is for {meta['to']}, not {self.s.user.name}: nothing was "
                        "stored."
                    )
                content = transfer.open_with_password(sent, password)
            else:
                content = transfer.open_with_keys(sent, self.s.store.keys)
        except TransferError as exc:
            raise InputFileError(f"The transfer cannot be received: {exc}.") from None
        return self._store(sent, content)

    def _store(self, sent: transfer.Transfer, content: dict[str, Any]) -> Received:
        meta, at = sent.meta, self.s.now_text()
        source = f"{meta['sender']} ({meta['setting'] or 'another setting'})"
        try:
            items = []
            for item in content["screenings"]:
                form = self.s.registry.get(str(item["form_id"]), int(item["form_version"]))
                answers = dict(item["answers"])
                wrong = validate(form, answers, self.s.today())
                if wrong:
                    raise ValueError(f"{item.get('reference')}: {wrong[0].message}")
                outcomes = [
                    (str(o["code"]), str(o["date"]), str(o.get("note") or ""))
                    for o in item.get("outcomes") or []
                ]
                items.append((form, item, answers, outcomes))
        except (KeyError, TypeError, ValueError, AttributeError, ScreeningError) as exc:
            raise InputFileError(
                f"The transfer holds a screening this app cannot read ({exc}): nothing was stored."
            ) from None
        references = []
        with self.s.write("store the transferred screenings") as db:
            for form, item, answers, outcomes in items:
                status = item.get("status") if item.get("status") in CURRENT else "submitted"
                new_id = self.screenings.store_received(
                    form,
                    answers,
                    self.s.user.id,
                    str(status),
                    str(item.get("reference") or "CSE-transferred")[:64],
                )
                came = {
                    "transfer_id": sent.transfer_id,
                    "from": source,
                    "sender_key": meta["sender_key"],
                    "digest": sent.digest(),
                }
                signing.record(self.s, new_id, "receive", {"transfer": came})
                for code, day, said in outcomes:
                    note = f"Recorded at {source}: {said}".strip()
                    outcome_id = review_repo.add_outcome(
                        db,
                        repo.ALL,
                        new_id,
                        code[:50],
                        day[:10],
                        note[:2000],
                        self.s.user.id,
                        at,
                    )
                    signing.record(
                        self.s, new_id, "outcome", {"transfer": came}, outcome_id=outcome_id
                    )
                stored = repo.fetch(db, repo.ALL, new_id)
                references.append(stored.reference if stored else "")
            receipt = transfer.receipt(sent, self.s.store.keys, self.s.user.name, at, references)
            detail = {
                "transfer_id": sent.transfer_id,
                "from": source,
                "receipt": base64.b64encode(receipt).decode("ascii"),
            }
            for ref in references:
                self.s.audit(RECEIVED, ref, json.dumps(detail, sort_keys=True))
        return Received(
            sent.transfer_id, str(meta["sender"]), str(meta["setting"]), references, receipt
        )

    def _received(self, transfer_id: str) -> Received | None:
        """The same transfer received before: its receipt again (nothing stored twice)."""
        found = []
        for row in audit.rows(self.s.db, actions=(RECEIVED,), limit=1_000_000):
            try:
                detail = json.loads(row.detail)
            except ValueError:
                continue
            if isinstance(detail, dict) and detail.get("transfer_id") == transfer_id:
                found.append((row.record, detail))
        if not found:
            return None
        receipt = base64.b64decode(found[0][1]["receipt"])
        body = transfer.read_receipt(receipt)
        sender, _, setting = str(found[0][1]["from"]).partition(" (")
        return Received(
            transfer_id, sender, setting.rstrip(")"), list(body["references"]), receipt, again=True
        )

    # -- the receipt back at the sender ---------------------------------------------------
    def record_receipt(self, data: bytes) -> dict[str, Any]:
        """Check a receipt against the transfer made here and keep it; the receipt."""
        self.s.require(Verb.KEEP_RECEIPT)
        try:
            body = transfer.read_receipt(data)
        except TransferError as exc:
            raise InputFileError(f"The receipt cannot be recorded: {exc}.") from None
        sent = self.sent().get(str(body["transfer_id"]))
        if sent is None:
            raise WorkflowError("This receipt is for a transfer not made on this computer.")
        references, extra = sent
        if body["digest"] != extra.get("digest"):
            raise WorkflowError("This receipt is for another version of the transfer: not kept.")
        receivers = extra.get("receivers") or []
        if receivers and body["receiver_key"] not in receivers:
            raise WorkflowError(
                f"This receipt was not signed by a computer of {extra.get('to')}: not kept."
            )
        if self.receipts().get(str(body["transfer_id"])) is not None:
            return body  # kept before
        with self.s.write("record the transfer's receipt"):
            for ref in references:
                self.s.audit(RECEIPT, ref, json.dumps(body, sort_keys=True))
        return body

    def sent(self) -> dict[str, tuple[list[str], dict[str, Any]]]:
        """The transfers made here: id → (references, what was recorded with them)."""
        found: dict[str, tuple[list[str], dict[str, Any]]] = {}
        for row in reversed(audit.rows(self.s.db, actions=(SENT,), limit=1_000_000)):
            _share, extra = disclosure.from_detail(row.detail)
            key = str(extra.get("transfer_id") or "")
            if key:
                found.setdefault(key, ([], extra))[0].append(str(row.record))
        return found

    def receipts(self) -> dict[str, dict[str, Any]]:
        """The receipts kept here: transfer id → receipt."""
        return kept_receipts(self.s.db)


def kept_receipts(db: Database) -> dict[str, dict[str, Any]]:
    """The transfers' receipts kept on this computer (audit rows), by transfer id."""
    found: dict[str, dict[str, Any]] = {}
    for row in audit.rows(db, actions=(RECEIPT,), limit=1_000_000):
        try:
            body = json.loads(row.detail)
            if not {"received_by", "received_at", "references"} <= set(body):
                continue  # a row the chain's check names anyway
            found[str(body["transfer_id"])] = body
        except (ValueError, KeyError, TypeError):
            continue  # a row the chain's check names anyway
    return found
