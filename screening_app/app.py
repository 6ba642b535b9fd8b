"""Composition root: builds settings, database, services and the window.

The desktop window is being built (issue 5); until it lands this entry point says so plainly and
points at the command-line tools, which work today.
"""

from __future__ import annotations

import argparse
import sys


def main(args: argparse.Namespace) -> int:
    """Open the desktop app (not yet available) — explain and exit 2."""
    print(
        "screening-app: the desktop window is not in this build yet. "
        "Use the commands listed by `screening-app --help` (score, validate-form, forms).",
        file=sys.stderr,
    )
    return 2
