"""Reading recorded feeds: JSON Lines (plain and gzipped), Twitter v1.1 arrays, and bad input."""

import gzip
import json
from pathlib import Path

import pytest

from bot.feeds import FeedError, Rejected, merged, read_feed
from bot.twitter_v1 import tweet_to_activity

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
