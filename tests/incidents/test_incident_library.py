import json
import re

import pytest

from bot.incidents.library import load_library, parse_incident
from bot.incidents.vocab import KINDS, OUTCOMES, ROLES, TARGET_KINDS

GOOD = {
    "id": "T1",
    "title": "Embassy reposts a leader",
    "date": "2020-12-09",
    "platform": "Twitter",
    "account": "@SomeEmbassy",
    "owner": "Some embassy",
    "country": "China",
    "role": "embassy",
    "kinds": ["repost"],
    "targets": ["foreign-leader"],
    "summary": "It reposted a leader.",
    "explanation": "Said it was hacked.",
    "outcome": "hacked",
    "tags": ["Diplomatic"],
    "source_url": "https://example.org/story",
}


def write(tmp_path, lines):
    path = tmp_path / "library.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_shipped_library_has_every_reference_incident(library):
    ids = [incident.id for incident in library]
    assert ids == ["S1", "S2", "S3", "S4"] + [f"I{n:02d}" for n in range(1, 61)]
    for incident in library:
        assert incident.outcome in OUTCOMES
        assert set(incident.kinds) <= set(KINDS) and incident.role in ROLES
        assert set(incident.targets) <= set(TARGET_KINDS)
        assert incident.source_url.startswith(("http://", "https://"))
        assert incident.platform == incident.platform.lower() and incident.platform != "twitter"


def test_founding_incidents_are_described_as_they_happened(library):
    by_id = {incident.id: incident for incident in library}
    assert by_id["S1"].account == "ChineseEmbinUS" and by_id["S1"].kinds == ("repost", "delete")
    assert "foreign-leader" in by_id["S1"].targets
    assert by_id["S2"].kinds[0] == "like" and "explicit-content" in by_id["S2"].targets
    assert by_id["S3"].kinds == ("status",) and by_id["S3"].status == "deactivated"
    assert by_id["S3"].outcome == "insider"
    assert by_id["S4"].platform == "tiktok" and by_id["S4"].outcome == "undisclosed affiliation"


def test_malformed_entries_name_file_line_and_field_and_the_rest_loads(tmp_path):
    bad_outcome = {**GOOD, "id": "T3", "outcome": "aliens"}
    no_title = {key: value for key, value in GOOD.items() if key != "title"} | {"id": "T4"}
    bad_date = {**GOOD, "id": "T5", "date": "9 Dec 2020"}
    bad_kind = {**GOOD, "id": "T6", "kinds": ["retweet"]}
    status_without_status = {**GOOD, "id": "T7", "kinds": ["status"]}
    path = write(
        tmp_path,
        [
            json.dumps(GOOD),
            '{"id": "T2", "title": ',  # truncated line
            json.dumps(bad_outcome),
            json.dumps(no_title),
            "",
            json.dumps(bad_date),
            json.dumps(bad_kind),
            json.dumps(status_without_status),
            json.dumps({**GOOD, "id": "T8", "typo_field": 1}),
            json.dumps(GOOD),  # duplicate id
            json.dumps({**GOOD, "id": "T9"}),
        ],
    )
    result = load_library(path)
    assert [incident.id for incident in result.incidents] == ["T1", "T9"]
    found = {(error.line, error.field) for error in result.errors}
    assert found == {
        (2, "record"),
        (3, "outcome"),
        (4, "title"),
        (6, "date"),
        (7, "kinds"),
        (8, "status"),
        (9, "typo_field"),
        (10, "id"),
    }
    for error in result.errors:
        assert error.path == str(path)
        assert re.match(rf"{re.escape(str(path))}:{error.line}: {error.field}: ", str(error))
    assert "aliens" in next(e.message for e in result.errors if e.field == "outcome")


def test_loader_normalizes_platform_handle_and_tags():
    incident = parse_incident(GOOD)
    assert incident.platform == "x"
    assert incident.account == "SomeEmbassy"
    assert incident.tags == ("diplomatic",)


def test_missing_library_file_is_a_clear_error(tmp_path):
    with pytest.raises(OSError):
        load_library(tmp_path / "nope.jsonl")
