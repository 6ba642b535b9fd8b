"""Uploads and downloads of end-to-end encrypted screenings (their children's tags filled in
later: child_tags.py).

The server checks what it can without reading content: the envelope's shape, the author
device's signature over it, and the clear metadata (form, band codes, month, team). Row-level
security decides what each account may read (schema.py). An upload is idempotent: the same
screening id and version twice is stored once; a different envelope under the same id and version
is a 409 with the current state.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from psycopg.rows import class_row

from screening_app import crypto
from screening_app.domain.capabilities import Verb
from screening_app.domain.registry import FormRegistry
from screening_app.paths import forms_dir
from screening_app.server import audit, devices, permissions, rows
from screening_app.server.problems import Conflict, Invalid, Refused, ServerError
from screening_app.server.store import Caller, ServerStore
from screening_app.sync.envelope import EnvelopeError, parse

MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
TAG = re.compile(r"^[0-9a-f]{64}$")


@functools.cache
def band_codes() -> frozenset[str]:
    """The bands the installed forms give (forms are data: a new form's bands come with it)."""
    return FormRegistry(forms_dir()).band_codes()


@dataclass(frozen=True)
class Stored:
    created: bool
    status: str


def _text(value: Any, limit: int, *, optional: bool = False) -> Any:
    """A string of the signed metadata (``None`` when optional and absent); no NUL, cut at
    ``limit``; anything else is malformed."""
    if value is None and optional:
        return None
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError("not text")
    return value[:limit]


def _number(value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("not a number")
    number = int(value)
    if not low <= number <= high:
        raise ValueError("out of range")
    return number


def _metadata(body: dict[str, Any], caller: Caller) -> dict[str, Any]:
    meta = body.get("metadata")
    try:
        if not isinstance(meta, dict):
            raise ValueError("no metadata")
        models = meta.get("models") or []
        types = meta.get("types") or []  # of exploitation: form version 4 on
        if not isinstance(models, list) or not isinstance(types, list):
            raise ValueError("models or types is not a list")
        checked = {
            "id": uuid.UUID(_text(meta["id"], 100)),
            "version": _number(meta["version"], 1, 100_000),
            "team": _text(meta["team"], 200),
            "form_id": _text(meta["form_id"], 100),
            "form_version": _number(meta["form_version"], 1, 10_000),
            "screening_month": _text(meta["screening_month"], 20),
            "operative_band": _text(meta.get("operative_band"), 20, optional=True),
            "la_area": _text(meta.get("la_area") or "", 100),
            "models": [_text(m, 50) for m in models][:20],
            "types": [_text(t, 50) for t in types][:20],
            "practitioner_role": _text(meta.get("practitioner_role") or "", 50),
            "child_tag": _text(meta.get("child_tag"), 100, optional=True),
            "team_epoch": _number(meta.get("team_epoch") or 1, 1, 100_000),
        }
    except (KeyError, TypeError, ValueError):
        raise Invalid("The screening's metadata is incomplete or malformed.") from None
    if not MONTH.match(checked["screening_month"]):
        raise Invalid("The screening's month is malformed.")
    if checked["operative_band"] is not None and checked["operative_band"] not in band_codes():
        raise Invalid("The screening's band is not one of the form's bands.")
    tag = checked["child_tag"]
    if tag is not None and not TAG.match(tag):
        raise Invalid("The screening's child tag is malformed.")
    if checked["team"] != caller.account.team:
        raise Refused("A screening is sent to its author's own team.")
    return checked


def signed_body(
    store: ServerStore, caller: Caller, envelope: bytes, signature: bytes, what: str
) -> dict[str, Any]:
    """The envelope's body, if the caller's registered device signed it (else 403/422)."""
    if caller.device_id is None:
        raise Refused(f"Register this device before sending a {what}.")
    try:
        body = parse(envelope)
    except EnvelopeError as exc:
        raise Invalid(f"The {what} cannot be read: {exc}.") from None
    device_key = devices.device_sign_public(store, caller)
    if not crypto.verify(device_key, signature, crypto.digest(body)):
        raise Invalid(f"The {what}'s signature is not this device's.")
    return body


def upload(store: ServerStore, caller: Caller, envelope: bytes, signature: bytes) -> Stored:
    """One screening (batches: server/batches.py). The common case, a new screening under the
    team's current key, takes two round trips: what is held already, the team key's epoch and
    the version before are read together; then the team chain's lock, the insert with its audit
    row and the COMMIT go at once (psycopg's pipeline), so that the team's uploads wait for each
    other only while PostgreSQL works, never for this worker's threads. When that insert finds
    the key changed or the same screening arrived meanwhile, nothing was written, and the
    careful way (store_upload, each step under the lock) gives the answer."""
    key = uploader_key(store, caller)
    meta = checked_upload(caller, envelope, signature, key)
    team = caller.account.team_id or 0
    with store.acting(caller, pipelined=True) as conn:
        held = conn.cursor(row_factory=class_row(Held)).execute(
            _HELD, [meta["id"], meta["version"]]
        )
        epoch = conn.cursor(row_factory=class_row(Epoch)).execute(_EPOCH, [team])
        earlier = _earlier(conn, caller, meta)
        same = held.fetchone()  # the three answers in one round trip
        if same is not None:
            return again(same.content(), envelope, same.status)
        current = epoch.fetchone()
        refused = refusal(meta, current, _follows(earlier))
        if refused is not None:
            raise refused
        if current is not None:
            audit.lock(conn, team)
            write, params = audit.after(
                INSERT_IF_CURRENT,
                [*row_of(caller, meta, envelope, signature), team, current.key_epoch],
                store.clock(),
                caller.account.id,
                "screening_received",
                audit.version_record(meta["id"], meta["version"]),
                team,
            )
            written = conn.execute(write, params)
    if current is not None and written.fetchone() is not None:
        return Stored(True, "submitted")
    with store.acting(caller) as conn:

        def locked() -> Epoch | None:
            audit.lock(conn, team)  # before any write, as every writer
            return team_epoch(conn, caller)

        return store_upload(store, conn, caller, meta, envelope, signature, locked)


def _earlier(conn: Any, caller: Caller, meta: dict[str, Any]) -> Any:
    """The query for the version before an amendment, by its author (None for a first
    version); sent, not yet read."""
    if meta["version"] == 1:
        return None
    return conn.execute(_EARLIER, [meta["id"], meta["version"] - 1, caller.account.id])


def _follows(earlier: Any) -> bool:
    """From ``_earlier``'s query: a first version, or an amendment whose version before is its
    author's own on the server."""
    return earlier is None or earlier.fetchone() is not None


def uploader_key(store: ServerStore, caller: Caller) -> bytes:
    """The registered device key of a caller who may send screenings (else 403)."""
    permissions.require_device(caller, Verb.SEND_SCREENINGS)
    return devices.device_sign_public(store, caller)


def checked_upload(caller: Caller, envelope: bytes, signature: bytes, key: bytes) -> dict[str, Any]:
    """The metadata of an envelope the device of ``key`` signed (else 422/403); no database."""
    read = read_upload(caller, envelope)
    return read.checked(crypto.verify(key, signature, read.signed))


@dataclass(frozen=True)
class Read:
    """An envelope read but its signature not yet checked: what the signature must cover, and
    the metadata or why it is refused (told only once the signature holds)."""

    signed: bytes
    metadata: dict[str, Any] | ServerError

    def checked(self, signature_holds: bool) -> dict[str, Any]:
        """The metadata, once the signature is known (else 422/403)."""
        if not signature_holds:
            raise Invalid("The screening's signature is not this device's.")
        if isinstance(self.metadata, ServerError):
            raise self.metadata
        return self.metadata


def read_upload(caller: Caller, envelope: bytes) -> Read:
    """The envelope read (else 422); its signature is checked apart (batches check many
    side by side)."""
    try:
        body = parse(envelope)
    except EnvelopeError as exc:
        raise Invalid(f"The screening cannot be read: {exc}.") from None
    try:
        metadata: dict[str, Any] | ServerError = _metadata(body, caller)
    except ServerError as exc:
        metadata = exc
    return Read(crypto.digest(body), metadata)


@dataclass(frozen=True)
class Epoch:
    """The team key's current epoch, and whether a supervisor's leaving means it must change."""

    key_epoch: int
    rotation_due: bool


def team_epoch(conn: Any, caller: Caller) -> Epoch | None:
    return rows.one(conn, Epoch, _EPOCH, [caller.account.team_id])


_EPOCH = "SELECT key_epoch, rotation_due FROM teams WHERE id = %s"
_HELD = "SELECT envelope, status FROM screenings WHERE id = %s AND version = %s"
_EARLIER = "SELECT 1 FROM screenings WHERE id = %s AND version = %s AND author_id = %s"
# the insert's head and tail, shared with a batch's INSERT over arrays (batches.py)
INSERT_INTO = (
    "INSERT INTO screenings (id, version, team_id, author_id, device_id, form_id, "
    "form_version, status, screening_month, operative_band, la_area, models, types, "
    "practitioner_role, envelope, signature, child_tag, team_epoch) "
)
_VALUES = "%s, %s, %s, %s, %s, %s, %s, 'submitted', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s"
ONCE = " ON CONFLICT (id, version) DO NOTHING RETURNING id, version"
INSERT = f"{INSERT_INTO}VALUES ({_VALUES}){ONCE}"
# the same, only while the team's key is still at the epoch read before the lock
_CURRENT = " FROM teams WHERE id = %s AND key_epoch = %s AND NOT rotation_due"
INSERT_IF_CURRENT = f"{INSERT_INTO}SELECT {_VALUES}{_CURRENT}{ONCE}"


def row_of(caller: Caller, meta: dict[str, Any], envelope: bytes, signature: bytes) -> list[Any]:
    """The parameters of INSERT for one checked screening."""
    return [
        meta["id"],
        meta["version"],
        caller.account.team_id,
        caller.account.id,
        caller.device_id,
        meta["form_id"],
        meta["form_version"],
        meta["screening_month"],
        meta["operative_band"],
        meta["la_area"],
        meta["models"],
        meta["types"],
        meta["practitioner_role"],
        envelope,
        signature,
        meta["child_tag"],
        meta["team_epoch"],
    ]


def refusal(meta: dict[str, Any], epoch: Epoch | None, has_earlier: bool) -> ServerError | None:
    """Why a screening that is not here yet cannot be stored now (None: it can)."""
    if epoch is not None and epoch.rotation_due:
        return Conflict(
            "A supervisor has left your team and its key is being changed: this screening "
            "waits on your computer until a supervisor of your team syncs.",
        )
    if epoch is not None and meta["team_epoch"] != epoch.key_epoch:
        return Conflict(
            f"The team key has changed (it is now at epoch {epoch.key_epoch}); sync again."
        )
    if meta["version"] > 1 and not has_earlier:
        return Conflict("An amendment follows the version before it, by its author.")
    return None


def store_upload(
    store: ServerStore,
    conn: Any,
    caller: Caller,
    meta: dict[str, Any],
    envelope: bytes,
    signature: bytes,
    locked: Callable[[], Epoch | None],
) -> Stored:
    """Store one checked screening in the caller's transaction. What is here already is read
    first; ``locked`` then holds the team's chain (if not held yet) and gives the team key's
    epoch, read under the lock: the uploads of a team wait for each other only while they
    write."""
    already = _already(conn, meta, envelope)
    if already is not None:
        return already
    earlier = _follows(_earlier(conn, caller, meta))
    refused = refusal(meta, locked(), earlier)
    if refused is not None:
        raise refused
    row = conn.execute(INSERT, row_of(caller, meta, envelope, signature)).fetchone()
    if row is not None:
        record = audit.version_record(meta["id"], meta["version"])
        store.audit_as(conn, caller, "screening_received", record, chain_held=True)
        return Stored(True, "submitted")
    already = _already(conn, meta, envelope)  # the same upload, at the same moment
    if already is not None:
        return already
    # someone else's: row-level security hides it, and it is not this caller's to write
    raise Refused("That screening belongs to someone else.")


def _already(conn: Any, meta: dict[str, Any], envelope: bytes) -> Stored | None:
    """This very version again (a retry after a lost answer): stored once; 409 when the same
    id and version came with other content."""
    same = rows.one(conn, Held, _HELD, [meta["id"], meta["version"]])
    if same is None:
        return None
    return again(same.content(), envelope, same.status)


@dataclass(frozen=True)
class Held:
    """A version the server holds already: its sealed content and its status."""

    envelope: bytes | None  # None once a deletion removed the content
    status: str

    def content(self) -> bytes | None:
        return None if self.envelope is None else bytes(self.envelope)


def again(there: bytes | None, envelope: bytes, status: str) -> Stored:
    """A version already here (``there``: its envelope, None once deleted) sent once more:
    the same envelope is a retry (200); anything else a 409."""
    if there is None:
        raise Conflict(
            "This screening was deleted at the end of its retention period; it is not taken again.",
        )
    if there != envelope:
        raise Conflict(f"This version was already sent with other content ({status}).")
    return Stored(False, status)
