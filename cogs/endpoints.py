"""Point discord.py at a Discord-compatible REST proxy or gateway (DISCORD_API_BASE, DISCORD_GATEWAY_URL).

discord.py reads both from class attributes (`Route.BASE`, `DiscordWebSocket.DEFAULT_GATEWAY`); they are
process-wide, as a bot process talks to one Discord. The tier-3 tests are the canary if a discord.py
upgrade moves them (discord.py is pinned to 2.7.1).
"""

from __future__ import annotations

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

DISCORD_API_BASE = "https://discord.com/api/v10"
DISCORD_GATEWAY = "wss://gateway.discord.gg/"


def use_endpoints(api_base: str | None, gateway_url: str | None) -> None:
    """Use the given REST base and gateway; None means Discord's own."""
    Route.BASE = (api_base or DISCORD_API_BASE).rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url or DISCORD_GATEWAY)
