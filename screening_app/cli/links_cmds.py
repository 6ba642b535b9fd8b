"""``links``, ``export pole``, ``export mace`` and ``disclosures``: the links between screenings
through their entities of concern, one screening's entities for a police intelligence
submission, the MACE meeting pack of one or more children, and the log of every share with its
lawful basis (docs/CLI.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from screening_app.cli.common import opened, share_args, share_from, signed_in_args
from screening_app.domain.entities import key_words


def register(subparsers: Any) -> None:
    links = subparsers.add_parser("links", help="links between screenings (form version 2)")
    signed_in_args(links)
    links.add_argument("--json", action="store_true", help="print JSON")
    links.set_defaults(func=cmd_links)

    export = subparsers.add_parser("export", help="export a screening's data")
    export_sub = export.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    pole = export_sub.add_parser("pole", help="entities and links, POLE-shaped (JSON or CSV)")
    pole.add_argument("reference", metavar="REFERENCE")
    pole.add_argument("-o", dest="out", type=Path, required=True, metavar="OUT.json|OUT.csv")
    pole.add_argument("--force", action="store_true", help="replace OUT if it exists")
    signed_in_args(pole)
    share_args(pole)
    pole.set_defaults(func=cmd_pole)

    mace = export_sub.add_parser(
        "mace", help="the MACE meeting pack: one page per child named by a screening reference"
    )
    mace.add_argument("references", nargs="+", metavar="REFERENCE")
    mace.add_argument("-o", dest="out", type=Path, required=True, metavar="OUT.pdf")
    mace.add_argument("--force", action="store_true", help="replace OUT.pdf if it exists")
    mace.add_argument(
        "--pdf-password-file",
        type=Path,
        metavar="P",
        help="encrypt the pack (AES-256) with the password in this file",
    )
    signed_in_args(mace)
    share_args(mace)
    mace.set_defaults(func=cmd_mace)

    access = export_sub.add_parser(
        "sar", help="subject access: everything held about a child, others' names redacted"
    )
    access.add_argument("reference", metavar="CHILD", help="a reference of the child's screening")
    access.add_argument("-o", dest="out", type=Path, metavar="OUT.pdf")
    access.add_argument(
        "--list-items", action="store_true", help="list the names the export would redact"
    )
    access.add_argument(
        "--reveal", action="append", default=[], metavar="ITEM", help="let item R1 … through"
    )
    access.add_argument("--force", action="store_true", help="replace OUT.pdf if it exists")
    access.add_argument(
        "--pdf-password-file", type=Path, metavar="P", help="encrypt the PDF (AES-256)"
    )
    signed_in_args(access)
    access.set_defaults(func=cmd_sar)

    log = subparsers.add_parser(
        "disclosures", help="every share of every screening you may see, with its basis"
    )
    signed_in_args(log)
    log.add_argument("--csv", action="store_true", help="print CSV")
    log.add_argument("--child", default="", metavar="NAME", help="only this child's (or place's)")
    log.set_defaults(func=cmd_disclosures)


def cmd_links(args: argparse.Namespace) -> int:
    with opened(args) as app:
        found = app.links.links()
    if args.json:
        print(json.dumps([link.as_json() for link in found], ensure_ascii=False, indent=1))
        return 0
    for link in found:
        words = key_words(link.entity_kind, link.key)  # as people write it (``--json``: the key)
        line = f"{link.strength}\t{link.entity_kind}\t{words}\t{', '.join(link.references)}"
        also = "; ".join(team.words() for team in link.other_teams)
        print(f"{line}\talso: {also}" if also else line)
    print(f"{len(found)} link(s).")
    return 0


def cmd_pole(args: argparse.Namespace) -> int:
    share = share_from(args)  # refused before the password is asked
    with opened(args) as app:
        written = app.referrals.export_pole(args.reference, args.out, share, force=args.force)
    print(f"wrote {written}")
    return 0


def cmd_mace(args: argparse.Namespace) -> int:
    from screening_app.cli.passwords import read_password_file

    share = share_from(args)  # refused before the password is asked
    pdf_password = read_password_file(args.pdf_password_file) if args.pdf_password_file else None
    with opened(args) as app:
        pack = app.mace.save(
            args.references, args.out, share, password=pdf_password, force=args.force
        )
    note = " (AES-256 encrypted)" if pdf_password else ""
    print(f"wrote {args.out}{note}: {len(pack.children)} child(ren), one page each")
    return 0


def cmd_disclosures(args: argparse.Namespace) -> int:
    with opened(args) as app:
        found = app.disclosures.log(args.child)
    if args.csv:
        from screening_app.export.disclosure_csv import to_csv

        sys.stdout.write(to_csv(d.cells() for d in found))
        return 0
    for d in found:
        to = f"to {d.recipient} for {d.purpose}" if d.recipient else "to someone not recorded"
        print(
            f"{d.at:%d/%m/%Y %H:%M}\t{d.reference}\t{d.subject}\t{d.what} by {d.by}, {to}; "
            f"{d.basis}{f' ({d.reason})' if d.reason else ''}"
        )
    print(f"{len(found)} share(s).")
    return 0


def cmd_sar(args: argparse.Namespace) -> int:
    from screening_app.cli.passwords import read_password_file
    from screening_app.errors import InputFileError

    if args.out is None and not args.list_items:
        raise InputFileError("Say where to write the export (-o OUT.pdf), or use --list-items.")
    pdf_password = read_password_file(args.pdf_password_file) if args.pdf_password_file else None
    reveal = [part.strip() for given in args.reveal for part in given.split(",") if part.strip()]
    with opened(args) as app:
        if args.list_items:
            for item in app.subject_access.items(args.reference):
                print(f"{item.id}\t{item.kind}\t{item.name}")
            return 0
        built = app.subject_access.export(
            args.reference, args.out, reveal=reveal, password=pdf_password, force=args.force
        )
    total = len(built.schedule)
    shown = sum(1 for _id, words in built.schedule if "revealed" in words)
    print(
        f"wrote {args.out}: {total - shown} item(s) redacted, {shown} of {total} item(s) revealed"
    )
    return 0
