"""``db init|check|backup|restore`` and ``import``: headless administration.

For IT deployment and for moving screenings between machines. Passwords come from files or an
interactive prompt, never from the command line.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screening_app.cli.common import db_arg, db_path, opened, signed_in_args
from screening_app.cli.passwords import password_from
from screening_app.errors import AnswersError, Problem, ScreeningError, StorageError
from screening_app.paths import forms_dir

if TYPE_CHECKING:
    from screening_app.services.answers_file import CheckedAnswers


def register(subparsers: Any) -> None:
    db = subparsers.add_parser("db", help="create, check, back up or restore a database")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    init = db_sub.add_parser("init", help="create a database and its first administrator")
    db_arg(init)
    init.add_argument("--admin", required=True, metavar="NAME", help="administrator user name")
    init.add_argument("--password-file", type=Path, metavar="F", help="the admin's password")
    init.set_defaults(func=cmd_init)
    check = db_sub.add_parser("check", help="integrity, signatures and audit-trail check")
    signed_in_args(check)
    check.add_argument(
        "--acknowledge",
        action="store_true",
        help="a supervisor records that the audit-trail finding was investigated",
    )
    check.set_defaults(func=cmd_check)
    upgrade = db_sub.add_parser("upgrade", help="move a format-1 key file to per-account keys")
    signed_in_args(upgrade)
    upgrade.add_argument("--recovery-key-file", type=Path, required=True, metavar="R")
    upgrade.set_defaults(func=cmd_upgrade)
    rotate = db_sub.add_parser("rotate-key", help="change the data key (suspected compromise)")
    signed_in_args(rotate)
    rotate.set_defaults(func=cmd_rotate_key)
    back = db_sub.add_parser("backup", help="write an encrypted backup")
    signed_in_args(back)
    back.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    back.set_defaults(func=cmd_backup)
    restore = db_sub.add_parser("restore", help="replace the database by a backup")
    signed_in_args(restore)
    restore.add_argument("backup", type=Path, metavar="FILE")
    restore.set_defaults(func=cmd_restore)

    imp = subparsers.add_parser("import", help="store answers files as submitted screenings")
    imp.add_argument("answers", type=Path, nargs="+", metavar="ANSWERS.json")
    imp.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="store a file whose answers are already stored (a second screening)",
    )
    signed_in_args(imp)
    imp.set_defaults(func=cmd_import)


def cmd_init(args: argparse.Namespace) -> int:
    from screening_app.services.access import create_database

    password = password_from(args.password_file, f"New password for {args.admin}: ")
    path = db_path(args)
    recovery = create_database(path, args.admin, password)
    print(f"Created {path} with administrator {args.admin}.")
    print(f"Recovery key: {recovery}")
    print(
        "Store the recovery key safely now (print it, keep it locked away): it is shown only "
        "once. It gives the first supervisor access (`screening-app users grant NAME "
        "--recovery-key-file R`) and is the only way in if every administrator password is "
        "lost. Whoever holds it can read every record: give it to the designated safeguarding "
        "lead, not to IT."
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with opened(args) as app:
        if args.acknowledge:
            finding = app.backups.acknowledge_audit_problem()
            print(f"Recorded in the audit trail that this was investigated: {finding}")
        problems = app.backups.check()
    if problems:
        raise StorageError("the check found problems", [Problem(p) for p in problems])
    print("OK: the database and its audit trail passed every check.")
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    from screening_app.services.access import default_kdf, upgrade_key_file

    password = password_from(args.password_file, f"Password for {args.user}: ")
    key = password_from(args.recovery_key_file, "Recovery key: ", "recovery key")
    moved = upgrade_key_file(db_path(args), args.user, password, key, default_kdf())
    print(
        f"Moved to per-account keys; {len(moved)} other account(s) carried over. Each gets "
        "its own keys the next time it signs in with its usual password. The old key file "
        "was kept as NAME.db.keys.format1."
    )
    return 0


def cmd_rotate_key(args: argparse.Namespace) -> int:
    with opened(args) as app:
        app.accounts.request_rotation()
        done = not app.session.store.keyring.directory.rotation_due
    print(
        "The data key was changed; earlier copies of the key file and backups no longer open "
        "the database."
        if done
        else "The data key will be changed at the next sign-in of an account that holds it, "
        "before anything new is written."
    )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    if args.output.exists():
        raise StorageError(f"{args.output} already exists; choose a new file name.")
    with opened(args) as app:
        made = app.backups.backup_now(args.output)
    print(f"Wrote the encrypted backup {made.path} (and its key file {made.path.name}.keys).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from screening_app.services.access import default_kdf, restore_backup

    password = password_from(args.password_file, f"Password for {args.user}: ")
    aside = restore_backup(db_path(args), args.backup, args.user, password, default_kdf())
    print(f"Restored {db_path(args)} from {args.backup}.")
    if aside:
        print(f"The previous files were kept as {aside.name} (and similar) in the same folder.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from screening_app.domain.registry import FormRegistry
    from screening_app.services.answers_file import load_answers

    registry = FormRegistry(forms_dir())
    checked: list[CheckedAnswers] = []
    failures: list[ScreeningError] = []
    for path in args.answers:
        try:
            checked.append(load_answers(path, registry))
        except ScreeningError as exc:
            failures.append(exc)
    with opened(args) as app:
        for item in checked:
            earlier = app.screenings.already_stored(item.form, dict(item.answers))
            if earlier is not None and not args.allow_duplicate:
                failures.append(
                    AnswersError(
                        "duplicate",
                        [
                            Problem(
                                f"{item.path.name}: these answers are already stored as "
                                f"{earlier}; nothing was stored (add --allow-duplicate to "
                                "store them again as another screening)",
                                str(item.path),
                            )
                        ],
                    )
                )
                continue
            screening = app.screenings.import_answers(item.form, dict(item.answers))
            print(f"{item.path.name}: stored as {screening.row.reference}")
    if failures:
        problems = [p for exc in failures for p in (exc.problems or [Problem(exc.message)])]
        raise AnswersError(f"{len(failures)} file(s) were not imported", problems)
    return 0
