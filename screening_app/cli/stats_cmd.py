"""``stats``: monthly figures for a supervisor's team, as a table or CSV."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from screening_app.cli.passwords import password_from
from screening_app.services.locations import default_database_path


def register(subparsers: Any) -> None:
    stats = subparsers.add_parser("stats", help="monthly figures (supervisors)")
    stats.add_argument("--db", type=Path, dest="sub_db", metavar="PATH")
    stats.add_argument("--user", required=True, metavar="NAME")
    stats.add_argument("--password-file", type=Path, metavar="F")
    stats.add_argument("--from", dest="start", required=True, metavar="YYYY-MM")
    stats.add_argument("--to", dest="end", required=True, metavar="YYYY-MM")
    stats.add_argument("--csv", action="store_true", help="CSV on standard output")
    stats.add_argument(
        "--no-suppress",
        action="store_true",
        help="show counts 1-4 as they are (CSV suppresses them by default)",
    )
    stats.add_argument(
        "--server",
        action="store_true",
        help="the organisation's figures, computed by the connected team server",
    )
    stats.set_defaults(func=cmd_stats)


def cmd_stats(args: argparse.Namespace) -> int:
    from screening_app.app import sign_in
    from screening_app.domain.statistics import months_between
    from screening_app.export.stats_csv import to_csv

    months_between(args.start, args.end)  # bad months are reported before asking a password
    path = args.sub_db or getattr(args, "db", None) or default_database_path()
    password = password_from(args.password_file, f"Password for {args.user}: ")
    app = sign_in(path, args.user, password)
    try:
        if args.server:
            figures = app.statistics.from_server(args.start, args.end, password)
        else:
            figures = app.statistics.monthly(args.start, args.end)
        form = app.statistics.form()
    finally:
        app.close()
    if args.csv:
        print(to_csv(figures, form, suppressed=not args.no_suppress), end="")
        return 0
    bands = form.band_codes()
    print(
        f"{'month':<8} {'screenings':>10} {'children':>8} "
        + " ".join(f"{b:>11}" for b in bands)
        + f" {'positive':>8}"
    )
    for m in figures:
        rate = "" if m.positive_outcome_rate is None else f"{m.positive_outcome_rate:.0%}"
        print(
            f"{m.month:<8} {m.screenings:>10} {m.children:>8} "
            + " ".join(f"{m.bands.get(b, 0):>11}" for b in bands)
            + f" {rate:>8}"
        )
    return 0
