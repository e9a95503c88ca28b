"""Bluesky over real HTTP against the mock AppView, PDS and PLC directory."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.sources.conftest import act, advance

HANDLE = "embassy-x.bsky.social"


def kinds(result):
    return [a.kind for a in result.activities]


async def test_backfill_then_new_activity_of_every_kind(world, server, source):
    world.load(
        [
            act("bluesky", HANDLE, "post", -30, text="Happy national day", lang="en"),
            act("bluesky", HANDLE, "like", -20, target={"id": "p-old", "account": "mfa-x.bsky.social", "text": "Old"}),
            act(
                "bluesky",
                HANDLE,
                "repost",
                5,
                target={"id": "p1", "account": "statemedia.example", "text": "The election was stolen", "lang": "ru"},
            ),
            act("bluesky", HANDLE, "reply", 6, text="We disagree", target={"id": "p2", "account": "critic.example"}),
            act(
                "bluesky",
                HANDLE,
                "quote",
                7,
                text="Read this",
                target={"id": "p3", "account": "statemedia.example", "text": "Our report"},
            ),
            act(
                "bluesky",
                HANDLE,
                "like",
                8,
                target={"id": "p4", "account": "adult.example", "text": "explicit clip", "labels": ["porn"]},
            ),
            act("bluesky", HANDLE, "follow", 9, target={"account": "dissident.bsky.social"}),
        ]
    )
    bsky = source("bluesky", HANDLE)
    first = await bsky.poll(None)
    assert first.backfill is True
    assert sorted(kinds(first)) == ["like", "post"]

    advance(world, 10)
    second = await bsky.poll(first.cursor)
    assert second.backfill is False and second.rejects == []
    by_kind = {a.kind: a for a in second.activities}
    assert sorted(by_kind) == ["follow", "like", "quote", "reply", "repost"]
    assert by_kind["repost"].target["account"] == "statemedia.example"
    assert by_kind["repost"].target["text"] == "The election was stolen"
    # The like record holds only a URI; the adapter hydrates the liked post's author, text and labels.
    assert by_kind["like"].target["account"] == "adult.example"
    assert by_kind["like"].target["text"] == "explicit clip"
    assert "porn" in by_kind["like"].target["labels"]
    assert by_kind["follow"].target["account"] == "dissident.bsky.social"
    assert by_kind["quote"].target["text"] == "Our report"

    third = await bsky.poll(second.cursor)
    assert third.activities == []  # nothing seen twice


async def test_unlikes_unfollows_and_deletions_are_records_that_disappeared(world, server, source):
    world.load(
        [
            act("bluesky", HANDLE, "post", -30, id="post-1", text="A post we will delete"),
            act(
                "bluesky", HANDLE, "like", -20, target={"id": "p9", "account": "anti-ccp.example", "text": "criticism"}
            ),
            act("bluesky", HANDLE, "like", -19, target={"id": "p10", "account": "friend.example", "text": "kept"}),
            act("bluesky", HANDLE, "follow", -18, target={"account": "someone.bsky.social"}),
            act("bluesky", HANDLE, "unlike", 5, target={"id": "p9", "account": "anti-ccp.example"}),
            act("bluesky", HANDLE, "unfollow", 6, target={"account": "someone.bsky.social"}),
            act("bluesky", HANDLE, "delete", 7, target={"id": "post-1"}),
        ]
    )
    bsky = source("bluesky", HANDLE)
    first = await bsky.poll(None)
    advance(world, 10)
    second = await bsky.poll(first.cursor)
    by_kind = {a.kind: a for a in second.activities}
    assert sorted(by_kind) == ["delete", "unfollow", "unlike"]
    assert by_kind["unlike"].target["account"] == "anti-ccp.example"
    assert by_kind["unfollow"].target["account"] == "someone.bsky.social"
    assert "/app.bsky.feed.post/" in by_kind["delete"].target["id"]
    assert (await bsky.poll(second.cursor)).activities == []


async def test_suspension_deactivation_and_return_are_status_activities(world, server, source):
    world.load(
        [
            act("bluesky", HANDLE, "post", -30, text="Hello"),
            act("bluesky", HANDLE, "status", 5, status="deactivated"),
            act("bluesky", HANDLE, "status", 16, status="active"),
            act("bluesky", HANDLE, "status", 30, status="suspended"),
        ]
    )
    bsky = source("bluesky", HANDLE)
    cursor = (await bsky.poll(None)).cursor
    seen = []
    for _ in range(3):
        advance(world, 11)
        result = await bsky.poll(cursor)
        cursor = result.cursor
        seen += [(a.kind, a.status) for a in result.activities]
    assert seen == [("status", "deactivated"), ("status", "active"), ("status", "suspended")]


async def test_profile_edit_carries_old_and_new_values(world, server, source):
    world.load(
        [
            act("bluesky", HANDLE, "post", -30, text="Hello"),
            act("bluesky", HANDLE, "profile", 5, profile={"name": "Hacked!!", "bio": "Official account"}),
        ]
    )
    bsky = source("bluesky", HANDLE)
    first = await bsky.poll(None)
    advance(world, 10)
    change = (await bsky.poll(first.cursor)).activities
    assert [a.kind for a in change] == ["profile"]
    assert change[0].profile["name"] == "Hacked!!"
    assert change[0].raw["changed"]["name"] == ["Embassy X.Bsky.Social", "Hacked!!"]
    assert change[0].raw["old"]["bio"] == "Official account of Embassy X.Bsky.Social."


async def test_unknown_account_is_reported_as_deleted_not_a_crash(world, server, source):
    result = await source("bluesky", "nobody.bsky.social").poll(None)
    assert [(a.kind, a.status) for a in result.activities] == [("status", "deleted")]


async def test_backfill_reads_back_several_pages_then_polls_one(world, server, source):
    world.load([act("bluesky", HANDLE, "post", -1000 + i, text=f"post {i}") for i in range(250)])
    world.load(
        [act("bluesky", HANDLE, "like", -900 + i, target={"id": f"p{i}", "account": "a.example"}) for i in range(150)]
    )
    world.load([act("bluesky", HANDLE, "post", 5, text="new")])
    bsky = source("bluesky", HANDLE)
    first = await bsky.poll(None)
    assert sorted(Counter(a.kind for a in first.activities).items()) == [("like", 150), ("post", 250)]
    advance(world, 10)
    before = server.stats["requests"]
    second = await bsky.poll(first.cursor)
    assert [a.text for a in second.activities] == ["new"]  # and no old post reported as deleted
    assert server.stats["requests"] - before == 4  # profile, one feed page, likes, follows


async def test_a_burst_between_two_polls_is_read_whole(world, server, source):
    world.load([act("bluesky", HANDLE, "post", -10, text="before")])
    world.load([act("bluesky", HANDLE, "post", 1 + i * 0.01, text=f"burst {i}") for i in range(120)])
    world.load(
        [
            act("bluesky", HANDLE, "like", 3 + i * 0.01, target={"id": f"p{i}", "account": "a.example"})
            for i in range(130)
        ]
    )
    bsky = source("bluesky", HANDLE)
    first = await bsky.poll(None)
    advance(world, 10)
    second = await bsky.poll(first.cursor)
    kinds = Counter(a.kind for a in second.activities)
    assert kinds == {"post": 120, "like": 130}  # more than one page of each, nothing skipped
    assert [a.text for a in second.activities if a.kind == "post"] == [f"burst {i}" for i in range(120)]
    assert not any(a.kind == "delete" for a in second.activities)


OTHER = "reposted-mfa.bsky.social"


async def test_reposts_of_a_deactivated_account_leave_the_feed_but_are_not_deletes(world, server, source):
    """The issue's case: nine reposts of another account's posts; that account is deactivated, its posts
    leave the author feed, and yet the watched account deleted nothing: its repost records are still in
    its repo. Only the repost it really undid is a delete."""
    world.load([act("bluesky", OTHER, "post", -200 + i, id=f"o{i}", text=f"statement {i}") for i in range(10)])
    world.load(
        [
            act(
                "bluesky",
                HANDLE,
                "repost",
                -100 + i,
                id=f"rp{i}",
                target={"id": f"o{i}", "account": OTHER, "text": f"statement {i}"},
            )
            for i in range(10)
        ]
    )
    world.load(
        [
            act("bluesky", HANDLE, "post", -50, text="our own words"),
            act("bluesky", HANDLE, "delete", 5, target={"id": "rp9"}),  # the account's own un-repost
            act("bluesky", OTHER, "status", 6, status="deactivated"),
        ]
    )
    bsky = source("bluesky", HANDLE)
    first = await bsky.poll(None)
    assert Counter(a.kind for a in first.activities) == {"repost": 10, "post": 1}
    advance(world, 10)
    second = await bsky.poll(first.cursor)
    deletes = [a for a in second.activities if a.kind == "delete"]
    assert [d.target["id"].rsplit("/", 2)[-2] for d in deletes] == ["app.bsky.feed.repost"]
    assert len(deletes) == 1 and deletes[0].target["account"] == OTHER
    assert (await bsky.poll(second.cursor)).activities == []


async def test_an_account_that_moves_to_another_pds_is_followed_there(world, server, source):
    world.load(
        [
            act("bluesky", HANDLE, "post", -30, text="hello"),
            act("bluesky", HANDLE, "like", -20, target={"id": "p1", "account": "a.example", "text": "one"}),
            act("bluesky", HANDLE, "like", 5, target={"id": "p2", "account": "a.example", "text": "two"}),
        ]
    )
    bsky = source("bluesky", HANDLE)
    first = await bsky.poll(None)
    before = json.loads(first.cursor)["pds"]
    world.find("bluesky", HANDLE).pds = "/pds2"  # moved: the DID document names the new PDS, the old refuses
    advance(world, 10)
    second = await bsky.poll(first.cursor)
    assert [(a.kind, a.target["id"]) for a in second.activities] == [("like", second.activities[0].target["id"])]
    assert second.activities[0].target["text"] == "two"
    after = json.loads(second.cursor)["pds"]
    assert after == before + "/pds2"


async def test_a_failing_pds_is_looked_up_again_and_the_poll_fails_clearly_when_it_did_not_move(world, server, source):
    from bot.mockfeed.faults import FaultRule
    from bot.sources.http import FeedError

    world.load([act("bluesky", HANDLE, "post", -30, text="hello")])
    bsky = source("bluesky", HANDLE)
    first = await bsky.poll(None)
    server.add_fault(FaultRule(service="pds", fault="500", match="listRecords", count=1))
    documents = sum(n for path, n in server.stats["paths"].items() if path.startswith("/plc/"))
    with pytest.raises(FeedError, match="listRecords"):
        await bsky.poll(first.cursor)
    # The DID document was read again (the account might have moved); it had not, so the poll fails
    # (its transaction rolls back) and the next one goes on.
    assert sum(n for path, n in server.stats["paths"].items() if path.startswith("/plc/")) == documents + 1
    assert (await bsky.poll(first.cursor)).activities == []
