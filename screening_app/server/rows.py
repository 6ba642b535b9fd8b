"""Rows read by name: a query's columns land in a frozen dataclass (psycopg's ``class_row``),
so a reordered SELECT is a TypeError at once, never a status read as an author.

A row class sits beside the query that fills it; the shapes used in several modules (who
wrote a screening and in which team) live here."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from psycopg import Connection
from psycopg.rows import class_row

from screening_app.sync.wire_keys import WaitingDevice

R = TypeVar("R")


def one(conn: Connection[Any], row: type[R], query: str, params: Sequence[Any] = ()) -> R | None:
    """The first row of ``query`` as a ``row`` (None when there is none)."""
    return conn.cursor(row_factory=class_row(row)).execute(query, params).fetchone()


def every(conn: Connection[Any], row: type[R], query: str, params: Sequence[Any] = ()) -> list[R]:
    """Every row of ``query``, each a ``row``."""
    return conn.cursor(row_factory=class_row(row)).execute(query, params).fetchall()


@dataclass(frozen=True)
class Owner:
    """Who wrote a screening, and the team it belongs to."""

    author_id: int
    team_id: int


@dataclass(frozen=True)
class Decidable:
    """A screening as a review finds it."""

    status: str
    author_id: int
    team_id: int


@dataclass(frozen=True)
class Waiting:
    """A computer waiting for a sealed copy of a secret (the team key, a link secret)."""

    device_id: uuid.UUID
    account: str
    x25519: bytes | str  # bytes from the devices table, hex text from a listing function
    team: str | None = None  # the organisation's secret: the computer's team
    epochs: list[int] | None = None  # the team key: the epochs it lacks

    def device(self) -> WaitingDevice:
        key = self.x25519 if isinstance(self.x25519, str) else bytes(self.x25519).hex()
        return WaitingDevice(
            device_id=str(self.device_id),
            account=self.account,
            x25519=key,
            team=self.team,
            epochs=list(self.epochs or []),
        )
