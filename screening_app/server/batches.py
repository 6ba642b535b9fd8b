"""``POST /v1/screenings/batch``: up to MAX_BATCH screenings in one request, the way a computer
back from a week offline (or a whole authority after an outage) sends its queue.

Each envelope is checked as a single upload is (its device's signature, its metadata), then all
are stored in one transaction, under one lock of the team's audit chain, in one statement (item
by item, each in a savepoint, if PostgreSQL refuses a value). The answer says, item by item and
in order, what a single upload would have said: 201 stored, 200 already here (the same envelope:
a retry), 409 a conflict, 422 malformed, 403 someone else's; one item's refusal leaves the
others stored. Killed mid-batch, the server stores none of it; the retry stores it all once
(uploads are idempotent)."""

from __future__ import annotations

import base64
import json
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import psycopg
from fastapi import APIRouter, Depends

from screening_app import crypto
from screening_app.server import audit, rows
from screening_app.server.bearer import Bearer, BearerDependency
from screening_app.server.problems import Invalid, ServerError, TooLarge
from screening_app.server.routing import Router
from screening_app.server.screenings import (
    INSERT_INTO,
    ONCE,
    Epoch,
    Held,
    Read,
    again,
    read_upload,
    refusal,
    store_upload,
    team_epoch,
    uploader_key,
)
from screening_app.server.store import UNSTORABLE, Caller, ServerStore
from screening_app.sync.wire import BATCH_PATH, Batch, BatchAnswer, Upload

MAX_BATCH = 100


def upload_many(
    store: ServerStore, caller: Caller, items: list[tuple[bytes | None, bytes | None]]
) -> list[dict[str, Any]]:
    """Each item's answer, in order (an item that is not base64 is ``(None, None)``)."""
    if len(items) > MAX_BATCH:
        raise TooLarge(
            f"A batch holds at most {MAX_BATCH} screenings and this one has {len(items)}: send "
            f"them in batches of {MAX_BATCH} or fewer.",
        )
    key = uploader_key(store, caller)
    answers: list[dict[str, Any]] = [{} for _ in items]
    read: dict[int, tuple[Read, bytes, bytes]] = {}
    # the signatures are checked on other threads, the first half's while the second half is
    # read, the second's while the transaction opens and reads what is held
    signatures = _Verifier(key, len(items))
    for n, (envelope, signature) in enumerate(items):
        if envelope is None or signature is None:
            answers[n] = _refused(Invalid("The envelope or signature is not base64."))
            continue
        try:
            read[n] = (read_upload(caller, envelope), envelope, signature)
        except ServerError as exc:
            answers[n] = _refused(exc)
            continue
        signatures.add(signature, read[n][0].signed)
    signatures.start()
    if not read:
        return answers
    team = caller.account.team_id or 0
    checked: Checked = []
    try:
        with store.acting(caller) as conn:
            audit.lock(conn, team)  # first: the order every writer keeps
            epoch = team_epoch(conn, caller)
            held = _held(conn, [r.metadata for r, _e, _s in read.values()])
            checked = _signed(read, signatures.answers(), answers)
            if checked:
                _store_together(store, conn, caller, checked, epoch, held, answers)
    except psycopg.DataError:  # a value PostgreSQL refuses: all undone, then item by item
        checked = checked or _signed(read, signatures.answers(), answers)
        with store.acting(caller) as conn:
            audit.lock(conn, team)
            _store_one_by_one(store, conn, caller, checked, team_epoch(conn, caller), answers)
    return answers


def _signed(
    read: dict[int, tuple[Read, bytes, bytes]], holds: list[bool], answers: list[dict[str, Any]]
) -> Checked:
    """The items whose signature holds and whose metadata is good; the others' refusals."""
    checked = []
    for (n, (r, envelope, signature)), signed in zip(read.items(), holds, strict=True):
        try:
            checked.append((n, r.checked(signed), envelope, signature))
        except ServerError as exc:
            answers[n] = _refused(exc)
    return checked


Checked = list[tuple[int, dict[str, Any], bytes, bytes]]

