"""Reading recorded feeds: JSON Lines (plain and gzipped), Twitter v1.1 arrays, and bad input."""

import gzip
import json
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.feeds import FeedError, Rejected, merged, plan, read_feed, stream
from bot.twitter_v1 import tweet_to_activity
from tests.properties import PROPERTY

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "samples"


def _line(i, at, account="Elysee", **extra):
    return json.dumps({"id": f"x:{i}", "platform": "x", "account": account, "kind": "post", "at": at, **extra})


def test_jsonl_and_gzip_read_alike(tmp_path):
    lines = [_line(1, "2020-01-01T10:00:00Z"), _line(2, "2020-01-01T11:00:00Z")]
    plain = tmp_path / "a.jsonl"
    plain.write_text("\n".join(lines) + "\n")
    packed = tmp_path / "a.jsonl.gz"
    with gzip.open(packed, "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    assert [a.id for a in read_feed(plain)] == [a.id for a in read_feed(packed)] == ["x:1", "x:2"]


def test_malformed_lines_are_kept_with_file_line_and_reason(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join(
            [
                _line(1, "2020-01-01T10:00:00Z"),
                "{not json",
                _line(3, "2020-01-01T12:00:00Z", kind="retweet"),
                "",
                _line(5, "2020-01-01T13:00:00Z"),
            ]
        )
        + "\n"
    )
    items = list(read_feed(feed))
    rejects = [i for i in items if isinstance(i, Rejected)]
    assert [a.id for a in items if not isinstance(a, Rejected)] == ["x:1", "x:5"]
    assert [(r.line, r.source) for r in rejects] == [(2, str(feed)), (3, str(feed))]
    assert "not valid JSON" in rejects[0].reason
    assert "kind" in rejects[1].reason and "retweet" in rejects[1].reason
    assert rejects[1].record.startswith("{")


def test_missing_or_corrupt_file_is_a_feed_error(tmp_path):
    with pytest.raises(FeedError, match="no such file"):
        list(read_feed(tmp_path / "nope.jsonl"))
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(b"this is not gzip")
    with pytest.raises(FeedError, match="not gzip"):
        list(read_feed(broken))


def test_merge_orders_across_files(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(_line(1, "2020-01-01T10:00:00Z") + "\n" + _line(3, "2020-01-01T12:00:00Z") + "\n")
    b.write_text(
        _line(4, "2020-01-01T13:00:00Z", account="x") + "\n" + _line(2, "2020-01-01T11:00:00+00:00", account="x") + "\n"
    )
    activities, rejects = merged([a, b])
    assert [x.id for x in activities] == ["x:1", "x:2", "x:3", "x:4"] and rejects == []


def test_real_twitter_v1_payloads():
    for name in ("twitter-v1-SAPresident.json", "twitter-v1-MedvedevRussiaE.json"):
        tweets = json.loads((SAMPLES / name).read_text())
        activities = list(read_feed(SAMPLES / name))
        assert len(activities) == len(tweets) and not any(isinstance(a, Rejected) for a in activities)
        for tweet, activity in zip(tweets, activities, strict=True):
            assert activity.id == "x:" + tweet["id_str"]
            assert activity.account == tweet["user"]["screen_name"]
            assert activity.raw == tweet
            assert activity.url.endswith(tweet["id_str"])
            if "retweeted_status" in tweet:
                assert activity.kind == "repost"
                assert activity.target_account == tweet["retweeted_status"]["user"]["screen_name"]
            elif tweet.get("in_reply_to_screen_name"):
                assert activity.kind == "reply" and activity.target_account == tweet["in_reply_to_screen_name"]
            assert "<a" not in (activity.client or "")


def test_twitter_v1_reply_mentions_and_client():
    tweets = json.loads((SAMPLES / "twitter-v1-SAPresident.json").read_text())
    first = tweet_to_activity(tweets[0])
    assert first.kind == "reply" and first.target_account == "PresidencyZA"
    assert first.mentions == ["PresidencyZA"] and first.hashtags == ["SONA2015"]
    assert first.client == "Twitter Web Client"
    assert first.at.isoformat() == "2015-02-12T13:23:04+00:00"


def test_twitter_v1_bad_tweet_is_rejected_not_fatal(tmp_path):
    tweets = json.loads((SAMPLES / "twitter-v1-SAPresident.json").read_text())[:3]
    del tweets[1]["user"]
    tweets[2]["created_at"] = "last Tuesday"
    path = tmp_path / "tweets.json"
    path.write_text(json.dumps(tweets))
    items = list(read_feed(path))
    assert [type(i).__name__ for i in items] == ["Activity", "Rejected", "Rejected"]
    assert items[1].line == 2 and "user.screen_name" in items[1].reason
    assert "created_at" in items[2].reason


def test_streaming_gives_what_merging_gives_in_the_same_order(tmp_path):
    """replay streams the files (memory holds one record per file in time order); a file out of order, one
    with a bad or BOM-led line, ties in time and a Twitter array come out exactly as merged() gives them."""
    from bot.feeds import plan, stream

    (tmp_path / "a.jsonl").write_text(
        "\n".join(
            [
                _line(1, "2020-01-01T10:00:00Z"),
                _line(2, "2020-01-01T12:00:00Z"),
                _line(3, "2020-01-01T12:00:00Z"),
            ]
        )
        + "\n"
    )
    (tmp_path / "b.jsonl").write_text(
        "\n".join(
            [  # out of order
                _line(4, "2020-01-01T13:00:00Z", account="b"),
                _line(5, "2020-01-01T09:00:00Z", account="b"),
                _line(6, "2020-01-01T12:00:00Z", account="b"),
            ]
        )
        + "\n"
    )
    (tmp_path / "c.jsonl").write_text(
        "\n".join(
            [  # a BOM-led line, a line nobody can read, then earlier
                "\ufeff" + _line(7, "2020-01-01T11:00:00+02:00", account="c"),
                "{broken",
                _line(8, "2020-01-01T08:00:00Z", account="c"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    paths = sorted(tmp_path.glob("*.jsonl"))
    expected, expected_rejects = merged(paths)
    rejects: list[Rejected] = []
    problems: list[str] = []
    streamed = list(stream(paths, rejects, problems))
    assert (
        [a.id for a in streamed] == [a.id for a in expected] == ["x:8", "x:5", "x:7", "x:1", "x:2", "x:3", "x:6", "x:4"]
    )
    assert [str(r) for r in rejects] == [str(r) for r in expected_rejects] and len(rejects) == 1
    found = plan(paths)
    assert found.accounts == {("x", "Elysee"), ("x", "b"), ("x", "c")}
    assert found.unsorted == {str(tmp_path / "b.jsonl"), str(tmp_path / "c.jsonl")} and found.records == 9


def test_past_the_open_file_budget_files_are_read_whole_in_the_same_order(tmp_path, monkeypatch):
    import bot.feeds as feeds

    for n in range(5):
        (tmp_path / f"f{n}.jsonl").write_text(
            "\n".join(_line(10 * n + i, f"2020-01-0{1 + (i * 3 + n) % 9}T10:00:00Z", account=f"a{n}") for i in range(3))
            + "\n"
        )
    paths = sorted(tmp_path.glob("*.jsonl"))
    expected = [a.id for a in merged(paths)[0]]
    monkeypatch.setattr(feeds, "OPEN_AT_ONCE", 2)
    assert [a.id for a in feeds.stream(paths, [], [])] == expected


# Spellings of one time that parse_time accepts; only the first sorts as text the way the times do.
SPELLINGS = (
    lambda t: f"{t:%Y-%m-%dT%H:%M:%S}Z",
    lambda t: f"{t:%Y-%m-%dt%H:%M:%S}Z",
    lambda t: f"{t:%Y-%m-%dT%H:%M:%S}z",
    lambda t: f"{t.astimezone(timezone(timedelta(hours=5))):%Y-%m-%dT%H:%M:%S}+05:00",
    lambda t: "{}-W{:02d}-{}".format(*t.isocalendar()) + f"T{t:%H:%M:%S}Z",  # an ISO week date
    lambda t: f"{t:%Y-%m-%dT%H%M%S}.5Z",  # the basic time form, with a fraction
)


def test_a_lowercase_t_is_not_taken_for_time_order():
    # as text "...06t01:00:00Z" sorts after "...06T23:00:00Z": the file was judged sorted, and streamed
    # as it stands, a record before --learn-until came after the split and was scored, not learned
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.jsonl"
        path.write_text(_line(1, "2020-01-06T23:00:00Z") + "\n" + _line(2, "2020-01-06t01:00:00Z") + "\n")
        assert plan([path]).unsorted == {str(path)}
        assert [a.id for a in stream([path], [], [])] == ["x:2", "x:1"]


@PROPERTY
@given(
    st.lists(
        st.tuples(
            st.datetimes(datetime(2020, 1, 5), datetime(2020, 1, 8), timezones=st.just(timezone.utc)),
            st.integers(0, len(SPELLINGS) - 1),
        ),
        min_size=1,
        max_size=8,
    )
)
@example([(datetime(2020, 1, 6, 23, tzinfo=timezone.utc), 0), (datetime(2020, 1, 6, 1, tzinfo=timezone.utc), 4)])
@example([(datetime(2020, 1, 6, 1, 59, tzinfo=timezone.utc), 5), (datetime(2020, 1, 6, 1, 30, tzinfo=timezone.utc), 0)])
def test_whatever_the_spelling_of_the_times_a_feed_streams_in_time_order(records):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.jsonl"
        path.write_text(
            "".join(_line(i, SPELLINGS[s](t.replace(microsecond=0))) + "\n" for i, (t, s) in enumerate(records))
        )
        rejects: list[Rejected] = []
        times = [a.at for a in stream([path], rejects, [])]
        assert rejects == [] and len(times) == len(records) and times == sorted(times)
