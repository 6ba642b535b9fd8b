"""Entities of concern (form version 2): people, vehicles, places, phones and online accounts,
checked and normalised into the keys that link screenings (docs/FORMS.md, "Entities").

Normalisation uses libraries made for it and never changes a value silently: ``check`` returns
each problem in words naming the entity and the field, and ``keys`` the normalised values a
practitioner is shown before anything is stored.

- phone: E.164 with ``phonenumbers`` (GB by default), "07700 900123" → "+447700900123";
- vehicle: upper case without spaces; ``?`` for an unknown character keeps a partial
  registration as a pattern ("AB12 C?E" → "AB12C?E"), which matches the full ones it fits;
- place: a UK postcode, normalised ("bs1 4dj" → "BS1 4DJ") and checked; with a house number
  from the address, the key is "BS1 4DJ|12";
- online account: "platform:handle", lower case, without a leading "@";
- person: the name folded (case, accents, punctuation, spaces: "Jay-Jay" → "jayjay"), compared
  with ``rapidfuzz`` for nicknames and spelling variants: "possible" links, never "exact".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

KINDS = ("person", "vehicle", "place", "phone", "online_account")
MAX_ENTITIES = 50
MAX_TEXT = 500
COMMON = ("connection", "last_seen")
FIELDS: dict[str, tuple[str, ...]] = {
    "person": ("name", "alias", "approx_age", "gender", "description", "relationship"),
    "vehicle": ("registration", "make", "model", "colour"),
    "place": ("address", "postcode", "place_type"),
    "phone": ("number",),
    "online_account": ("platform", "handle"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "vehicle": ("registration",),
    "phone": ("number",),
    "online_account": ("platform", "handle"),
}
ONE_OF: dict[str, tuple[str, ...]] = {
    "person": ("name", "alias", "description"),
    "place": ("address", "postcode"),
}
CHOICES: dict[str, tuple[str, ...]] = {
    "gender": ("female", "male", "other", "not_known"),
    "relationship": ("adult", "peer", "family", "unknown"),
    "place_type": ("house", "hotel", "park", "shop", "other"),
}
KIND_LABELS = {
    "person": "Person",
    "vehicle": "Vehicle",
    "place": "Place",
    "phone": "Phone",
    "online_account": "Online account",
}
NAME_THRESHOLD = 85  # rapidfuzz ratio from which two folded names are a "possible" link
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
_REGISTRATION = re.compile(r"^[A-Z0-9?]{2,8}$")
_HOUSE = re.compile(r"^\s*(\d+[A-Za-z]?)\b")


@dataclass(frozen=True)
class EntityKey:
    """One normalised value a link can be made on: ``kind`` of entity, ``key`` the value,
    ``exact`` False for a folded name (compared fuzzily) and a partial registration."""

    kind: str
    key: str
    exact: bool = True


def label(index: int, entity: Any) -> str:
    kind = entity.get("kind") if isinstance(entity, dict) else None
    return f"entity {index + 1} ({kind})" if kind in KINDS else f"entity {index + 1}"


def check(entities: Any, today: dt.date) -> list[str]:
    """Every problem with a list of entities, in words naming the entity and the field."""
    if entities is None:
        return []
    if not isinstance(entities, list):
        return ["entities of concern must be a list of objects, each with a kind"]
    if len(entities) > MAX_ENTITIES:
        return [
            f"{len(entities)} entities of concern: at most {MAX_ENTITIES}; put the rest in "
            "the free-text box or a second screening"
        ]
    problems: list[str] = []
    for index, entity in enumerate(entities):
        problems += [f"{label(index, entity)}: {p}" for p in _entity_problems(entity, today)]
    return problems


def _entity_problems(entity: Any, today: dt.date) -> list[str]:
    if not isinstance(entity, dict):
        return ["is not an object with a kind and its fields"]
    kind = entity.get("kind")
    if kind not in KINDS:
        return [f"kind '{str(kind)[:40]}' is not one of {', '.join(KINDS)}"]
    allowed = {"kind", *FIELDS[kind], *COMMON}
    problems = [
        f"'{str(name)[:40]}' is not a field of a {kind}" for name in entity if name not in allowed
    ]
    given = {k: v for k, v in entity.items() if k != "kind" and v not in (None, "")}
    for name in REQUIRED.get(kind, ()):
        if name not in given:
            problems.append(f"{name.replace('_', ' ')} is needed")
    one_of = ONE_OF.get(kind)
    if one_of and not any(name in given for name in one_of):
        problems.append(f"give at least one of: {', '.join(one_of)}")
    for name, value in given.items():
        if name not in allowed:
            continue
        problem = _field_problem(kind, name, value, today)
        if problem:
            problems.append(problem)
    return problems


def _field_problem(kind: str, name: str, value: Any, today: dt.date) -> str | None:
    if name == "approx_age":
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 120
        return None if ok else "approx age must be a whole number from 0 to 120"
    if not isinstance(value, str):
        return f"{name.replace('_', ' ')} must be text"
    if len(value) > MAX_TEXT:
        return f"{name.replace('_', ' ')} is longer than {MAX_TEXT} characters"
    if name in CHOICES and value not in CHOICES[name]:
        return f"{name.replace('_', ' ')} must be one of {', '.join(CHOICES[name])}"
    if name == "last_seen":
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return "last seen must be a date as YYYY-MM-DD"
        return "last seen is in the future" if day > today else None
    if kind == "phone" and name == "number" and phone_key(value) is None:
        return f"'{value}' is not a phone number; write it like 07700 900123 or +44 7700 900123"
    if kind == "vehicle" and name == "registration" and registration_key(value) is None:
        return (
            f"'{value}' is not a registration; use letters and digits, and ? for a character "
            "you do not know (AB12 C?E)"
        )
    if kind == "place" and name == "postcode" and postcode_key(value) is None:
        return f"'{value}' is not a UK postcode (like BS1 4DJ)"
    return None


# -- normalisation ---------------------------------------------------------------------------
def phone_key(text: str, region: str = "GB") -> str | None:
    import phonenumbers  # only where a phone number is read: kept out of the window's start

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    # possible, not "valid": Ofcom keeps ranges such as 07700 900xxx for drama and training,
    # which are not valid numbers yet are what fictional examples use
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def registration_key(text: str) -> str | None:
    key = re.sub(r"[\s-]", "", text).upper()
    return key if _REGISTRATION.match(key) and key.strip("?") else None


def registration_fits(pattern: str, full: str) -> bool:
    """Does the partial registration ``pattern`` ("AB12C?E") fit ``full`` ("AB12CDE")?"""
    return len(pattern) == len(full) and all(
        p in ("?", f) for p, f in zip(pattern, full, strict=True)
    )


def postcode_key(text: str) -> str | None:
    match = _POSTCODE.match(re.sub(r"\s+", " ", text.strip().upper()))
    return f"{match.group(1)} {match.group(2)}" if match else None


def handle_key(platform: str, handle: str) -> str:
    return f"{platform.strip().casefold()}:{handle.strip().lstrip('@').casefold()}"


def fold_name(text: str) -> str:
    """Case, accents, punctuation and spaces folded away: "Jay-Jay" and "jayjay" are one."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", plain.casefold())


