"""Passwords for the command line: from a file or an interactive prompt, never from argv.

A password on the command line would be visible to every user of the machine (``ps``) and kept in
shell history, so the CLI only reads them from a file the user controls or from ``getpass``.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from screening_app.errors import InputFileError, Problem


def read_password_file(path: Path, what: str = "password") -> str:
    """The password in ``path`` (one trailing newline removed); InputFileError if unusable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _problem(path, f"{what} file not found; check the path") from None
    except OSError as exc:
        raise _problem(path, f"{what} file cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _problem(path, f"{what} file is not UTF-8 text") from None
    if text.endswith("\n"):
        text = text[:-1]
    if text.endswith("\r"):
        text = text[:-1]
    if not text:
        raise _problem(path, f"{what} file is empty; put the {what} on its first line")
    return text


def password_from(path: Path | None, prompt: str, what: str = "password") -> str:
    """From ``path`` when given, else asked for interactively (not echoed)."""
    if path is not None:
        return read_password_file(path, what)
    try:
        text = getpass.getpass(prompt)
    except EOFError:
        raise InputFileError(
            f"no {what}",
            [Problem(f"no {what} given; use --password-file or run it in a terminal", what)],
        ) from None
    if not text:
        raise InputFileError(f"no {what}", [Problem(f"the {what} is empty", what)])
    return text


def _problem(path: Path, message: str) -> InputFileError:
    return InputFileError(message, [Problem(message, str(path))])
