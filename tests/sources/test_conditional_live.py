"""Every endpoint that offers an ETag is asked conditionally, over real HTTP against the mock server
(which counts its 304 answers per path): a quiet poll costs no body, and a real change still comes
back in full and is seen."""

from __future__ import annotations

import json

from tests.sources.conftest import act, advance

HANDLE = "embassy-x.bsky.social"
PROFILE = "/xrpc/app.bsky.actor.getProfile"


def not_modified(server, path: str) -> int:
    return sum(n for p, n in server.stats["not_modified_paths"].items() if p == path or p.startswith(path + "/"))


async def test_bluesky_profile_and_did_document_are_asked_conditionally_and_an_edit_is_still_seen(
    world, server, source
):
    world.load(
        [
            act("bluesky", HANDLE, "post", -30, text="hello"),
            act("bluesky", HANDLE, "profile", 25, profile={"name": "Embassy of X (new)"}),
        ]
    )
    bsky = source("bluesky", HANDLE)
    cursor = (await bsky.poll(None)).cursor  # asked by handle
    advance(world, 5)
    cursor = (await bsky.poll(cursor)).cursor  # by DID: a new question, asked in full
    assert not_modified(server, PROFILE) == 0
    advance(world, 5)
    quiet = await bsky.poll(cursor)
    assert quiet.activities == [] and not_modified(server, PROFILE) == 1
    # The DID document is read again after PDS_RECHECK_HOURS: unchanged, it is a 304 and the PDS stays.
    state = json.loads(quiet.cursor)
    state["pds_at"] = "2020-01-01T00:00:00Z"
    again = await bsky.poll(json.dumps(state))
    assert again.activities == [] and not_modified(server, "/plc") == 1
    assert json.loads(again.cursor)["pds"] == state["pds"]
    advance(world, 20)
    edited = await bsky.poll(again.cursor)
    assert [(a.kind, a.profile["name"]) for a in edited.activities] == [("profile", "Embassy of X (new)")]
    assert not_modified(server, PROFILE) == 2  # the edited profile came back in full
    # A moved account changes its DID document: it comes back in full and the new PDS is used.
    world.find("bluesky", HANDLE).pds = "/pds2"
    state = json.loads(edited.cursor)
    state["pds_at"] = "2020-01-01T00:00:00Z"
    moved = await bsky.poll(json.dumps(state))
    assert json.loads(moved.cursor)["pds"] == state["pds"] + "/pds2" and not_modified(server, "/plc") == 1


async def test_a_rolled_back_poll_asks_its_lookups_again_conditionally_and_gets_the_same_content(world, server, source):
    """A poll whose transaction rolled back is polled again from the same cursor: the liked posts
    (getPosts) and followed accounts (getProfiles) it looked up are 304s the second time, and the
    activities carry the same hydrated content."""
    world.load(
        [
            act("bluesky", HANDLE, "post", -30, text="hello"),
            act(
                "bluesky",
                HANDLE,
                "like",
                5,
                target={"id": "p1", "account": "mfa-x.bsky.social", "text": "Our statement"},
            ),
            act("bluesky", HANDLE, "follow", 6, target={"account": "dissident.bsky.social"}),
        ]
    )
    bsky = source("bluesky", HANDLE)
    cursor = (await bsky.poll(None)).cursor
    advance(world, 10)
    first = await bsky.poll(cursor)
    assert not_modified(server, "/xrpc/app.bsky.feed.getPosts") == 0
    repeated = await bsky.poll(cursor)  # as after a rollback: the cursor did not move
    assert not_modified(server, "/xrpc/app.bsky.feed.getPosts") == 1
    assert not_modified(server, "/xrpc/app.bsky.actor.getProfiles") == 1

    def content(result):
        return sorted((a.kind, a.target.get("account"), a.target.get("text")) for a in result.activities)

    assert (
        content(repeated)
        == content(first)
        == [("follow", "dissident.bsky.social", None), ("like", "mfa-x.bsky.social", "Our statement")]
    )


async def test_a_rolled_back_poll_does_not_keep_the_validators_it_saw(world, server, source):
    """The validators live in the cursor: a poll that is never committed leaves none behind, so the
    next poll from the old cursor asks in full and still sees the profile edit."""
    world.load(
        [
            act("bluesky", HANDLE, "post", -30, text="hello"),
            act("bluesky", HANDLE, "profile", 5, profile={"name": "Renamed"}),
        ]
    )
    bsky = source("bluesky", HANDLE)
    first = await bsky.poll(None)
    second = await bsky.poll(first.cursor)
    advance(world, 10)
    await bsky.poll(second.cursor)  # saw the edit, but rolled back
    retried = await bsky.poll(second.cursor)
    assert [(a.kind, a.profile["name"]) for a in retried.activities] == [("profile", "Renamed")]


async def test_x_user_is_asked_conditionally_and_a_profile_edit_is_still_seen(world, server, source):
    world.load(
        [
            act("x", "EmbassyX", "post", -10, text="hello"),
            act("x", "EmbassyX", "profile", 25, profile={"name": "Embassy of X (new)"}),
        ]
    )
    x = source("x", "EmbassyX")
    cursor = (await x.poll(None)).cursor
    path = "/2/users/by/username/EmbassyX"
    assert not_modified(server, path) == 0
    advance(world, 10)
    quiet = await x.poll(cursor)
    assert quiet.activities == [] and not_modified(server, path) == 1
    advance(world, 20)
    edited = await x.poll(quiet.cursor)
    assert [(a.kind, a.profile["name"]) for a in edited.activities] == [("profile", "Embassy of X (new)")]
    assert not_modified(server, path) == 1
    # and a status change (suspension) is an error answer, never a 304
    world.load([act("x", "EmbassyX", "status", 35, status="suspended")])
    advance(world, 10)
    suspended = await x.poll(edited.cursor)
    assert [a.status for a in suspended.activities] == ["suspended"]
