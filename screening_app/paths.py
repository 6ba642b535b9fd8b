"""Where the files shipped with the app live (forms, fonts, icons).

In a wheel they are under ``screening_app/_data``; in a source checkout (editable install, tests)
they are the top-level ``forms/`` and ``resources/`` folders; in a PyInstaller bundle they are next
to the executable's Python files.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    return _PACKAGE.parent / name


def forms_dir() -> Path:
    return _data_dir("forms")


def resources_dir() -> Path:
    return _data_dir("resources")
