"""Opening a database that fails after the connection is made (a file that is not SQLite) or at the
connection itself (a folder) closes what it opened: the command tells the error and exits, rather than
hanging on the connection's worker thread or printing "Event loop is closed". And a PostgreSQL URL is
named in messages without its password, wherever the password is in it."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from storage.db import Database, errors, shown
from tests.cli import ROOT, run_cli


@pytest.fixture
def junk(tmp_path: Path) -> Path:
    path = tmp_path / "junk.db"
    path.write_bytes(bytes(range(256)) * 16)  # not SQLite: "file is not a database"
    return path


def _workers() -> set[threading.Thread]:
    """aiosqlite's connection threads still running (not daemons: one keeps the process alive)."""
    return {t for t in threading.enumerate() if t.is_alive() and "_connection_worker_thread" in t.name}


@pytest.mark.parametrize("kind", ["junk", "folder"])
async def test_a_failed_open_raises_the_database_error_and_leaves_no_thread_running(tmp_path, junk, kind):
    target = junk if kind == "junk" else tmp_path
    before = _workers()
    with pytest.raises(errors()):
        await Database.open(target)
    for thread in _workers() - before:
        thread.join(timeout=30)
    assert not (_workers() - before)


@pytest.mark.parametrize(
    "command",
    [
        ["watch", "list"],
        ["watch", "add", "bluesky", "someone.bsky.social"],
        ["incidents", "search", "embassy"],
        ["replay", "--learn-until", "2020-01-01T00:00:00Z"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
@pytest.mark.parametrize("kind", ["junk", "folder"])
def test_a_database_that_cannot_be_opened_is_told_and_the_command_exits(tmp_path, junk, command, kind):
    target = junk if kind == "junk" else tmp_path / "folder"
    if kind == "folder":
        target.mkdir()
    extra = [str(ROOT / "fixtures" / "feeds" / "ChineseEmbinUS.jsonl")] if command[0] == "replay" else []
    result = run_cli(*command, "--db", str(target), *extra, cwd=tmp_path)  # TimeoutExpired: the hang
    assert result.returncode != 0
    assert "Event loop is closed" not in result.stderr, result.stderr
    assert ("file is not a database" if kind == "junk" else "unable to open database file") in result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert f"cannot use the database {target}" in result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://bob:pw@h/db", "postgresql://bob:***@h/db"),
        ("postgresql://bob@h/db?password=SECRET", "postgresql://bob@h/db?password=***"),
        (
            "postgresql://bob@h/db?sslmode=require&password=SECRET&x=1",
            "postgresql://bob@h/db?sslmode=require&password=***&x=1",
        ),
        ("postgresql://bob:pa/SECRET@h/db", "postgresql://bob:***@h/db"),
        ("postgresql://bob:pa?SECRET#x@h/db", "postgresql://bob:***@h/db"),
        ("postgresql://bob:p@SECRET@h/db", "postgresql://bob:***@h/db"),
        ("postgres://h:5432/db", "postgres://h:5432/db"),
        ("postgresql://bob:pw@h/db?application_name=a@b", "postgresql://bob:***@h/db?application_name=a@b"),
        ("data/diplowatch.db", "data/diplowatch.db"),
    ],
)
def test_a_url_is_shown_without_its_password(url, expected):
    assert shown(url) == expected
    assert "SECRET" not in shown(url) and "pw" not in shown(url).split("@")[0]


@pytest.mark.parametrize("url", ["postgresql://bob:SECRET@[::1/db", "postgresql://[", "postgresql://", "x://a:SECRET@"])
def test_showing_any_url_never_raises_nor_leaks(url):
    assert "SECRET" not in shown(url)


def test_a_url_with_an_unencoded_slash_in_its_password_is_a_clear_error_without_the_password(tmp_path):
    result = run_cli("watch", "list", "--db", "postgresql://bob:pa/SECRET@localhost/db", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "SECRET" not in result.stderr, result.stderr
    assert "postgresql://bob:***@localhost/db" in result.stderr and "%2F" in result.stderr


def test_a_connection_that_fails_leaves_no_thread_behind_the_closed_event_loop(tmp_path):
    # aiosqlite's thread hands its last result to the loop that opened it: once asyncio.run has closed
    # that loop, it printed "RuntimeError: Event loop is closed" (most runs out of 20 before the fix).
    script = (
        "import asyncio, sys\n"
        "from storage.db import Database, errors\n"
        "async def main():\n"
        "    try:\n"
        "        await Database.open(sys.argv[1])\n"
        "    except errors():\n"
        "        pass\n"
        "for _ in range(20):\n"
        "    asyncio.run(main())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
