"""What every command that works on a database shares: ``--db``, ``--user``, ``--password-file``
and signing in."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from screening_app.cli.passwords import password_from
from screening_app.services.locations import default_database_path

if TYPE_CHECKING:
    from screening_app.domain.disclosure import Share
    from screening_app.services.app_services import AppServices


def db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, dest="sub_db", metavar="PATH", help="database file")


def signed_in_args(parser: argparse.ArgumentParser) -> None:
    db_arg(parser)
    parser.add_argument("--user", required=True, metavar="NAME", help="your user name")
    parser.add_argument("--password-file", type=Path, metavar="F", help="your password")


def db_path(args: argparse.Namespace) -> Path:
    path: Path | None = args.sub_db or getattr(args, "db", None)
    return path or default_database_path()


def open_session(args: argparse.Namespace, password: str | None = None) -> AppServices:
    """Sign in as ``--user`` with the password from ``--password-file`` (or a prompt)."""
    from screening_app.app import sign_in

    if password is None:
        password = password_from(args.password_file, f"Password for {args.user}: ")
    app = sign_in(db_path(args), args.user, password)
    for warning in app.session.store.warnings:
        print(f"screening-app: warning: {warning}", file=sys.stderr)
    return app


@contextmanager
def opened(args: argparse.Namespace, password: str | None = None) -> Iterator[AppServices]:
    """``open_session`` for the length of a ``with`` block, closed however it ends."""
    app = open_session(args, password)
    try:
        yield app
    finally:
        app.close()


def share_args(parser: argparse.ArgumentParser) -> None:
    """With whom, what for and on what basis: asked of every export that leaves the app
    (domain/disclosure.py); without them the export is refused."""
    parser.add_argument("--shared-with", metavar="WHO", help="who receives it, e.g. the SCU")
    parser.add_argument("--purpose", metavar="WHAT FOR", help="what it is shared for")
    parser.add_argument(
        "--basis",
        choices=("consent_given", "consent_not_sought", "consent_overridden"),
        help="the lawful basis (consent_overridden needs --reason)",
    )
    parser.add_argument("--reason", default="", metavar="TEXT", help="why (no names)")


def share_from(args: argparse.Namespace) -> Share:
    from screening_app.domain import disclosure
    from screening_app.errors import InputFileError

    try:
        return disclosure.make(
            args.shared_with or "", args.purpose or "", args.basis or "", args.reason
        )
    except disclosure.ShareError as exc:
        raise InputFileError(
            f"This export is a share and needs its lawful basis: {exc} "
            "(--shared-with, --purpose, --basis, and --reason for consent_overridden)."
        ) from None
