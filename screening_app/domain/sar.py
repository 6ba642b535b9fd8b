"""Subject access: everything held about one child, with other people's names redacted.

A parent or the young person may ask for a copy of what is held about the child (the UK GDPR's
right of access). What is sent must not disclose other people: other children above all, and
the people of concern named in the screenings. So the export replaces, by default, every name
the app knows to be someone else's — another child's full name (and first name, written with a
capital), a person of concern's name, an online account's handle — with a numbered mark, "[R3]".
Each mark is one **item**: the same name is the same item wherever it appears, so a reviewer who
decides that an item may be disclosed (a name the requester already knows, say) reveals it
everywhere at once. Staff names stay: they act in their professional role. Names the app cannot
know (a name typed only in free text and never recorded anywhere else) are not found: the
reviewer reads the export before it is sent (docs/GOVERNANCE.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MIN_NAME = 3  # shorter "names" (initials, "Jo") would redact ordinary words


@dataclass(frozen=True)
class Item:
    """One name redacted wherever it appears, and what kind of name it is (never the name in
    the export's schedule, unless the reviewer revealed it)."""

    id: str  # "R1"
    kind: str  # "another child", "a person of concern", "an online account"
    name: str


@dataclass
class Redactor:
    """Replaces known third-party names in text; numbers each name once, in the order met."""

    names: dict[str, str]  # name as recorded -> kind (case-insensitive match)
    single: dict[str, str] = field(default_factory=dict)  # first names: matched capitalised
    reveal: frozenset[str] = frozenset()  # item ids the reviewer lets through
    items: dict[str, Item] = field(default_factory=dict)  # by folded name

    def __post_init__(self) -> None:
        def longest_first(names: Iterable[str]) -> list[str]:
            return sorted({n for n in names if len(n) >= MIN_NAME}, key=lambda n: (-len(n), n))

        # one pass, so that marks are numbered in the order the names appear: full names in
        # any case, first names only as written with a capital ("a robin sang" stays)
        self._pattern = _pattern(longest_first(self.names), longest_first(self.single))
        self._kinds = {n.casefold(): k for n, k in self.single.items()}
        self._kinds.update({n.casefold(): k for n, k in self.names.items()})

    def __call__(self, text: str) -> str:
        """``text`` with each known third-party name replaced by its item's mark."""
        if not text or self._pattern is None:
            return text
        return self._pattern.sub(self._mark, text)

    def whole(self, name: str, kind: str) -> str:
        """A field that is itself a third party's name (a person of concern's): the mark."""
        if not name.strip():
            return name
        return self._item(name.strip(), kind)

    def _mark(self, match: re.Match[str]) -> str:
        found = match.group(0)
        return self._item(found, self._kinds.get(found.casefold(), "a third party"))

    def _item(self, name: str, kind: str) -> str:
        key = " ".join(name.split()).casefold()
        item = self.items.get(key)
        if item is None:
            item = Item(f"R{len(self.items) + 1}", kind, name)
            self.items[key] = item
        return name if item.id in self.reveal else f"[{item.id}]"

    def schedule(self) -> list[tuple[str, str]]:
        """(item id, what it is) for every item met, in order: "revealed by the reviewer" for
        those let through. Never the redacted names themselves."""
        return [
            (item.id, f"{item.kind} (revealed by the reviewer: {item.name})")
            if item.id in self.reveal
            else (item.id, f"{item.kind}: redacted")
            for item in self.items.values()
        ]


def _pattern(any_case: Sequence[str], capitalised: Sequence[str]) -> re.Pattern[str] | None:
    def words(names: Sequence[str]) -> str:
        return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)

    parts = ([f"(?i:{words(any_case)})"] if any_case else []) + (
        [words(capitalised)] if capitalised else []
    )
    if not parts:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)")


def redactor(
    other_children: Iterable[tuple[str, str]],
    persons: Iterable[str],
    handles: Iterable[str],
    *,
    keep: Iterable[str] = (),
    reveal: Iterable[str] = (),
) -> Redactor:
    """A redactor for one child's export: ``other_children`` as (first, last) names,
    ``persons`` of concern and online ``handles`` named in the child's screenings; ``keep``:
    names never redacted (the child's own)."""
    kept = {k.casefold() for k in keep if k}
    names: dict[str, str] = {}
    single: dict[str, str] = {}
    for first, last in other_children:
        full = " ".join(f"{first} {last}".split())
        if full.casefold() not in kept:
            names[full] = "another child"
        if first.strip() and first.strip().casefold() not in kept:
            single[first.strip()] = "another child"
    for person in persons:
        if person.strip() and person.strip().casefold() not in kept:
            names[" ".join(person.split())] = "a person of concern"
    for handle in handles:
        if handle.strip():
            names[handle.strip()] = "an online account"
    return Redactor(names, single, frozenset(r.strip().upper() for r in reveal))


@dataclass(frozen=True)
class Section:
    """One part of the export: a screening's answers, its reviews, outcomes or shares."""

    title: str
    rows: tuple[tuple[str, str], ...]  # (label, value), values already redacted


@dataclass(frozen=True)
class Export:
    child: str
    born: str
    prepared_by: str
    produced: str
    sections: tuple[Section, ...]
    schedule: tuple[tuple[str, str], ...]  # (item id, what it is)
    references: tuple[str, ...] = ()  # the screenings it shows (each audited)
