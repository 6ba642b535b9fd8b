"""Sending the queued screenings to the team server: in batches over the one connection the
sync keeps open (``POST /v1/screenings/batch``, up to ``BATCH`` screenings or ``BATCH_CHARS``
of envelope each), every item answered as a single upload would be (docs/SERVER.md). A server
that does not know batches (older than this desktop) gets them one request each, as before.

An item refused (409 a conflict, 422 malformed) stays queued with the server's sentence and the
others go on; a failure of the whole request (the server unreachable, the session ended, the
server failing) stops the round with the queue intact: nothing is lost, the next sync tries
again and the server stores each screening once."""

from __future__ import annotations

from collections.abc import Iterator

from screening_app.services.session import Session
from screening_app.services.sync_report import SyncReport
from screening_app.storage import sync_repo
from screening_app.sync import api
from screening_app.sync.client import ServerClient, SyncError, b64
from screening_app.sync.envelope import Sealed

BATCH = 100  # the server's limit (server/batches.py)
BATCH_CHARS = 1_500_000  # of base64 per request: under the server's 2 MB body limit
STOP = (0, 401, 403, 413, 500, 502, 503)  # the round ends: nothing more will go now


def batches(items: list[tuple[int, Sealed]]) -> Iterator[list[tuple[int, Sealed]]]:
    """``items`` in order, cut at BATCH items or BATCH_CHARS (one item larger goes alone)."""
    chunk: list[tuple[int, Sealed]] = []
    size = 0
    for item in items:
        grows = (len(item[1].envelope) + len(item[1].signature)) * 4 // 3 + 100
        if chunk and (len(chunk) == BATCH or size + grows > BATCH_CHARS):
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += grows
    if chunk:
        yield chunk


def send(
    session: Session, client: ServerClient, items: list[tuple[int, Sealed]], report: SyncReport
) -> None:
    done = 0  # how many items the batches so far held
    for chunk in batches(items):
        try:
            answers = api.send_batch(client, [_body(sealed) for _sid, sealed in chunk])
        except SyncError as exc:
            if exc.status in (404, 405):  # a server older than batches: the rest one by one
                _one_by_one(session, client, items[done:], report)
                return
            report.problems.append(exc.message)  # once for the request, kept on each item
            for screening_id, _sealed in chunk:
                _failed(session, screening_id, exc, None)
            if exc.status in STOP:
                return
            done += len(chunk)
            continue
        done += len(chunk)
        refused = []
        with session.write("record what was sent") as db:
            for (screening_id, _sealed), result in zip(chunk, answers, strict=True):
                if result.status in (200, 201):
                    sync_repo.mark(db, screening_id, "sent", "", session.now_text())
                    report.sent += 1
                else:
                    refused.append((screening_id, result))
        for screening_id, result in refused:
            message = result.detail or f"The server answered {result.status}."
            _failed(session, screening_id, SyncError(message, result.status), report)


def _one_by_one(
    session: Session, client: ServerClient, items: list[tuple[int, Sealed]], report: SyncReport
) -> None:
    for screening_id, sealed in items:
        try:
            api.send_screening(client, **_body(sealed))
        except SyncError as exc:
            _failed(session, screening_id, exc, report)
            if exc.status in STOP:
                return
            continue
        with session.write("record what was sent") as db:
            sync_repo.mark(db, screening_id, "sent", "", session.now_text())
        report.sent += 1


def _body(sealed: Sealed) -> dict[str, str]:
    return {"envelope": b64(sealed.envelope), "signature": b64(sealed.signature)}


def _failed(session: Session, screening_id: int, exc: SyncError, report: SyncReport | None) -> None:
    if report is not None:
        report.problems.append(exc.message)
    with session.write("record the failure") as db:
        sync_repo.mark(db, screening_id, "queued", exc.message, session.now_text())
