"""GUI test helpers: a recording answer sink."""

from __future__ import annotations

from typing import Any

from screening_app.errors import StorageError


class RecordingSink:
    """Remembers every save; ``fail`` makes the next saves raise like a full disk."""

    def __init__(self) -> None:
        self.saved: dict[str, Any] = {}
        self.calls: list[tuple[str, Any]] = []
        self.pages: list[str] = []
        self.fail = False

    def save_answer(self, question_id: str, value: object | None) -> None:
        if self.fail:
            raise StorageError("Could not save your answer: the disk is full.")
        self.calls.append((question_id, value))
        if value is None:
            self.saved.pop(question_id, None)
        else:
            self.saved[question_id] = value

    def save_page(self, page: str) -> None:
        self.pages.append(page)
