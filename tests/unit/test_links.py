"""Links between screenings through their entities of concern: exact and possible, within what
each account may see; and one screening's entities as a POLE export."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from screening_app.errors import ExportError
from screening_app.services.access import grant_with_recovery
from screening_app.services.model import FAST_KDF, ListQuery
from tests.conftest import ADMIN_PW, load_example, open_app, recovery_key_of

V2 = Path(__file__).parents[1] / "forms" / "v2" / "entities.json"


def submit(db_path: Path, user: str, name: str, found: list[dict[str, Any]]) -> str:
    app = open_app(db_path, user)
    try:
        form = app.registry.get("cse-risk-screening", 2)
        answers = load_example(V2)["answers"]
        answers.update(child_first_name=name, entities_of_concern=found)
        return app.screenings.import_answers(form, answers).row.reference
    finally:
        app.close()


@pytest.fixture
def linked(db_path: Path) -> dict[str, str]:
    """kit and rowan (North) and ari (South) each screen a child; lou supervises South."""
    admin = open_app(db_path, "admin", ADMIN_PW)
    admin.accounts.add_user("lou", "supervisor-pw-1", role="supervisor", team="South")
    admin.close()
    grant_with_recovery(db_path, recovery_key_of(db_path), ["lou"], FAST_KDF)
    return {
        "kit": submit(
            db_path,
            "kit",
            "Robin",
            [
                {"kind": "vehicle", "registration": "ab12 cde"},
                {"kind": "phone", "number": "07700 900123"},
                {"kind": "person", "name": "Jay-Jay"},
            ],
        ),
        "rowan": submit(
            db_path,
            "rowan",
            "Sky",
            [
                {"kind": "vehicle", "registration": "AB12CDE"},
                {"kind": "phone", "number": "+44 7700 900123"},
                {"kind": "person", "name": "Jayjay"},
            ],
        ),
        "rowan2": submit(
            db_path, "rowan", "Ash", [{"kind": "vehicle", "registration": "AB12 C?E"}]
        ),
        "ari": submit(db_path, "ari", "Kai", [{"kind": "phone", "number": "07700 900123"}]),
    }


def links_of(db_path: Path, user: str, password: str | None = None) -> list[dict[str, Any]]:
    app = open_app(db_path, user, password) if password else open_app(db_path, user)
    try:
        return [link.as_json() for link in app.links.links()]
    finally:
        app.close()


def test_a_supervisor_sees_the_teams_links_exact_and_possible(
    db_path: Path, linked: dict[str, str]
) -> None:
    found = {
        (k["entity_kind"], k["key"], k["strength"]): k["references"]
        for k in links_of(db_path, "sol")
    }
    kit, rowan, rowan2 = linked["kit"], linked["rowan"], linked["rowan2"]
    assert found == {
        ("phone", "+447700900123", "exact"): sorted([kit, rowan]),  # not ari's: South
        ("vehicle", "AB12CDE", "exact"): sorted([kit, rowan]),
        ("vehicle", "AB12C?E", "possible"): sorted([kit, rowan, rowan2]),
        ("person", "jayjay", "possible"): sorted([kit, rowan]),  # names are never exact
    }
    sol = open_app(db_path, "sol")
    actions = [e.action for e in sol.audit.entries()]
    sol.close()
    assert "links_viewed" in actions


def test_another_team_and_a_practitioner_see_no_link_to_these_children(
    db_path: Path, linked: dict[str, str]
) -> None:
    assert links_of(db_path, "lou", "supervisor-pw-1") == []  # ari's phone is the same number
    assert links_of(db_path, "kit") == []  # only their own screening


def test_the_pole_export_lists_each_entity_with_its_links(
    db_path: Path, linked: dict[str, str], tmp_path: Path
) -> None:
    from screening_app.domain import disclosure

    share = disclosure.make("Northvale Police intelligence", "a POLE submission", "consent_given")
    sol = open_app(db_path, "sol")
    try:
        sol.referrals.export_pole(linked["kit"], tmp_path / "kit.json", share)
        sol.referrals.export_pole(linked["kit"], tmp_path / "kit.csv", share)
        with pytest.raises(ExportError, match="already exists"):
            sol.referrals.export_pole(linked["kit"], tmp_path / "kit.csv", share)
        logged = [(d.what, d.recipient) for d in sol.disclosures.log()]
    finally:
        sol.close()
    assert logged == [("POLE export saved", "Northvale Police intelligence")] * 2
    document = json.loads((tmp_path / "kit.json").read_text())
    assert document["event"]["reference"] == linked["kit"]
    assert document["shared"] == share.as_data()
    kinds = [(e["pole_type"], e["kind"], e["keys"]) for e in document["entities"]]
    assert kinds == [
        ("Object", "vehicle", ["AB12CDE"]),
        ("Object", "phone", ["+447700900123"]),
        ("Person", "person", ["jayjay"]),
    ]
    vehicle_links = {link["reference"] for link in document["entities"][0]["links"]}
    assert vehicle_links == {linked["rowan"], linked["rowan2"]}  # exact, and the partial fit
    with (tmp_path / "kit.csv").open() as exported:
        rows = list(csv.DictReader(exported))
    assert [r["key"] for r in rows] == ["AB12CDE", "+447700900123", "jayjay"]
    assert f"{linked['rowan']} (exact)" in rows[1]["links"]


def test_one_screening_is_matched_by_its_own_keys(db_path: Path, linked: dict[str, str]) -> None:
    sol = open_app(db_path, "sol")
    try:
        everything = [k.as_json() for k in sol.links.links() if linked["kit"] in k.references]
        screening_id = sol.screenings.id_of(linked["kit"])
        matched = [k.as_json() for k in sol.links.matches(screening_id)]
    finally:
        sol.close()
    assert sorted(matched, key=lambda k: k["key"]) == sorted(everything, key=lambda k: k["key"])
    # (the partial registration of rowan's other screening, AB12C?E, is found from kit's full
    # one too: a screening submitted after a partial one is told of it)
    kit = open_app(db_path, "kit")
    try:  # kit cannot see rowan's screening, but is told a supervisor will hear of a link
        assert kit.links.links() == []
        assert kit.links.a_supervisor_will_be_told(kit.screenings.id_of(linked["kit"]))
    finally:
        kit.close()
    ari = open_app(db_path, "ari")
    try:  # ari's phone is the same number, in South: no link across teams
        assert not ari.links.a_supervisor_will_be_told(ari.screenings.id_of(linked["ari"]))
    finally:
        ari.close()


def test_a_v2_file_sent_as_v1_or_with_a_bad_entity_is_refused_and_nothing_stored(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from screening_app.cli import run
    from tests.conftest import USER_PW

    password = tmp_path / "pw"
    password.write_text(USER_PW)
    as_v1 = load_example(V2)
    as_v1["form_version"] = 1
    bad = load_example(V2)
    bad["answers"]["entities_of_concern"] = [
        {"kind": "vehicle", "registration": "AB12 CDE"},
        {"kind": "phone", "number": "call me"},
    ]
    for name, content in (("as-v1.json", as_v1), ("bad.json", bad)):
        (tmp_path / name).write_text(json.dumps(content))
    common = ["--db", str(db_path), "--user", "kit", "--password-file", str(password)]
    assert run(["import", str(tmp_path / "as-v1.json"), *common]) == 2
    said = capsys.readouterr().err
    assert "entities_of_concern: asked by version 4 of the form, not version 1" in said
    assert '"form_version": 4' in said
    assert run(["import", str(tmp_path / "bad.json"), *common]) == 2
    said = capsys.readouterr().err
    assert "entity 2 (phone): 'call me' is not a phone number" in said
    assert "Traceback" not in said
    kit = open_app(db_path)
    try:
        assert kit.listing.list(ListQuery()) == []  # nothing stored from either file
    finally:
        kit.close()


@pytest.mark.parametrize(
    ("kind", "key", "words"),
    [
        ("place", "BS1 4DJ|12", "12, BS1 4DJ"),
        ("place", "BS1 4DJ", "BS1 4DJ"),
        ("phone", "+447700900123", "07700 900123"),
        ("phone", "+33612345678", "+33 6 12 34 56 78"),
        ("online_account", "snapchat:jay_fake_99", "jay_fake_99 on snapchat"),
        ("vehicle", "AB12CDE", "AB12 CDE"),
        ("vehicle", "XY61F?E", "XY61 F?E"),
        ("person", "jayjay", "jayjay"),
    ],
)
def test_a_key_is_shown_as_people_write_it(kind: str, key: str, words: str) -> None:
    from screening_app.domain.entities import key_words

    assert key_words(kind, key) == words


def test_a_link_key_s_copy_of_its_screening_edited_in_the_file_is_named_by_db_check(
    db_path: Path,
    linked: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Matching reads the keys' copies of their screening, not the screening: an insider who
    moves kit's keys onto another reference would make a link or a POLE export name the wrong
    record, so db check names it."""
    from tests.security.test_signed_work import check
    from tests.security.test_tamper import assert_named_after

    code, _err = check(db_path, capsys, monkeypatch)
    assert code == 0
    kit, ari = linked["kit"], linked["ari"]
    assert_named_after(
        db_path,
        f"UPDATE entity_keys SET reference = '{ari}' "
        f"WHERE reference = '{kit}' AND kind = 'vehicle'",
        f"{kit}: its link keys carry another reference",
        capsys,
        monkeypatch,
    )


