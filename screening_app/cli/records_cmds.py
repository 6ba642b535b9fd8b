"""``list`` and ``review approve|return``: what an account sees and may decide, headless
(docs/CLI.md). Scoped by the same services and rules as the window."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from screening_app.cli.common import opened, signed_in_args
from screening_app.cli.passwords import password_from, read_text_file
from screening_app.services.model import ListQuery


def register(subparsers: Any) -> None:
    listing = subparsers.add_parser("list", help="the screenings this account can see")
    signed_in_args(listing)
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=cmd_list)

    review = subparsers.add_parser("review", help="approve or return a submitted screening")
    review_sub = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    approve = review_sub.add_parser("approve", help="approve (signed with your password)")
    approve.add_argument("reference", metavar="REFERENCE")
    signed_in_args(approve)
    approve.set_defaults(func=cmd_approve)
    back = review_sub.add_parser("return", help="return for changes with a comment")
    back.add_argument("reference", metavar="REFERENCE")
    back.add_argument("--comment-file", type=Path, required=True, metavar="C")
    signed_in_args(back)
    back.set_defaults(func=cmd_return)


def cmd_list(args: argparse.Namespace) -> int:
    with opened(args) as app:
        rows, offset = [], 0
        while True:
            page = app.listing.list(ListQuery(offset=offset, limit=500, sort="date"))
            rows += page
            offset += len(page)
            if len(page) < 500:
                break
    if args.json:
        print(json.dumps([_row_json(r) for r in rows], ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        band = r.operative_band or "-"
        print(f"{r.reference}\t{r.status}\t{band}\t{r.child_name}")
    print(f"{len(rows)} screening(s).")
    return 0


def _row_json(row: Any) -> dict[str, Any]:
    return {
        "reference": row.reference,
        "status": row.status,
        "operative_band": row.operative_band,
        "child_name": row.child_name,
        "screening_date": row.screening_date.isoformat() if row.screening_date else None,
        "practitioner": row.owner_name,
        "reassess_by": row.reassess_by.isoformat() if row.reassess_by else None,
    }


def cmd_approve(args: argparse.Namespace) -> int:
    password = password_from(args.password_file, f"Password for {args.user}: ")
    with opened(args, password) as app:
        app.review.approve(app.screenings.id_of(args.reference), password)
    print(f"Approved {args.reference.upper()}.")
    return 0


def cmd_return(args: argparse.Namespace) -> int:
    comment = read_text_file(args.comment_file, "comment")
    with opened(args) as app:
        app.review.return_for_changes(app.screenings.id_of(args.reference), comment)
    print(f"Returned {args.reference.upper()} to its author with your comment.")
    return 0
