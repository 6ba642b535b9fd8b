"""``stats``: monthly figures for a supervisor's team, as a table or CSV."""

from __future__ import annotations

import argparse
from contextlib import closing
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
    from screening_app.domain.measures import RATE_NAMES, percent
    from screening_app.domain.statistics import months_between
    from screening_app.export.stats_csv import to_csv

    months_between(args.start, args.end)  # bad months are reported before asking a password
    path = args.sub_db or getattr(args, "db", None) or default_database_path()
    password = password_from(args.password_file, f"Password for {args.user}: ")
    with closing(sign_in(path, args.user, password)) as app:
        if args.server:
            figures = app.statistics.from_server(args.start, args.end, password)
        else:
            figures = app.statistics.monthly(args.start, args.end)
        shape = app.statistics.shape()
    if args.csv:
        print(to_csv(figures, shape, suppressed=not args.no_suppress), end="")
        return 0
    bands = shape.form.band_codes()
    rates = ("investigation", "disruption", "safeguarding")
    print(
        f"{'month':<8} {'screenings':>10} {'children':>8} "
        + " ".join(f"{b:>11}" for b in bands)
        + "".join(f" {r:>13}" for r in rates)
    )
    for m in figures:
        shown = []
        for name in RATE_NAMES:
            shown.append(percent(m.tally.rate(name), m.tally.base(name), suppressed=False))
        print(
            f"{m.month:<8} {m.screenings:>10} {m.children:>8} "
            + " ".join(f"{m.bands.get(b, 0):>11}" for b in bands)
            + "".join(f" {r:>13}" for r in shown)
        )
    print(
        "investigation: positive police results of screenings investigated; disruption: of "
        "those investigated or referred to the SCU; safeguarding: referrals and strategy "
        "discussions of screenings at moderate or above (docs/STATISTICS.md)."
    )
    return 0
