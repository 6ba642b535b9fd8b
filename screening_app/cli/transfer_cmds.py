"""``transfer send|receive|receipt|list``: a child's screenings to another setting, encrypted
for a named receiving supervisor, and the receipt they sign (services/transfers.py,
docs/GOVERNANCE.md). Supervisors."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from screening_app.cli.common import opened, share_args, share_from, signed_in_args
from screening_app.cli.passwords import password_from, read_password_file
from screening_app.files import read_regular, write_output
from screening_app.sync.transfer import MAX_BYTES, MAX_RECEIPT


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("transfer", help="a child's screenings to another setting")
    sub = parser.add_subparsers(dest="transfer_command", metavar="ACTION", required=True)
    send = sub.add_parser("send", help="seal the child's screenings for a receiving supervisor")
    send.add_argument("reference", metavar="REFERENCE", help="one of the child's screenings")
    send.add_argument("--to", required=True, metavar="NAME", help="the receiving supervisor")
    send.add_argument("-o", "--out", required=True, type=Path, metavar="FILE")
    send.add_argument(
        "--transfer-password-file",
        type=Path,
        metavar="P",
        help="lock it under this password (send the password separately); without it, it is "
        "sealed for NAME's computers with their keys from the team server",
    )
    send.add_argument("--force", action="store_true", help="replace FILE if it exists")
    share_args(send)
    signed_in_args(send)
    send.set_defaults(func=cmd_send)
    receive = sub.add_parser("receive", help="store a transfer's screenings; write the receipt")
    receive.add_argument("file", type=Path, metavar="FILE")
    receive.add_argument("--receipt", required=True, type=Path, metavar="RECEIPT")
    receive.add_argument("--transfer-password-file", type=Path, metavar="P")
    signed_in_args(receive)
    receive.set_defaults(func=cmd_receive)
    receipt = sub.add_parser("receipt", help="keep the receipt of a transfer made here")
    receipt.add_argument("file", type=Path, metavar="RECEIPT")
    signed_in_args(receipt)
    receipt.set_defaults(func=cmd_receipt)
    listing = sub.add_parser("list", help="the transfers made here and their receipts")
    signed_in_args(listing)
    listing.set_defaults(func=cmd_list)


def cmd_send(args: argparse.Namespace) -> int:
    share = share_from(args)  # refused before any password is asked
    locked = (
        read_password_file(args.transfer_password_file, "transfer password")
        if args.transfer_password_file
        else None
    )
    password = password_from(args.password_file, f"Password for {args.user}: ")
    with opened(args, password) as app:
        sent = app.transfers.send(
            args.reference, args.to, share, password=locked, server_password=password
        )
        write_output(args.out, sent.data, force=args.force)
    how = "under the password (send it separately)" if locked else f"for {sent.to}'s computers"
    print(f"Wrote {args.out.name}: {len(sent.references)} screening(s), sealed {how}.")
    print(f"Transfer {sent.transfer_id}; keep its receipt with `transfer receipt` when it comes.")
    return 0


def cmd_receive(args: argparse.Namespace) -> int:
    data = read_regular(args.file, MAX_BYTES, "transfer file")
    locked = (
        read_password_file(args.transfer_password_file, "transfer password")
        if args.transfer_password_file
        else None
    )
    with opened(args) as app:
        got = app.transfers.receive(data, locked)
    write_output(args.receipt, got.receipt, force=True)
    setting = f" ({got.setting})" if got.setting else ""
    stored = "were received before as" if got.again else "stored as"
    print(
        f"From {got.sender}{setting}: {len(got.references)} screening(s) {stored} "
        f"{', '.join(got.references)}."
    )
    print(f"Receipt written to {args.receipt.name}: send it back to {got.sender}.")
    return 0


def cmd_receipt(args: argparse.Namespace) -> int:
    data = read_regular(args.file, MAX_RECEIPT, "receipt")
    with opened(args) as app:
        body = app.transfers.record_receipt(data)
    print(
        f"Receipt kept: {body['received_by']} received transfer {body['transfer_id']} on "
        f"{str(body['received_at'])[:10]} as {', '.join(body['references'])}."
    )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with opened(args) as app:
        sent, receipts = app.transfers.sent(), app.transfers.receipts()
    for transfer_id, (references, extra) in sent.items():
        got = receipts.get(transfer_id)
        state = (
            f"received by {got['received_by']} on {str(got['received_at'])[:10]}"
            if got
            else "no receipt yet"
        )
        print(f"{transfer_id}\t{extra.get('to')}\t{', '.join(references)}\t{state}")
    print(f"{len(sent)} transfer(s) made here, {sum(t in receipts for t in sent)} with a receipt.")
    return 0
