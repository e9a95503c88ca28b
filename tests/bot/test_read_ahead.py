"""Reading ahead in a second process (`replay --read-ahead yes`) changes how fast a replay runs, never
what it finds: the same alerts, rejects, unreadable files, stored rows and baselines as a replay in one
process, through the real command line. The reader itself, driven directly, hands over the same
activities and observations as reading here would, and a reader that dies is an error, not a hang."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from pathlib import Path

import pytest

from bot.feeds import plan, stream
from bot.profile.observe import observe
from bot.read_ahead import ReadAhead
from bot.watch import WatchedAccount
from bot.watch_index import WatchIndex
from tests.bot.fixture_replay import FEEDS, ROOT, replay_fixtures


@pytest.fixture
def broken(tmp_path) -> list[Path]:
    """A feed in time order with bad records between good ones, and a file that cannot be read at all."""
    rows = [json.loads(line) for line in (ROOT / "fixtures" / "timelines" / "Elysee.jsonl").open()][:400]
    lines = []
    for i, row in enumerate(rows):
        copy = {**row, "id": row["id"] + "-copy", "account": "ElyseeCopy"}
        lines.append(json.dumps(copy))
        if i % 97 == 5:
            lines.append('{"id": "x:bad", "platform": "x", "kind": "post"}')  # no account, no time
        if i % 131 == 7:
            lines.append("{not json")
    bad = tmp_path / "with-rejects.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    missing = tmp_path / "missing.jsonl"
    return [bad, missing]


def _replay(tmp_path: Path, feeds: list[Path], mode: str, *extra: str) -> dict:
    db = tmp_path / f"{mode}{'-'.join(extra)}.db"
    done = replay_fixtures(tmp_path, feeds, db, "--timings", "--read-ahead", mode, *extra)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    timings = json.loads(next(line for line in lines if line.startswith("timings: "))[len("timings: ") :])
    with sqlite3.connect(db) as conn:
        tables = {
            name: conn.execute(f"SELECT {columns} FROM {name} ORDER BY 1, 2").fetchall()
            for name, columns in (
                ("activities", "platform, id, record"),
                ("alerts", "id, body"),
                ("baselines", "platform, account, state"),
                ("rejects", "source, line, reason, record"),
            )
        }
    return {
        "code": done.returncode,
        "alerts": done.stdout,
        "told": [line for line in lines if line.startswith(("rejected ", "unreadable "))],
        "tables": tables,
        "read_ahead": "read_ahead" in timings,
        "cpu_stages": timings["cpu_stages"],
    }


def test_a_replay_reading_ahead_finds_and_stores_exactly_what_one_process_does(tmp_path, broken):
    feeds = FEEDS + broken
    one = _replay(tmp_path, feeds, "no")
    two = _replay(tmp_path, feeds, "yes")
    assert two["read_ahead"] and not one["read_ahead"]  # the second really read in a process of its own
    # --timings tells the CPU of scoring and learning apart from their clock time, either way
    assert all(run["cpu_stages"]["scoring"] > 0 and run["cpu_stages"]["learning"] > 0 for run in (one, two))
    assert one["code"] == two["code"] == 2  # an unreadable file is reported after the rest is stored
    assert one["alerts"].count("\n") >= 10, "the founding incidents alert"
    assert len(one["tables"]["rejects"]) >= 6 and any(t.startswith("unreadable ") for t in one["told"])
    assert two["alerts"] == one["alerts"]
    assert two["told"] == one["told"]  # the same rejects, in the same order
    assert two["tables"] == one["tables"]


def test_a_limited_replay_reading_ahead_stops_where_one_process_stops(tmp_path, broken):
    feeds = FEEDS + broken
    one = _replay(tmp_path, feeds, "no", "--limit", "2500")
    two = _replay(tmp_path, feeds, "yes", "--limit", "2500")
    assert len(one["tables"]["activities"]) == 2500
    assert two["alerts"] == one["alerts"] and two["told"] == one["told"] and two["tables"] == one["tables"]


def test_the_reader_hands_over_what_reading_and_observing_here_gives(broken):
    feeds = [str(p) for p in FEEDS + broken]
    feed_plan = plan(feeds)
    index = WatchIndex([WatchedAccount("x", "ChineseEmbinUS", country="China", host_country="US")])
    rejects: list = []
    problems: list[str] = []
    here = list(stream(feeds, rejects, problems, feed_plan))
    reader = ReadAhead(feeds, feed_plan, None, index, observe_all=True)
    try:
        there = list(reader)
    finally:
        reader.close()
    assert [a for a, _ in there] == here
    assert all(obs == observe(a, index.meta_for(a)) for a, obs in there)
    assert [str(r) for r in reader.rejects] == [str(r) for r in rejects] and reader.rejects
    assert reader.problems == problems and problems
    assert reader.figures["observing"] > 0 and reader.figures["peak_rss_mb"] > 0


def test_a_reader_that_dies_is_an_error_naming_it_not_a_hang():
    feeds = [str(p) for p in FEEDS]
    reader = ReadAhead(feeds, plan(feeds), None, WatchIndex())
    try:
        reader.ready()  # it started and sent its first chunk
        os.kill(reader._process.pid, signal.SIGKILL)
        with pytest.raises(RuntimeError, match="reading ahead ended without a word"):
            for _ in reader:
                pass
    finally:
        reader.close()
