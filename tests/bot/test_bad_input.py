"""Bad input never raises out of the normaliser or the feed readers: each record is a valid, storable
Activity or a Rejected with its file, line and reason (hypothesis: any text, any JSON, any bytes,
truncated and mutated real records; plus every input that once crashed replay)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.activity import Activity, ActivityError, checked
from bot.feeds import FeedError, Rejected, parse_line, read_feed
from bot.twitter_v1 import tweet_to_activity
from storage import activities as activity_store
from storage.db import Database
from tests.properties import JSON, PROPERTY, mutations, storable

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "samples"
RECORD = json.loads((SAMPLES / "Elysee.jsonl").read_text(encoding="utf-8").splitlines()[0])
TWEET = json.loads((SAMPLES / "twitter-v1-SAPresident.json").read_text(encoding="utf-8"))[0]
GOOD = {"id": "x:1", "platform": "x", "account": "Elysee", "kind": "post", "at": "2020-01-01T10:00:00Z"}


def _contract(item, source="feed.jsonl", line=1) -> None:
    if isinstance(item, Rejected):
        assert (item.source, item.line) == (source, line) and item.reason
        storable(item.reason)
    else:
        assert isinstance(item, Activity) and checked(item) is not None
        storable(item.to_json())


@PROPERTY
@given(st.text(max_size=300))
def test_any_text_line_is_an_activity_or_a_reject(text):
    _contract(parse_line(text, "feed.jsonl", 1))


@PROPERTY
@given(JSON)
def test_any_json_line_is_an_activity_or_a_reject(value):
    _contract(parse_line(json.dumps(value), "feed.jsonl", 1))


@PROPERTY
@given(mutations(RECORD))
def test_mutated_real_records_are_activities_or_rejects(record):
    _contract(parse_line(json.dumps(record), "feed.jsonl", 1))


@PROPERTY
@given(st.integers(0, len(json.dumps(RECORD))))
def test_truncated_records_are_rejected_with_a_reason(cut):
    text = json.dumps(RECORD)[:cut]
    item = parse_line(text, "feed.jsonl", 1)
    _contract(item)
    assert isinstance(item, Rejected) or cut == len(text) == len(json.dumps(RECORD))


@PROPERTY
@given(mutations(TWEET))
def test_mutated_twitter_v1_tweets_are_activities_or_rejects(tweet):
    try:
        activity = checked(tweet_to_activity(tweet))
    except ValueError as exc:  # ActivityError is a ValueError; it names the field
        assert str(exc)
        return
    storable(activity.to_json(with_raw=False))


@PROPERTY
@given(st.binary(max_size=400), st.sampled_from(["feed.jsonl", "feed.jsonl.gz", "tweets.json"]), st.booleans())
def test_any_bytes_in_any_file_give_records_rejects_or_one_feed_error(tmp_path_factory, data, name, pack):
    path = tmp_path_factory.mktemp("bytes") / name
    path.write_bytes(gzip.compress(data) if pack and name.endswith(".gz") else data)
    try:
        for item in read_feed(path):
            if isinstance(item, Rejected):
                assert item.source == str(path) and item.line >= 1 and item.reason
            else:
                _contract(item)
    except FeedError as exc:
        assert str(path) in str(exc)


# The inputs that once crashed replay, each now a reject with a clear reason (or a clean activity).


def test_deep_nesting_is_rejected_not_a_recursion_error():
    item = parse_line("[" * 100_000 + "]" * 100_000, "feed.jsonl", 7)
    assert isinstance(item, Rejected) and item.line == 7 and "nested too deeply" in item.reason


def test_times_outside_the_plausible_years_are_rejected_not_an_overflow():
    # 9999-12-31T23:59:59Z passed once, and overflowed later, in the local time of an account east of UTC
    for at in (
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-05:00",
        "9999-12-31T23:59:59Z",
        "1969-12-31T23:59:59Z",
    ):
        item = parse_line(json.dumps({**GOOD, "at": at}), "feed.jsonl", 3)
        assert isinstance(item, Rejected) and item.reason == f'at: "{at}" is outside the years 1970 to 2999 (UTC)'


def test_a_twitter_created_at_out_of_range_or_huge_is_a_short_reason_naming_the_field():
    year_1 = {**TWEET, "created_at": "Mon Jan 01 00:00:00 +0100 0001"}  # an OverflowError once, with no field
    with pytest.raises(ActivityError) as info:
        tweet_to_activity(year_1)
    assert info.value.field == "created_at" and "outside the years 1970 to 2999" in info.value.message
    huge = {**TWEET, "created_at": "x" * 100_000}  # was copied whole into the reason
    with pytest.raises(ActivityError) as info:
        tweet_to_activity(huge)
    assert info.value.field == "created_at" and len(str(info.value)) < 200


@PROPERTY
@given(
    st.datetimes().map(lambda t: t.strftime("%a %b %d %H:%M:%S")),
    st.integers(-2359, 2359).map(lambda hhmm: f"{hhmm:+05d}"),
    st.integers(1, 9999),
    st.text(max_size=3000),
    st.booleans(),
)
def test_any_twitter_created_at_is_a_plausible_time_or_a_short_reason_naming_it(clock, offset, year, text, odd):
    value = text if odd else f"{clock} {offset} {year:04d}"
    try:
        activity = checked(tweet_to_activity({**TWEET, "created_at": value}))
    except ActivityError as exc:
        assert exc.field == "created_at" and len(str(exc)) < 200, str(exc)[:300]
        return
    assert 1970 <= activity.at.year <= 2999


def test_a_5000_digit_integer_is_rejected():
    item = parse_line('{"id": ' + "9" * 5000 + "}", "feed.jsonl", 2)
    assert isinstance(item, Rejected) and "digits" in item.reason


def test_twitter_v1_entities_as_a_list_is_read_as_no_entities():
    activity = checked(tweet_to_activity({**TWEET, "entities": [], "extended_tweet": ["odd"]}))
    assert activity.hashtags == [] and activity.mentions == [] and activity.id == f"x:{TWEET['id_str']}"


def test_type_confused_fields_are_rejected_naming_the_field():
    for field, value in (("text", {"a": 1}), ("lang", ["en"]), ("media", [{"url": 5}]), ("target", [])):
        item = parse_line(json.dumps({**GOOD, field: value}), "feed.jsonl", 1)
        assert isinstance(item, Rejected) and item.reason.startswith(field), item.reason


async def test_a_lone_surrogate_is_stored_in_sqlite_not_a_unicode_error(tmp_path):
    item = parse_line(json.dumps({**GOOD, "text": "ok \ud800 ok", "raw": {"t": "\udfff"}}), "feed.jsonl", 1)
    assert isinstance(item, Activity) and item.text == "ok \ufffd ok"
    db = await Database.open(tmp_path / "s.db")
    try:
        async with db.transaction() as tx:
            assert len(await activity_store.store_new(tx, [item])) == 1
        async with db.transaction() as tx:
            await activity_store.keep_rejects(tx, [("feed.jsonl", 2, "odd \ud800", '{"x": "\ud800"}')])
        stored = await activity_store.get(db, "x", "x:1")
        assert stored.text == "ok \ufffd ok" and stored.raw == {"t": "\udfff"}  # raw kept exactly, as an escape
        [kept] = await activity_store.list_rejects(db)
        assert json.loads(kept["record"]) == {"x": "\ud800"}
    finally:
        await db.close()


def _stdlib_parse_line(text: str):
    """parse_line as it was with the standard library's decoder alone: the reference for msgspec's."""
    from bot.activity import ActivityError, parse_activity

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejected("feed.jsonl", 1, f"not valid JSON ({exc.msg} at column {exc.colno})", text)
    except (RecursionError, ValueError):
        return "unreadable"
    try:
        return parse_activity(data)
    except ActivityError as exc:
        return Rejected("feed.jsonl", 1, str(exc), text)


@PROPERTY
@given(
    st.one_of(
        JSON.map(lambda v: json.dumps(v)),
        mutations(RECORD).map(json.dumps),
        st.text(max_size=200),
        st.sampled_from(
            [
                '{"a": NaN}',
                '{"id": "\\ud800"}',
                "[" * 3000,
                '{"a": 1e400}',
                '{"id": 12345678901234567890123}',
                json.dumps({**GOOD, "text": "\\ud83d \ud83d\ude00"}),
                json.dumps(GOOD)[:-1],
            ]
        ),
    )
)
def test_the_fast_decoder_reads_every_line_as_the_standard_library_does(text):
    ours, reference = parse_line(text, "feed.jsonl", 1), _stdlib_parse_line(text)
    if reference == "unreadable":
        assert isinstance(ours, Rejected) and ours.reason.startswith("not readable JSON")
    elif isinstance(reference, Rejected):
        assert isinstance(ours, Rejected) and ours.reason == reference.reason
    else:
        assert isinstance(ours, Activity) and ours.to_dict() == reference.to_dict()
