"""Sources of activity. `REGISTRY` maps a platform name (as `/watch add` offers it) to a factory
`factory(handle, fetcher, settings) -> Source`."""

from __future__ import annotations

from collections.abc import Callable

from bot.sources.base import PollResult, Source
from bot.sources.bluesky import BlueskySource
from bot.sources.http import Fetcher
from bot.sources.mastodon import MastodonSource
from bot.sources.rss import RssSource
from bot.sources.settings import FeedSettings
from bot.sources.x import XSource

SourceFactory = Callable[[str, Fetcher, FeedSettings], Source]


def _bluesky(handle: str, fetcher: Fetcher, settings: FeedSettings) -> Source:
    return BlueskySource(handle, fetcher, appview=settings.bluesky_appview, plc=settings.bluesky_plc)


def _mastodon(handle: str, fetcher: Fetcher, settings: FeedSettings) -> Source:
    return MastodonSource(handle, fetcher, base_url=settings.mastodon_base or None)


def _rss(handle: str, fetcher: Fetcher, settings: FeedSettings) -> Source:
    return RssSource(handle, fetcher, base_url=settings.rss_base or None)


def _x(handle: str, fetcher: Fetcher, settings: FeedSettings) -> Source:
    token = settings.x_bearer_token.get_secret_value() if settings.x_bearer_token else None
    return XSource(handle, fetcher, bearer_token=token, base_url=settings.x_api)


REGISTRY: dict[str, SourceFactory] = {
    "bluesky": _bluesky,
    "mastodon": _mastodon,
    "rss": _rss,
    "x": _x,
}

__all__ = ["REGISTRY", "PollResult", "Source", "SourceFactory", "FeedSettings"]
