"""Passwords for the command line: from a file or an interactive prompt, never from argv.

A password on the command line would be visible to every user of the machine (``ps``) and kept in
shell history, so the CLI only reads them from a file the user controls or from ``getpass``.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from screening_app.errors import InputFileError, Problem
from screening_app.files import read_regular_text

MAX_PASSWORD_FILE = 4096  # bytes: a password, not a document
MAX_COMMENT_FILE = 100_000


def read_password_file(path: Path, what: str = "password") -> str:
    """The password in ``path`` (one trailing newline removed); InputFileError if unusable."""
    text = read_regular_text(path, MAX_PASSWORD_FILE, f"{what} file")
    if text.endswith("\n"):
        text = text[:-1]
    if text.endswith("\r"):
        text = text[:-1]
    if not text:
        raise _problem(path, f"{what} file is empty; put the {what} on its first line")
    return text


def read_text_file(path: Path, what: str) -> str:
    """A short text (a review comment) from ``path``, surrounding blank space removed."""
    text = read_regular_text(path, MAX_COMMENT_FILE, f"{what} file").strip()
    if not text:
        raise _problem(path, f"the {what} file is empty")
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


def new_password_from(path: Path | None, prompt: str, what: str = "new password") -> str:
    """A new password from ``path``, or typed twice (a typing mistake in a password nobody has
    seen would lock its owner out)."""
    first = password_from(path, prompt, what)
    if path is None and password_from(None, "Type it again: ", what) != first:
        raise InputFileError(
            f"the two {what}s differ",
            [Problem(f"the two {what}s you typed differ; nothing was changed", what)],
        )
    return first


def _problem(path: Path, message: str) -> InputFileError:
    return InputFileError(message, [Problem(message, str(path))])
