"""Headless command line (CLI.md). With no subcommand it opens the desktop app.

Each command module exposes ``register(subparsers)`` and sets ``func`` on its parser; the
function takes the parsed arguments and returns an exit code. Exit codes: 0 success, 2 bad input
(a :class:`ScreeningError`, one line per problem on stderr), 1 a bug.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from screening_app import __version__
from screening_app.errors import ScreeningError
from screening_app.logs import log_path, setup_logging

log = logging.getLogger(__name__)


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The whole parser; ``commands=False`` leaves out the subcommands (and their imports) for
    the common case of opening the window, where every millisecond of start-up shows."""
    parser = argparse.ArgumentParser(
        prog="screening-app",
        description="CSE risk screening. With no command, opens the desktop app.",
        add_help=commands,
        exit_on_error=commands,
    )
    parser.add_argument("--version", action="version", version=f"screening-app {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a throwaway database filled with fictional data",
    )
    parser.add_argument("--db", type=Path, help="use this database file instead of the default")
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    if not commands:
        parser.add_argument("command", nargs="?")
        return parser
    from screening_app.cli import db_cmds, forms_cmds, referral_cmd, stats_cmd

    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (forms_cmds, referral_cmd, db_cmds, stats_cmd):
        module.register(subparsers)
    return parser


def _window_arguments(argv: list[str]) -> argparse.Namespace | None:
    """The parsed options when ``argv`` only asks to open the window, else None."""
    try:
        args, rest = build_parser(commands=False).parse_known_args(argv)
    except argparse.ArgumentError:  # the full parser reports it, with the full usage
        return None
    return args if args.command is None and not rest else None


def run(argv: Sequence[str]) -> int:
    args = _window_arguments(list(argv)) or build_parser().parse_args(list(argv))
    if args.command is None:
        from screening_app.app import main as open_app  # Qt only when the window is wanted

        opened: int = open_app(args)
        return opened
    setup_logging()
    try:
        code: int = args.func(args)
        return code
    except ScreeningError as exc:
        for line in exc.lines():
            print(f"screening-app: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("screening-app: interrupted; nothing was changed", file=sys.stderr)
        return 2
    except Exception:
        log.exception("unexpected error in command %s", args.command)
        print(
            f"screening-app: unexpected error (a bug). Details were written to {log_path()}",
            file=sys.stderr,
        )
        return 1
