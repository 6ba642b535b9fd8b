"""Where the database lives, and whether one exists — cheap to import (no database driver)."""

from __future__ import annotations

from pathlib import Path

from screening_app.logs import data_dir


def default_database_path() -> Path:
    """``<user data dir>/screenings.db``; ``SCREENING_APP_DATA_DIR`` overrides the folder."""
    return data_dir() / "screenings.db"


def demo_database_path() -> Path:
    """The demo's own database, apart from real records: ``<user data dir>/demo/demo.db``."""
    return data_dir() / "demo" / "demo.db"


def database_exists(path: Path) -> bool:
    """True when the database and its key file are both there."""
    return path.exists() and path.with_name(path.name + ".keys").exists()
