"""``POST /v1/screenings/batch``: up to MAX_BATCH screenings in one request, the way a computer
back from a week offline (or a whole authority after an outage) sends its queue.

Each envelope is checked as a single upload is (its device's signature, its metadata), then all
are stored in one transaction, under one lock of the team's audit chain, each in a savepoint of
its own: the answer says, item by item and in order, what a single upload would have said —
201 stored, 200 already here (the same envelope: a retry), 409 a conflict, 422 malformed, 403
someone else's — and one item's refusal leaves the others stored. Killed mid-batch, the server
stores none of it; the retry stores it all once (uploads are idempotent)."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from fastapi import APIRouter, Depends

from screening_app.server import audit, rows
from screening_app.server.problems import Invalid, ServerError, TooLarge
from screening_app.server.screenings import (
    INSERT,
    again,
    checked_upload,
    refusal,
    row_of,
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
    checked = []
    for n, (envelope, signature) in enumerate(items):
        if envelope is None or signature is None:
            answers[n] = {"status": 422, "detail": "The envelope or signature is not base64."}
            continue
        try:
            checked.append(
                (n, checked_upload(caller, envelope, signature, key), envelope, signature)
            )
        except ServerError as exc:
            answers[n] = _refused(exc)
    if checked:
        with store.acting(caller) as conn:
            audit.lock(conn, caller.account.team_id or 0)  # first: the order every writer keeps
            epoch = team_epoch(conn, caller)
            try:
                with conn.transaction():  # a savepoint: on a value PostgreSQL refuses, item by item
                    _store_together(store, conn, caller, checked, epoch, answers)
            except psycopg.DataError:
                _store_one_by_one(store, conn, caller, checked, epoch, answers)
    return answers


Checked = list[tuple[int, dict[str, Any], bytes, bytes]]


def _store_together(
    store: ServerStore,
    conn: psycopg.Connection,
    caller: Caller,
    checked: Checked,
    epoch: tuple[int, bool] | None,
    answers: list[dict[str, Any]],
) -> None:
    """The whole batch in a few statements: what is already here (and each amendment's earlier
    version) in one query, the new ones in one pipelined insert, one audit row."""
    wanted = {(m["id"], m["version"]) for _n, m, _e, _s in checked}
    wanted |= {(m["id"], m["version"] - 1) for _n, m, _e, _s in checked if m["version"] > 1}
    ids, versions = zip(*wanted, strict=True)
    held = {
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
    with conn.cursor() as cursor:
        cursor.executemany(
            INSERT, [row_of(caller, m, e, s) for _n, m, e, s in going], returning=True
        )
        made: set[tuple[Any, int]] = set()
        while True:
            made.update((sid, version) for sid, version in cursor.fetchall())
            if not cursor.nextset():
                break
    for n, meta, _envelope, _signature in going:
        if (meta["id"], meta["version"]) in made:
            answers[n] = {"status": 201, "state": "submitted"}
        else:  # not visible, and not this caller's to write: someone else's
            answers[n] = {"status": 403, "detail": "That screening belongs to someone else."}
    if made:
        listed = ",".join(f"{sid}/v{version}" for sid, version in sorted(made, key=str))
        store.audit_as(conn, caller, "screenings_received", f"{len(made)} screenings", listed)


@dataclass(frozen=True)
class _Held:
    """A version the server holds already (or the one an amendment follows)."""

    id: uuid.UUID
    version: int
    envelope: bytes | None  # None once a deletion removed the content
    status: str
    author_id: int

    def content(self) -> bytes | None:
        return None if self.envelope is None else bytes(self.envelope)


def _store_one_by_one(
    store: ServerStore,
    conn: psycopg.Connection,
    caller: Caller,
    checked: Checked,
    epoch: tuple[int, bool] | None,
    answers: list[dict[str, Any]],
) -> None:
    for n, meta, envelope, signature in checked:
        try:
            with conn.transaction():  # a savepoint: a refusal undoes this item only
                stored = store_upload(store, conn, caller, meta, envelope, signature, epoch)
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


def router(store: ServerStore, caller: Callable[..., Caller]) -> APIRouter:
    routes = APIRouter()
    signed_in = Depends(caller)

    @routes.post(BATCH_PATH, response_model=BatchAnswer)
    def send_batch(body: Batch, who: Caller = signed_in) -> dict[str, Any]:
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
