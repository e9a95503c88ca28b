"""A Bluesky repost whose subject vanished (its author was deactivated or deleted the post) is not a
delete by the watched account; when it matters, the alert says what happened. The real scheduler and
pipeline poll the mock server over HTTP (its AppView hides reposts of unavailable accounts, as the
real one does, while the repost record stays in the reposter's repo)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from bot.pipeline import Pipeline
from bot.render_text import render
from bot.scheduler import Poller
from bot.sources import SourceSettings
from bot.watch import WatchedAccount
from storage import alerts as alert_store
from storage import watch as watch_store
from storage.db import Database
from bot.mockfeed import Clock, World
from tests.sources.conftest import act, advance

HANDLE = "embassy-x.bsky.social"
OTHER = "reposted-mfa.bsky.social"
SENTENCE = (
    f"the reposted post by @{OTHER} is gone: its author's account is deactivated; "
    "the watched account did not delete its repost"
)


@pytest.fixture
async def world():
    """The feed clock half an hour behind the wall clock (which dates a disappearance when it is seen),
    so "soon after the repost" means what it will mean live."""
    return World(Clock(datetime.now(timezone.utc) - timedelta(minutes=30), 0.0))


def at(platform: str, account: str, kind: str, minutes: float, world: World, **fields):
    made = act(platform, account, kind, minutes, **fields)
    return replace(made, at=world.clock.now() + timedelta(minutes=minutes))


async def watched(tmp_path, server):
    db = await Database.open(tmp_path / "gone.db")
    async with db.transaction() as tx:
        await watch_store.add(tx, WatchedAccount("bluesky", HANDLE, role="embassy", country="XX"))
    poller = Poller(Pipeline(db), SourceSettings(base_urls=server.urls()), interval=60)
    await poller.refresh()
    return db, poller


async def alerts_of(db) -> list:
    rows = await alert_store.pending(db, "terminal", datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), 100)
    return [r["alert"] for r in rows]


def baseline(world):
    world.load(
        [at("bluesky", HANDLE, "post", -600 + 10 * i, world, text=f"Trade meeting {i}", lang="en") for i in range(40)]
    )
    world.load([at("bluesky", OTHER, "post", -700, world, id="o1", text="Our statement on the summit")])


@pytest.mark.parametrize("usual", [False, True], ids=["alerted-repost", "usual-repost"])
async def test_a_subject_gone_soon_after_the_repost_is_told_in_an_alert_not_counted_as_a_delete(
    tmp_path, world, server, usual
):
    """The watched account reposts a post; ten minutes later its author is deactivated and the repost
    leaves the feed. An alerted repost gets a follow-up naming its alert; a repost that raised nothing
    gets a low alert of its own (gone that soon after being amplified). Either says who is gone, why,
    and that the watched account did not delete its repost; neither stores a delete."""
    baseline(world)
    if usual:  # the account reposts this one all the time
        world.load(
            [
                at(
                    "bluesky",
                    HANDLE,
                    "repost",
                    -595 + 10 * i,
                    world,
                    id=f"old{i}",
                    target={"id": "o1", "account": OTHER, "text": "Our statement on the summit"},
                )
                for i in range(40)
            ]
        )
    world.load(
        [
            at(
                "bluesky",
                HANDLE,
                "repost",
                5,
                world,
                id="rp1",
                target={"id": "o1", "account": OTHER, "text": "Our statement on the summit"},
            ),
            at("bluesky", OTHER, "status", 15, world, status="deactivated"),
        ]
    )
    db, poller = await watched(tmp_path, server)
    assert (await poller.poll_account("bluesky", HANDLE)).backfill
    advance(world, 10)
    seen = await poller.poll_account("bluesky", HANDLE)
    assert seen.error is None and seen.new == 1 and (seen.alerts == 0) == usual
    before = {a.id for a in await alerts_of(db)}
    advance(world, 10)
    gone = await poller.poll_account("bluesky", HANDLE)
    assert gone.error is None and gone.new == 0  # no delete stored: the watched account did nothing
    [alert] = [a for a in await alerts_of(db) if a.id not in before]
    assert alert.reasons[0] == SENTENCE and alert.kind == "repost"
    assert alert.target_account == OTHER and alert.text == "Our statement on the summit"
    if usual:
        assert alert.severity == "low" and alert.reasons[1].startswith("gone ")
        assert alert.reasons[1].endswith(" min after the watched account's repost")
    else:
        [first] = before
        assert alert.reasons[1] == f"a follow-up to alert {first} on this repost"
    assert SENTENCE in " ".join(render(alert).split())
    # said once: the next polls raise nothing more
    advance(world, 10)
    assert (await poller.poll_account("bluesky", HANDLE)).alerts == 0
    await poller.stop()
    await db.close()


async def test_an_old_repost_whose_subject_left_later_raises_nothing(tmp_path, world, server):
    """The issue's case: reposts made long ago, then the reposted account is deactivated. Neither a
    delete nor an alert: it is not news about the watched account."""
    baseline(world)
    world.load(
        [
            at(
                "bluesky",
                HANDLE,
                "repost",
                -300 + i,
                world,
                id=f"rp{i}",
                target={"id": "o1", "account": OTHER, "text": "Our statement on the summit"},
            )
            for i in range(3)
        ]
    )
    world.load([at("bluesky", OTHER, "status", 5, world, status="deactivated")])
    db, poller = await watched(tmp_path, server)
    await poller.poll_account("bluesky", HANDLE)
    before = len(await alerts_of(db))
    advance(world, 10)
    later = await poller.poll_account("bluesky", HANDLE)
    assert later.error is None and later.new == 0 and later.alerts == 0
    assert len(await alerts_of(db)) == before
    await poller.stop()
    await db.close()
