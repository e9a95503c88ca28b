"""A grouped alert (near-identical posts by several watched accounts within minutes) as journalists
read it: the group first, then what the post that completed it was on its own."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.pipeline import Pipeline
from storage.db import Database
from tests.profile.helpers import act

START = datetime(2021, 3, 1, 9, tzinfo=timezone.utc)
LATER = START + timedelta(days=16, hours=1)
ACCOUNTS = ("ExampleMFA", "ExampleEmb")
SAME = "The minister welcomes the agreement signed today on trade and climate cooperation in the region"
CLAIM = "Democrats cheated like never before. Why hasn't the Election been overturned?"


def _post(account: str, at: datetime, text: str):
    return act("post", at, account, lang="en", client="Twitter Web App", text=text)


def _repost(account: str, at: datetime):
    return act("repost", at, account, target={"id": "x:claim", "account": "realDonaldTrump", "text": CLAIM})


async def _learned(db: Database) -> Pipeline:
    """A pipeline that has learned two accounts posting the same kind of statement every six hours."""
    pipeline = Pipeline(db)
    history = [
        _post(a, START + timedelta(hours=6 * i, minutes=k), f"{SAME}, meeting {i}")
        for i in range(60)
        for k, a in enumerate(ACCOUNTS)
    ]
    await pipeline.ingest(sorted(history, key=lambda a: a.at), learn_only=True)
    return pipeline


async def test_a_group_of_posts_each_ordinary_says_so_in_its_own_words(tmp_path):
    async with await Database.open(tmp_path / "group.db") as db:
        pipeline = await _learned(db)
        alerts = await pipeline.ingest([_post(ACCOUNTS[0], LATER, SAME)])
        alerts += await pipeline.ingest([_post(ACCOUNTS[1], LATER + timedelta(seconds=90), SAME)])
    grouped = [a for a in alerts if len(a.accounts) > 1]
    assert grouped, alerts
    assert grouped[0].reasons[0].startswith("2 watched accounts: near-identical texts")
    assert grouped[0].reasons[1:] == ["on its own, @ExampleEmb's post is in character for it"]


async def test_a_post_that_alerts_and_completes_a_group_is_one_alert(tmp_path):
    async with await Database.open(tmp_path / "group.db") as db:
        pipeline = await _learned(db)
        first = await pipeline.ingest([_repost(ACCOUNTS[0], LATER)])
        second = await pipeline.ingest([_repost(ACCOUNTS[1], LATER + timedelta(seconds=40))])
        assert pipeline.stats.alerts == len(first) + len(second)  # the summary counts what was raised
    assert [a.accounts for a in first] == [[ACCOUNTS[0]]]  # alone, it is its own alert
    # completing the group, it is one message: the group, then what the repost was on its own
    assert len(second) == 1 and sorted(second[0].accounts) == sorted(ACCOUNTS), second
    assert second[0].reasons[0].startswith("2 watched accounts")
    assert any(r.startswith("partisan claim") for r in second[0].reasons[1:])
    assert second[0].severity in ("high", "critical")
