"""``report panel`` (and ``report profile``): the partnership's reports (docs/STATISTICS.md)."""

from __future__ import annotations

import argparse
from contextlib import closing
from pathlib import Path
from typing import Any

from screening_app.cli.passwords import password_from
from screening_app.services.locations import default_database_path


def _signed_in(parser: argparse.ArgumentParser, *, suppress: bool = True) -> None:
    parser.add_argument("--db", type=Path, dest="sub_db", metavar="PATH")
    parser.add_argument("--user", required=True, metavar="NAME")
    parser.add_argument("--password-file", type=Path, metavar="F")
    parser.add_argument("--from", dest="start", required=True, metavar="YYYY-MM")
    parser.add_argument("--to", dest="end", required=True, metavar="YYYY-MM")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT")
    parser.add_argument("--csv", action="store_true", help="write a CSV instead of a PDF")
    parser.add_argument("--server", action="store_true", help="the whole organisation's")
    if suppress:  # a profile is made to be published: always suppressed
        parser.add_argument("--no-suppress", action="store_true", help="show counts 1-4")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")


def register(subparsers: Any) -> None:
    report = subparsers.add_parser("report", help="the partnership's reports (supervisors)")
    sub = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    panel = sub.add_parser("panel", help="months by year, the three rates, data quality")
    _signed_in(panel)
    panel.set_defaults(func=cmd_report_panel)
    profile = sub.add_parser("profile", help="an area's profile, for publication")
    profile.add_argument("--area", required=True, metavar="CODE")
    _signed_in(profile, suppress=False)
    profile.set_defaults(func=cmd_report_profile)


def cmd_report_panel(args: argparse.Namespace) -> int:
    from screening_app.app import sign_in
    from screening_app.domain.statistics import months_between

    months_between(args.start, args.end)  # bad months are reported before asking a password
    path = args.sub_db or getattr(args, "db", None) or default_database_path()
    password = password_from(args.password_file, f"Password for {args.user}: ")
    with closing(sign_in(path, args.user, password)) as app:
        report = app.statistics.panel(
            args.start,
            args.end,
            server=args.server,
            password=password,
            suppressed=not args.no_suppress,
        )
        app.statistics.write_panel(report, args.output, as_csv=args.csv, force=args.force)
    kind = "CSV" if args.csv else "PDF"
    print(
        f"Wrote the panel report ({kind}, {report.first} to {report.last}, "
        f"{report.whose}) to {args.output}."
    )
    if report.findings:
        print(f"{len(report.findings)} data-quality finding(s):")
        for finding in report.findings:
            print(f"- [{finding.check}] {finding.message}")
    return 0


def cmd_report_profile(args: argparse.Namespace) -> int:
    from screening_app.app import sign_in
    from screening_app.domain.statistics import months_between

    months_between(args.start, args.end)
    path = args.sub_db or getattr(args, "db", None) or default_database_path()
    password = password_from(args.password_file, f"Password for {args.user}: ")
    with closing(sign_in(path, args.user, password)) as app:
        shown = app.profiles.profile(
            args.area, args.start, args.end, server=args.server, password=password
        )
        app.profiles.write(shown, args.output, as_csv=args.csv, force=args.force)
    print(
        f"Wrote the profile of {shown.area} ({'CSV' if args.csv else 'PDF'}, {shown.first} to "
        f"{shown.last}, {shown.whose}) to {args.output}: {shown.children} children screened."
    )
    return 0
