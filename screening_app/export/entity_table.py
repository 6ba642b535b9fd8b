"""The entities of concern (form version 2) in the referral: one table, grouped by kind, with
what each was linked on (the normalised value, written as people write it: "12, BS1 4DJ",
"07700 900123") — what the SCU would otherwise retype."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from screening_app.domain import entities
from screening_app.export.blocks import Kit

GRID = (0.6, 0.6, 0.6)


def entity_table(kit: Kit, given: list[Any]) -> list[Flowable]:
    items = [e for e in given if isinstance(e, dict) and e.get("kind") in entities.KINDS]
    if not items:
        return []
    items.sort(key=lambda e: entities.KINDS.index(e["kind"]))
    header = ["Kind", "Details", "Linked on", "Connection, last seen"]
    rows: list[list[Any]] = [[kit.text(h, kit.styles.body_bold) for h in header]]
    for entity in items:
        details = entities.summary(entity).split(": ", 1)[-1]
        seen = ", ".join(
            str(entity[k]) for k in ("connection", "last_seen") if entity.get(k) not in (None, "")
        )
        rows.append(
            [
                kit.text(entities.KIND_LABELS[entity["kind"]], kit.styles.body),
                kit.text(details, kit.styles.body),
                kit.text(entities.linked_on(entity), kit.styles.label),
                kit.text(seen or "—", kit.styles.body),
            ]
        )
    widths = [70, kit.width * 0.38, kit.width * 0.27]
    widths.append(kit.width - sum(widths))
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [kit.text(kit.label("entities_of_concern"), kit.styles.caption), table, Spacer(1, 6)]
