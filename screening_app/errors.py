"""Error types.

Every error a person can act on is a :class:`ScreeningError` subclass whose message says what is
wrong and what to do. The UI shows these in a dialog or inline; the CLI prints them and exits 2.
Anything that is not a ScreeningError is a bug: logged with its traceback and reported as such.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with an input, located as precisely as the input allows.

    (A NamedTuple, not a dataclass: this module is on the start-up path, dataclasses is not.)
    """

    message: str
    where: str = ""  # question id, file name, or "file:line"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_-]*$|^$")


class ScreeningError(Exception):
    """Root of every error that is the user's or the environment's, not a bug."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems)

    def lines(self) -> list[str]:
        """One line per problem (or the message alone), for the command line: each names
        where it is (the file, the line, the question id)."""
        return [str(p) for p in self.problems] or [self.message]

    def for_people(self) -> str:
        """The same for the window: a place that is an identifier (a question id, a field
        name) means nothing to a person and is left out; a file name is kept."""
        lines = [p.message if _IDENTIFIER.match(p.where) else str(p) for p in self.problems] or [
            self.message
        ]
        return "\n".join(lines)


class ExpressionError(ScreeningError):
    """An expression in a form file could not be parsed."""


class FormError(ScreeningError):
    """A form definition file is malformed."""


class AnswersError(ScreeningError):
    """An answers mapping or answers file does not fit its form."""


class InputFileError(ScreeningError):
    """A file given on the command line cannot be read or is not what it should be."""


class StorageError(ScreeningError):
    """The database cannot be opened, read or written."""


class WorkflowError(ScreeningError):
    """The record is not in a state that allows this (a submitted screening is not a draft …)."""


class NotFound(ScreeningError):
    """The account, screening or child record named does not exist (or is not shared with you)."""


class AuthenticationError(ScreeningError):
    """Wrong user name or password (never says which).

    ``retry_after`` is how many seconds must pass before the next attempt is accepted (0 for the
    first five failures, then growing), so a stolen laptop cannot be guessed at speed.
    """

    def __init__(
        self, message: str, problems: Iterable[Problem] = (), retry_after: float = 0.0
    ) -> None:
        super().__init__(message, problems)
        self.retry_after = retry_after


class PermissionDenied(ScreeningError):
    """The signed-in user's role does not allow this."""


class NoAccess(PermissionDenied):
    """The account holds no data key: an administrator, or an account not yet granted access."""


class ExportError(ScreeningError):
    """A referral or report could not be written."""


class DatabaseLocked(StorageError):
    """Another running copy of the app has the database open."""


class NotADatabase(StorageError):
    """The file is not a screening database (or not one this app can read)."""


class NewerVersion(StorageError):
    """The database was written by a newer version of the app; it is never downgraded."""


class IntegrityProblem(StorageError):
    """The database is damaged; ``backups`` lists what it can be restored from (newest first)."""

    def __init__(
        self, message: str, problems: Iterable[Problem] = (), backups: Iterable[object] = ()
    ) -> None:
        super().__init__(message, problems)
        self.backups: list[object] = list(backups)
