"""The activity model: valid records load, bad ones are refused with the field and the problem named."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.activity import KINDS, Activity, ActivityError, format_time, load_schema, parse_activity, parse_time
from tests.properties import PROPERTY

GOOD = {
    "id": "x:1",
    "platform": "x",
    "account": "ChineseEmbinUS",
    "kind": "post",
    "at": "2020-12-09T20:14:00Z",
    "text": "hello",
    "mentions": ["@SpokespersonCHN"],
    "hashtags": ["#China"],
    "labels": ["Sensitive"],
}


def test_valid_record_round_trips():
    activity = parse_activity(GOOD)
    assert activity.at.tzinfo == timezone.utc and activity.at.hour == 20
    assert activity.mentions == ["SpokespersonCHN"] and activity.hashtags == ["China"]
    assert activity.labels == ["sensitive"]
    again = parse_activity(json.loads(activity.to_json()))
    assert again == activity


def test_leading_at_is_dropped_from_handles():
    activity = parse_activity(
        {**GOOD, "account": "@ChineseEmbinUS", "kind": "repost", "target": {"account": "@realDonaldTrump", "id": "x:2"}}
    )
    assert activity.account == "ChineseEmbinUS" and activity.target_account == "realDonaldTrump"


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"id": None}, "id", "required"),
        ({"account": ""}, "account", "empty"),
        ({"kind": "retweet"}, "kind", "not one of"),
        ({"at": "2020-12-09 20:14"}, "at", "UTC offset"),
        ({"at": "yesterday"}, "at", "RFC 3339"),
        ({"at": 1607544840}, "at", "timestamp string"),
        ({"mentions": "realDonaldTrump"}, "mentions", "list of strings"),
        ({"kind": "status"}, "status", "needs status"),
        ({"kind": "status", "status": "gone"}, "status", "needs status"),
        ({"status": "active"}, "status", "only kind 'status'"),
        ({"kind": "like"}, "target", "needs a target"),
        ({"kind": "delete", "target": {"account": "x"}}, "target.id", "removed item"),
        ({"kind": "profile"}, "profile", "profile after the change"),
        ({"kind": "repost", "target": {"acount": "x"}}, "target.acount", "not a known field"),
        ({"kind": "repost", "target": {"account": 5}}, "target.account", "must be a string"),
    ],
)
def test_bad_records_name_the_field(change, field, words):
    record = {**GOOD, **change}
    record = {k: v for k, v in record.items() if v is not None}
    with pytest.raises(ActivityError) as info:
        parse_activity(record)
    assert info.value.field == field
    assert words in str(info.value)


def test_not_an_object():
    with pytest.raises(ActivityError, match="record: must be a JSON object"):
        parse_activity(["x:1"])


def test_schema_lists_the_same_kinds_and_required_fields():
    schema = load_schema()
    assert tuple(schema["properties"]["kind"]["enum"]) == KINDS
    assert schema["required"] == ["id", "platform", "account", "kind", "at"]
    assert set(Activity.__dataclass_fields__) >= set(schema["properties"])


EPOCH = datetime(1970, 1, 1)
SPAN = (datetime(3000, 1, 1) - EPOCH).total_seconds()  # the accepted times: 1970 up to (not into) 3000, UTC
FARTHEST = (timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)))  # Kiritimati, Baker Island


@PROPERTY
@given(st.datetimes(), st.integers(-(24 * 60 - 1), 24 * 60 - 1), st.sampled_from("Tt"))
@example(datetime(9999, 12, 31, 23, 59, 59), 0, "T")  # valid RFC 3339; past 9999 at UTC+14
@example(datetime(1, 1, 1), 60, "T")
@example(datetime(2999, 12, 31, 23, 59, 59), 0, "T")
@example(datetime(1969, 12, 31, 23, 59, 59), 0, "T")
def test_a_time_is_refused_naming_the_field_or_safe_in_every_time_zone(moment, offset, separator):
    """Scoring converts to the account's local time: whatever parse_time accepts must convert to any
    zone; anything else is refused with the field and the value named."""
    sign = "+" if offset >= 0 else "-"
    text = moment.replace(microsecond=0).isoformat(separator) + f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    seconds = (moment.replace(microsecond=0) - EPOCH).total_seconds() - offset * 60  # no overflow on the way
    try:
        at = parse_time(text, "created")
    except ActivityError as exc:
        assert not 0 <= seconds < SPAN
        assert exc.field == "created" and f'"{text}" is outside the years 1970 to 2999 (UTC)' == exc.message
        return
    assert 0 <= seconds < SPAN and at.tzinfo is timezone.utc
    for zone in FARTHEST:
        assert at.astimezone(zone) == at
    assert parse_time(format_time(at)) == at
