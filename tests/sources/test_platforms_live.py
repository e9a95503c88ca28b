"""Mastodon, X and RSS/Atom over real HTTP against the mock server."""

from __future__ import annotations

import pytest

from bot.sources import REGISTRY, SourceSettings
from bot.sources.http import ConfigError
from tests.sources.conftest import act, advance

MASTO = "embassy_x@mastodon.example"


async def test_mastodon_boosts_replies_and_min_id_paging_without_gaps(world, server, source):
    world.load([act("mastodon", MASTO, "post", -60 + i, text=f"old {i}") for i in range(5)])
    # 95 statuses between two polls: more than two pages of 40, all must arrive, once.
    world.load([act("mastodon", MASTO, "post", 1 + i * 0.1, text=f"new {i}", lang="en") for i in range(93)])
    world.load(
        [
            act(
                "mastodon",
                MASTO,
                "repost",
                20,
                target={"id": "r1", "account": "rt@mastodon.example", "text": "Our position", "lang": "ru"},
            ),
            act("mastodon", MASTO, "reply", 21, text="Thanks", target={"id": "s9", "account": "mfa_x"}, client="Web"),
        ]
    )
    masto = source("mastodon", MASTO)
    first = await masto.poll(None)
    assert first.backfill and [a.text for a in first.activities] == [f"old {i}" for i in range(5)]
    advance(world, 30)
    second = await masto.poll(first.cursor)
    texts = [a.text for a in second.activities if a.kind == "post"]
    assert texts == [f"new {i}" for i in range(93)]
    repost, reply = second.activities[-2:]
    assert (repost.kind, repost.target["account"], repost.target["text"]) == (
        "repost",
        "rt@mastodon.example",
        "Our position",
    )
    assert (reply.kind, reply.target["account"], reply.client) == ("reply", "mfa_x", "Web")
    assert (await masto.poll(second.cursor)).activities == []


async def test_mastodon_suspended_deleted_and_moved(world, server, source):
    world.load(
        [
            act("mastodon", MASTO, "post", -60, text="hello"),
            act("mastodon", MASTO, "status", 5, status="suspended"),
            act("mastodon", MASTO, "status", 15, status="active"),
            act("mastodon", MASTO, "status", 25, status="deleted"),
        ]
    )
    masto = source("mastodon", MASTO)
    cursor = (await masto.poll(None)).cursor
    seen = []
    for _ in range(3):
        advance(world, 10)
        result = await masto.poll(cursor)
        cursor = result.cursor
        seen += [a.status for a in result.activities if a.kind == "status"]
    assert seen == ["suspended", "active", "deleted"]


async def test_mastodon_unknown_account_is_a_clear_error(world, server, source):
    from bot.sources.http import FeedError

    with pytest.raises(FeedError, match="no account @ghost on 127.0.0.1"):
        await source("mastodon", "ghost@mastodon.example").poll(None)


async def test_x_timeline_both_field_name_generations(world, server, source):
    for name in ("EmbassyOld", "EmbassyNew"):
        world.load(
            [
                act("x", name, "post", -10, text="hello", lang="en"),
                act("x", name, "repost", 5, target={"id": "1789", "account": "MFA_X", "text": "statement"}),
                act("x", name, "quote", 6, text="look", target={"id": "1790", "account": "statemedia"}),
            ]
        )
    for names in ("old", "new"):
        server.x_names = names
        x = source("x", "EmbassyOld" if names == "old" else "EmbassyNew")
        first = await x.poll(None)
        assert first.backfill
        advance(world, 10)
        second = await x.poll(first.cursor)
        assert [(a.kind, a.target["account"]) for a in second.activities] == [
            ("repost", "MFA_X"),
            ("quote", "statemedia"),
        ]
        assert (await x.poll(second.cursor)).activities == []
        advance(world, -10)