def names_alike(first: str, second: str) -> bool:
    """Two folded names close enough to be a "possible" link."""
    from rapidfuzz import fuzz

    return bool(first and second) and fuzz.ratio(first, second) >= NAME_THRESHOLD


def keys(entity: dict[str, Any]) -> list[EntityKey]:
    """The normalised values an entity can be linked on (none when nothing usable)."""
    kind = entity.get("kind")
    found: list[EntityKey] = []
    if kind == "phone":
        key = phone_key(str(entity.get("number") or ""))
        found += [EntityKey("phone", key)] if key else []
    elif kind == "vehicle":
        key = registration_key(str(entity.get("registration") or ""))
        if key:
            found.append(EntityKey("vehicle", key, exact="?" not in key))
    elif kind == "place":
        postcode = postcode_key(str(entity.get("postcode") or ""))
        if postcode:
            house = _HOUSE.match(str(entity.get("address") or ""))
            found.append(
                EntityKey("place", f"{postcode}|{house.group(1).upper()}" if house else postcode)
            )
    elif kind == "online_account":
        platform, handle = str(entity.get("platform") or ""), str(entity.get("handle") or "")
        if platform.strip() and handle.strip():
            found.append(EntityKey("online_account", handle_key(platform, handle)))
    elif kind == "person":
        for field in ("name", "alias"):
            folded = fold_name(str(entity.get(field) or ""))
            if folded:
                found.append(EntityKey("person", folded, exact=False))
    return found


def key_words(kind: str, key: str) -> str:
    """A link key as people write it: "BS1 4DJ|12" → "12, BS1 4DJ", "+447700900123" →
    "07700 900123", "snapchat:jay_fake_99" → "jay_fake_99 on snapchat"."""
    if kind == "place" and "|" in key:
        postcode, house = key.split("|", 1)
        return f"{house}, {postcode}"
    if kind == "phone":
        import phonenumbers

        try:
            number = phonenumbers.parse(key, "GB")
        except phonenumbers.NumberParseException:
            return key
        style = (
            phonenumbers.PhoneNumberFormat.NATIONAL
            if number.country_code == 44
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        return phonenumbers.format_number(number, style)
    if kind == "online_account" and ":" in key:
        platform, handle = key.split(":", 1)
        return f"{handle} on {platform}"
    if kind == "vehicle" and len(key) == 7 and key[:4].isalnum():
        return f"{key[:4]} {key[4:]}"  # the current British format, "AB12 CDE"
    return key


def shown(entity: dict[str, Any]) -> str:
    """What will be stored, in words, for the practitioner to see before saving."""
    found = keys(entity)
    if not found:
        return "nothing to link on yet"
    return "; ".join(f"{k.kind.replace('_', ' ')} {k.key}" for k in found)


def linked_on(entity: dict[str, Any]) -> str:
    """What an entity is linked on, as people write it (the referral: "place 12, BS1 4DJ")."""
    found = keys(entity)
    return "; ".join(f"{k.kind.replace('_', ' ')} {key_words(k.kind, k.key)}" for k in found) or "—"


def summary(entity: dict[str, Any]) -> str:
    """One line for the list: the kind and what identifies it."""
    kind = KIND_LABELS.get(str(entity.get("kind")), "Entry")
    fields = FIELDS.get(str(entity.get("kind")), ())
    said = [str(entity[f]) for f in fields if entity.get(f) not in (None, "")]
    return f"{kind}: {', '.join(said)[:120] or '(no details)'}"
