"""The Discord adapter: one cog per area, loaded in this order by cogs.bot.DiplowatchBot.

The core (bot/, storage/) never imports discord; everything Discord-specific lives here.
"""

EXTENSIONS = (
    "cogs.watch",
    "cogs.alerts",
    "cogs.incidents",
    "cogs.admin",
    "cogs.delivery",
)
