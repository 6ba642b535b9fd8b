"""The database's own health check (SQLite's quick_check and SQLCipher's page MACs).

Its own module so that opening (store) and backups (backup) can both use it without importing
each other.
"""

from __future__ import annotations

from screening_app.storage.driver import Database


def integrity_problem(db: Database) -> str | None:
    """None when SQLite's and SQLCipher's checks pass, else what they found."""
    result = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
    if result != ["ok"]:
        return "; ".join(str(r) for r in result[:3])
    cipher = [row[0] for row in db.execute("PRAGMA cipher_integrity_check").fetchall()]
    if cipher:
        return "; ".join(str(r) for r in cipher[:3])
    return None
