"""Whose screenings a query may see (every storage function that reads or writes one screening
takes one; docs/SECURITY.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """Whose screenings a query may see: ``own`` (+ shared), ``team``, ``none`` — or ``all``
    for the database's own jobs (demo data, `db check`), never for a person's session.

    Every storage function that reads or writes one screening (or one child) takes the caller's
    scope and acts only within it: authorisation holds below the services too."""

    kind: str
    user_id: int
    team: str = ""

    def clause(
        self, *, counting: bool = False, on: str = "s", id_column: str = "id"
    ) -> tuple[str, list[object]]:
        """The SQL test. ``counting``: shared screenings as "s.id IN", so that each side of the
        OR can use an index (a count reads every match); a page of the list instead walks an
        index in the order shown and stops at the page size, which EXISTS lets it do. ``on``
        and ``id_column``: a table other than the screenings that carries their owner and team
        (the link keys' copies: ``on="k", id_column="screening_id"``)."""
        if self.kind == "team":
            # A supervisor's own screenings carry their team too, so one indexed test suffices.
            return f"{on}.team = ?", [self.team]
        if self.kind == "own":
            ident = f"{on}.{id_column}"
            shared = (
                f"{ident} IN (SELECT screening_id FROM shares WHERE user_id = ?)"
                if counting
                else f"EXISTS (SELECT 1 FROM shares h WHERE h.screening_id = {ident} "
                "AND h.user_id = ?)"
            )
            return f"({on}.owner_id = ? OR {shared})", [self.user_id, self.user_id]
        if self.kind == "all":
            return "1", []
        return "0", []


ALL = Scope("all", 0)
