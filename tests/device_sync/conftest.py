"""Fixtures for device sync: one PostgreSQL server a session, a database a test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pgserver import PgServer, start_server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = start_server()
    yield server
    server.stop()


@pytest.fixture
def pg_db(pg_server: PgServer) -> str:
    """A fresh database; returns its name."""
    return pg_server.database()
