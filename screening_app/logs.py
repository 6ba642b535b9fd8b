"""Logging to a file in the user's data folder. Never log answers, names or passwords."""

from __future__ import annotations

import logging
import os
from pathlib import Path

APP_NAME = "cse-screening"


def data_dir() -> Path:
    override = os.environ.get("SCREENING_APP_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs  # here, not at the top: start-up imports only what it uses

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_path() -> Path:
    return data_dir() / "logs" / "screening-app.log"


def setup_logging(level: int = logging.INFO) -> Path:
    """Send log records to a rotating file (created owner-only); returns its path."""
    from logging.handlers import RotatingFileHandler

    path = log_path()
    root = logging.getLogger()
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        os.chmod(path, 0o600)
    except OSError:
        handler = logging.StreamHandler()
        handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
