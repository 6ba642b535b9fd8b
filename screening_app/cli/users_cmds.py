"""``users add|grant|disable|list``: accounts from the command line (docs/CLI.md).

An administrator adds and disables accounts but holds no key to children's records, so an
account they add can read nothing until a supervisor — or whoever holds the recovery key —
grants it access (docs/SECURITY.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from screening_app.cli.common import db_arg, db_path, opened, signed_in_args
from screening_app.cli.passwords import password_from
from screening_app.errors import AnswersError, NotFound, Problem
from screening_app.services.model import ROLE_LABELS, User


def register(subparsers: Any) -> None:
    users = subparsers.add_parser("users", help="manage accounts")
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = users_sub.add_parser("add", help="add an account (it can read nothing until granted)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=("practitioner", "supervisor", "admin"))
    add.add_argument("--display-name", default="", metavar="TEXT")
    add.add_argument("--team", default="", metavar="TEAM")
    add.add_argument("--job-title", default="", metavar="CODE")
    add.add_argument("--agency", default="", metavar="TEXT")
    signed_in_args(add)
    add.add_argument("--new-password-file", type=Path, metavar="F2", help="the new password")
    add.set_defaults(func=cmd_add)

    grant = users_sub.add_parser("grant", help="give an account access to the records")
    grant.add_argument("name", metavar="NAME")
    db_arg(grant)
    grant.add_argument("--user", metavar="SUPERVISOR", help="your user name (a supervisor)")
    grant.add_argument("--password-file", type=Path, metavar="F", help="your password")
    grant.add_argument(
        "--recovery-key-file", type=Path, metavar="R", help="grant with the recovery key instead"
    )
    grant.set_defaults(func=cmd_grant)

    disable = users_sub.add_parser("disable", help="disable an account at once")
    disable.add_argument("name", metavar="NAME")
    signed_in_args(disable)
    disable.set_defaults(func=cmd_disable)

    listing = users_sub.add_parser("list", help="list accounts and who has access")
    signed_in_args(listing)
    listing.set_defaults(func=cmd_list)


def cmd_add(args: argparse.Namespace) -> int:
    with opened(args) as app:
        new_password = password_from(
            args.new_password_file, f"Password for {args.name}: ", "new password"
        )
        user = app.accounts.add_user(
            args.name,
            new_password,
            role=args.role,
            display_name=args.display_name,
            team=args.team,
            job_title=args.job_title,
            agency=args.agency,
        )
    print(f"Added {user.name} ({user.role}).")
    if app.accounts.needs_grant(user):
        print(
            f"{user.name} can read no records until a supervisor grants access: "
            f"screening-app users grant {user.name} --user SUPERVISOR"
        )
    return 0


def cmd_grant(args: argparse.Namespace) -> int:
    if (args.user is None) == (args.recovery_key_file is None):
        raise AnswersError(
            "say who grants access",
            [Problem("give either --user SUPERVISOR or --recovery-key-file R", "grant")],
        )
    if args.recovery_key_file is not None:
        from screening_app.services.access import default_kdf, grant_with_recovery

        key = password_from(args.recovery_key_file, "Recovery key: ", "recovery key")
        grant_with_recovery(db_path(args), key, [args.name], default_kdf())
    else:
        with opened(args) as app:
            app.accounts.grant(_named(app.accounts.list_users(), args.name).id)
    print(f"{args.name} now has access to the records.")
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    with opened(args) as app:
        app.accounts.set_active(_named(app.accounts.list_users(), args.name).id, False)
    print(
        f"Disabled {args.name}. The data key changes at the next sign-in of an account that "
        "holds it, before anything new is written."
    )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with opened(args) as app:
        users = app.accounts.list_users()
    for user in users:
        state = "active" if user.active else "disabled"
        if app.accounts.needs_grant(user):
            state += ", waiting for access"
        team = f", team {user.team}" if user.team else ""
        print(f"{user.name}\t{ROLE_LABELS[user.role]}{team} ({state})")
    return 0


def _named(users: list[User], name: str) -> User:
    fold = name.strip().casefold()
    for user in users:
        if user.name.casefold() == fold:
            return user
    raise NotFound(f"There is no account called {name} that you can manage.")
