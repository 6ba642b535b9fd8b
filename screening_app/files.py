"""Reading a file someone handed us, safely: regular files only, up to a size cap.

A FIFO given as an answers or password file would make ``open()`` wait for ever; ``/dev/zero``
would fill memory; a 50 MB "password" would keep argon2 busy. :func:`read_regular` refuses each
with a :class:`~screening_app.errors.InputFileError` naming the file and what to do, before
reading more than ``limit`` bytes. Used by the CLI, the answers and form loaders.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from screening_app.errors import ExportError, InputFileError, Problem


def read_regular(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of ``path``, which must be a regular file of at most ``limit`` bytes."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise _problem(path, f"the {what} is not a regular file (a folder, pipe or device)")
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as opened:
            if not stat.S_ISREG(os.fstat(opened.fileno()).st_mode):
                raise _problem(path, f"the {what} is not a regular file")
            raw = opened.read(limit + 1)
    except FileNotFoundError:
        raise _problem(path, f"{what} not found; check the path") from None
    except OSError as exc:
        raise _problem(path, f"the {what} cannot be read ({exc.strerror})") from None
    if len(raw) > limit:
        raise _problem(path, f"the {what} is larger than {_size(limit)}; is it the right file?")
    return raw


def read_regular_text(path: Path, limit: int, what: str = "file") -> str:
    raw = read_regular(path, limit, what)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _problem(path, f"the {what} is not UTF-8 text") from None


def _size(limit: int) -> str:
    return f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit // 1000} kB"


def _problem(path: Path, message: str) -> InputFileError:
    return InputFileError(f"{path.name}: {message}", [Problem(message, str(path))])


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a ``.partial`` file, then one rename);
    a full disk or a folder that refuses is an ExportError saying what to do."""
    try:
        partial = path.with_name(path.name + ".partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        raise ExportError(
            f"{path.name} was not written ({exc.strerror}); choose another folder or free "
            "some disk space."
        ) from None
