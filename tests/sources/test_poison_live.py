"""A poison item in a live page (tier 4: real HTTP against the mock feed server): it is kept aside with
its place and reason, the good items beside it are stored, and the source moves on (no stall, no loss).

The mock server renders each item as the platform would; here a few items are rendered as the odd
shapes fuzzing found (a null, an id "²", text as a dict, language as a list, a lone surrogate)."""

from __future__ import annotations

import pytest

from bot.mockfeed import render
from bot.pipeline import Pipeline
from bot.sources.health import FeedHealth, poll_source
from storage import activities as activity_store
from storage.db import Database
from tests.sources.conftest import act, advance

MASTO = "embassy_x@mastodon.example"


def _poisoned(original, shapes):
    """Render items whose text names a shape in `shapes` as that shape instead."""

    def render_item(account, item, *args):
        rendered = original(account, item, *args)
        shape = shapes.get(item.activity.text)
        if shape is None:
            return rendered
        tweet = rendered[0] if isinstance(rendered, tuple) else rendered
        poison = shape(tweet)
        return (poison, None, None) if isinstance(rendered, tuple) else poison

    return render_item


MASTODON_SHAPES = {
    "NULL": lambda s: None,
    "TEXT AS A DICT": lambda s: {**s, "content": {"p": "not html"}},
    "LANG AS A LIST": lambda s: {**s, "language": ["en", "fr"]},
    "SUPERSCRIPT ID": lambda s: {**s, "id": "²"},
    "LONE SURROGATE": lambda s: {**s, "content": "<p>broken \ud800 text</p>"},
}
X_SHAPES = {
    "NULL": lambda t: None,
    "SUPERSCRIPT ID": lambda t: {**t, "id": "²"},
    "TEXT AS A DICT": lambda t: {**t, "text": {"a": 1}},
    "ENTITIES AS A LIST": lambda t: {**t, "entities": [1, 2]},
    "LANG AS A LIST": lambda t: {**t, "lang": ["en"]},
}


async def _store(tmp_path, results):
    """What the scheduler does with a poll: store the activities and keep the rejects, in SQLite."""
    db = await Database.open(tmp_path / "poison.db")
    try:
        pipeline = Pipeline(db)
        for result in results:
            async with db.transaction() as tx:
                await activity_store.keep_rejects(tx, [(r.source, r.line, r.reason, r.record) for r in result.rejects])
            await pipeline.ingest(result.activities, learn_only=True)
        return (await activity_store.list_rejects(db)), await activity_store.count(db)
    finally:
        await db.close()


@pytest.mark.parametrize(
    "platform, handle, shapes, renderer",
    [
        ("mastodon", MASTO, MASTODON_SHAPES, "masto_status"),
        ("x", "EmbassyX", X_SHAPES, "x_tweet"),
    ],
)
async def test_a_poison_item_is_kept_aside_and_never_takes_the_good_one_beside_it(
    world, server, source, monkeypatch, tmp_path, platform, handle, shapes, renderer
):
    monkeypatch.setattr(render, renderer, _poisoned(getattr(render, renderer), shapes))
    world.load([act(platform, handle, "post", -30, text="history", lang="en")])
    feed = source(platform, handle)
    health = FeedHealth()
    first = await poll_source(feed, health)
    assert first.error is None
    # Each poison item sits between two normal posts.
    for n, name in enumerate(shapes):
        world.load(
            [
                act(platform, handle, "post", 1 + 3 * n, text=f"before {name}", lang="en"),
                act(platform, handle, "post", 2 + 3 * n, text=name, lang="en"),
                act(platform, handle, "post", 3 + 3 * n, text=f"after {name}", lang="en"),
            ]
        )
    advance(world, 60)
    second = await poll_source(feed, health)
    assert second.error is None, second.error  # the source is not stalled
    texts = [a.text for a in second.result.activities]
    for name in shapes:
        assert f"before {name}" in texts and f"after {name}" in texts
    if "LONE SURROGATE" in shapes:
        assert "broken \ufffd text" in texts  # kept, made storable
    # Every poison item comes out once: as a valid activity (an odd side field read as absent) or kept aside.
    accepted = [
        name for name in shapes if name in texts or (name == "LONE SURROGATE" and "broken \ufffd text" in texts)
    ]
    assert len(second.result.rejects) + len(accepted) == len(shapes)
    assert not {"NULL", "SUPERSCRIPT ID", "TEXT AS A DICT"} & set(accepted)
    for reject in second.result.rejects:
        assert reject.source.startswith(f"{platform}/{handle}") and reject.reason
    assert any("item ²" in r.source and "ASCII digits" in r.reason for r in second.result.rejects)

    # The cursor moved past the poison: the next poll neither repeats nor fails.
    world.load([act(platform, handle, "post", 200, text="later", lang="en")])
    advance(world, 200)
    third = await poll_source(feed, health)
    assert third.error is None and [a.text for a in third.result.activities] == ["later"]
    assert third.result.rejects == []

    rejects, stored = await _store(tmp_path, [first.result, second.result, third.result])
    assert stored == 1 + 2 * len(shapes) + len(accepted) + 1
    assert len(rejects) == len(shapes) - len(accepted)
