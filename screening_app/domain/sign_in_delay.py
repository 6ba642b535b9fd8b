"""The growing wait after failed sign-ins, for the desktop and the team server alike: the first
few failures are free, then each one doubles the wait, up to a minute (docs/SECURITY.md)."""

from __future__ import annotations

FREE_FAILURES = 5
MAX_DELAY = 60.0


def delay_after(failures: int) -> float:
    """Seconds to wait after ``failures`` failed attempts in a row."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(MAX_DELAY, 2.0 ** (failures - FREE_FAILURES + 1))
