"""The demo's optional post to a real channel, exercised against the fake Discord."""

from __future__ import annotations

import pytest

from cogs.demo_post import DemoPostError, post_alerts, post_from_settings
from tests.cogs.test_discord_delivery import make_alert


async def test_demo_posts_each_alert_once_oldest_first_without_pings(fake):
    channel = fake.channel_id("alerts")
    alerts = [make_alert(3), make_alert(1), make_alert(2)]
    ids = await post_alerts(alerts, fake.token, channel, api_base=fake.api_base)
    assert len(ids) == 3
    posts = fake.posted(channel)
    assert [p.json["nonce"] for p in posts] == [make_alert(i).id for i in (1, 2, 3)]
    assert all(p.json["allowed_mentions"] == {"parse": []} for p in posts)
    assert not fake.identifies  # REST only: no gateway session for a demo


async def test_demo_posts_a_storys_later_alerts_as_replies_to_its_first(fake):
    channel = fake.channel_id("alerts")
    first = make_alert(1)
    later = make_alert(2, story_of=first.id, story_at=first.at, story_place=2)
    await post_alerts([later, first], fake.token, channel, api_base=fake.api_base)
    posts, messages = fake.posted(channel), fake.channel_messages(channel)
    assert "message_reference" not in posts[0].json
    assert str(posts[1].json["message_reference"]["message_id"]) == messages[0]["id"]
    assert posts[1].json["allowed_mentions"] == {"parse": []}


async def test_demo_post_explains_a_bad_token_and_a_forbidden_channel(fake):
    with pytest.raises(DemoPostError, match="refused DISCORD_TOKEN"):
        await post_alerts([make_alert(1)], "wrong-token", fake.channel_id("alerts"), api_base=fake.api_base)
    fake.forbidden_channels.add(fake.channel_id("alerts"))
    with pytest.raises(DemoPostError, match="Send Messages and Embed Links"):
        await post_alerts([make_alert(1)], fake.token, fake.channel_id("alerts"), api_base=fake.api_base)


async def test_demo_post_from_settings_is_silent_when_not_configured(fake, monkeypatch, tmp_path):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("DIPLOWATCH_DEMO_CHANNEL", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    assert await post_from_settings([make_alert(1)]) is None
    monkeypatch.setenv("DISCORD_TOKEN", fake.token)
    monkeypatch.setenv("DIPLOWATCH_DEMO_CHANNEL", str(fake.channel_id("alerts")))
    monkeypatch.setenv("DISCORD_API_BASE", fake.api_base)
    line = await post_from_settings([make_alert(1)])
    assert line == f"posted 1 alert(s) to Discord channel {fake.channel_id('alerts')}"


def test_the_demo_can_import_the_hook_without_loading_discord():
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys, cogs.demo_post; print('discord' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "False", done.stderr
