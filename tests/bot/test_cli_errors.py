"""What a user gets from bad input to replay, mockfeed and demo: one line naming the file and the
problem, a non-zero exit, no traceback; and the demo never removes a folder or a database of the user's."""

from __future__ import annotations

import gzip
import sqlite3
import subprocess

import pytest

from tests.cli import ROOT, run_cli

FEED = ROOT / "fixtures" / "feeds" / "ChineseEmbinUS.jsonl"


def _one_clear_line(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stdout[-1000:] + result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_replay_into_a_folder_as_its_database_is_one_line_naming_it(tmp_path):
    (tmp_path / "folder.db").mkdir()
    result = run_cli("replay", "--learn-until", "2020-01-01T00:00:00Z", "--db", "folder.db", str(FEED), cwd=tmp_path)
    _one_clear_line(result, "diplowatch replay:", "cannot use the database folder.db")


def test_replay_into_a_file_that_is_not_a_database_is_one_line_naming_it(tmp_path):
    (tmp_path / "junk.db").write_bytes(b"\x00\xff" * 4096)
    result = run_cli("replay", "--learn-until", "2020-01-01T00:00:00Z", "--db", "junk.db", str(FEED), cwd=tmp_path)
    _one_clear_line(result, "cannot use the database junk.db", "not a database")


def test_mockfeed_on_a_binary_file_is_one_line_naming_it(tmp_path):
    (tmp_path / "bin.jsonl").write_bytes(bytes(range(128, 256)) * 8)
    _one_clear_line(run_cli("mockfeed", "bin.jsonl", "--port", "0", cwd=tmp_path), "bin.jsonl", "not UTF-8")


def test_mockfeed_on_a_gzip_cut_short_is_one_line_naming_it(tmp_path):
    (tmp_path / "cut.jsonl.gz").write_bytes(gzip.compress(FEED.read_bytes())[:300])
    _one_clear_line(run_cli("mockfeed", "cut.jsonl.gz", "--port", "0", cwd=tmp_path), "cut.jsonl.gz", "gzip")


def test_demo_with_a_missing_fixtures_folder_is_one_line_naming_it(tmp_path):
    result = run_cli("demo", "--fixtures", "missing", "--db", "d.db", "--live-dir", "feeds", cwd=tmp_path)
    _one_clear_line(result, "diplowatch demo:", "missing/demo.json", "no such file")
    over_http = run_cli("demo", "--http", "--fixtures", "missing", "--db", "d.db", cwd=tmp_path)
    _one_clear_line(over_http, "diplowatch demo:", "missing/demo.json", "no such file")


@pytest.mark.parametrize(
    ("manifest", "words"),
    [(b"\xff\xfe not json", ("demo.json", "cannot read")), (b'[{"handle": "x"}]', ("demo.json", "scenario 1"))],
)
def test_demo_with_a_bad_manifest_is_one_line_naming_it(tmp_path, manifest, words):
    (tmp_path / "fx").mkdir()
    (tmp_path / "fx" / "demo.json").write_bytes(manifest)
    result = run_cli("demo", "--fixtures", "fx", "--db", "d.db", "--live-dir", "feeds", cwd=tmp_path)
    _one_clear_line(result, *words)


def test_demo_leaves_a_live_dir_of_the_users_alone(tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.txt").write_text("years of work", encoding="utf-8")
    result = run_cli("demo", "--db", "d.db", "--live-dir", "victim", cwd=tmp_path)
    _one_clear_line(result, "--live-dir victim", "not a folder the demo made")
    assert (victim / "thesis.txt").read_text(encoding="utf-8") == "years of work"
    assert sorted(p.name for p in victim.iterdir()) == ["thesis.txt"]


def test_demo_leaves_a_database_of_the_users_alone(tmp_path):
    mine = tmp_path / "mine.db"
    with sqlite3.connect(mine) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()
    result = run_cli("demo", "--db", "mine.db", "--live-dir", "feeds", cwd=tmp_path)
    _one_clear_line(result, "--db mine.db", "not a diplowatch database")
    with sqlite3.connect(mine) as conn:
        assert conn.execute("SELECT body FROM notes").fetchall() == [("keep me",)]
    conn.close()
    assert not (tmp_path / "feeds").exists()  # refused before anything was made


def test_demo_leaves_a_diplowatch_database_watching_the_users_accounts_alone(tmp_path):
    assert run_cli("watch", "add", "bluesky", "someone.bsky.social", "--db", "real.db", cwd=tmp_path).returncode == 0
    result = run_cli("demo", "--db", "real.db", "--live-dir", "feeds", cwd=tmp_path)
    _one_clear_line(result, "--db real.db", "not the demo's database")
    assert "someone.bsky.social" in run_cli("watch", "list", "--db", "real.db", cwd=tmp_path).stdout


def test_demo_reruns_over_its_own_folder_and_database(tmp_path):
    from bot.demo.common import Scenario, fresh_file
    from bot.demo.files import MARKER, fresh_live_dir

    scenarios = [Scenario("a", "x", tmp_path / "a.jsonl", "2020-01-01T00:00:00Z", {})]
    live = tmp_path / "feeds"
    fresh_live_dir(live, scenarios)  # new: made, with the marker
    (live / "a.jsonl").write_text("{}\n", encoding="utf-8")
    (live / "old.jsonl").write_text("{}\n", encoding="utf-8")
    fresh_live_dir(live, scenarios)  # the demo's own (marked): emptied
    assert sorted(p.name for p in live.iterdir()) == [MARKER]
    legacy = tmp_path / "legacy"  # what a demo made before the marker: only the scenarios' feeds
    legacy.mkdir()
    (legacy / "a.jsonl").write_text("{}\n", encoding="utf-8")
    fresh_live_dir(legacy, scenarios)
    assert sorted(p.name for p in legacy.iterdir()) == [MARKER]
    empty = tmp_path / "empty.db"
    empty.touch()
    fresh_file(empty)  # an empty file, or none, is fine
    fresh_file(tmp_path / "none.db")
    assert not empty.exists()
