"""Sources: one module per platform, each turning its payloads into Activity records.

REGISTRY maps a platform name (as offered by `/watch add`) to a factory
`factory(handle, settings) -> Source`. The live sources (bluesky, mastodon, rss, telegram, x) share one polite
HTTP client (`settings.fetcher`, made on first use) and read their base URLs and token from
`settings.base_urls` / `settings.x_bearer_token`, else from the DIPLOWATCH_* environment
(`bot.sources.settings.FeedSettings`).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.sources.base import PollResult, Source, SourceSettings
from bot.sources.bluesky import BlueskySource
from bot.sources.fixture import FixtureSource
from bot.sources.mastodon import MastodonSource
from bot.sources.rss import RssSource
from bot.sources.settings import FeedSettings, live_settings, shared_fetcher
from bot.sources.telegram import TelegramSource
from bot.sources.x import XSource

SourceFactory = Callable[[str, SourceSettings], Source]


def _bluesky(handle: str, settings: SourceSettings) -> Source:
    feed = live_settings(settings)
    return BlueskySource(handle, shared_fetcher(settings, feed), appview=feed.bluesky_appview, plc=feed.bluesky_plc)


def _mastodon(handle: str, settings: SourceSettings) -> Source:
    feed = live_settings(settings)
    return MastodonSource(
        handle,
        shared_fetcher(settings, feed),
        base_url=feed.mastodon_base or None,
        recheck_seconds=feed.recheck_seconds,
    )


def _rss(handle: str, settings: SourceSettings) -> Source:
    feed = live_settings(settings)
    return RssSource(handle, shared_fetcher(settings, feed), base_url=feed.rss_base or None)


def _telegram(handle: str, settings: SourceSettings) -> Source:
    feed = live_settings(settings)
    return TelegramSource(handle, shared_fetcher(settings, feed), base_url=feed.telegram_base)


def _x(handle: str, settings: SourceSettings) -> Source:
    feed = live_settings(settings)
    token = feed.x_bearer_token.get_secret_value() if feed.x_bearer_token else None
    # Checked before the shared client is taken, so a refused source holds no reference to it.
    XSource.check_token(token)
    return XSource(
        handle,
        shared_fetcher(settings, feed),
        bearer_token=token,
        base_url=feed.x_api,
        recheck_seconds=feed.recheck_seconds,
    )


REGISTRY: dict[str, SourceFactory] = {
    "fixture": FixtureSource.create,
    "bluesky": _bluesky,
    "mastodon": _mastodon,
    "rss": _rss,
    "telegram": _telegram,
    "x": _x,
}

__all__ = ["REGISTRY", "PollResult", "Source", "SourceSettings", "FixtureSource", "FeedSettings"]
