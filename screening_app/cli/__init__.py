"""Headless command line (docs/CLI.md). With no subcommand it opens the desktop app.

Each command module exposes ``register(subparsers)`` and sets ``func`` on its parser; the
function takes the parsed arguments and returns an exit code. Exit codes: 0 success, 2 bad input
(a :class:`ScreeningError`, one line per problem on stderr), 1 a bug.
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from screening_app import __version__
from screening_app.errors import InputFileError, Problem, ScreeningError
from screening_app.logs import log_path, setup_logging

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="screening-app",
        description="CSE risk screening. With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"screening-app {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on its demo database of fictional data (kept until Fresh demo data)",
    )
    parser.add_argument("--db", type=Path, help="use this database file instead of the default")
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    from screening_app.cli import (
        db_cmds,
        figures_cmd,
        forms_cmds,
        links_cmds,
        records_cmds,
        referral_cmd,
        report_cmds,
        retention_cmds,
        server_cmds,
        settings_cmds,
        stats_cmd,
        sync_cmds,
        transfer_cmds,
        users_cmds,
    )

    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = (
        forms_cmds,
        referral_cmd,
        db_cmds,
        users_cmds,
        settings_cmds,
        records_cmds,
        links_cmds,
        stats_cmd,
        report_cmds,
        figures_cmd,
        sync_cmds,
        server_cmds,
        retention_cmds,
        transfer_cmds,
    )
    for module in modules:
        module.register(subparsers)
    return parser


def _window_arguments(argv: list[str]) -> argparse.Namespace | None:
    """The options when ``argv`` only asks to open the window (``--demo``, ``--db PATH``), read
    by hand: building the full parser, its commands and its translated messages costs the
    window's start-up several milliseconds. Anything else (a command, ``--help``, a mistake):
    None, and the full parser deals with it."""
    options = argparse.Namespace(command=None, demo=False, db=None, smoke_test=False)
    rest = iter(argv)
    for arg in rest:
        if arg in ("--demo", "--smoke-test"):
            setattr(options, arg[2:].replace("-", "_"), True)
        elif arg == "--db" or arg.startswith("--db="):
            value = arg[5:] if arg.startswith("--db=") else next(rest, "")
            if not value or value.startswith("-"):
                return None
            options.db = Path(value)
        else:
            return None
    return options


def _text_arguments(args: argparse.Namespace) -> None:
    """Every text argument is text: bytes that are not UTF-8 (which Python keeps as lone
    surrogates) are named, not a crash further on. File paths may hold any bytes."""
    for key, value in vars(args).items():
        flag = "--" + key.replace("_", "-")
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, str | Path) and "\x00" in str(one):
                problem = Problem("holds a NUL character; type it again", flag)
                raise InputFileError(f"{flag} holds a NUL character", [problem])
            if isinstance(one, str):
                try:
                    one.encode("utf-8")
                except UnicodeEncodeError:
                    raise InputFileError(
                        f"{flag} is not valid text",
                        [Problem("is not valid UTF-8 text; type it again", flag)],
                    ) from None


@functools.cache
def _parser() -> argparse.ArgumentParser:
    """Built once per process: argparse keeps no state between parses, and building the ~65
    subcommands is most of a quick command's time (each test's run of the CLI pays it)."""
    return build_parser()


def run(argv: Sequence[str]) -> int:
    args = _window_arguments(list(argv)) or _parser().parse_args(list(argv))
    if args.command is None:
        from screening_app.app import main as open_app  # Qt only when the window is wanted

        opened: int = open_app(args)
        return opened
    setup_logging()
    try:
        _text_arguments(args)
        code: int = args.func(args)
        sys.stdout.flush()  # a reader that stopped reading is met here, not at exit
        return code
    except ScreeningError as exc:
        for line in exc.lines():
            # a file name may hold bytes that are not UTF-8: shown escaped, never a crash
            shown = line.encode("utf-8", "backslashreplace").decode("utf-8")
            print(f"screening-app: {shown}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("screening-app: interrupted; nothing was changed", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader stopped reading (``| head``): the work is done, what it printed was not
        # wanted; no bug, and nothing more to write (stdout now goes nowhere)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception:
        log.exception("unexpected error in command %s", args.command)
        print(
            f"screening-app: unexpected error (a bug). Details were written to {log_path()}",
            file=sys.stderr,
        )
        return 1
