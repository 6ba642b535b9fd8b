"""How a worker runs requests (server/api.py, routing.py, bearer.py): at most as many in its
threads at once as its pool has connections (more could only wait for a connection while
competing for the interpreter; the others wait their turn and are all answered), each handed to
a thread once, and none traced to a telemetry collector."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio.to_thread
import pytest
from fastapi import FastAPI
from fastapi.exceptions import ResponseValidationError
from fastapi.testclient import TestClient
from opentelemetry import trace

from screening_app.server.api import create_app
from screening_app.server.store import Caller, ServerStore
from tests.server.test_accounts_and_sessions import PW, sign_in


def _counting(store: ServerStore, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every request reads its caller in a thread: how many were doing so at each entry."""
    seen: list[int] = []
    inside = [0]
    lock = threading.Lock()
    read = store.caller

    def caller(token: str) -> Caller:
        with lock:
            inside[0] += 1
            seen.append(inside[0])
        try:
            time.sleep(0.05)  # long enough for the others to arrive, were they let in
            return read(token)
        finally:
            with lock:
                inside[0] -= 1

    monkeypatch.setattr(store, "caller", caller)
    return seen


@pytest.mark.parametrize("pool", [1, 3])
def test_requests_in_threads_at_once_are_the_pool_s_connections(
    database_url: str, monkeypatch: pytest.MonkeyPatch, pool: int
) -> None:
    store = ServerStore(database_url, pool_size=pool)
    try:
        seen = _counting(store, monkeypatch)
        with TestClient(create_app(store)) as client:

            def ask(_n: int) -> int:
                answer = client.get("/v1/me", headers={"Authorization": "Bearer not-a-token"})
                return int(answer.status_code)

            with ThreadPoolExecutor(12) as many:
                answers = list(many.map(ask, range(12)))
    finally:
        store.close()
    assert answers == [401] * 12  # every one answered, none refused for being kept waiting
    assert len(seen) == 12 and max(seen) == pool


def test_a_request_is_handed_to_a_thread_once(
    client: TestClient, store: ServerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its caller read, its work done and its answer checked against the route's model: one
    hand-over to a worker thread (FastAPI alone makes three: server/routing.py)."""
    store.add_account("kit", PW, "practitioner", "North")
    token = sign_in(client, "kit")["token"]
    handed: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        handed.append(getattr(func, "__name__", repr(func)))
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    for path in ("/v1/settings", "/v1/me", "/v1/screenings?after=0"):
        handed.clear()
        answer = client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.text
        assert len(handed) == 1, (path, handed)


def test_an_answer_is_still_checked_against_its_model(
    client: TestClient, store: ServerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The endpoint runs in a thread, its answer is checked on the event loop: a wrong answer
    is a bug caught there (a 500 to the desktop), never sent as it is."""
    store.add_account("kit", PW, "practitioner", "North")
    token = sign_in(client, "kit")["token"]
    monkeypatch.setattr(store, "retention_days", lambda: "a fortnight")
    with pytest.raises(ResponseValidationError):
        client.get("/v1/settings", headers={"Authorization": f"Bearer {token}"})


def test_a_token_of_the_wrong_shape_is_refused_before_any_thread(
    client: TestClient, store: ServerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _counting(store, monkeypatch)
    for header in ("", "Bearer", "Bearer   ", "Basic a2l0OnB3", "bearer"):
        answer = client.get("/v1/settings", headers={"Authorization": header})
        assert answer.status_code == 401
        assert "Sign in first" in answer.json()["detail"]
    assert seen == []  # no database read for any of them


class _Recording(trace.TracerProvider):
    """A tracer provider as an operator's environment might install: it notes each use."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def get_tracer(
        self,
        instrumenting_module_name: str,
        instrumenting_library_version: str | None = None,
        schema_url: str | None = None,
        attributes: Any = None,
    ) -> trace.Tracer:
        self.asked.append(instrumenting_module_name)
        return trace.NoOpTracer()


def test_nothing_goes_to_a_telemetry_collector(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a tracer installed in the process, FastAPI would trace every request (routes,
    errors, stack traces) to it; the server's app never does. A plain FastAPI app does, so the
    recorder would notice."""
    recording = _Recording()
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: recording)
    assert client.get("/health").status_code == 200
    assert client.get("/v1/me", headers={"Authorization": "Bearer unknown"}).status_code == 401
    assert recording.asked == []

    plain = FastAPI()
    plain.get("/ping")(lambda: {"ok": True})
    with TestClient(plain) as other:
        assert other.get("/ping").status_code == 200
    assert recording.asked  # the control: tracing was there to be had
