"""Links across the organisation through a real server: North's and South's supervisors each
learn that one of their screenings shares a phone with the other team's — the team and whom to
ask, never the other child — while the server holds keyed hashes it cannot turn back into the
phone number, and a practitioner gets nothing of it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.conftest import load_example
from tests.server.conftest import Machine, cli, connect
from tests.server.postgres import binaries

V2 = Path(__file__).parents[1] / "forms" / "v2" / "entities.json"


def answers_file(tmp_path: Path, name: str, child: str, found: list[dict[str, Any]]) -> str:
    example = load_example(V2)
    example["answers"].update(child_first_name=child, entities_of_concern=found)
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(example))
    return str(path)


def links(capsys: pytest.CaptureFixture[str], on: Machine, who: str) -> list[dict[str, Any]]:
    code, out = cli(capsys, "links", "--json", *on(who, who))
    assert code == 0, out
    return list(json.loads(out))


def sync(capsys: pytest.CaptureFixture[str], on: Machine, *names: str) -> str:
    printed = ""
    for name in names:
        code, out = cli(capsys, "sync", *on(name, name))
        assert code == 0, out
        printed += out
    return printed


def test_two_teams_supervisors_learn_of_a_shared_phone_and_nothing_more(
    server: tuple[str, str],
    on: Machine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    connect(capsys, *server, on, "sol", "kit", "lou")
    north = answers_file(
        tmp_path,
        "north",
        "Robin",
        [
            {"kind": "phone", "number": "07700 900123"},
            {"kind": "vehicle", "registration": "AB12 CDE"},
            {"kind": "person", "name": "Jay-Jay"},
        ],
    )
    south = answers_file(
        tmp_path,
        "south",
        "Kai",
        [{"kind": "phone", "number": "+44 7700 900123"}, {"kind": "person", "name": "Jayjay"}],
    )
    assert cli(capsys, "import", north, *on("kit", "kit"))[0] == 0
    assert cli(capsys, "import", south, *on("lou", "lou"))[0] == 0
    # sol's computer makes the organisation's secret and shares it with lou's (connected,
    # waiting); each supervisor's computer is told once, at the sync that found the link
    assert "share a phone" not in sync(capsys, on, "kit", "sol")
    told = sync(capsys, on, "lou")
    assert "1 of your team's screenings share a phone, vehicle, place or account" in told
    assert "see Review → Links" in sync(capsys, on, "sol")
    assert "share a phone" not in sync(capsys, on, "sol", "lou")  # nothing new

    (sols,) = links(capsys, on, "sol")
    assert (sols["entity_kind"], sols["key"], sols["strength"]) == (
        "phone",
        "+447700900123",
        "exact",
    )
    assert sols["other_teams"] == [{"team": "South", "screenings": 1, "supervisors": "lou"}]
    assert len(sols["references"]) == 1  # North's own screening: South's is not named
    code, out = cli(capsys, "links", *on("sol", "sol"))
    assert code == 0 and out.splitlines()[0].endswith("also: Team South (1 screening, ask lou)")
    assert "\t07700 900123\t" in out.splitlines()[0]  # the number as people write it
    (lous,) = links(capsys, on, "lou")  # the phone only: names are never compared across teams
    assert lous["key"] == "+447700900123" and len(lous["references"]) == 1
    assert lous["other_teams"] == [{"team": "North", "screenings": 1, "supervisors": "sam, sol"}]
    _code, out = cli(capsys, "list", "--json", *on("lou", "lou"))
    assert [r["child_name"] for r in json.loads(out)] == ["Kai Example"]  # North's stays North's

    # the practitioner's computer syncs as before, and the server refuses them the links
    assert "share a phone" not in sync(capsys, on, "kit")
    assert links(capsys, on, "kit") == []

    with psycopg.connect(database_url) as conn:
        stored = [bytes(r[0]) for r in conn.execute("SELECT link_key FROM organisation_link_keys")]
        teams = {r[0] for r in conn.execute("SELECT team_id FROM organisation_link_keys")}
    assert len(stored) == 3 and len(teams) == 2  # North's phone and car, South's phone
    bin_dir = binaries()
    assert bin_dir is not None
    dump = subprocess.run(
        [str(bin_dir / "pg_dump"), "--dbname", database_url], capture_output=True, check=True
    ).stdout
    for clear in (b"447700900123", b"7700 900123", b"AB12CDE", b"jayjay", b"Robin", b"Kai"):
        assert clear not in dump


def test_a_practitioner_gets_no_link_secret_and_no_links(
    server: tuple[str, str], on: Machine, capsys: pytest.CaptureFixture[str]
) -> None:
    connect(capsys, *server, on, "sol", "kit")
    url, _fingerprint = server
    with httpx.Client(base_url=url, verify=False) as raw:
        token = raw.post(
            "/v1/sessions", json={"name": "kit", "password": "journey-password-1"}
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        for method, path in (
            ("GET", "/v1/organisation/link"),
            ("GET", "/v1/organisation/link/waiting"),
            ("GET", "/v1/organisation/links"),
        ):
            answer = raw.request(method, path, headers=headers)
            assert answer.status_code == 403, path
            assert "supervisor" in answer.json()["detail"]
        body = {
            "screenings": [{"screening_id": "0" * 8 + "-0000-0000-0000-" + "0" * 12, "keys": []}]
        }
        assert raw.put("/v1/organisation/link-keys", json=body, headers=headers).status_code == 403
        # no screening holds more than 50 entities: more keys than that is a search, refused
        body["screenings"][0]["keys"] = ["ab" * 32] * 51
        answer = raw.put("/v1/organisation/link-keys", json=body, headers=headers)
        assert answer.status_code == 422 and "keys" in answer.text
