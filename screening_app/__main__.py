"""Entry point: ``screening-app`` and ``python -m screening_app``."""

from __future__ import annotations

import sys


def main() -> None:
    from screening_app.cli import run

    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
