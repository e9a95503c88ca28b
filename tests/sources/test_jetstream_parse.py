"""Jetstream events in their documented shapes -> activities (tier 1), and what one batch stores."""

from __future__ import annotations

import asyncio
import json

import pytest
from hypothesis import given, settings, strategies as st

from bot.activity import ActivityError
from bot.pipeline import Pipeline
from bot.sources.common import dump_state
from bot.sources.jetstream import (
    CURSOR_NAME,
    CURSOR_PLATFORM,
    JetstreamConsumer,
    JetstreamError,
    commit_to_activity,
    parse_message,
)
from bot.watch import WatchedAccount
from storage import activities as activity_store
from storage import watch as watch_store
from storage.db import Database

DID = "did:plc:eygmaihciaxprqvxpfvl6flk"
HANDLE = "embassy-x.bsky.social"
T0 = 1725911162329308


def commit(operation, collection, rkey, record=None, time_us=T0):
    body = {"rev": "3l3qo2vutsw2b", "operation": operation, "collection": collection, "rkey": rkey}
    if record is not None:
        body["record"], body["cid"] = record, "bafyreia"
    return {"did": DID, "time_us": time_us, "kind": "commit", "commit": body}


LIKE = commit(
    "create",
    "app.bsky.feed.like",
    "3l3qo2vuowo2b",
    {
        "$type": "app.bsky.feed.like",
        "createdAt": "2024-09-09T19:46:02.102Z",
        "subject": {"cid": "bafyreib", "uri": "at://did:plc:other/app.bsky.feed.post/3l3pte3p2e325"},
    },
)


def test_a_like_gets_the_record_uri_the_poller_uses_as_its_id():
    activity = commit_to_activity(LIKE, HANDLE)
    assert activity.id == f"at://{DID}/app.bsky.feed.like/3l3qo2vuowo2b"
    assert activity.kind == "like" and activity.account == HANDLE
    assert activity.target["id"] == "at://did:plc:other/app.bsky.feed.post/3l3pte3p2e325"
    assert activity.target["account"] == "did:plc:other"


def test_posts_replies_quotes_and_reposts():
    post = commit_to_activity(
        commit(
            "create",
            "app.bsky.feed.post",
            "3kpost",
            {
                "$type": "app.bsky.feed.post",
                "text": "Meeting @mfa.example.org today #diplomacy",
                "langs": ["fr"],
                "createdAt": "2026-05-01T09:00:00.000Z",
                "facets": [
                    {
                        "index": {"byteStart": 0, "byteEnd": 5},
                        "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "diplomacy"}],
                    }
                ],
                "embed": {"$type": "app.bsky.embed.external", "external": {"uri": "https://mfa.example/x"}},
            },
        ),
        HANDLE,
    )
    assert (post.kind, post.lang, post.hashtags, post.links) == ("post", "fr", ["diplomacy"], ["https://mfa.example/x"])
    assert post.mentions == ["mfa.example.org"]
    assert post.url == f"https://bsky.app/profile/{HANDLE}/post/3kpost"
    reply = commit_to_activity(
        commit(
            "create",
            "app.bsky.feed.post",
            "3kreply",
            {
                "text": "No",
                "createdAt": "2026-05-01T09:00:00Z",
                "reply": {
                    "root": {"uri": "at://did:plc:a/app.bsky.feed.post/1"},
                    "parent": {"uri": "at://did:plc:b/app.bsky.feed.post/2"},
                },
            },
        ),
        HANDLE,
    )
    assert reply.kind == "reply" and reply.target["account"] == "did:plc:b"
    quote = commit_to_activity(
        commit(
            "create",
            "app.bsky.feed.post",
            "3kquote",
            {
                "text": "See",
                "createdAt": "2026-05-01T09:00:00Z",
                "embed": {
                    "$type": "app.bsky.embed.recordWithMedia",
                    "record": {"record": {"uri": "at://did:plc:c/app.bsky.feed.post/3"}},
                    "media": {},
                },
            },
        ),
        HANDLE,
    )
    assert quote.kind == "quote" and quote.target["id"] == "at://did:plc:c/app.bsky.feed.post/3"
    repost = commit_to_activity(
        commit(
            "create",
            "app.bsky.feed.repost",
            "3krepost",
            {
                "subject": {"uri": "at://did:plc:d/app.bsky.feed.post/4", "cid": "x"},
                "createdAt": "2026-05-01T09:00:00Z",
            },
        ),
        HANDLE,
    )
    assert repost.id == f"at://{DID}/app.bsky.feed.repost/3krepost" and repost.target["account"] == "did:plc:d"


def test_deletes_are_named_as_the_poller_names_them():
    cases = {
        "app.bsky.feed.post": ("delete", "#delete"),
        "app.bsky.feed.repost": ("delete", "#delete"),
        "app.bsky.feed.like": ("unlike", "#unlike"),
        "app.bsky.graph.follow": ("unfollow", "#unfollow"),
        "app.bsky.graph.block": ("unblock", "#unblock"),
    }
    for collection, (kind, suffix) in cases.items():
        activity = commit_to_activity(commit("delete", collection, "3kgone"), HANDLE)
        assert activity.kind == kind
        assert activity.id == f"at://{DID}/{collection}/3kgone{suffix}"


