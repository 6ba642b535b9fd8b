"""Entities of concern: normalisation tables for the five kinds, and bad input named."""

from __future__ import annotations

import datetime as dt

import pytest

from screening_app.domain import entities
from screening_app.domain.entities import EntityKey

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("entity", "expected"),
    [
        ({"kind": "vehicle", "registration": "ab12 cde"}, [EntityKey("vehicle", "AB12CDE")]),
        ({"kind": "vehicle", "registration": "AB12CDE"}, [EntityKey("vehicle", "AB12CDE")]),
        (
            {"kind": "vehicle", "registration": "AB12 C?E"},
            [EntityKey("vehicle", "AB12C?E", exact=False)],
        ),
        ({"kind": "phone", "number": "07700 900123"}, [EntityKey("phone", "+447700900123")]),
        ({"kind": "phone", "number": "+44 7700 900123"}, [EntityKey("phone", "+447700900123")]),
        ({"kind": "place", "postcode": "bs1  4dj"}, [EntityKey("place", "BS1 4DJ")]),
        (
            {"kind": "place", "address": "12 Imaginary Row", "postcode": "BS14DJ"},
            [EntityKey("place", "BS1 4DJ|12")],
        ),
        (
            {"kind": "online_account", "platform": "Snapchat", "handle": "@Jay_Fake"},
            [EntityKey("online_account", "snapchat:jay_fake")],
        ),
        (
            {"kind": "person", "name": "Jay-Jay Éxample", "alias": "JJ"},
            [EntityKey("person", "jayjayexample", False), EntityKey("person", "jj", False)],
        ),
    ],
)
def test_normalised_keys(entity: dict[str, object], expected: list[EntityKey]) -> None:
    assert entities.keys(entity) == expected
    assert entities.check([entity], TODAY) == []


def test_a_partial_registration_fits_the_full_ones_it_can_be() -> None:
    assert entities.registration_fits("AB12C?E", "AB12CDE")
    assert not entities.registration_fits("AB12C?E", "AB12CDF")
    assert not entities.registration_fits("AB12C?E", "AB12CDEX")


def test_nicknames_and_spellings_are_possible_not_exact() -> None:
    assert entities.names_alike(entities.fold_name("Jay-Jay"), entities.fold_name("Jayjay"))
    assert entities.names_alike(
        entities.fold_name("Jay-Jay Smithe"), entities.fold_name("Jayjay Smith")
    )
    assert not entities.names_alike(entities.fold_name("Jay"), entities.fold_name("Morgan"))


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ([{"kind": "phone", "number": "not a number"}], "entity 1 (phone): 'not a number' is not"),
        ([{"kind": "vehicle", "registration": "AB$2"}], "entity 1 (vehicle): 'AB$2' is not a reg"),
        ([{"kind": "person"}], "entity 1 (person): give at least one of: name, alias"),
        ([{"kind": "spaceship", "name": "x"}], "entity 1: kind 'spaceship' is not one of"),
        ([{"kind": "place", "postcode": "XX"}], "entity 1 (place): 'XX' is not a UK postcode"),
        ([{"kind": "phone", "number": "07700 900123", "colour": "red"}], "'colour' is not a field"),
        ([{"kind": "person", "name": "A", "approx_age": 300}], "approx age must be a whole"),
        ([{"kind": "person", "name": "A", "last_seen": "2030-01-01"}], "last seen is in the"),
        ("a vehicle", "must be a list"),
    ],
)
def test_bad_entities_are_named_with_their_field(given: object, said: str) -> None:
    problems = entities.check(given, TODAY)
    assert problems and any(said in p for p in problems), problems


def test_two_hundred_entities_are_refused_with_the_limit() -> None:
    many = [{"kind": "phone", "number": "07700 900123"}] * 200
    assert entities.check(many, TODAY) == [
        "200 entities of concern: at most 50; put the rest in the free-text box or a second "
        "screening"
    ]
