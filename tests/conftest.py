"""Fixtures every test directory may use: the storage backends.

`database` is where a storage test's database lives, once per backend: a fresh SQLite file, and a fresh
database on one real PostgreSQL server that the test run starts (tests/postgres.py) the first time a
test asks for it and stops at the end. `Database.open(database)` opens either; opening it again is a
restart. A run of SQLite-only tests never starts the server.
"""

from __future__ import annotations

import pytest

from tests.postgres import LocalPostgres


@pytest.fixture(scope="session")
def postgres():
    with LocalPostgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        return tmp_path / "diplowatch.db"
    return request.getfixturevalue("postgres").create()
