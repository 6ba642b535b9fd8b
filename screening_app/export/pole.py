"""A screening's entities of concern and their links, POLE-shaped (Person, Object, Location,
Event — the national standard police intelligence systems use), as JSON or CSV for an
intelligence submission to the SCU. Pure: the service passes in what it read."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from screening_app.domain import entities

POLE_TYPE = {
    "person": "Person",
    "vehicle": "Object",
    "phone": "Object",
    "online_account": "Object",
    "place": "Location",
}
CSV_COLUMNS = ("reference", "entity_id", "pole_type", "kind", "key", "details", "links")


def pole_entities(
    reference: str, given: Sequence[Any], links: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One object per entity: its POLE type, its fields, its normalised keys, and the other
    screenings it links to (with the strength of each link)."""
    out = []
    for number, entity in enumerate(given, start=1):
        if not isinstance(entity, dict) or entity.get("kind") not in POLE_TYPE:
            continue
        keys = [k.key for k in entities.keys(entity)]
        linked = [
            {"reference": other, "strength": link["strength"], "key": link["key"]}
            for link in links
            if _concerns(link, entity["kind"], keys)
            for other in link["references"]
            if other != reference
        ]
        out.append(
            {
                "entity_id": f"{reference}-E{number}",
                "pole_type": POLE_TYPE[entity["kind"]],
                "kind": entity["kind"],
                "fields": {k: v for k, v in entity.items() if k != "kind"},
                "keys": keys,
                "links": linked,
            }
        )
    return out


def _concerns(link: dict[str, Any], kind: str, keys: list[str]) -> bool:
    """Is ``link`` about this entity: its key, one of a group of names alike, or (a partial
    registration's link) a full registration the pattern fits."""
    if link["entity_kind"] != kind:
        return False
    linked = str(link["key"])
    return any(
        key == linked
        or key in linked.split(" / ")
        or (kind == "vehicle" and entities.registration_fits(linked, key))
        for key in keys
    )


def to_json(
    reference: str,
    screening_date: str | None,
    items: list[dict[str, Any]],
    share: dict[str, str] | None = None,
) -> str:
    """The POLE document; ``share``: with whom, what for and on what basis it is shared
    (recipient, purpose, basis, reason), so that the receiver's disclosure log has it."""
    document: dict[str, Any] = {
        "format": "cse-screening POLE export 1",
        "event": {"type": "CSE risk screening", "reference": reference, "date": screening_date},
        "entities": items,
    }
    if share is not None:
        document["shared"] = share
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def to_csv(reference: str, items: list[dict[str, Any]]) -> str:
    """One row per entity; ``links`` as "REFERENCE (strength)" separated by semicolons."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        details = "; ".join(f"{k}: {v}" for k, v in item["fields"].items())
        links = "; ".join(f"{link['reference']} ({link['strength']})" for link in item["links"])
        row = [reference, item["entity_id"], item["pole_type"], item["kind"]]
        writer.writerow([*row, " | ".join(item["keys"]), safe_cell(details), safe_cell(links)])
    return out.getvalue()


def safe_cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