def test_blocks_are_their_own_kind_and_unknown_collections_are_ignored():
    block = commit_to_activity(
        commit(
            "create",
            "app.bsky.graph.block",
            "3kb",
            {"subject": "did:plc:journalist", "createdAt": "2026-05-01T09:00:00Z"},
        ),
        HANDLE,
    )
    assert block.kind == "block" and block.target["account"] == "did:plc:journalist"
    assert commit_to_activity(commit("create", "app.bsky.feed.threadgate", "3kt", {}), HANDLE) is None


def test_a_bad_event_names_what_is_wrong():
    with pytest.raises(JetstreamError, match="time_us"):
        parse_message(json.dumps({"did": DID, "kind": "commit"}))
    with pytest.raises(JetstreamError, match="JSON"):
        parse_message("{not json")
    with pytest.raises(ActivityError, match="rkey"):
        commit_to_activity(commit("create", "app.bsky.feed.like", "a/b", {}), HANDLE)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200) | json_values.map(json.dumps))
def test_any_frame_is_an_event_or_a_jetstream_error(frame):
    try:
        event = parse_message(frame)
    except JetstreamError:
        return
    assert event["did"].startswith("did:")


@settings(max_examples=300, deadline=None)
@given(
    operation=st.sampled_from(["create", "update", "delete", "bogus"]),
    collection=st.sampled_from(
        [
            "app.bsky.feed.post",
            "app.bsky.feed.like",
            "app.bsky.feed.repost",
            "app.bsky.graph.follow",
            "app.bsky.graph.block",
            "app.bsky.actor.profile",
        ]
    ),
    rkey=st.text(max_size=15),
    record=json_values,
)
def test_any_commit_is_an_activity_none_or_an_error_the_consumer_keeps_aside(operation, collection, rkey, record):
    event = commit(operation, collection, rkey, record if operation != "delete" else None)
    try:
        commit_to_activity(event, HANDLE)
    except (ActivityError, KeyError, TypeError, AttributeError, ValueError):
        pass  # JetstreamConsumer.ingest keeps these aside with the reason


async def test_one_batch_is_put_back_in_order_and_bad_frames_are_kept_aside(tmp_path):
    db = await Database.open(tmp_path / "t.db")
    try:
        async with db.transaction() as tx:
            await watch_store.add(tx, WatchedAccount("bluesky", HANDLE))
        async with db.transaction() as tx:
            await watch_store.save_cursor(tx, "bluesky", HANDLE, cursor=dump_state({"did": DID, "status": "active"}))
        consumer = JetstreamConsumer(Pipeline(db), instances=["ws://127.0.0.1:9"])
        await consumer.refresh()
        assert consumer.dids == {DID: HANDLE}
        unlike = commit("delete", "app.bsky.feed.like", "3l3qo2vuowo2b", time_us=T0 + 10)
        # Delivered out of order, with a broken frame between: the unlike still knows whom it was about.
        stored = await consumer.ingest([json.dumps(unlike), "{broken", json.dumps(LIKE)])
        assert stored == 2
        gone = await activity_store.get(db, "bluesky", f"at://{DID}/app.bsky.feed.like/3l3qo2vuowo2b#unlike")
        assert gone.target["account"] == "did:plc:other"
        assert [r["reason"] for r in await activity_store.list_rejects(db)] == [
            "not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"
        ]
        assert await consumer.stored_cursor() == T0 + 10
        assert (await watch_store.get_cursor(db, CURSOR_PLATFORM, CURSOR_NAME))["cursor"]
        # The same batch again (a replay after reconnecting) stores nothing.
        assert await consumer.ingest([json.dumps(LIKE), json.dumps(unlike)]) == 0
    finally:
        await db.close()


async def _ingest_alone(event: dict) -> tuple[int, list[dict]]:
    db = await Database.open(":memory:")
    try:
        consumer = JetstreamConsumer(Pipeline(db), instances=["ws://127.0.0.1:9"])
        consumer.dids = {DID: HANDLE}
        stored = await consumer.ingest([json.dumps(event)])
        return stored, await activity_store.list_rejects(db)
    finally:
        await db.close()


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(
    collection=st.sampled_from(["app.bsky.graph.block", "app.bsky.graph.follow", "app.bsky.feed.post"]),
    subject=json_values,
)
def test_a_streamed_record_of_any_shape_is_stored_valid_or_kept_aside(collection, subject):
    # a block whose subject was not a string passed, and failed the whole batch in scoring (AttributeError)
    record = {"subject": subject, "text": subject, "langs": subject, "createdAt": "2024-09-09T19:46:02Z"}
    stored, rejects = asyncio.run(_ingest_alone(commit("create", collection, "3l3qo2vuowo2b", record)))
    assert stored + len(rejects) == 1
    for kept in rejects:
        assert kept["source"].startswith(f"jetstream/{HANDLE}") and kept["reason"]


def test_a_block_of_a_subject_that_is_not_a_did_is_kept_aside_naming_the_field():
    record = {"subject": {"x": 1}, "createdAt": "2024-09-09T19:46:02Z"}
    stored, rejects = asyncio.run(_ingest_alone(commit("create", "app.bsky.graph.block", "3l3qo2vuowo2b", record)))
    assert stored == 0 and [r["reason"] for r in rejects] == ['target.account: must be a string, got {"x": 1}']
