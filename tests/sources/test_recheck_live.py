"""Edits and deletions that polling for new items cannot see: the bounded re-check of recent Mastodon
statuses and X posts, over real HTTP against the mock feed server, faults included (tier 4)."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.mockfeed.faults import FaultRule
from bot.sources.mastodon import MastodonSource
from bot.sources.x import XSource
from tests.sources.conftest import START, act, advance

MASTO = "embassy_x@mastodon.example"
XH = "EmbassyX"


def masto(server, settings, **options) -> MastodonSource:
    settings.fetcher.users += 1
    return MastodonSource(MASTO, settings.fetcher, base_url=server.url("mastodon"), **options)


async def test_mastodon_edits_and_deletions_found_by_the_re_check(world, server, settings):
    world.load(
        [act("mastodon", MASTO, "post", -60 + n, id=f"s{n}", text=f"Statement {n}") for n in range(5)]
        + [
            act(
                "mastodon",
                MASTO,
                "repost",
                -50,
                id="boost",
                target={"id": "r1", "account": "rt@mastodon.example", "text": "Our position"},
            )
        ]
    )
    source = masto(server, settings, recheck_seconds=0)
    first = await source.poll(None)
    assert first.backfill and len(first.activities) == 6
    advance(world, 1)
    world.edit("mastodon", MASTO, "s3", "Statement 3, corrected")
    world.load(
        [
            act("mastodon", MASTO, "delete", 2, target={"id": "s1"}),
            act("mastodon", MASTO, "delete", 2, target={"id": "boost"}),
            act("mastodon", MASTO, "post", 2, id="s9", text="A new one"),
        ]
    )
    advance(world, 3)
    second = await source.poll(first.cursor)
    by_kind: dict[str, list] = {}
    for activity in second.activities:
        by_kind.setdefault(activity.kind, []).append(activity)
    posts = {a.text: a for a in by_kind["post"]}
    assert set(posts) == {"A new one", "Statement 3, corrected"}
    edit = posts["Statement 3, corrected"]
    ids = {a.text: a.id for a in first.activities}
    # Its own activity: the new text, and the edited status with its old text as target; dated by edited_at.
    assert edit.id.startswith(ids["Statement 3"] + "#edit-") and edit.target["text"] == "Statement 3"
    assert edit.target["id"] == ids["Statement 3"] and edit.raw["new_text"] == "Statement 3, corrected"
    deleted = sorted(a.target["id"] for a in by_kind["delete"])
    boost_id = next(a.id for a in first.activities if a.kind == "repost")
    assert deleted == sorted([ids["Statement 1"], boost_id])
    unboost = next(a for a in by_kind["delete"] if a.target["id"] == boost_id)
    assert unboost.target["account"] == "rt@mastodon.example" and unboost.id == f"{boost_id}#delete"
    # Seen once: the next re-check reports nothing again (a conditional request, or the same page).
    assert (await source.poll(second.cursor)).activities == []
    await source.aclose()


async def test_a_failed_re_check_reports_nothing_and_finds_it_next_time(world, server, settings):
    world.load([act("mastodon", MASTO, "post", -60 + n, id=f"s{n}", text=f"Statement {n}") for n in range(3)])
    source = masto(server, settings, recheck_seconds=0)
    first = await source.poll(None)
    world.load([act("mastodon", MASTO, "delete", 1, target={"id": "s0"})])
    advance(world, 2)
    # The lookup that would confirm the deletion fails: no deletion is reported on a guess.
    server.add_fault(FaultRule("500", count=1, match="/api/v1/statuses/"))
    second = await source.poll(first.cursor)
    assert second.activities == []
    third = await source.poll(second.cursor)
    assert [a.kind for a in third.activities] == ["delete"]
    # A page of HTML instead of JSON at the lookup: nothing reported, the poll itself still works.
    world.load([act("mastodon", MASTO, "delete", 3, target={"id": "s1"})])
    advance(world, 4)
    server.add_fault(FaultRule("html200", count=1, match="/api/v1/statuses/"))
    fourth = await source.poll(third.cursor)
    assert fourth.activities == []
    assert [a.kind for a in (await source.poll(fourth.cursor)).activities] == ["delete"]
    await source.aclose()


async def test_the_re_check_waits_its_interval(world, server, settings):
    world.load([act("mastodon", MASTO, "post", -60, id="s0", text="Statement")])
    source = masto(server, settings, recheck_seconds=3600)
    first = await source.poll(None)
    world.load([act("mastodon", MASTO, "delete", 1, target={"id": "s0"})])
    advance(world, 2)
    requests = server.stats["services"]["mastodon"]["requests"]
    assert (await source.poll(first.cursor)).activities == []  # not due: only the usual two requests
    assert server.stats["services"]["mastodon"]["requests"] - requests == 2
    await source.aclose()


async def test_x_deletions_found_by_a_bounded_re_check_of_recent_ids(world, server, settings):
    # Recent posts (the re-check looks back 72 hours from now, to bound what it reads).
    minutes = (datetime.now(timezone.utc) - START).total_seconds() / 60 - 120
    world.load(
        [act("x", XH, "post", minutes + n, id=f"t{n}", text=f"Post {n}") for n in range(4)]
        + [
            act("x", XH, "repost", minutes + 5, id="rt", target={"id": "1789", "account": "MFA_X", "text": "s"}),
            act("x", XH, "post", -600, id="old", text="An old post"),
        ]
    )
    world.clock.advance((minutes + 10) * 60)
    settings.fetcher.users += 1
    source = XSource(
        XH, settings.fetcher, bearer_token="test-token-not-secret", base_url=server.url("x"), recheck_seconds=0
    )
    first = await source.poll(None)
    assert first.backfill and len(first.activities) == 6
    ids = {("repost" if a.kind == "repost" else a.text): a.id for a in first.activities}
    world.load(
        [
            act("x", XH, "delete", minutes + 11, target={"id": "t2"}),
            act("x", XH, "delete", minutes + 11, target={"id": "rt"}),
            act("x", XH, "delete", minutes + 11, target={"id": "old"}),
        ]
    )
    world.clock.advance(2 * 60)
    server.add_fault(FaultRule("500", count=1, match="/2/tweets?"))
    assert (await source.poll(first.cursor)).activities == []  # a failed re-check guesses nothing
    second = await source.poll(first.cursor)
    gone = {a.target["id"]: a for a in second.activities}
    # The old post is outside the bounded look-back: its deletion is not seen (docs/feeds.md says so).
    assert set(gone) == {ids["Post 2"], ids["repost"]}
    assert gone[ids["repost"]].target["account"] == "MFA_X" and gone[ids["Post 2"]].kind == "delete"
    await source.aclose()
