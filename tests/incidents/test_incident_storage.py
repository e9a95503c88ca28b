import pytest

from bot.alerts import Alert
from bot.incidents.library import DEFAULT_LIBRARY, load_library
from storage.db import Database
from storage.incidents import add_confirmed, get_incident, load_incidents, open_library, seed_library


async def open_db(path):
    """The real start-up path: the store (either backend) migrated to the newest schema (0002 adds incidents)."""
    return await Database.open(path)


def confirmed_alert(**changes):
    fields = dict(
        activity_id="x:1336",
        account="ChineseEmbinUS",
        platform="x",
        kind="repost",
        at="2026-03-02T03:12:00Z",
        score=0.96,
        severity="critical",
        reasons=["first repost in 2,314 activities", "never interacted with @realDonaldTrump before"],
        text="Why was the election not overturned?",
        url="https://x.com/ChineseEmbinUS/status/1336",
        target_account="realDonaldTrump",
        owner="Embassy of the PRC in the US",
        role="embassy",
        country="China",
    )
    fields.update(changes)
    return Alert(**fields)


async def test_seeding_twice_on_a_real_file_stores_each_incident_once(database):
    path = database
    incidents = load_library(DEFAULT_LIBRARY).incidents
    conn = await open_db(path)
    async with conn.transaction() as tx:
        first = await seed_library(tx, incidents)
    await conn.close()
    conn = await open_db(path)  # as at the next start-up
    async with conn.transaction() as tx:
        second = await seed_library(tx, incidents)
    async with conn.conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM incidents") as cursor:
        assert tuple(await cursor.fetchone()) == (64, 64)
    await conn.close()
    assert (first.added, first.updated, first.unchanged) == (64, 0, 0)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 64)


async def test_an_edited_library_entry_is_updated_in_place(database):
    from dataclasses import replace

    incidents = load_library(DEFAULT_LIBRARY).incidents
    conn = await open_db(database)
    async with conn.transaction() as tx:
        await seed_library(tx, incidents)
    edited = [replace(incidents[0], title="Edited title")] + incidents[1:]
    async with conn.transaction() as tx:
        result = await seed_library(tx, edited)
    assert (result.added, result.updated, result.unchanged) == (0, 1, 63)
    assert (await get_incident(conn, "s1")).title == "Edited title"
    await conn.close()


async def test_confirmed_alert_joins_library_once_and_is_searchable_after_restart(database):
    path = database
    conn = await open_db(path)
    index, loaded = await open_library(conn, DEFAULT_LIBRARY)
    assert len(index) == 64 and not loaded.errors
    alert = confirmed_alert()
    async with conn.transaction() as tx:
        incident = await add_confirmed(tx, alert)
    async with conn.transaction() as tx:
        again = await add_confirmed(tx, alert.to_dict())
    assert again.id == incident.id
    assert incident.alert_id == alert.id and incident.alert_link is None  # no one server's message link
    assert incident.kinds == ("repost",) and incident.role == "embassy" and incident.date == "2026-03-02"
    assert incident.source_url == alert.url
    assert {"foreign-leader", "election"} <= set(incident.targets)
    index.add(incident)
    assert [m.id for m in index.search(incident.id.lower(), k=3)] == [incident.id]
    assert incident.id in [m.id for m in index.search("ChineseEmbinUS", k=5)]
    await conn.close()

    conn = await open_db(path)  # restart: seeded again, the confirmed incident is still there, once
    index, _ = await open_library(conn, DEFAULT_LIBRARY)
    assert len(index) == 65
    assert index.get(incident.id).url == alert.url
    stored = await load_incidents(conn)
    assert [i.id for i in stored.incidents].count(incident.id) == 1
    await conn.close()


async def test_confirmed_status_alert_keeps_its_status(database):
    conn = await open_db(database)
    alert = confirmed_alert(
        kind="status",
        text=None,
        target_account=None,
        url="https://x.com/realDonaldTrump",
        reasons=["account suspended after 2,000 activities"],
        role="Head of State",
        country="United States",
        account="realDonaldTrump",
    )
    async with conn.transaction() as tx:
        incident = await add_confirmed(tx, alert, outcome="platform action")
    assert incident.status == "suspended" and incident.outcome == "platform action"
    assert incident.role == "head of state" and incident.source_url == "https://x.com/realDonaldTrump"
    with pytest.raises(ValueError):
        async with conn.transaction() as tx:
            await add_confirmed(tx, confirmed_alert(activity_id="x:2"), outcome="aliens")
    # no post to link (an account renamed): the account's own page is the source, never a server's message
    async with conn.transaction() as tx:
        renamed = await add_confirmed(tx, confirmed_alert(activity_id="x:3", url=None, kind="profile"))
    assert renamed.source_url == "https://x.com/ChineseEmbinUS"
    with pytest.raises(ValueError, match="needs a public http"):
        async with conn.transaction() as tx:
            await add_confirmed(tx, confirmed_alert(activity_id="x:4", url=None, platform="rss", account="feed"))
    await conn.close()


async def test_confirmed_alert_reads_what_was_done_from_the_stored_activity(database):
    from bot.activity import parse_activity
    from storage import activities as activity_store

    db = await open_db(database)
    stored = parse_activity(
        {
            "id": "x:77",
            "platform": "x",
            "account": "AmbLiuXiaoMing",
            "kind": "like",
            "at": "2020-09-08T23:12:40Z",
            "target": {"id": "x:9", "account": "hotclips_after_dark", "labels": ["porn"]},
        }
    )
    async with db.transaction() as tx:
        await activity_store.store_new(tx, [stored])
    alert = confirmed_alert(
        activity_id="x:77",
        account="AmbLiuXiaoMing",
        kind="like",
        text=None,
        target_account="hotclips_after_dark",
        reasons=["first like in 300 activities"],
        role="ambassador",
    )
    async with db.transaction() as tx:
        incident = await add_confirmed(tx, alert)
    assert "explicit-content" in incident.targets  # only the stored activity's labels say so
    await db.close()
