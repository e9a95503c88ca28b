"""The replay contract, end to end through the real command line."""

import gzip
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _history(account="ExampleMFA", days=60):
    start = datetime(2020, 9, 1, tzinfo=timezone.utc)
    rows = []
    for day in range(days):
        for slot, hour in enumerate((9, 11, 14, 16)):
            at = start + timedelta(days=day, hours=hour, minutes=slot * 7)
            i = day * 10 + slot
            rows.append(
                {
                    "id": f"x:{1000 + i}",
                    "platform": "x",
                    "account": account,
                    "kind": "post",
                    "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "lang": "en",
                    "client": "Twitter Web App",
                    "text": f"Ambassador met partners on trade cooperation, day {day}",
                    "url": f"https://twitter.com/{account}/status/{1000 + i}",
                }
            )
    return rows


INCIDENT = {
    "id": "x:999999",
    "platform": "x",
    "account": "ExampleMFA",
    "kind": "repost",
    "at": "2020-11-05T03:12:00Z",
    "lang": "en",
    "client": "Twitter for Android",
    "url": "https://twitter.com/ExampleMFA/status/999999",
    "target": {
        "id": "x:555",
        "account": "realDonaldTrump",
        "text": "Why wasn't the election overturned?",
        "url": "https://twitter.com/realDonaldTrump/status/555",
    },
}


def _replay_json(tmp_path, *feeds):
    """Replay the feeds into tmp_path/r.db, learning until 2020-11-01, with the alerts as JSON lines."""
    return _replay(
        *feeds, "--learn-until", "2020-11-01T00:00:00Z", "--format", "json", "--db", tmp_path / "r.db", cwd=tmp_path
    )


def _replay(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "bot", "replay", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def feeds(tmp_path):
    history = tmp_path / "history.jsonl.gz"
    with gzip.open(history, "wt") as handle:
        for row in _history():
            handle.write(json.dumps(row) + "\n")
    live = tmp_path / "live.jsonl"
    live.write_text(json.dumps(INCIDENT) + "\n" + '{"id": "x:1", "platform": "x", "kind": "post"}\n')
    return history, live


def test_json_alerts_on_stdout_summary_and_rejects_on_stderr(tmp_path, feeds):
    history, live = feeds
    result = _replay_json(tmp_path, history, live)
    assert result.returncode == 0, result.stderr
    alerts = [json.loads(line) for line in result.stdout.splitlines()]
    assert alerts, result.stderr
    alert = next(a for a in alerts if a["activity_id"] == "x:999999")
    for key in ("activity_id", "account", "platform", "kind", "at", "score", "severity", "reasons", "similar"):
        assert key in alert
    assert alert["kind"] == "repost" and alert["severity"] in ("low", "medium", "high", "critical")
    assert alert["reasons"] and all(isinstance(r, str) and r for r in alert["reasons"])
    assert any(ch.isdigit() for ch in " ".join(alert["reasons"])), "reasons carry numbers"
    assert f"{live}:2:" in result.stderr and "account" in result.stderr
    assert "1 rejected" in result.stderr


def test_same_feed_twice_stores_and_alerts_once(tmp_path, feeds):
    history, live = feeds
    args = (history, live, "--learn-until", "2020-11-01T00:00:00Z", "--format", "json", "--db", tmp_path / "r.db")
    first = _replay(*args, cwd=tmp_path)
    second = _replay(*args, cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert first.stdout.strip() and second.stdout.strip() == ""
    assert "0 new" in second.stderr and "already stored" in second.stderr


def test_text_format_reads_like_an_alert(tmp_path, feeds):
    history, live = feeds
    result = _replay(history, live, "--learn-until", "2020-11-01T00:00:00Z", "--db", tmp_path / "r.db", cwd=tmp_path)
    assert "@ExampleMFA reposted @realDonaldTrump" in result.stdout
    assert "https://twitter.com/ExampleMFA/status/999999" in result.stdout


def test_unreadable_files_are_each_reported_in_one_line_and_the_rest_is_stored(tmp_path, feeds):
    history, live = feeds
    not_gzip = tmp_path / "broken.jsonl.gz"
    not_gzip.write_bytes(b"not gzip at all")
    truncated = tmp_path / "truncated.jsonl.gz"
    other = [{**r, "id": r["id"].replace("x:", "x:9")} for r in _history("Other")]
    truncated.write_bytes(gzip.compress(b"".join(json.dumps(r).encode() + b"\n" for r in other))[:-40])
    bad_utf8 = tmp_path / "tweets.json"
    bad_utf8.write_bytes(b'[\n{"id_str": "1",\n "text": "\xff"}]')
    folder = tmp_path / "a-folder.jsonl"
    folder.mkdir()
    missing = tmp_path / "missing.jsonl"
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)  # never opened: reading one would block the replay
    result = _replay_json(tmp_path, missing, folder, fifo, not_gzip, history, bad_utf8, truncated, live)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    unreadable = [line for line in result.stderr.splitlines() if line.startswith("unreadable ")]
    assert unreadable == [
        f"unreadable {missing}: no such file",
        f"unreadable {folder}: is a directory",
        f"unreadable {fifo}: not a regular file (a FIFO, socket or device)",
        f"unreadable {not_gzip}: not gzip (the name ends in .gz but the content is not gzip-compressed)",
        f"unreadable {bad_utf8}: invalid UTF-8 at line 3",
        unreadable[5],
    ]
    assert unreadable[5].startswith(f"unreadable {truncated}: truncated or corrupt gzip after line ")
    kept = int(unreadable[5].split("after line ")[1].split()[0])
    assert 0 < kept < 240
    # The readable files and the lines before the break are stored, and the alert is raised.
    assert any(json.loads(line)["activity_id"] == "x:999999" for line in result.stdout.splitlines())
    assert f"{240 + kept + 1:,} new" in result.stderr and "6 unreadable file(s)" in result.stderr


def test_a_duplicate_id_with_other_content_is_kept_aside_as_a_conflict(tmp_path, feeds):
    history, live = feeds
    changed = tmp_path / "changed.jsonl"
    changed.write_text(
        json.dumps({**INCIDENT, "text": "edited after the fact"}) + "\n" + json.dumps(INCIDENT) + "\n"
    )  # the identical repeat is no conflict
    result = _replay_json(tmp_path, history, live, changed)
    assert result.returncode == 0, result.stderr
    assert "(1 conflicting duplicate(s))" in result.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "r.db") as conn:
        [(source, reason, record)] = conn.execute(
            "SELECT source, reason, record FROM rejects WHERE reason LIKE 'conflict%'"
        ).fetchall()
        [(stored,)] = conn.execute("SELECT record FROM activities WHERE id = 'x:999999'").fetchall()
    assert "'x:999999' is already stored with other content (differs in text)" in reason
    assert json.loads(record)["text"] == "edited after the fact" and "text" not in json.loads(stored)


