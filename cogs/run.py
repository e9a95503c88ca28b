"""`diplowatch run`: the live bot. Imports discord only when the command runs, so other commands stay light."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.stopping import stop_on_signals


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "run",
        help="run the Discord bot with the scheduler and the pipeline",
        description="Run the Discord bot, the polling scheduler, the pipeline and alert delivery in one process. "
        "Settings come from the environment or .env (see docs/discord.md).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(func=run)


def secrets(token: str) -> list[str]:
    """Every secret the process holds: the Discord token, and the feed sources' tokens when configured."""
    found = [token]
    try:
        from bot.sources.settings import FeedSettings  # the live sources' settings, when this build has them
    except ImportError:
        return found
    try:
        feed = FeedSettings()
    except Exception:  # a bad feed setting is the source's own error to report, not a logging problem
        return found
    for value in feed.model_dump().values():
        if hasattr(value, "get_secret_value") and value.get_secret_value():
            found.append(value.get_secret_value())
    return found


def setup_logging(level: str, *secret: str) -> None:
    from bot import logredact

    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    root.setLevel(level)
    logging.getLogger("discord.http").setLevel(logging.WARNING)  # one line per request is noise
    logging.getLogger("discord.gateway").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logredact.quiet_content_loggers()
    logredact.install(*secret)


def run(args) -> int:
    from bot.config import ConfigError, load_settings

    try:
        settings = load_settings()
        token = settings.token()
    except ConfigError as exc:
        print(f"diplowatch: {exc}", file=sys.stderr)
        return 2
    setup_logging("DEBUG" if getattr(args, "verbose", False) else settings.log_level, *secrets(token))
    try:
        return asyncio.run(serve(settings))
    except KeyboardInterrupt:
        return 130


async def serve(settings) -> int:
    from storage.db import errors, shown

    import aiohttp
    import discord

    from cogs.app import build_app

    log = logging.getLogger("diplowatch")
    try:
        app = await build_app(settings)
    except errors() as exc:
        print(
            f"diplowatch: cannot open the database {shown(settings.database)} (DIPLOWATCH_DATABASE): {exc}",
            file=sys.stderr,
        )
        return 2
    # SIGTERM (docker stop) closes like Ctrl-C: the scheduler stops, baselines are flushed, the db closed.
    closing: list[asyncio.Future] = []  # a reference, so the close task is not collected while it runs

    def stop() -> None:
        log.info("stopping")
        closing.append(asyncio.ensure_future(app.bot.close()))  # the gateway connection ends, run_forever returns

    stop_on_signals(stop)
    where = settings.api_base or "discord.com"
    try:
        await app.start()
        log.info("ready in %.2f s", await app.wait_until_ready())
        await app.run_forever()
    except discord.LoginFailure:
        print(
            "diplowatch: Discord refused DISCORD_TOKEN (401): copy the bot token again from the Developer "
            "Portal, Bot tab",
            file=sys.stderr,
        )
        return 2
    except discord.PrivilegedIntentsRequired:
        print("diplowatch: Discord refused the gateway intents", file=sys.stderr)
        return 2
    except (aiohttp.ClientError, OSError) as exc:
        print(f"diplowatch: cannot reach Discord at {where}: {exc}", file=sys.stderr)
        return 1
    except discord.HTTPException as exc:
        print(
            f"diplowatch: Discord answered {exc.status} while starting ({exc.text or 'no detail'}); try again later",
            file=sys.stderr,
        )
        return 1
    finally:
        await app.close()
    return 0
