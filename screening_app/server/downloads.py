"""Screenings sent down to a team's computers: each sealed version the caller may see (row-level
security decides, schema.py), oldest first, a page at a time, with what its reader needs to
check it — the author's device keys."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass

from screening_app.server import rows
from screening_app.server.store import Caller, ServerStore
from screening_app.sync.wire import ScreeningCopy

PAGE = 200


@dataclass(frozen=True)
class _Listed:
    seq: int
    id: uuid.UUID
    version: int
    status: str
    envelope: bytes
    signature: bytes
    author: str
    author_key: bytes | None
    author_box: bytes | None
    author_id: int

    def copy(self) -> ScreeningCopy:
        return ScreeningCopy(
            seq=self.seq,
            id=str(self.id),
            version=self.version,
            status=self.status,
            author=self.author,
            author_id=self.author_id,
            envelope=b64(bytes(self.envelope)),
            signature=b64(bytes(self.signature)),
            author_device_key=bytes(self.author_key).hex() if self.author_key else None,
            author_device_box=bytes(self.author_box).hex() if self.author_box else None,
        )


def since(store: ServerStore, caller: Caller, after: int) -> list[ScreeningCopy]:
    """The screenings this caller may see, uploaded after ``after`` (oldest first, a page)."""
    with store.acting(caller) as conn:
        listed = rows.every(
            conn,
            _Listed,
            "SELECT s.seq, s.id, s.version, s.status, s.envelope, s.signature, a.name AS author, "
            "d.sign_public AS author_key, d.box_public AS author_box, a.id AS author_id "
            "FROM screenings s JOIN accounts a ON a.id = s.author_id "
            "LEFT JOIN devices d ON d.id = s.device_id WHERE s.seq > %s "
            "AND s.envelope IS NOT NULL ORDER BY s.seq LIMIT %s",
            [after, PAGE],
        )
    return [row.copy() for row in listed]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
