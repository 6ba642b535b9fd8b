"""``retention due|hold|release``: what is due for review or deletion, and legal holds
(domain/record_retention.py, docs/GOVERNANCE.md). Supervisors; the periods are an
administrator's signed settings (``settings retention``)."""

from __future__ import annotations

import argparse
import csv
import sys
from typing import Any

from screening_app.cli.common import opened, signed_in_args
from screening_app.export.pole import safe_cell


def register(subparsers: Any) -> None:
    retention = subparsers.add_parser(
        "retention", help="records due for review or deletion, and legal holds"
    )
    sub = retention.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    due = sub.add_parser("due", help="the records whose retention period has ended")
    signed_in_args(due)
    due.add_argument("--csv", action="store_true", help="print CSV")
    due.set_defaults(func=cmd_due)
    deleted = sub.add_parser("deleted", help="the tombstones of records deleted here")
    signed_in_args(deleted)
    deleted.add_argument("--csv", action="store_true", help="print CSV")
    deleted.set_defaults(func=cmd_deleted)
    for name, helped, func in (
        ("hold", "place a legal hold on the child of a screening", cmd_hold),
        ("release", "lift the legal hold on the child of a screening", cmd_release),
        ("delete", "delete a record whose retention period has ended", cmd_delete),
    ):
        parser = sub.add_parser(name, help=helped)
        parser.add_argument("reference", metavar="REFERENCE")
        parser.add_argument("--reason", required=True, metavar="TEXT", help="why (no names)")
        signed_in_args(parser)
        parser.set_defaults(func=func)


def cmd_due(args: argparse.Namespace) -> int:
    with opened(args) as app:
        found = app.retention.due()
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(("reference", "child", "kind", "keep_until", "state"))
        for d in found:
            cells = (d.reference, safe_cell(d.subject), d.kind, d.keep_until.isoformat())
            writer.writerow((*cells, safe_cell(d.words())))
        return 0
    for d in found:
        until = f"kept until {d.keep_until:%d/%m/%Y}"
        print(f"{d.reference}\t{d.subject}\t{d.kind}\t{until}\t{d.words()}")
    held = sum(1 for d in found if d.held is not None)
    print(f"{len(found)} record(s) due for review or deletion, {held} of them under a legal hold.")
    return 0


def cmd_hold(args: argparse.Namespace) -> int:
    with opened(args) as app:
        hold = app.retention.place_hold(args.reference, args.reason)
    print(f"Legal hold placed on the child of {args.reference.upper()}: {hold.reason}")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    with opened(args) as app:
        app.retention.lift_hold(args.reference, args.reason)
    print(f"Legal hold lifted on the child of {args.reference.upper()}.")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with opened(args) as app:
        deletion = app.retention.delete(args.reference, args.reason)
    print(
        f"Deleted {deletion.reference} ({deletion.kind}, kept until "
        f"{deletion.keep_until}): its tombstone stays, {deletion.state()}."
    )
    return 0


def cmd_deleted(args: argparse.Namespace) -> int:
    with opened(args) as app:
        found = app.retention.deleted()
    rows = [
        (d.reference, d.kind, d.keep_until, d.decided_by, d.decided_at, d.reason, d.state())
        for d in found
    ]
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(("reference", "kind", "keep_until", "decided_by", "at", "reason", "state"))
        writer.writerows(tuple(safe_cell(str(c)) for c in row) for row in rows)
        return 0
    for row in rows:
        print("\t".join(row))
    print(f"{len(found)} record(s) deleted here.")
    return 0
