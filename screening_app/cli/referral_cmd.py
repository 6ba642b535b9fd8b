"""``referral``: the SCU referral PDF for an answers file, without a screen or a database."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from screening_app.paths import forms_dir


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("referral", help="write the referral PDF for an answers file")
    parser.add_argument("answers", type=Path, metavar="ANSWERS.json")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf")
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar="F",
        help="encrypt the PDF (AES-256) with the password in this file",
    )
    parser.add_argument("--form", type=Path, metavar="FORM", help="use this form file")
    parser.add_argument("--force", action="store_true", help="replace OUT.pdf if it exists")
    parser.set_defaults(func=cmd_referral)


def file_reference(path: Path) -> str:
    """A stable reference for a screening that lives in a file rather than the database."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8].upper()
    return f"CSE-FILE-{digest}"


def cmd_referral(args: argparse.Namespace) -> int:
    # Imported here so `score` and friends never load reportlab.
    from screening_app.cli.passwords import read_password_file
    from screening_app.domain.registry import FormRegistry
    from screening_app.export.model import ReferralInput
    from screening_app.export.referral_pdf import render_referral, write_referral
    from screening_app.services.answers_file import load_answers

    password = read_password_file(args.password_file) if args.password_file else None
    checked = load_answers(args.answers, FormRegistry(forms_dir()), args.form)
    data = ReferralInput(
        form=checked.form,
        answers=checked.answers,
        result=checked.result,
        reference=file_reference(args.answers),
        generated_at=dt.datetime.now().replace(microsecond=0),
    )
    pdf = render_referral(data)
    write_referral(args.output, pdf, password=password, force=args.force)
    note = " (AES-256 encrypted)" if password else ""
    print(f"wrote {args.output}{note}")
    return 0
