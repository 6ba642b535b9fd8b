"""Links between screenings through their entities of concern (form version 2; docs/FORMS.md).

When a screening is submitted (or received from the team server) its entities' normalised keys
are stored (``index``). ``links`` lists what the signed-in account may see: an exact link is the
same phone, registration, postcode and house, or handle in two screenings; a "possible" one is a
partial registration that fits a full one, or two names alike (``rapidfuzz``) — names are never
taken as proof. A supervisor sees the team's links, each told of other teams holding the same
exact key (what the team server last said, ``services.org_links``); a practitioner, those among
their own and shared screenings. Every listing is audited.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from screening_app.domain import entities
from screening_app.domain.capabilities import Verb
from screening_app.domain.checklist import CONTEXT_FORM_ID
from screening_app.domain.forms import GivenAnswers
from screening_app.services.session import Session
from screening_app.storage import links_repo, org_links_repo
from screening_app.storage.links_repo import KeyRow
from screening_app.storage.org_links_repo import OrganisationLink
from screening_app.storage.scope import Scope

ENTITIES = "entities_of_concern"


class Child(NamedTuple):
    """The child a screening is about, as the Links view draws it: one node per child record
    (a screening without one is a node of its own)."""

    node: str
    name: str


class OtherTeam(NamedTuple):
    """Another team holding screenings with the same key (from the team server): its name, how
    many of its screenings, and its supervisors to talk to — nothing of the screenings."""

    team: str
    screenings: int
    supervisors: str

    def words(self) -> str:
        """ "Team South (1 screening, ask Lou)": how the window and the command line say it."""
        count = f"{self.screenings} screening" + ("s" if self.screenings != 1 else "")
        ask = f", ask {self.supervisors}" if self.supervisors else ""
        return f"Team {self.team} ({count}{ask})"


@dataclass
class Link:
    entity_kind: str
    key: str
    strength: str  # "exact" or "possible"
    references: list[str] = field(default_factory=list)
    children: dict[str, Child] = field(default_factory=dict)  # by reference (``links`` only)
    other_teams: list[OtherTeam] = field(default_factory=list)  # across the organisation

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "entity_kind": self.entity_kind,
            "key": self.key,
            "strength": self.strength,
            "references": self.references,
        }
        if self.other_teams:
            out["other_teams"] = [t._asdict() for t in self.other_teams]
        return out


def index(session: Session, screening_id: int, answers: GivenAnswers) -> None:
    """Store the keys of a screening's entities (inside the caller's transaction)."""
    given = answers.get(ENTITIES)
    rows = []
    if isinstance(given, list):
        for number, entity in enumerate(given):
            if isinstance(entity, dict):
                rows += [(number, k.kind, k.key, k.exact) for k in entities.keys(entity)]
    links_repo.set_keys(session.db, session.scope(), screening_id, rows)


class LinksService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def links(self, since: dt.date | None = None) -> list[Link]:
        """Every link among the screenings this account may see (dated from ``since`` on),
        exact ones first."""
        self.s.require(Verb.SEE_LINKS)
        day = since.isoformat() if since else None
        rows = links_repo.all_keys(self.s.db, self.s.scope(), day)
        found = [*_exact(rows), *_partial(rows), *_names(rows)]
        if self.s.can(Verb.SEE_LINKS_ACROSS_TEAMS):
            across = org_links_repo.links(self.s.db, self.s.scope(), day)
            found = _with_other_teams(found, across)
        who = {r.reference: _subject(r) for r in rows}
        for link in found:
            link.children = {ref: who[ref] for ref in link.references if ref in who}
        with self.s.write("record that links were viewed"):
            self.s.audit("links_viewed", None, f"{len(found)} links")
        return sorted(found, key=lambda k: (k.strength != "exact", k.entity_kind, k.key))

    def matches(self, screening_id: int, scope: Scope | None = None) -> list[Link]:
        """The links of one screening only: its exact keys looked up together, one query per
        kind; its names compared with the distinct names (rapidfuzz, in C) and the close ones
        looked up together; a full registration against the partial ones it fits, in SQL. What
        is checked when a screening is submitted, and what its POLE export lists."""
        scope = scope or self.s.scope()
        db = self.s.db
        mine = links_repo.keys_of(db, scope, screening_id)
        reference = mine[0].reference if mine else ""
        found: dict[tuple[str, str, str], Link] = {}

        def linked(kind: str, key: str, strength: str, *parts: Iterable[str]) -> None:
            # once each: a screening with a registration and a pattern it fits meets the
            # pattern from both
            if (kind, key, strength) in found:
                return
            together = _in_order(reference, *parts)
            if len(together) > 1:  # another screening than this one
                found[(kind, key, strength)] = Link(kind, key, strength, together)

        persons = [row for row in mine if row.kind == "person"]
        if persons:
            from rapidfuzz import fuzz, process  # only when names are compared

            names = links_repo.names(db)
            alike = {
                row.key: [
                    name
                    for name, _score, _i in process.extract(
                        row.key,
                        names,
                        scorer=fuzz.ratio,
                        score_cutoff=entities.NAME_THRESHOLD,
                        limit=None,
                    )
                ]
                for row in persons
            }
            holding = links_repo.references_of(
                db, scope, "person", {n for found in alike.values() for n in found}
            )
            for row in persons:
                linked("person", row.key, "possible", *(holding[name] for name in alike[row.key]))
        exact: dict[str, list[str]] = {}
        for row in mine:
            if row.kind != "person" and row.exact:
                exact.setdefault(row.kind, []).append(row.key)
        for kind, keys in exact.items():
            holding = links_repo.references_of(db, scope, kind, keys)
            for key in keys:
                linked(kind, key, "exact", holding[key])
                if kind != "vehicle":
                    continue
                # each partial registration elsewhere that this one fits: its screenings and
                # those of every registration it fits, this one's read already
                for pattern in links_repo.patterns_fitted_by(db, scope, key):
                    fitting = links_repo.fitting_references(db, scope, pattern, besides=key)
                    linked("vehicle", pattern, "possible", fitting, holding[key])
        for row in mine:
            if (
                row.kind != "person"
                and not row.exact
                and (row.kind, row.key, "possible") not in found
            ):
                fitting = links_repo.fitting_references(db, scope, row.key)
                linked(row.kind, row.key, "possible", fitting)
        return list(found.values())

    def a_supervisor_will_be_told(self, screening_id: int) -> bool:
        """For a practitioner who just submitted: is there any link in the team? (Only yes or
        no: never another team's child, nor which screening.)"""
        team = Scope("team", self.s.user.id, self.s.user.team)
        return bool(self.matches(screening_id, team))


def _in_order(reference: str, *parts: Iterable[str]) -> list[str]:
    """``reference`` and the references of ``parts``, sorted, each once. Each part comes in the
    index's order (sorted runs), so the sort mostly merges them: several times quicker than
    sorting a set, whose order is the hashes'."""
    return list(dict.fromkeys(sorted(itertools.chain([reference], *parts))))


def _with_other_teams(found: list[Link], across: list[OrganisationLink]) -> list[Link]:
    """The team's links, each told of other teams holding the same key (the server's last
    answer); a key shared with another team only is a link of its own."""
    exact = {(link.entity_kind, link.key): link for link in found if link.strength == "exact"}
    out = list(found)
    for item in across:
        link = exact.get((item.kind, item.key))
        if link is None:
            link = exact[(item.kind, item.key)] = Link(item.kind, item.key, "exact", [])
            out.append(link)
        if item.reference not in link.references:
            link.references = sorted([*link.references, item.reference])
        team = OtherTeam(item.team, item.screenings, item.supervisors)
        if team not in link.other_teams:
            link.other_teams.append(team)
    return out


def _group(rows: list[KeyRow]) -> dict[tuple[str, str], set[str]]:
    grouped: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        grouped.setdefault((row.kind, row.key), set()).add(row.reference)
    return grouped


def _exact(rows: list[KeyRow]) -> list[Link]:
    grouped = _group([r for r in rows if r.exact])
    return [
        Link(kind, key, "exact", sorted(refs))
        for (kind, key), refs in grouped.items()
        if len(refs) > 1
    ]


def _partial(rows: list[KeyRow]) -> list[Link]:
    """A partial registration and the full ones (of other screenings) it fits."""
    full = [r for r in rows if r.kind == "vehicle" and r.exact]
    out = []
    for pattern, refs in _group([r for r in rows if r.kind == "vehicle" and not r.exact]).items():
        fits = {r.reference for r in full if entities.registration_fits(pattern[1], r.key)}
        if fits - refs:
            out.append(Link("vehicle", pattern[1], "possible", sorted(refs | fits)))
    return out


def _names(rows: list[KeyRow]) -> list[Link]:
    """Folded names alike in two or more screenings: possible links, never exact."""
    from rapidfuzz import fuzz, process

    grouped = _group([r for r in rows if r.kind == "person"])
    names = sorted(key for _kind, key in grouped)
    seen: set[frozenset[str]] = set()
    out = []
    for name in names:
        alike = process.extract(
            name, names, scorer=fuzz.ratio, score_cutoff=entities.NAME_THRESHOLD, limit=None
        )
        group = frozenset(match for match, _score, _i in alike)
        refs = set().union(*(grouped[("person", n)] for n in group))
        if len(refs) > 1 and group not in seen:
            seen.add(group)
            out.append(Link("person", " / ".join(sorted(group)), "possible", sorted(refs)))
    return out


def _subject(row: links_repo.KeyRow) -> Child:
    """The node a screening is drawn as: its child (one node per child record), or the place
    or group a context screening is of, named as one (it is no child)."""
    if row.form_id == CONTEXT_FORM_ID:
        return Child(row.reference, f"Place or group: {row.child_name}")
    return Child(f"child:{row.child_id}" if row.child_id else row.reference, row.child_name)
