"""Server accounts, sign-in, tokens and devices, against a real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid

import psycopg
import pytest
from fastapi.testclient import TestClient

from screening_app.server import schema
from screening_app.server.store import ServerError, ServerStore
from tests.server.conftest import Clock

PW = "server-password-1"


def sign_in(client: TestClient, name: str, password: str = PW) -> dict:
    return client.post("/v1/sessions", json={"name": name, "password": password}).json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_migrations_run_from_empty_and_again(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        assert schema.version(conn) == schema.LATEST
        assert schema.migrate(conn) == schema.LATEST  # `server init` twice changes nothing
        count = conn.execute("SELECT count(*) FROM schema_version").fetchone()
        assert count == (schema.LATEST,)


def test_health(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_sign_in_gives_a_token_that_names_the_account(
    client: TestClient, store: ServerStore
) -> None:
    store.add_account("kit", PW, "practitioner", "North")
    session = sign_in(client, "kit")
    assert session["account"] == {"name": "kit", "role": "practitioner", "team": "North"}
    assert session["expires_in"] == 1800
    me = client.get("/v1/me", headers=bearer(session["token"]))
    assert me.status_code == 200 and me.json()["name"] == "kit"
    assert client.get("/v1/me").status_code == 401
    assert client.get("/v1/me", headers=bearer("made-up")).status_code == 401


def test_tokens_expire(client: TestClient, store: ServerStore, clock: Clock) -> None:
    store.add_account("kit", PW, "practitioner", "North")
    token = sign_in(client, "kit")["token"]
    clock.now += dt.timedelta(minutes=31)
    answer = client.get("/v1/me", headers=bearer(token))
    assert answer.status_code == 401 and "expired" in answer.json()["detail"]


def test_failures_are_throttled_per_account_and_per_address(
    client: TestClient, store: ServerStore, clock: Clock
) -> None:
    store.add_account("kit", PW, "practitioner", "North")
    store.add_account("sol", PW, "supervisor", "North")

    def attempt(name: str, password: str = PW) -> int:
        return client.post("/v1/sessions", json={"name": name, "password": password}).status_code

    assert [attempt("kit", "guess") for _ in range(5)] == [401] * 5
    assert attempt("sol") == 429  # this address now waits, whoever signs in from it
    clock.now += dt.timedelta(seconds=3)
    assert attempt("sol") == 200  # the address is clear again
    assert attempt("kit", "guess") == 401  # the sixth failure here: sol's success cleared nothing
    assert attempt("sol") == 429  # the address waits longer now
    refused = client.post("/v1/sessions", json={"name": "kit", "password": PW})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    clock.now += dt.timedelta(seconds=5)
    assert attempt("kit") == 200
    clock.now += dt.timedelta(minutes=16)  # a quarter hour without a failure: forgotten
    assert [attempt("kit", "guess") for _ in range(4)] == [401] * 4
    assert attempt("sol") == 200


def test_unknown_name_and_wrong_password_read_the_same(
    client: TestClient, store: ServerStore
) -> None:
    store.add_account("kit", PW, "practitioner", "North")
    wrong = client.post("/v1/sessions", json={"name": "kit", "password": "nope"}).json()
    unknown = client.post("/v1/sessions", json={"name": "nobody", "password": "nope"}).json()
    assert wrong == unknown


def test_a_revoked_device_is_refused(client: TestClient, store: ServerStore) -> None:
    store.add_account("admin", PW, "admin", None)
    store.add_account("kit", PW, "practitioner", "North")
    kit = sign_in(client, "kit")["token"]
    keys = {"x25519": "ab" * 32, "ed25519": "cd" * 32}
    device = client.post(
        "/v1/devices", json={"name": "School laptop 3", **keys}, headers=bearer(kit)
    )
    assert device.status_code == 201
    device_id = device.json()["device_id"]
    assert client.delete(f"/v1/devices/{device_id}", headers=bearer(kit)).status_code == 403
    admin = sign_in(client, "admin")["token"]
    assert client.delete(f"/v1/devices/{device_id}", headers=bearer(admin)).status_code == 204
    refused = client.get("/v1/me", headers=bearer(kit))
    assert refused.status_code == 403 and "revoked" in refused.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"name": "kit"}, 422),
        ({"name": "", "password": "x"}, 422),
        ({"name": "k" * 65, "password": "x"}, 422),
        ("not json at all", 422),
    ],
)
def test_malformed_requests_get_a_sentence(client: TestClient, body: object, status: int) -> None:
    answer = client.post("/v1/sessions", json=body)
    assert answer.status_code == status
    assert "malformed" in answer.json()["detail"]


def test_an_oversized_request_is_refused_before_it_is_read(client: TestClient) -> None:
    answer = client.post("/v1/sessions", content=b"x" * 3_000_000)
    assert answer.status_code == 413


def test_account_rules(store: ServerStore) -> None:
    with pytest.raises(ServerError, match="belong to a team"):
        store.add_account("kit", PW, "practitioner", None)
    with pytest.raises(ServerError, match="at least 10"):
        store.add_account("kit", "short", "practitioner", "North")
    store.add_account("kit", PW, "practitioner", "North")
    with pytest.raises(ServerError, match="already an account"):
        store.add_account("KIT", PW, "supervisor", "North")


def test_the_audit_trail_is_append_only_for_the_api(store: ServerStore) -> None:
    store.add_account("kit", PW, "practitioner", "North")
    with store.transaction() as conn:
        assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 1
    for statement in ("UPDATE audit SET detail = 'x'", "DELETE FROM audit"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), store.transaction() as conn:
            conn.execute(statement)


def test_a_registered_device_signs_in_with_its_key_once_per_challenge(
    client: TestClient, store: ServerStore, clock: Clock
) -> None:
    import base64

    from screening_app.crypto import AccountKeys

    store.add_account("kit", PW, "practitioner", "North")
    keys = AccountKeys.generate()
    token = sign_in(client, "kit")["token"]
    body = {"name": "laptop", "x25519": keys.box_public.hex(), "ed25519": keys.sign_public.hex()}
    device = client.post("/v1/devices", json=body, headers=bearer(token)).json()["device_id"]

    def attempt(signer: AccountKeys, nonce: str | None = None) -> tuple[int, str]:
        nonce = (
            nonce
            or client.get("/v1/sessions/challenge", params={"device_id": device}).json()["nonce"]
        )
        signature = signer.sign(b"cse-screening sign-in " + base64.b64decode(nonce))
        answer = client.post(
            "/v1/sessions/device",
            json={
                "device_id": device,
                "nonce": nonce,
                "signature": base64.b64encode(signature).decode(),
            },
        )
        return answer.status_code, nonce

    status, used = attempt(keys)
    assert status == 200
    assert attempt(keys, used)[0] == 401  # a replayed challenge
    assert attempt(AccountKeys.generate())[0] == 401  # another key
    nonce = client.get("/v1/sessions/challenge", params={"device_id": device}).json()["nonce"]
    clock.now += dt.timedelta(minutes=3)
    assert attempt(keys, nonce)[0] == 401  # too late
    unknown = client.get("/v1/sessions/challenge", params={"device_id": str(uuid.uuid4())})
    assert unknown.status_code == 403


def test_a_look_alike_server_account_name_is_refused(store: ServerStore) -> None:
    store.add_account("sam", PW, "practitioner", "North")
    for name in ("ѕam", "sam smith", "\u202esam", "x" * 65):
        with pytest.raises(ServerError) as refused:
            store.add_account(name, PW, "practitioner", "North")
        assert refused.value.status == 422
