"""One story in several alerts: an alert minutes after another on the same account names the first, so a
journalist reads a hijacker's spree as the one story it is."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.alerts import Alert, story_line
from bot.pipeline import Pipeline
from bot.render_text import render
from storage import alerts as alert_store
from storage.db import Database
from tests.profile.helpers import act

START = datetime(2021, 3, 1, 9, tzinfo=timezone.utc)
LATER = START + timedelta(days=16, hours=1)
ACCOUNT = "ExampleMFA"
STATEMENT = "The minister welcomes the agreement signed today on trade and climate cooperation in the region"


def _explicit_like(at: datetime, author: str, account: str = ACCOUNT):
    """S2's shape: a like of a clip the platform labels porn, alerting every time."""
    return act("like", at, account, target={"id": f"x:{author}", "account": author, "labels": ["porn"]})


async def _learned(db: Database) -> Pipeline:
    pipeline = Pipeline(db)
    history = [
        act("post", START + timedelta(hours=6 * i), ACCOUNT, lang="en", text=f"{STATEMENT}, meeting {i}")
        for i in range(60)
    ]
    await pipeline.ingest(history, learn_only=True)
    return pipeline


async def test_alerts_minutes_apart_on_one_account_are_one_story(tmp_path):
    async with await Database.open(tmp_path / "story.db") as db:
        pipeline = await _learned(db)
        first = await pipeline.ingest([_explicit_like(LATER, "clips_1")])
        # two more in one poll, then one long after the spree
        spree = await pipeline.ingest(
            [
                _explicit_like(LATER + timedelta(minutes=3), "clips_2"),
                _explicit_like(LATER + timedelta(minutes=9), "clips_3"),
            ]
        )
        alone = await pipeline.ingest([_explicit_like(LATER + timedelta(minutes=40), "clips_4")])
        stored = await alert_store.get(db, spree[1].id)
    assert (len(first), len(spree), len(alone)) == (1, 2, 1)
    assert first[0].story_of is None and story_line(first[0]) is None
    assert [(a.story_of, a.story_place) for a in spree] == [(first[0].id, 2), (first[0].id, 3)]
    assert stored is not None and (stored.story_of, stored.story_at) == (first[0].id, first[0].at)
    # more than STORY_WINDOW after the last alert, it is a story of its own
    assert alone[0].story_of is None
    assert (
        f"story: the 3rd alert on @{ACCOUNT} in one story, which began with alert {first[0].id} at 10:00 UTC, 9 minutes before"
        in render(spree[1])
    )
    assert "story:" not in render(first[0])


async def test_alerts_on_two_accounts_at_once_are_two_stories(tmp_path):
    async with await Database.open(tmp_path / "story.db") as db:
        pipeline = await _learned(db)
        mine = await pipeline.ingest([_explicit_like(LATER, "clips_1")])
        theirs = await pipeline.ingest([_explicit_like(LATER + timedelta(minutes=2), "clips_2", "ExampleEmb")])
    assert len(mine) == len(theirs) == 1
    assert mine[0].story_of is None and theirs[0].story_of is None


def test_the_story_line_counts_places_and_minutes_as_a_reader_says_them():
    def line(place: int, at: str) -> str | None:
        alert = make_alert(at, story_of="A-1", story_at="2020-09-08T23:12:40Z", story_place=place)
        return story_line(alert)

    assert line(2, "2020-09-08T23:13:10Z") == (
        f"the 2nd alert on @{ACCOUNT} in one story, which began with alert A-1 at 23:12 UTC, under a minute before"
    )
    assert line(11, "2020-09-08T23:13:40Z").startswith("the 11th alert") and line(11, "2020-09-08T23:13:40Z").endswith(
        ", 1 minute before"
    )
    assert line(23, "2020-09-08T23:40:40Z").startswith("the 23rd alert")
    assert story_line(make_alert("2020-09-08T23:13:10Z")) is None


def make_alert(at: str, **story) -> Alert:
    return Alert(
        activity_id="x:1",
        account=ACCOUNT,
        platform="x",
        kind="like",
        at=at,
        score=0.99,
        severity="critical",
        reasons=[],
        **story,
    )