def test_bad_learn_until_is_a_clear_error(tmp_path, feeds):
    result = _replay(feeds[0], "--learn-until", "last week", "--db", tmp_path / "r.db", cwd=tmp_path)
    assert result.returncode == 2 and "--learn-until" in result.stderr and "RFC 3339" in result.stderr


def test_every_account_of_the_files_is_a_watched_official_from_the_start(tmp_path):
    # without --accounts, a repost of another account of the files is judged as a repost of an official,
    # even when that account's own first record comes later in time (S1's shape without a watch list)
    history = tmp_path / "history.jsonl"
    later = _history(account="OtherLeader", days=5)
    for row in later:
        at = datetime.strptime(row["at"], "%Y-%m-%dT%H:%M:%SZ") + timedelta(days=90)
        row["at"] = at.strftime("%Y-%m-%dT%H:%M:%SZ")
        row["id"] = "x:9" + row["id"][2:]
    rows = _history() + later
    history.write_text("".join(json.dumps(r) + "\n" for r in rows))
    incident = dict(INCIDENT, target={"id": "x:556", "account": "OtherLeader", "text": "Trade talks went well today"})
    live = tmp_path / "live.jsonl"
    live.write_text(json.dumps(incident) + "\n")
    result = _replay_json(tmp_path, history, live)
    assert result.returncode == 0, result.stderr
    alerts = [json.loads(line) for line in result.stdout.splitlines()]
    alert = next(a for a in alerts if a["activity_id"] == "x:999999")
    assert any("@OtherLeader, a watched official account" in r for r in alert["reasons"]), alert["reasons"]


@pytest.mark.parametrize(
    "entries, words",
    [
        ([1], "account 1: expected an object"),
        ([{"handle": 5, "platform": "x"}], "account 1: handle is required, as a non-empty string (got 5)"),
        ([{"handle": "ExampleMFA", "platform": "x"}, {"platform": "x"}], "account 2: handle is required"),
        (
            [{"handle": "ExampleMFA", "platform": "x", "country": ["CN"]}],
            'account 1: country must be a string, got ["CN"]',
        ),
    ],
)
def test_a_bad_accounts_entry_is_a_clear_error_naming_it(tmp_path, feeds, entries, words):
    accounts = tmp_path / "accounts.json"
    accounts.write_text(json.dumps(entries))
    result = _replay(
        feeds[0],
        "--learn-until",
        "2020-11-01T00:00:00Z",
        "--db",
        tmp_path / "r.db",
        "--accounts",
        accounts,
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"diplowatch replay: {accounts}: ") and words in result.stderr, result.stderr
