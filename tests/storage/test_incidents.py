"""The incident library every server shares: no source that is not a clean link is stored, and no incident
names the moderator who confirmed it or links to one server's alert message, not even one stored before."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.incidents.library import DEFAULT_LIBRARY, load_library, parse_incident
from storage.db import Database, writing
from storage.incidents import _row, add_confirmed, get_incident, load_incidents, open_library, seed_library
from tests.incidents.test_incident_storage import confirmed_alert

HOSTILE = "https://a.example/x>[Official](https://evil.example)"
MESSAGE_LINK = "https://discord.com/channels/111/222/333"


async def test_a_source_that_is_not_a_clean_link_is_refused_with_its_reason(database, tmp_path):
    good = load_library(DEFAULT_LIBRARY).incidents[0]
    bad = replace(good, id="BAD1", source_url=HOSTILE)
    db = await Database.open(database)
    try:
        async with db.transaction() as tx:
            seeded = await seed_library(tx, [good, bad])
        assert seeded.added == 1 and [e.message for e in seeded.refused] == [
            "BAD1: not a clean http(s) link; entry not stored"
        ]
        assert await get_incident(db, "BAD1") is None
        library = tmp_path / "library.jsonl"
        library.write_text(replace(good, id="BAD2", source_url=HOSTILE).to_json() + "\n")
        _, loaded = await open_library(db, library)
        assert any("BAD2: not a clean http(s) link" in str(e) for e in loaded.errors)  # reported at start-up
        # a feed of its own has no account page to cite in place of the post (x, Bluesky, Mastodon and
        # Telegram have one: test_incident_storage.py)
        for url, why in ((HOSTILE, "its link is not a clean"), (None, "has none")):
            with pytest.raises(ValueError, match=why):
                async with db.transaction() as tx:
                    await add_confirmed(tx, confirmed_alert(url=url, platform="rss", account="news_feed"))
        async with db.conn.execute("SELECT COUNT(*) FROM incidents WHERE alert_id IS NOT NULL") as cur:
            assert (await cur.fetchone())[0] == 0
    finally:
        await db.close()


async def test_a_confirmed_incident_names_no_moderator_and_links_no_servers_message(database):
    db = await Database.open(database)
    try:
        async with db.transaction() as tx:
            incident = await add_confirmed(tx, confirmed_alert())
        async with db.conn.execute("SELECT record, alert_link FROM incidents WHERE id = ?", (incident.id,)) as cur:
            record, alert_link = tuple(await cur.fetchone())
    finally:
        await db.close()
    assert json.loads(record)["explanation"] == "Confirmed as an incident by a moderator; no explanation recorded yet."
    assert alert_link is None and "discord" not in record
    assert incident.source_url == "https://x.com/ChineseEmbinUS/status/1336"


async def test_an_incident_confirmed_before_shows_neither_the_moderator_nor_the_message_link(database):
    old = parse_incident(
        {
            "id": "C-OLD",
            "title": "@mfa posts",
            "date": "2026-01-01",
            "platform": "x",
            "account": "mfa",
            "owner": "@mfa",
            "country": "unknown",
            "role": "other",
            "kinds": ["post"],
            "summary": "@mfa posts at 2026-01-01T03:00:00Z.",
            "explanation": "Confirmed as an incident by a moderator by desk_a (123456789012345678); "
            "no explanation recorded yet.",
            "outcome": "unexplained",
            "source_url": MESSAGE_LINK,  # the alert had no http link: server A's message stood in
            "alert_id": "A-OLD",
            "alert_link": MESSAGE_LINK,
        }
    )
    db = await Database.open(database)
    try:
        async with db.transaction() as tx:  # as the earlier add_confirmed wrote it
            await writing(tx).execute(
                "INSERT INTO incidents (id, source, date, platform, account, country, role, kinds, outcome, record,"
                " alert_id, alert_link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _row(old),
            )
        index, _ = await open_library(db, DEFAULT_LIBRARY)
        shown = [await get_incident(db, "C-OLD"), index.get("C-OLD")]
        shown.append(next(i for i in (await load_incidents(db)).incidents if i.id == "C-OLD"))
    finally:
        await db.close()
    for incident in shown:
        assert incident is not None
        assert incident.explanation == "Confirmed as an incident by a moderator; no explanation recorded yet."
        assert incident.alert_link is None and incident.url == ""
