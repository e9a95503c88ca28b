"""Telegram public channels over real HTTP (tier 4): the mock feed server serves the preview page (the
recorded page as it is, or the mock world's channel in the same markup), faults included."""

from __future__ import annotations

import pytest

from bot.mockfeed.faults import FaultRule
from bot.pipeline import Pipeline
from bot.scheduler import Poller
from bot.sources.http import BadPayload, FeedError, RateLimited
from bot.watch import WatchedAccount
from storage import activities as activity_store
from storage import watch as watch_store
from storage.db import Database
from tests.sources.conftest import act, advance
from tests.sources.test_telegram_parse import HTML

CHANNEL = "mfa_ruritania"


def history(count: int = 25):
    return [act("telegram", CHANNEL, "post", -1000 + n, text=f"Statement number {n} on trade.") for n in range(count)]


async def test_the_recorded_page_over_http(server, source):
    server.telegram_pages[CHANNEL] = HTML
    telegram = source("telegram", CHANNEL)
    result = await telegram.poll(None)
    assert result.backfill
    kinds = sorted(a.kind for a in result.activities)
    assert kinds == ["post", "post", "reply", "repost", "repost"]
    # The message without a time is kept aside with its place on the page and the reason.
    assert len(result.rejects) == 1
    assert result.rejects[0].source == "telegram/mfa_ruritania page 1 message 7 (mfa_ruritania/1207)"
    assert "shows no time" in result.rejects[0].reason
    forward = next(a for a in result.activities if a.id == "mfa_ruritania/1202")
    assert forward.target["account"] == "statenews_ruritania"
    # Asked again: the same page, nothing new, nothing deleted (the service message 1201 is no deletion).
    again = await telegram.poll(result.cursor)
    assert again.activities == []
    await telegram.aclose()


async def test_forwards_edits_views_deletions_and_profile_changes(world, server, source):
    world.load(
        history()
        + [
            act(
                "telegram",
                CHANNEL,
                "repost",
                -500,
                target={"account": "statenews_ruritania", "id": "statenews_ruritania/5", "text": "news"},
            )
        ]
    )
    telegram = source("telegram", CHANNEL)
    first = await telegram.poll(None)
    assert first.backfill and len(first.activities) == 26  # two pages read back on the first poll
    world.load(
        [
            act(
                "telegram",
                CHANNEL,
                "repost",
                1,
                target={"account": "foreign_agitprop", "id": "foreign_agitprop/77", "text": "Look at this"},
            )
        ]
    )
    advance(world, 2)
    world.edit("telegram", CHANNEL, f"{CHANNEL}:post:-976", "Statement number 24, corrected.")
    world.load(
        [
            act("telegram", CHANNEL, "delete", 3, target={"id": f"{CHANNEL}:post:-977"}),
            act(
                "telegram",
                CHANNEL,
                "profile",
                3,
                profile={"name": "MFA of Ruritania (archive)", "bio": "No longer updated"},
            ),
        ]
    )
    advance(world, 4)
    second = await telegram.poll(first.cursor)
    by_kind = {a.kind: a for a in second.activities}
    assert sorted(by_kind) == ["delete", "post", "profile", "repost"]
    assert by_kind["repost"].target["account"] == "foreign_agitprop"
    edit = by_kind["post"]
    assert edit.id == "mfa_ruritania/25#edit-" + edit.id.rsplit("-", 1)[1]
    assert edit.text == "Statement number 24, corrected."
    assert edit.target == {
        "id": "mfa_ruritania/25",
        "text": "Statement number 24 on trade.",
        "account": CHANNEL,
        "url": edit.url,
    }
    assert by_kind["delete"].id == "mfa_ruritania/24#delete"
    assert by_kind["profile"].profile["name"] == "MFA of Ruritania (archive)"
    assert by_kind["profile"].raw["changed"]["bio"] == ["Official account of Mfa Ruritania.", "No longer updated"]
    assert isinstance(by_kind["repost"].raw["views"], int)
    # Nothing changed since: a conditional request, answered 304, and nothing reported twice.
    before = server.stats["not_modified"]
    third = await telegram.poll(second.cursor)
    assert third.activities == [] and server.stats["not_modified"] == before + 1
    await telegram.aclose()


