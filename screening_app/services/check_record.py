"""A checking account's own signed record of how far every signature verified (``db check``
and the sign-in check): the next check verifies only rows added since, or every row again when
any of those it vouched for changed. Only the account's own record is trusted, so nobody can
vouch for a row in its name (docs/SECURITY.md, "Signed facts")."""

from __future__ import annotations

import json
from typing import Any

from screening_app import crypto
from screening_app.domain.registry import FormRegistry
from screening_app.services.integrity import Verified, check_facts
from screening_app.services.integrity_parts import unhex
from screening_app.services.session import Session
from screening_app.storage import audit, signatures_repo
from screening_app.storage.opened import get_meta, set_meta


def _cache_key(account_id: int) -> str:
    return f"verified_by:{account_id}"


def verified(session: Session, newest: tuple[str, str] | None = None) -> Verified:
    """What the signed-in account verified before, if its record is its own and those rows are
    unchanged; nothing otherwise. ``newest``: the hashes of every signature and audit row now
    (when the record goes as far as they do, nothing need be hashed again)."""
    db = session.db
    raw = get_meta(db, _cache_key(session.user.id))
    if raw is None:
        return Verified()
    try:
        record = json.loads(raw)
        signed = {k: v for k, v in record.items() if k != "sig"}
        upto_signatures, upto_audit = int(record["signatures"]), int(record["audit"])
        account = session.store.keyring.directory.accounts[session.user.id]
        mine = any(
            crypto.verify(key, unhex(record["sig"]), crypto.digest(signed))
            for key in account.sign_keys
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return Verified()
    if not mine or signed.get("database") != session.store.keyring.directory.database_id:
        return Verified()
    everything = newest is not None and (upto_signatures, upto_audit) == (
        signatures_repo.newest_id(db),
        audit.newest_id(db),
    )
    hashes = (
        newest
        if everything and newest is not None
        else (
            signatures_repo.rows_hash(db, upto_signatures),
            audit.rows_hash(db, upto_audit),
        )
    )
    same_signatures, same_audit = (
        hashes[0] == record["signatures_hash"],
        hashes[1] == record["audit_hash"],
    )
    return Verified(upto_signatures if same_signatures else 0, upto_audit if same_audit else 0)


def check_and_remember(session: Session, registry: FormRegistry) -> list[str]:
    """The whole check, verifying only what this account has not verified before; when every
    signature verified, the account signs a new record of how far that goes."""
    db = session.db
    upto_signatures, upto_audit = signatures_repo.newest_id(db), audit.newest_id(db)
    hashes = signatures_repo.rows_hash(db, upto_signatures), audit.rows_hash(db, upto_audit)
    found, sound = check_facts(db, session.store.keyring, registry, verified(session, hashes))
    if sound:
        record: dict[str, Any] = {
            "database": session.store.keyring.directory.database_id,
            "signatures": upto_signatures,
            "signatures_hash": hashes[0],
            "audit": upto_audit,
            "audit_hash": hashes[1],
        }
        record["sig"] = session.store.keys.sign(crypto.digest(record)).hex()
        with session.write("remember what was checked"):
            set_meta(db, _cache_key(session.user.id), json.dumps(record))
    return found
