"""Reading a file someone handed us, safely: regular files only, up to a size cap.

A FIFO given as an answers or password file would make ``open()`` wait for ever; ``/dev/zero``
would fill memory; a 50 MB "password" would keep argon2 busy. :func:`read_regular` refuses each
with a :class:`~screening_app.errors.InputFileError` naming the file and what to do, before
reading more than ``limit`` bytes. Used by the CLI, the answers and form loaders.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
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


def write_text(path: Path, text: str, *, force: bool = True) -> None:
    """Write ``text`` to ``path`` whole or not at all (see :func:`write_output`)."""
    write_output(path, text.encode("utf-8"), force=force)


def write_output(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` whole or not at all, never through a link and never over
    anything but a regular file (``force`` included): a temporary file of a random name made
    with ``O_CREAT | O_EXCL`` (a link planted at any name is not followed), flushed to disk,
    then renamed over ``path`` (``force``) or linked to it, which fails if ``path`` appeared
    meanwhile. A full disk or a folder that refuses is an ExportError saying what to do."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise _not_written(path, _reason(exc)) from None
    if found is not None:
        if stat.S_ISLNK(found.st_mode):
            raise _not_written(path, "is a link; give the path of the file itself, or another name")
        if not stat.S_ISREG(found.st_mode):
            raise _not_written(path, "is not a regular file (a folder, pipe or device)")
        if not force:
            raise _not_written(path, "already exists; choose another name or use --force")
    if not folder.is_dir():
        raise _not_written(path, "cannot be written: its folder does not exist")
    temporary = ""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name[:40]}.", dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if force:
            os.replace(temporary, path)
        else:
            os.link(temporary, path, follow_symlinks=False)
            os.unlink(temporary)
        temporary = ""
    except FileExistsError:
        raise _not_written(path, "already exists; choose another name or use --force") from None
    except OSError as exc:
        raise _not_written(path, _reason(exc)) from None
    finally:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "cannot be written: the disk is full; free some space and try again"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "cannot be written: no permission to write there; choose another folder"
    return f"cannot be written ({exc.strerror}); choose another folder"


def _not_written(path: Path, reason: str) -> ExportError:
    return ExportError(f"{path.name} {reason}", [Problem(f"{path} {reason}", str(path))])