# The Ed25519 checks are most of a batch's work on the server, and the cryptography library
# releases the GIL while it checks: a batch is checked in two halves side by side, while the
# request's thread opens the transaction.
_CHECKERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="batch-check")
_SIDE_BY_SIDE = 16  # fewer items than this are checked in one part


class _Verifier:
    """Each (signature, what it signs) checked against ``key`` on the checkers' threads, in two
    parts for a batch of _SIDE_BY_SIDE or more: the first starts as soon as half the batch is
    added. ``answers`` waits for them, in order."""

    def __init__(self, key: bytes, size: int) -> None:
        self.key = key
        self.part = size if size < _SIDE_BY_SIDE else (size + 1) // 2
        self.waiting: list[tuple[bytes, bytes]] = []
        self.running: list[Future[list[bool]]] = []

    def add(self, signature: bytes, signed: bytes) -> None:
        self.waiting.append((signature, signed))
        if len(self.waiting) >= self.part:
            self.start()

    def start(self) -> None:
        """Start checking what was added and is not yet being checked."""
        if self.waiting:
            self.running.append(_CHECKERS.submit(self._check, self.waiting))
            self.waiting = []

    def _check(self, part: list[tuple[bytes, bytes]]) -> list[bool]:
        return [crypto.verify(self.key, signature, signed) for signature, signed in part]

    def answers(self) -> list[bool]:
        self.start()
        return [holds for part in self.running for holds in part.result()]


def _held(conn: psycopg.Connection, metas: list[dict[str, Any] | ServerError]) -> HeldHere:
    """What the server holds already of the batch's versions (and of each amendment's earlier
    version), in one query."""
    readable = [m for m in metas if isinstance(m, dict)]
    wanted = {(m["id"], m["version"]) for m in readable}
    wanted |= {(m["id"], m["version"] - 1) for m in readable if m["version"] > 1}
    if not wanted:
        return {}
    ids, versions = zip(*wanted, strict=True)
    return {
        (row.id, row.version): row
        for row in rows.every(
            conn,
            _Held,
            "SELECT s.id, s.version, s.envelope, s.status, s.author_id FROM screenings s "
            "JOIN unnest(%s::uuid[], %s::integer[]) AS k(id, version) "
            "ON s.id = k.id AND s.version = k.version",
            [list(ids), list(versions)],
        )
    }


def _store_together(
    store: ServerStore,
    conn: psycopg.Connection,
    caller: Caller,
    checked: Checked,
    epoch: Epoch | None,
    held: HeldHere,
    answers: list[dict[str, Any]],
) -> None:
    """The whole batch in two statements: the new ones in one insert, one audit row."""
    fresh: dict[tuple[Any, int], bytes] = {}
    going = []
    for n, meta, envelope, signature in checked:
        key = (meta["id"], meta["version"])
        if key in held or key in fresh:
            there = held[key].content() if key in held else fresh[key]
            status = held[key].status if key in held else "submitted"
            try:
                answers[n] = {"status": 200, "state": again(there, envelope, status).status}
            except ServerError as exc:
                answers[n] = _refused(exc)
            continue
        earlier = (meta["id"], meta["version"] - 1)
        own = (earlier in held and held[earlier].author_id == caller.account.id) or earlier in fresh
        refused = refusal(meta, epoch, meta["version"] == 1 or own)
        if refused is not None:
            answers[n] = _refused(refused)
            continue
        fresh[key] = envelope
        going.append((n, meta, envelope, signature))
    if not going:
        return
    made = {
        (sid, version)
        for sid, version in conn.execute(INSERT_MANY, _columns(caller, going)).fetchall()
    }
    for n, meta, _envelope, _signature in going:
        if (meta["id"], meta["version"]) in made:
            answers[n] = {"status": 201, "state": "submitted"}
        else:  # not visible, and not this caller's to write: someone else's
            answers[n] = {"status": 403, "detail": "That screening belongs to someone else."}
    if made:
        listed = ",".join(
            audit.version_record(sid, version) for sid, version in sorted(made, key=str)
        )
        detail = f"{len(made)} screenings"
        store.audit_as(conn, caller, "screenings_received", detail, listed, chain_held=True)


