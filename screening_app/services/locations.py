"""Where the database lives, and whether one exists — cheap to import (no database driver)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "cse-screening"


def default_database_path() -> Path:
    """``<user data dir>/screenings.db``; ``SCREENING_APP_DATA_DIR`` overrides the folder."""
    override = os.environ.get("SCREENING_APP_DATA_DIR")
    base = Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))
    return base / "screenings.db"


def database_exists(path: Path) -> bool:
    """True when the database and its key file are both there."""
    return path.exists() and path.with_name(path.name + ".keys").exists()
