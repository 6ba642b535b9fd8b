"""The one encoding both audit trails hash: the desktop's (storage/audit.py) and the team
server's (server/audit.py).

A row's hash is the SHA-256 of a compact JSON array — the previous row's hash, then the row's
fields in a fixed order — written in UTF-8 without escaping non-ASCII characters. Each trail
starts from ``GENESIS``. The server wrote its rows before schema step 14 with Python's default
``json.dumps`` (spaces after separators, non-ASCII escaped); those rows are marked encoding 1 and
are checked with ``legacy_link``, every later row with ``link``."""

from __future__ import annotations

import hashlib
import json

GENESIS = "0" * 64

Field = str | int | None


def link(prev: str, *fields: Field) -> str:
    """The hash of a row whose predecessor's hash is ``prev``."""
    canonical = json.dumps([prev, *fields], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def tail(*fields: Field) -> str:
    """What follows the predecessor's hash in a row's hashed text: ``link(prev, *fields)`` is
    the SHA-256 of ``'["' + prev + '",' + tail(*fields)`` in UTF-8 (a hash is hex, so nothing in
    it is escaped; at least one field). The team server lets PostgreSQL join the two under the
    chain's lock, in the statement that writes the row (server/audit.py)."""
    return json.dumps(list(fields), ensure_ascii=False, separators=(",", ":"))[1:]


def legacy_link(prev: str, *fields: Field) -> str:
    """How the team server hashed its rows before schema step 14 (encoding 1)."""
    return hashlib.sha256(json.dumps([prev, *fields]).encode()).hexdigest()
