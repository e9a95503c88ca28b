"""Tier 3: /incident search and show for everyone, and confirmed alerts joining the library."""

from __future__ import annotations

import json

from storage import alerts as alert_store
from tests.cogs.conftest import start_bot
from tests.cogs.test_discord_delivery import make_alert, queue

EPHEMERAL = 64


def components(message: dict) -> dict[str, dict]:
    return {b["label"]: b for row in message.get("components", []) for b in row["components"]}


async def test_anyone_can_search_and_page_through_results(running, fake):
    reader = fake.member(name="reporter")
    rec = await fake.slash("incident", "search", query="embassy repost election", member=reader)
    data = rec.json["data"]
    assert data["flags"] == EPHEMERAL and data["allowed_mentions"] == {"parse": []}
    first_page = data["embeds"][0]
    assert first_page["description"].startswith("**Chinese embassy in Washington retweets Trump")
    assert "`S1`" in first_page["description"]
    assert first_page["footer"]["text"].startswith("page 1/")
    message_id = int(next(m for m in fake.messages.values() if m["embeds"] == data["embeds"])["id"])
    buttons = components(fake.messages[message_id])
    assert buttons["Previous"].get("disabled") is True and not buttons["Next"].get("disabled")
    turned = await fake.press(message_id, buttons["Next"]["custom_id"], member=reader)
    assert turned["type"] == 7 and turned["embeds"][0]["footer"]["text"].startswith("page 2/")
    other = await fake.press(message_id, buttons["Next"]["custom_id"], member=fake.member(name="someone"))
    assert other["flags"] == EPHEMERAL and "someone else's results" in other["content"]


async def test_show_one_incident_and_refuse_an_unknown_id(running, fake):
    rec = await fake.slash("incident", "show", id="S1", member=fake.member())
    embed = rec.json["data"]["embeds"][0]
    assert embed["title"].startswith("Chinese embassy in Washington retweets Trump") and "2020-12" in embed["title"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Outcome"] and fields["Source"].startswith("http")
    missing = await fake.slash("incident", "show", id="Z999", member=fake.member())
    assert "There is no incident `Z999`" in missing.json["data"]["content"]
    assert "/incident search" in missing.json["data"]["content"]
    empty = await fake.slash("incident", "search", query="   ", member=fake.member())
    assert "Give 1 to 200 characters" in empty.json["data"]["content"]


async def test_incident_ids_autocomplete(running, fake):
    choices = await fake.autocomplete("incident", "show", focused="id", id="deactivated")
    assert choices[0]["value"] == "S3" and choices[0]["name"].startswith("S3: Trump's personal account")


async def test_a_confirmed_alert_joins_the_library(running, fake):
    alert = make_alert(1)
    channel = await queue(running, fake, alert)
    await fake.wait_for_post(channel)
    message = fake.channel_messages(channel)[0]
    await fake.press(int(message["id"]), f"dw:confirm:{alert.id}")
    found = await fake.slash("incident", "show", id="C-" + alert.id.removeprefix("A-"), member=fake.member())
    embed = found.json["data"]["embeds"][0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Source"] == alert.url and "From alert" not in fields  # the post, never a server's message
    assert fields["Explanation given"] == "Confirmed as an incident by a moderator; no explanation recorded yet."
    assert embed["footer"]["text"].endswith("confirmed")
    search = await fake.slash("incident", "search", query="ChineseEmbinUS", member=fake.member())
    assert "C-" + alert.id.removeprefix("A-") in search.json["data"]["embeds"][0]["description"]


async def test_other_servers_learn_neither_who_confirmed_an_incident_nor_where(fake, settings):
    a, b = fake.guild_id, fake.add_guild("Rival desk")
    run = await start_bot(settings)
    try:
        linked, unlinked = make_alert(1), make_alert(2, url=None)
        channels = {a: fake.channel_id("alerts", a), b: fake.channel_id("alerts", b)}
        for alert in (linked, unlinked):
            async with run.db.transaction() as tx:
                await alert_store.save(tx, alert, [(f"discord:{c}", g) for g, c in channels.items()])
        run.bot.poke_delivery()
        for channel in channels.values():
            await fake.wait_for_post(channel, count=2)
        desk_a = fake.member(moderator=True, name="desk_a")
        for guild, member in ((b, fake.member(moderator=True, name="desk_b")), (a, desk_a)):  # A agrees last
            for alert in (linked, unlinked):
                [message] = [
                    m for m in fake.channel_messages(channels[guild]) if f"dw:confirm:{alert.id}" in json.dumps(m)
                ]
                await fake.press(int(message["id"]), f"dw:confirm:{alert.id}", member=member)
        reader = fake.member(name="rival_reporter")
        shown = await fake.slash("incident", "show", id="C-" + linked.id[2:], member=reader, guild=b)
        text = json.dumps(shown.json["data"], ensure_ascii=False)
        assert "Confirmed as an incident by a moderator; no explanation" in text
        assert "desk_a" not in text and desk_a["user"]["id"] not in text  # A's moderator
        assert "discord.com" not in text and str(a) not in text  # A's message link
        assert linked.url in text
        # With no link to the post itself, the account's page is its source: A's message never stands in.
        paged = await fake.slash("incident", "show", id="C-" + unlinked.id[2:], member=reader, guild=b)
        paged_text = json.dumps(paged.json["data"], ensure_ascii=False)
        assert f"https://x.com/{unlinked.account}" in paged_text
        assert "discord.com" not in paged_text and "desk_a" not in paged_text
        assert (await alert_store.verdict_of(run.db, linked.id, a)) == ("confirmed", f"desk_a ({desk_a['user']['id']})")
    finally:
        await run.stop()
