"""``connect`` and ``sync``: this computer and the team server (docs/SERVER.md)."""

from __future__ import annotations

import argparse
from contextlib import closing
from pathlib import Path
from typing import Any

from screening_app.cli.common import db_path, opened, signed_in_args
from screening_app.cli.passwords import password_from
from screening_app.domain.capabilities import Verb, can


def register(subparsers: Any) -> None:
    connect = subparsers.add_parser("connect", help="link this database to the team server")
    connect.add_argument("url", metavar="URL")
    connect.add_argument("--fingerprint", required=True, metavar="HEX")
    signed_in_args(connect)
    connect.set_defaults(func=cmd_connect)
    team = subparsers.add_parser("team", help="the team key on this supervisor's computer")
    team_sub = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    recover = team_sub.add_parser("recover", help="take the team key with its recovery key")
    recover.add_argument("--recovery-key-file", type=Path, required=True, metavar="R")
    signed_in_args(recover)
    recover.set_defaults(func=cmd_team_recover)
    code = team_sub.add_parser("code", help="this computer's code, for a supervisor to approve")
    signed_in_args(code)
    code.set_defaults(func=cmd_team_code)
    computers = team_sub.add_parser("computers", help="the team's computers and their approval")
    signed_in_args(computers)
    computers.set_defaults(func=cmd_team_computers)
    approve = team_sub.add_parser("approve", help="approve a computer of the team by its code")
    approve.add_argument("code", metavar="CODE")
    signed_in_args(approve)
    approve.set_defaults(func=cmd_team_approve)
    sync = subparsers.add_parser("sync", help="send what is queued and receive what is new")
    signed_in_args(sync)
    sync.set_defaults(func=cmd_sync)


def cmd_connect(args: argparse.Namespace) -> int:
    path = db_path(args)
    password = password_from(args.password_file, f"Password for {args.user}: ")
    if not path.exists():
        _create_for(path, args.user, password, args.url, args.fingerprint)
    with opened(args, password) as app:
        team_key = app.sync.connect(args.url, args.fingerprint, password)
    print(f"Connected {path.name} to {args.url} as {args.user}.")
    if team_key:
        print("You created your team's key. Its recovery key is shown only this once: print it")
        print("and keep it locked away. With it, a supervisor's computer can take the team key")
        print("back if every supervisor's computer is lost (screening-app team recover).")
        print(f"Team recovery key: {team_key}")
    return 0


def _create_for(path: Path, user: str, password: str, url: str, fingerprint: str) -> None:
    """A new database on this computer for ``user`` as the server knows them: their account
    with access, and a local administrator ``admin`` with the same password."""
    from screening_app.app import sign_in
    from screening_app.errors import StorageError
    from screening_app.services.access import create_database, default_kdf, grant_with_recovery
    from screening_app.sync.client import ServerClient, fetch_certificate

    pem = fetch_certificate(url, fingerprint)
    with closing(ServerClient(url, pem)) as client:
        account = client.sign_in(user, password).account
    if not can(account.role, Verb.READ_SCREENINGS):
        raise StorageError("A server administrator has no screenings to keep on a computer.")
    recovery = create_database(path, "admin", password)
    with closing(sign_in(path, "admin", password)) as admin:
        admin.accounts.add_user(user, password, role=account.role, team=account.team or "")
    grant_with_recovery(path, recovery, [user], default_kdf())
    print(f"Created {path} for {user}, with a local administrator 'admin' (same password).")
    print(f"Recovery key: {recovery}")
    print("Store the recovery key safely now: it is shown only once (docs/SECURITY.md).")


def cmd_sync(args: argparse.Namespace) -> int:
    password = password_from(args.password_file, f"Password for {args.user}: ")
    with opened(args, password) as app:
        report = app.sync.sync(password)
        waiting = app.sync.waiting()
    for line in report.lines():
        print(line)
    print(waiting)
    return 0


def cmd_team_recover(args: argparse.Namespace) -> int:
    password = password_from(args.password_file, f"Password for {args.user}: ")
    code = password_from(args.recovery_key_file, "Team recovery key: ", "recovery key")
    with opened(args, password) as app:
        app.sync.recover_team_key(code, password)
    print("This computer now holds the team key; `sync` receives the team's screenings.")
    return 0


def cmd_team_code(args: argparse.Namespace) -> int:
    password = password_from(args.password_file, f"Password for {args.user}: ")
    with opened(args, password) as app:
        code = app.sync.computer_code()
    print(f"This computer's code: {code}")
    print("A supervisor of your team who already holds the team key checks this code (read it")
    print("to them, or show them this screen) and approves the computer with it.")
    return 0


def cmd_team_computers(args: argparse.Namespace) -> int:
    password = password_from(args.password_file, f"Password for {args.user}: ")
    with opened(args, password) as app:
        listed = app.sync.computers(password)
    for computer in listed:
        print(computer.words())
    waiting = sum(1 for c in listed if c.approved_by is None and not c.this_computer)
    print(f"{len(listed)} computer(s); {waiting} waiting for approval.")
    return 0


def cmd_team_approve(args: argparse.Namespace) -> int:
    password = password_from(args.password_file, f"Password for {args.user}: ")
    with opened(args, password) as app:
        computer, shared = app.sync.approve(args.code, password)
    print(f"Approved {computer.account}'s computer {computer.name} (code {computer.code}).")
    if shared:
        print(shared)
    return 0