# One statement for the whole batch, its rows as one array per column: the figures' trigger
# (per statement) marks the batch's months once, not once per screening, and PostgreSQL plans
# and answers once. A list (the models, the types) travels as JSON text and is unpacked here.
# The same head and tail as a single upload's INSERT (screenings.py), which stays a plain VALUES
# insert: this form made single uploads about a tenth slower (50 clients 344-355 -> 304-311
# requests/s). test_a_batch_stores_each_column_as_a_single_upload_does keeps the two alike.
_FROM_ARRAYS = (
    "SELECT k.id, k.version, %s, %s, %s, k.form_id, k.form_version, 'submitted', k.month, "
    "k.band, k.area, ARRAY(SELECT jsonb_array_elements_text(k.models::jsonb)), "
    "ARRAY(SELECT jsonb_array_elements_text(k.types::jsonb)), k.role, k.envelope, k.signature, "
    "k.tag, k.epoch FROM unnest(%s::uuid[], %s::integer[], %s::text[], %s::integer[], "
    "%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %b::bytea[], "
    "%b::bytea[], %s::text[], %s::integer[]) AS k(id, version, form_id, form_version, month, "
    "band, area, models, types, role, envelope, signature, tag, epoch)"
)
INSERT_MANY = f"{INSERT_INTO}{_FROM_ARRAYS}{ONCE}"


def _columns(caller: Caller, going: Checked) -> list[Any]:
    """INSERT_MANY's parameters: who sends, then each column of the batch's rows."""
    account = caller.account
    metas = [meta for _n, meta, _e, _s in going]
    return [
        account.team_id,
        account.id,
        caller.device_id,
        *(
            [meta[name] for meta in metas]
            for name in ("id", "version", "form_id", "form_version", "screening_month")
        ),
        [meta["operative_band"] for meta in metas],
        [meta["la_area"] for meta in metas],
        [json.dumps(meta["models"]) for meta in metas],
        [json.dumps(meta["types"]) for meta in metas],
        [meta["practitioner_role"] for meta in metas],
        [envelope for _n, _m, envelope, _s in going],
        [signature for _n, _m, _e, signature in going],
        [meta["child_tag"] for meta in metas],
        [meta["team_epoch"] for meta in metas],
    ]


@dataclass(frozen=True)
class _Held(Held):
    """A version the server holds already (or the one an amendment follows), and whose."""

    id: uuid.UUID
    version: int
    author_id: int


HeldHere = dict[tuple[uuid.UUID, int], _Held]


def _store_one_by_one(
    store: ServerStore,
    conn: psycopg.Connection,
    caller: Caller,
    checked: Checked,
    epoch: Epoch | None,
    answers: list[dict[str, Any]],
) -> None:
    for n, meta, envelope, signature in checked:
        try:
            with conn.transaction():  # a savepoint: a refusal undoes this item only
                stored = store_upload(store, conn, caller, meta, envelope, signature, lambda: epoch)
        except ServerError as exc:
            answers[n] = _refused(exc)
            continue
        except psycopg.DataError:
            answers[n] = _refused(Invalid(UNSTORABLE))
            continue
        answers[n] = {"status": 201 if stored.created else 200, "state": stored.status}


def _refused(exc: ServerError) -> dict[str, Any]:
    """An item's answer where a single upload would have been refused."""
    return {"status": exc.status, "detail": exc.message}


def router(store: ServerStore, bearer: BearerDependency) -> APIRouter:
    routes = Router()
    signed_in = Depends(bearer)

    @routes.post(BATCH_PATH, response_model=BatchAnswer)
    def send_batch(body: Batch, bearer: Bearer = signed_in) -> dict[str, Any]:
        who = bearer.caller()
        return {"results": upload_many(store, who, [_decoded(i) for i in body.items])}

    return routes


def _decoded(item: Upload) -> tuple[bytes | None, bytes | None]:
    try:
        return (
            base64.b64decode(item.envelope, validate=True),
            base64.b64decode(item.signature, validate=True),
        )
    except ValueError:
        return None, None
