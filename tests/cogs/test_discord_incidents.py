"""Tier 3: /incident search and show for everyone, and confirmed alerts joining the library."""

from __future__ import annotations

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
    jump = f"https://discord.com/channels/{fake.guild_id}/{channel}/{message['id']}"
    assert fields["From alert"] == jump
    assert embed["footer"]["text"].endswith("confirmed")
    search = await fake.slash("incident", "search", query="ChineseEmbinUS", member=fake.member())
    assert "C-" + alert.id.removeprefix("A-") in search.json["data"]["embeds"][0]["description"]
