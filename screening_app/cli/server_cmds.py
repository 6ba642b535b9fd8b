"""``server cert|init|users add|run``: the team server from the command line (docs/SERVER.md).

The database is a libpq URL (``--database``, or ``SCREENING_SERVER_DATABASE``) of a role that
owns the schema; the API itself then works as the ``screening_api`` role (row-level security).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screening_app.cli.passwords import new_password_from, password_from
from screening_app.domain.capabilities import Verb, can
from screening_app.errors import InputFileError, Problem, StorageError

if TYPE_CHECKING:
    from screening_app.server.store import Account, ServerStore


def register(subparsers: Any) -> None:
    server = subparsers.add_parser("server", help="the team server (PostgreSQL)")
    sub = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    cert = sub.add_parser("cert", help="a self-signed certificate for a trial")
    cert.add_argument("--out", type=Path, required=True, metavar="DIR")
    cert.add_argument("--host", required=True, metavar="NAME")
    cert.set_defaults(func=cmd_cert)

    init = sub.add_parser("init", help="create or upgrade the schema and the first administrator")
    _database(init)
    init.add_argument("--admin", required=True, metavar="NAME")
    init.add_argument("--password-file", type=Path, metavar="F")
    init.set_defaults(func=cmd_init)

    users = sub.add_parser("users", help="server accounts")
    users_sub = users.add_subparsers(dest="server_users_command", metavar="ACTION", required=True)
    add = users_sub.add_parser("add", help="add a server account")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=("practitioner", "supervisor", "admin"))
    add.add_argument("--team", default=None, metavar="TEAM")
    _admin_args(add)
    add.add_argument("--new-password-file", type=Path, metavar="F2")
    add.set_defaults(func=cmd_users_add)

    disable = users_sub.add_parser("disable", help="disable a server account at once")
    disable.add_argument("name", metavar="NAME")
    _admin_args(disable)
    disable.set_defaults(func=cmd_users_disable)

    settings = sub.add_parser("settings", help="the organisation's settings")
    settings.add_argument(
        "--retention-days",
        required=True,
        metavar="N",
        help="days after approval before a practitioner's computer removes a screening's "
        "content (0: keep it)",
    )
    _admin_args(settings)
    settings.set_defaults(func=cmd_settings, name="retention-days")

    checking = sub.add_parser("audit-check", help="verify every chain of the audit trail")
    _database(checking)
    checking.set_defaults(func=cmd_audit_check)

    run = sub.add_parser("run", help="serve the team API over HTTPS until SIGTERM")
    _database(run)
    run.add_argument("--listen", default="127.0.0.1:8443", metavar="HOST:PORT")
    run.add_argument("--cert", type=Path, required=True, metavar="CRT")
    run.add_argument("--key", type=Path, required=True, metavar="KEY")
    run.add_argument(
        "--workers",
        type=int,
        default=min(4, os.cpu_count() or 1),
        metavar="N",
        help="worker processes behind the one socket (default: the cores, up to 4)",
    )
    run.add_argument(
        "--pool",
        type=int,
        default=4,
        metavar="N",
        help="PostgreSQL connections per worker (workers × pool stays under max_connections)",
    )
    run.add_argument(
        "--access-log",
        action="store_true",
        help="log a line per request (address, method, path, status) to standard error",
    )
    run.set_defaults(func=cmd_run)


def _database(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        default=os.environ.get("SCREENING_SERVER_DATABASE"),
        metavar="URL",
        help="libpq URL (or SCREENING_SERVER_DATABASE)",
    )


def _admin_args(parser: argparse.ArgumentParser) -> None:
    _database(parser)
    parser.add_argument("--user", required=True, metavar="ADMIN")
    parser.add_argument("--password-file", type=Path, metavar="F")


@contextmanager
def _as_admin(args: argparse.Namespace) -> Iterator[tuple[ServerStore, Account]]:
    """The server's store, signed in as the administrator ``--user`` (exit 2 otherwise); a
    refusal by the store inside the block becomes exit 2 naming ``args.name``."""
    from screening_app.server.problems import ServerError
    from screening_app.server.store import ServerStore

    store = ServerStore(_set_up(_url(args)), pool_size=1)
    try:
        password = password_from(args.password_file, f"Password for {args.user}: ")
        try:
            _token, admin = store.sign_in(args.user, password, "command line")
        except ServerError as exc:
            raise InputFileError(exc.message, [Problem(exc.message, "user")]) from None
        if not can(admin.role, Verb.ADD_ACCOUNTS):
            problem = Problem("only a server administrator manages accounts", "user")
            raise InputFileError("not an administrator", [problem])
        try:
            yield store, admin
        except ServerError as exc:
            raise InputFileError(exc.message, [Problem(exc.message, args.name)]) from None
    finally:
        store.close()


def _url(args: argparse.Namespace) -> str:
    if not args.database:
        raise InputFileError(
            "no database",
            [Problem("give --database URL or set SCREENING_SERVER_DATABASE", "database")],
        )
    return str(args.database)


def _connect(url: str) -> Any:
    import psycopg

    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"
        raise StorageError(
            f"Cannot reach the server's PostgreSQL database ({first}). Check the URL, that "
            "PostgreSQL is running and that this role may connect."
        ) from None
    encoding = conn.execute("SHOW server_encoding").fetchone()
    if encoding is None or str(encoding[0]).upper() not in ("UTF8", "UTF-8"):
        conn.close()
        raise StorageError(
            f"The server's database is encoded as {encoding[0] if encoding else 'unknown'}, "
            "not UTF8, so names would not read back as written. Create it with `createdb "
            "--encoding=UTF8 --locale=C.UTF-8 --template=template0 ...` and run `server init` "
            "again."
        )
    return conn


def _set_up(url: str) -> str:
    """``url``, once its database is reachable and set up for this version (else exit 2 with
    what to do: a pool would wait for a connection it can never make)."""
    from screening_app.server import schema

    with _connect(url) as conn:
        if schema.version(conn) != schema.LATEST or not schema.api_role_granted(conn):
            raise StorageError(
                "The server database is not set up for this version: run `screening-app "
                "server init` first."
            )
    return url


def cmd_cert(args: argparse.Namespace) -> int:
    from screening_app.server.tls import self_signed

    digest = self_signed(args.out, args.host)
    print(
        f"Wrote {args.out / 'server.crt'} and {args.out / 'server.key'} (self-signed, for a trial)."
    )
    print("Desktops connect with --fingerprint and this SHA-256 fingerprint:")
    print(digest)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    import psycopg

    from screening_app.server import schema
    from screening_app.server.problems import ServerError
    from screening_app.server.store import ServerStore

    url = _url(args)
    with _connect(url) as conn:
        try:
            version = schema.migrate(conn)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StorageError(
                f"The database role cannot set the server up ({str(exc).strip()}). The role in "
                "--database must own the database and may create roles (`createuser "
                "--createrole`), or a PostgreSQL administrator creates the role "
                f"{schema.API_ROLE} (NOLOGIN) and grants it to this role first."
            ) from None
        except (psycopg.Error, RuntimeError) as exc:
            raise StorageError(f"Could not set up the server database: {exc}") from None
    store = ServerStore(url, pool_size=1)
    try:
        if store.account(args.admin) is None:
            if store.has_accounts():
                raise StorageError(
                    f"The server already has accounts and none is called {args.admin}; add "
                    "accounts with `screening-app server users add`."
                )
            password = new_password_from(args.password_file, f"New password for {args.admin}: ")
            try:
                store.add_account(args.admin, password, "admin", None)
            except ServerError as exc:
                raise InputFileError(exc.message, [Problem(exc.message, "password")]) from None
            print(f"Created the server administrator {args.admin}.")
    finally:
        store.close()
    print(f"The server database is ready (schema {version}).")
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    with _as_admin(args) as (store, admin):
        new_password = new_password_from(args.new_password_file, f"Password for {args.name}: ")
        account = store.add_account(
            args.name, new_password, args.role, args.team, added_by=admin.name
        )
    team = f", team {account.team}" if account.team else ""
    print(f"Added {account.name} ({account.role}{team}).")
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    text = str(args.retention_days).strip()
    if not text.isdigit():
        problem = Problem(
            f"'{text}' is not a whole number of days (0 keeps content)", "--retention-days"
        )
        raise InputFileError("not a number of days", [problem])
    days = int(text) or None
    with _as_admin(args) as (store, admin):
        store.set_retention(admin, days)
    print(
        f"Practitioners' computers remove a screening's content {days} days after approval."
        if days
        else "Practitioners' computers keep screenings' content."
    )
    return 0


def cmd_users_disable(args: argparse.Namespace) -> int:
    with _as_admin(args) as (store, admin):
        store.disable_account(admin, args.name)
    print(
        f"Disabled {args.name} on the server: its sessions ended and its computers were revoked "
        "(what is on them stays there). If it was a supervisor: the team key cannot be "
        "changed yet (docs/SECURITY.md)."
    )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    import uvicorn

    from screening_app.server.api import create_app
    from screening_app.server.store import ServerStore

    host, _, port = args.listen.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InputFileError("bad --listen", [Problem("--listen must be HOST:PORT", "listen")])
    for path in (args.cert, args.key):
        if not path.is_file():
            raise InputFileError(f"{path.name}: not found", [Problem("file not found", str(path))])
    url = _set_up(_url(args))  # a clear message now rather than at the first request
    if not 1 <= args.workers <= 64 or not 1 <= args.pool <= 100:
        raise InputFileError(
            "bad --workers or --pool",
            [Problem("--workers is 1 to 64 and --pool 1 to 100", "workers")],
        )
    served = {
        "host": host,
        "port": int(port),
        "ssl_certfile": str(args.cert),
        "ssl_keyfile": str(args.key),
        "log_level": "info",
        "access_log": args.access_log,
        "timeout_graceful_shutdown": 10,
    }
    if args.workers > 1:  # processes behind one socket, each with its own pool
        from screening_app.server import worker

        os.environ[worker.DATABASE], os.environ[worker.POOL] = url, str(args.pool)
        uvicorn.run("screening_app.server.worker:app", factory=True, workers=args.workers, **served)
        return 0
    store = ServerStore(url, pool_size=args.pool)
    try:
        uvicorn.run(create_app(store), **served)
    finally:
        store.close()
    return 0


def cmd_audit_check(args: argparse.Namespace) -> int:
    """Every chain of the server's audit trail, walked from its first row (server/audit.py)."""
    import psycopg

    from screening_app.server import audit

    with _connect(_url(args)) as conn:
        try:
            with conn.transaction():
                checked = audit.check_all(conn)
        except psycopg.Error as exc:
            raise StorageError(f"Could not read the audit trail: {exc}") from None
    for problem in checked.problems:
        print(f"screening-app: {problem}", file=sys.stderr)
    if checked.problems:
        print(
            f"screening-app: {len(checked.problems)} problem(s) in {checked.rows} audit rows: "
            "rows were removed or changed outside the server. Keep a copy of the database as it "
            "is and tell the data protection officer.",
            file=sys.stderr,
        )
        return 2
    print(f"The audit trail holds: {checked.rows} rows in {checked.chains} chain(s), each whole.")
    return 0