async def test_x_suspended_and_protected(world, server, source):
    world.load(
        [
            act("x", "EmbassyZ", "post", -10, text="hi"),
            act("x", "EmbassyZ", "status", 5, status="protected"),
            act("x", "EmbassyZ", "status", 15, status="suspended"),
        ]
    )
    x = source("x", "EmbassyZ")
    cursor = (await x.poll(None)).cursor
    seen = []
    for _ in range(2):
        advance(world, 10)
        result = await x.poll(cursor)
        cursor = result.cursor
        seen += [a.status for a in result.activities]
    assert seen == ["protected", "suspended"]


async def test_x_needs_a_token_and_never_shows_it(server):
    settings = SourceSettings(base_urls=server.urls())
    with pytest.raises(ConfigError, match="DIPLOWATCH_X_BEARER_TOKEN"):
        REGISTRY["x"]("EmbassyX", settings)
    settings = SourceSettings(base_urls=server.urls(), x_bearer_token="s3cr3t-token")
    x = REGISTRY["x"]("EmbassyX", settings)
    assert "s3cr3t" not in repr(x)
    await x.aclose()


@pytest.mark.parametrize("served_as", ["rss", "atom", "youtube"])
async def test_rss_atom_and_youtube_feeds_with_conditional_get(world, server, source, served_as):
    world.load(
        [
            act("rss", "mfa", "post", -10, text="Statement on the summit\nThe minister welcomed it.", lang="fr"),
            act("rss", "mfa", "post", 5, text="Visit of the minister\nDetails.", lang="fr"),
        ],
        served_as=served_as,
    )
    feed = source("rss", "mfa")
    first = await feed.poll(None)
    assert first.backfill and [a.text.split("\n")[0] for a in first.activities] == ["Statement on the summit"]
    again = await feed.poll(first.cursor)
    assert again.activities == [] and server.stats["not_modified"] >= 1  # 304: nothing re-downloaded
    advance(world, 10)
    second = await feed.poll(again.cursor)
    assert [a.text.split("\n")[0] for a in second.activities] == ["Visit of the minister"]


async def test_x_configured_from_the_environment_and_the_token_never_logged(world, server, monkeypatch, caplog):
    import logging

    monkeypatch.setenv("DIPLOWATCH_X_BEARER_TOKEN", "env-secret-token-123")
    monkeypatch.setenv("DIPLOWATCH_X_API", server.url("x"))
    world.load([act("x", "EmbassyX", "post", -5, text="hello")])
    caplog.set_level(logging.DEBUG)
    x = REGISTRY["x"]("EmbassyX", SourceSettings())
    result = await x.poll(None)
    await x.aclose()
    assert [a.text for a in result.activities] == ["hello"]
    assert "env-secret-token-123" not in caplog.text and "env-secret-token-123" not in repr(x)


async def test_mastodon_asks_for_the_account_conditionally_and_still_sees_a_profile_edit(world, server, source):
    """accounts/:id offers an ETag: a poll sends it back (If-None-Match) and a 304 costs no body; an
    edited profile changes the ETag, so the edit is still seen."""
    world.load(
        [
            act("mastodon", MASTO, "post", -60, text="hello"),
            act("mastodon", MASTO, "profile", 25, profile={"name": "Embassy of X (new)"}),
        ]
    )
    masto = source("mastodon", MASTO)
    cursor = (await masto.poll(None)).cursor
    assert not server.stats["not_modified_paths"]  # the first poll has nothing to send back
    advance(world, 10)
    quiet = await masto.poll(cursor)
    assert quiet.activities == []
    [account] = [p for p in server.stats["not_modified_paths"] if not p.endswith("/statuses")]
    assert account.startswith("/api/v1/accounts/") and server.stats["not_modified_paths"][account] == 1
    advance(world, 20)
    edited = await masto.poll(quiet.cursor)
    assert [(a.kind, a.profile["name"]) for a in edited.activities] == [("profile", "Embassy of X (new)")]
    assert server.stats["not_modified_paths"][account] == 1  # the edited account came back in full
