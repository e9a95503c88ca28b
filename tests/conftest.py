"""Fixtures every test directory may use: the storage backends.

`database` is where a storage test's database lives, once per backend: a fresh SQLite file, and a fresh
database on one real PostgreSQL server that the test run starts (tests/postgres.py) the first time a
test asks for it and stops at the end. `Database.open(database)` opens either; opening it again is a
restart. A run of SQLite-only tests never starts the server.
"""

from __future__ import annotations

import os

import pytest

# The suite tests the pure Python detector, the reference, even where a mypyc build exists (a few tests
# wrap the detector's methods to record its verdicts, which a compiled class does not allow);
# tests/bot/test_compiled.py checks that a build finds the same.
os.environ.setdefault("DIPLOWATCH_COMPILED", "0")

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
