"""A real PostgreSQL for the server tests: one throwaway cluster per test session, a fresh
database per test, migrated by the same code as ``server init``."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient

from screening_app.server import schema
from screening_app.server.api import create_app
from screening_app.server.store import ServerStore
from tests.server.postgres import Cluster, throwaway_cluster

_NAMES = itertools.count()


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    with throwaway_cluster() as running:
        yield running


@pytest.fixture
def database_url(cluster: Cluster) -> Iterator[str]:
    name = f"t{next(_NAMES)}"
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = cluster.url(name)
    with psycopg.connect(url, autocommit=True) as conn:
        schema.migrate(conn)
    yield url
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(database_url: str, clock: Clock) -> Iterator[ServerStore]:
    opened = ServerStore(database_url, clock=clock, pool_size=2)
    yield opened
    opened.close()


@pytest.fixture
def client(store: ServerStore) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as test_client:
        yield test_client
