"""``settings show|contacts``: the organisation's settings on this database (docs/CLI.md).

Anyone signed in can read them; only an administrator changes them, and each change is signed
into the account log. ``settings contacts`` sets the area's numbers shown beside "Call 999":
a flag left out keeps its number, an empty one clears it.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from screening_app.cli.common import opened, signed_in_args
from screening_app.domain import record_retention
from screening_app.domain.contacts import KINDS
from screening_app.services.administration import IDLE_LOCK_MINUTES

_FLAGS = {kind: "--" + kind.replace("_", "-") for kind in KINDS}


def register(subparsers: Any) -> None:
    settings = subparsers.add_parser("settings", help="the organisation's settings")
    sub = settings.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    show = sub.add_parser("show", help="print the settings")
    signed_in_args(show)
    show.add_argument("--json", action="store_true", help="print them as JSON")
    show.set_defaults(func=cmd_show)
    contacts = sub.add_parser(
        "contacts", help="set the area's MASH, children's services and out-of-hours numbers"
    )
    signed_in_args(contacts)
    contacts.add_argument("--area", metavar="NAME", help="the area's name, e.g. Northvale")
    for kind, flag in _FLAGS.items():
        contacts.add_argument(flag, dest=kind, metavar="NUMBER", help=f"the {KINDS[kind]} number")
    contacts.set_defaults(func=cmd_contacts)
    retention = sub.add_parser("retention", help="how long each kind of record is kept")
    signed_in_args(retention)
    for kind, (words, _setting, _default) in record_retention.KINDS.items():
        retention.add_argument(
            f"--{kind.replace('_', '-')}-years",
            dest=kind,
            type=int,
            metavar="N",
            help=f"{words}: years after the child's date of birth",
        )
    retention.add_argument("--draft-days", type=int, metavar="N", help="a draft never submitted")
    retention.set_defaults(func=cmd_retention)


def cmd_show(args: argparse.Namespace) -> int:
    with opened(args) as app:
        minutes = app.settings.get_int(IDLE_LOCK_MINUTES, 5)
        contacts = app.settings.contacts()
    if args.json:
        print(json.dumps({"idle_lock_minutes": minutes, "contacts": contacts.as_data()}))
        return 0
    print(f"The app locks after {minutes} minutes without use.")
    print(contacts.sentence() or "No contact numbers are set beside 'Call 999'.")
    return 0


def cmd_contacts(args: argparse.Namespace) -> int:
    with opened(args) as app:
        current = app.settings.contacts()
        numbers = dict(current.numbers)
        for kind in KINDS:
            given = getattr(args, kind)
            if given is not None:
                numbers[kind] = given
        area = current.area if args.area is None else args.area
        chosen = app.settings.set_contacts(area, numbers)
    print(chosen.sentence() or "No contact numbers are set beside 'Call 999' now.")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    with opened(args) as app:
        for kind, (_words, setting, _default) in record_retention.KINDS.items():
            if getattr(args, kind) is not None:
                app.settings.set_int(setting, getattr(args, kind))
        if args.draft_days is not None:
            app.settings.set_int(record_retention.DRAFT_DAYS[0], args.draft_days)
        periods = app.retention.periods()
    for words, setting, _default in record_retention.KINDS.values():
        print(f"{words}: kept {periods[setting]} years after the child's date of birth")
    print(f"A draft never submitted: kept {periods[record_retention.DRAFT_DAYS[0]]} days")
    return 0