def test_matching_one_screening_finds_what_every_link_lists(db_path: Path) -> None:
    # generated screenings of two North practitioners and one South sharing a small pool of
    # entities (full and partial registrations, names alike): for each screening, what matching
    # it alone finds (from the keys' index, the patterns' own index, merged runs) is exactly the
    # links listing every screening finds for it, for the supervisor and for a practitioner
    import datetime as dt

    from screening_app.demo import generator
    from screening_app.domain import checklist

    owners = []
    for name, team in (("kit", "North"), ("rowan", "North"), ("ari", "South")):
        app = open_app(db_path, name)
        owners.append(generator.Owner(app.session.user.id, team, "teacher", name.title()))
        app.close()
    app = open_app(db_path, "kit")
    form = app.registry.latest(checklist.FORM_ID)
    with app.session.write("write fictional screenings") as db:
        generator.generate(db, form, owners, n=400, seed=7, today=dt.date(2026, 11, 24))
    app.close()
    for name in ("sol", "kit"):
        app = open_app(db_path, name)
        try:
            every = app.links.links()
            held = {r for link in every for r in link.references}
            assert len(held) > 10, "too few linked screenings to compare"
            for reference in sorted(held):
                matched = app.links.matches(app.screenings.id_of(reference))
                expected = [link for link in every if reference in link.references]
                got = {(k.entity_kind, k.key, k.strength, *k.references) for k in matched}
                want = {(k.entity_kind, k.key, k.strength, *k.references) for k in expected}
                assert got == want, (reference, got ^ want)
                assert len(matched) == len(got), (reference, [k.key for k in matched])
        finally:
            app.close()


def test_matching_answers_alike_with_the_patterns_index_removed_behind_the_app(
    db_path: Path, linked: dict[str, str]
) -> None:
    # the index (schema step 13) only makes a pattern search quick; no query names it
    sol = open_app(db_path, "sol")
    try:
        screening_id = sol.screenings.id_of(linked["kit"])
        before = [k.as_json() for k in sol.links.matches(screening_id)]
        sol.session.store.db.execute("DROP INDEX entity_keys_patterns")
        after = [k.as_json() for k in sol.links.matches(screening_id)]
    finally:
        sol.close()
    assert any(k["key"] == "AB12C?E" for k in before)  # the pattern kit's registration fits
    assert after == before
