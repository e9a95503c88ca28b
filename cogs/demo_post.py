"""`make demo` can also post its alerts to a real Discord channel (DISCORD_TOKEN + DIPLOWATCH_DEMO_CHANNEL).

REST only: the demo logs in, posts each alert as the live bot would (same embed, no pings), and logs
out; no gateway connection and so no buttons (nothing would be listening to them).
"""

from __future__ import annotations

import logging
from typing import Iterable

from bot.alerts import Alert

log = logging.getLogger(__name__)
# discord is imported inside the functions: importing this module stays cheap, so the demo can call
# post_from_settings unconditionally and pay for discord only when it actually posts.

MAX_POSTS = 50  # a demo is a sample; more would only hit rate limits


class DemoPostError(Exception):
    """One line saying why the demo could not post, and what to do."""


async def post_alerts(
    alerts: Iterable[Alert], token: str, channel_id: int, *, api_base: str | None = None, limit: int = MAX_POSTS
) -> list[int]:
    """Post the alerts (oldest first, at most `limit`) to the channel; returns the message ids."""
    import discord

    from cogs.endpoints import use_endpoints
    from cogs.render import alert_embed, replying_to

    if api_base is not None:
        use_endpoints(api_base, None)
    client = discord.Client(intents=discord.Intents.none(), allowed_mentions=discord.AllowedMentions.none())
    ids: list[int] = []
    try:
        try:
            await client.login(token)
        except discord.LoginFailure:
            raise DemoPostError(
                "Discord refused DISCORD_TOKEN: copy the token again from the Developer Portal (Bot tab)"
            ) from None
        channel = client.get_partial_messageable(channel_id)
        posted: dict[str, int] = {}  # alert id -> its message, for a story's later alerts to reply to
        for alert in sorted(alerts, key=lambda a: a.at)[:limit]:
            reply = replying_to(posted.get(alert.story_of or ""), channel_id)
            try:
                message = await channel.send(
                    embed=alert_embed(alert), nonce=alert.id, allowed_mentions=discord.AllowedMentions.none(), **reply
                )
            except discord.Forbidden:
                raise DemoPostError(
                    f"the bot may not post in channel {channel_id}: invite it to the server and "
                    f"grant View Channel, Send Messages and Embed Links there"
                ) from None
            except discord.NotFound:
                raise DemoPostError(
                    f"channel {channel_id} does not exist or the bot cannot see it: check "
                    f"DIPLOWATCH_DEMO_CHANNEL (right-click the channel, Copy Channel ID)"
                ) from None
            ids.append(message.id)
            posted[alert.id] = message.id
    finally:
        await client.close()
    return ids


async def post_from_settings(alerts: list[Alert]) -> str | None:
    """What the demo calls: posts when DISCORD_TOKEN and DIPLOWATCH_DEMO_CHANNEL are set, and returns a line
    to print (None when not configured). Never raises for configuration or Discord problems."""
    from bot.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as exc:
        return f"not posted to Discord: {exc}"
    if settings.discord_token is None or settings.demo_channel_id is None:
        return None
    import discord

    try:
        ids = await post_alerts(alerts, settings.token(), settings.demo_channel_id, api_base=settings.api_base)
    except DemoPostError as exc:
        return f"not posted to Discord: {exc}"
    except (discord.HTTPException, OSError) as exc:
        return f"not posted to Discord: {type(exc).__name__}: {exc}"
    return f"posted {len(ids)} alert(s) to Discord channel {settings.demo_channel_id}"