async def test_only_ids_inside_the_pages_read_can_be_deleted(world, server, source):
    world.load(history(25))
    telegram = source("telegram", CHANNEL)
    first = await telegram.poll(None)
    # 30 new messages: the newest page no longer covers what we knew, so the source reads back until it
    # does (at most three pages); nothing is called deleted because it merely left the first page.
    world.load([act("telegram", CHANNEL, "post", 1 + n, text=f"New statement {n}.") for n in range(30)])
    advance(world, 40)
    second = await telegram.poll(first.cursor)
    assert sorted({a.kind for a in second.activities}) == ["post"] and len(second.activities) == 30
    await telegram.aclose()


async def test_faults_layout_change_cut_short_rate_limit_and_a_channel_made_private(world, server, source):
    world.load(history(5))
    telegram = source("telegram", CHANNEL)
    first = await telegram.poll(None)
    server.add_fault(FaultRule("layout", count=1, service="telegram"))
    with pytest.raises(BadPayload, match="not a channel preview page .*layout changed"):
        await telegram.poll(first.cursor)
    server.add_fault(FaultRule("truncated", count=1, service="telegram"))
    with pytest.raises(BadPayload, match="cut short"):
        await telegram.poll(first.cursor)
    server.add_fault(FaultRule("500", count=1, service="telegram"))
    with pytest.raises(FeedError):
        await telegram.poll(first.cursor)
    # After all that, nothing was lost and nothing is called deleted.
    assert (await telegram.poll(first.cursor)).activities == []
    world.load([act("telegram", CHANNEL, "status", 10, status="protected")])
    advance(world, 11)
    private = await telegram.poll(first.cursor)
    assert [(a.kind, a.status) for a in private.activities] == [("status", "protected")]
    # Told to wait: the next request waits too, without reaching the host.
    server.add_fault(FaultRule("429", count=1, service="telegram", retry_after=7))
    with pytest.raises(RateLimited) as limited:
        await telegram.poll(first.cursor)
    assert limited.value.retry_after == 7
    requests = server.stats["services"]["telegram"]["requests"]
    with pytest.raises(RateLimited, match="asked us to wait"):
        await telegram.poll(first.cursor)
    assert server.stats["services"]["telegram"]["requests"] == requests
    await telegram.aclose()


async def test_a_forward_from_a_never_forwarded_channel_reaches_the_detector_as_a_new_amplified_account(
    world, server, settings, tmp_path
):
    past = []
    for n in range(45):
        if n % 3 == 0:
            past.append(
                act(
                    "telegram",
                    CHANNEL,
                    "repost",
                    -6000 + n * 90,
                    target={"account": "statenews_ruritania", "id": f"statenews_ruritania/{n}", "text": "State news"},
                )
            )
        else:
            past.append(act("telegram", CHANNEL, "post", -6000 + n * 90, text=f"The minister met partners, no. {n}."))
    world.load(past)
    db = await Database.open(tmp_path / "tg.db")
    pipeline = Pipeline(db)
    poller = Poller(pipeline, settings, interval=60.0)
    verdicts = {}
    score = pipeline.book.score

    def recorded(activity, meta):  # the detector's own verdict, kept as the pipeline judged the activity
        verdicts[activity.id] = score(activity, meta)
        return verdicts[activity.id]

    pipeline.book.score = recorded
    try:
        async with db.transaction() as tx:
            await watch_store.add(tx, WatchedAccount("telegram", CHANNEL, role="ministry", country="RU"))
        await poller.refresh()
        assert (await poller.poll_account("telegram", CHANNEL)).backfill
        world.load(
            [
                act(
                    "telegram",
                    CHANNEL,
                    "repost",
                    10,
                    target={"account": "foreign_agitprop", "id": "foreign_agitprop/9", "text": "Look"},
                )
            ]
        )
        advance(world, 11)
        outcome = await poller.poll_account("telegram", CHANNEL)
        assert outcome.error is None and outcome.new == 1
        forward = await activity_store.get(db, "telegram", f"{CHANNEL}/46")
        assert forward.kind == "repost" and forward.target_account == "foreign_agitprop"
        verdict = verdicts[forward.id]
        assert any("never interacted with @foreign_agitprop" in r for r in verdict.reasons)
        assert verdict.features["target"] > 0
        # The channel it always forwards is no news.
        world.load(
            [
                act(
                    "telegram",
                    CHANNEL,
                    "repost",
                    20,
                    target={"account": "statenews_ruritania", "id": "statenews_ruritania/99", "text": "More"},
                )
            ]
        )
        advance(world, 21)
        await poller.poll_account("telegram", CHANNEL)
        usual = verdicts[f"{CHANNEL}/47"]
        assert not any("statenews_ruritania" in r for r in usual.reasons) and usual.features["target"] == 0
    finally:
        await poller.stop()
        await db.close()
