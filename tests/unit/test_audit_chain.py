"""Both audit trails hash one encoding (domain/audit_chain.py): a fixed row gives a fixed hash
on the desktop and on the server, so neither can drift from the other unnoticed."""

from __future__ import annotations

import datetime as dt

from screening_app.domain import audit_chain
from screening_app.server import audit as server_audit
from screening_app.storage import audit as desktop_audit

AT = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
# sha256 of ["000…0","2026-11-30T09:00:00+00:00",7,"screening_received","Zoë/v1",""], fixed
# here so that a change to either trail's encoding fails this test, not only the other trail
EXPECTED = "bead5cc9d0f4644c015d4fa9a9a3acee417c8083ca7f7de6a099f54316c889ef"
FIELDS = (AT.isoformat(), 7, "screening_received", "Zoë/v1", "")


def test_the_encoding_is_compact_utf8_json() -> None:
    import hashlib

    text = '["' + "0" * 64 + '","2026-11-30T09:00:00+00:00",7,"screening_received","Zoë/v1",""]'
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == EXPECTED
    legacy = audit_chain.legacy_link(audit_chain.GENESIS, *FIELDS)
    assert legacy != EXPECTED  # the server's old rows: spaces, and é escaped


def test_the_server_and_the_desktop_hash_a_row_alike() -> None:
    import hashlib

    server = server_audit.digest(
        audit_chain.GENESIS,
        AT.astimezone(dt.timezone(dt.timedelta(hours=1))),  # stored in UTC whatever the zone
        7,
        "screening_received",
        "Zoë/v1",
        "",
    )
    assert server == EXPECTED
    # the desktop's rows carry the user's name as well: one field more, the same encoding
    desktop = desktop_audit._digest(
        audit_chain.GENESIS, AT.isoformat(), 7, "kit", "screening_received", "Zoë/v1", ""
    )
    text = (
        '["' + "0" * 64 + '","2026-11-30T09:00:00+00:00",7,"kit","screening_received","Zoë/v1",""]'
    )
    assert desktop == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert desktop_audit.GENESIS == server_audit.START == audit_chain.GENESIS


def test_the_check_reads_each_row_by_its_own_encoding() -> None:
    old = audit_chain.legacy_link(audit_chain.GENESIS, AT.isoformat(), None, "setting", "x", "")
    rows = [
        server_audit.Row(1, 0, AT, None, "setting", "x", "", audit_chain.GENESIS, old, 1),
        server_audit.Row(
            2,
            0,
            AT,
            3,
            "setting",
            "y",
            "",
            old,
            server_audit.digest(old, AT, 3, "setting", "y", ""),
            2,
        ),
    ]
    assert server_audit.check(rows).problems == []
    switched = [rows[0], server_audit.Row(**{**rows[1].__dict__, "encoding": 1})]
    assert server_audit.check(switched).problems == [
        "audit row 2 (chain 0): its contents were changed after it was written"
    ]


def test_the_text_after_the_last_hash_makes_the_same_hash() -> None:
    # the server joins '["' + last hash + '",' and tail(...) in PostgreSQL, under the chain's lock
    import hashlib

    awkward = 'a "quote", a \\ slash, a\nnewline, a\ttab, \x01, Zoë, 🙂, </script>'
    for fields in (FIELDS, (AT.isoformat(), None, "x", None, awkward)):
        for prev in (audit_chain.GENESIS, EXPECTED):
            text = '["' + prev + '",' + audit_chain.tail(*fields)
            assert hashlib.sha256(text.encode("utf-8")).hexdigest() == audit_chain.link(
                prev, *fields
            )
