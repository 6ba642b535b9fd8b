"""The one handler for errors: plain words for a person's errors, a logged traceback for bugs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from screening_app.errors import ScreeningError
from screening_app.ui.error_handler import ErrorHandler


class Recorder:
    def __init__(self, log_file: Path) -> None:
        self.log_file = log_file
        self.opened = 0
        self.shown: list[tuple[str, str]] = []

    def open_log(self) -> Path:
        self.opened += 1
        return self.log_file

    def show(self, title: str, text: str) -> None:
        self.shown.append((title, text))


def _raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_a_bug_is_logged_with_its_traceback_and_the_user_told_nothing_was_lost(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rec = Recorder(tmp_path / "logs" / "app.log")
    handler = ErrorHandler(rec.open_log, rec.show)
    with caplog.at_level(logging.ERROR):
        handler.handle(_raised(KeyError("boom")))
    assert rec.opened == 1  # the log is set up before the record is written
    [record] = caplog.records
    assert record.exc_info is not None and record.exc_info[0] is KeyError
    [(title, text)] = rec.shown
    assert title == "Something went wrong"
    assert "Nothing you entered was lost" in text and str(rec.log_file) in text


def test_a_person_s_error_is_shown_as_is_and_not_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rec = Recorder(tmp_path / "app.log")
    handler = ErrorHandler(rec.open_log, rec.show)
    with caplog.at_level(logging.DEBUG):
        handler.handle(ScreeningError("The file is not a screening database."))
    assert caplog.records == [] and rec.opened == 0
    assert rec.shown == [("Please check", "The file is not a screening database.")]


def test_a_second_error_while_the_first_is_on_screen_is_only_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rec = Recorder(tmp_path / "app.log")

    def show_and_fail_again(title: str, text: str) -> None:
        rec.show(title, text)
        handler.handle(_raised(ValueError("second")))

    handler = ErrorHandler(rec.open_log, show_and_fail_again)
    with caplog.at_level(logging.ERROR):
        handler.handle(_raised(ValueError("first")))
    assert len(rec.shown) == 1
    assert len(caplog.records) == 2
