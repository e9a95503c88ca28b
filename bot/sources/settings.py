"""Where each live source reaches its platform, and how politely: from the environment (or `.env`).

Every base URL is configurable so a self-hosted Mastodon instance, another Bluesky PDS or AppView, or
the mock feed server (`diplowatch mockfeed`) can stand in for the public services.
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.sources.base import SourceSettings
from bot.sources.http import Fetcher, HttpSettings, make_client


class FeedSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DIPLOWATCH_", env_file=".env", extra="ignore")

    bluesky_appview: str = "https://public.api.bsky.app"
    bluesky_plc: str = "https://plc.directory"
    # Jetstream instances, comma-separated, tried in turn (empty: the public ones when the AppView is the
    # public one, else none; `off`: poll only). See bot/realtime.py.
    bluesky_jetstream: str = ""
    # While Jetstream is up, each Bluesky account is still polled this often (reconciliation).
    bluesky_reconcile_seconds: float = Field(900.0, gt=0, le=86400)
    # Empty: each Mastodon handle (user@instance) is polled on its own home instance.
    mastodon_base: str = ""
    # Base for RSS handles that are not full URLs.
    rss_base: str = ""
    # Telegram public channel previews (`<base>/s/<channel>`).
    telegram_base: str = "https://t.me"
    x_api: str = "https://api.x.com"
    x_bearer_token: SecretStr | None = None

    # Mastodon and X: recent posts re-checked for edits and deletions at most this often (0: every poll).
    recheck_seconds: float = Field(300.0, ge=0, le=86400)

    http_timeout: float = Field(15.0, gt=0)
    http_connections_per_host: int = Field(4, ge=1, le=64)

    def http(self) -> HttpSettings:
        # Published limits: Bluesky PDS 3000/5 min per IP; Mastodon 300/5 min per IP; X 900/15 min per
        # user endpoint. Unlisted hosts get the Mastodon figure, the strictest common one.
        return HttpSettings(
            timeout=self.http_timeout,
            per_host_connections=self.http_connections_per_host,
            # t.me publishes no limit for its preview pages: a scraper's share, 60 pages per 5 min.
            budgets={"public.api.bsky.app": (3000, 300.0), "api.x.com": (900, 900.0), "t.me": (60, 300.0)},
            # Nothing to ration on this machine (the mock feed server in demos and tests).
            loopback_budget=(100_000, 1.0),
        )


def live_settings(settings: SourceSettings) -> FeedSettings:
    """The environment's feed settings, overridden by what the caller put in `settings`
    (`base_urls` keys are FeedSettings field names, e.g. `bluesky_appview`, `mastodon_base`)."""
    unknown = sorted(set(settings.base_urls) - set(FeedSettings.model_fields))
    if unknown:
        raise ValueError(
            f"unknown base URL name {unknown[0]!r} (known: bluesky_appview, bluesky_plc, bluesky_jetstream, "
            "mastodon_base, rss_base, telegram_base, x_api)"
        )
    update: dict = dict(settings.base_urls)
    if settings.x_bearer_token:
        update["x_bearer_token"] = SecretStr(settings.x_bearer_token)
    return FeedSettings().model_copy(update=update)


def shared_fetcher(settings: SourceSettings, feed: FeedSettings) -> Fetcher:
    """The one Fetcher (and httpx client) all live sources made from `settings` share."""
    fetcher = settings.fetcher
    if not isinstance(fetcher, Fetcher) or fetcher.closed:
        http = feed.http()
        fetcher = Fetcher(make_client(http), http)
        fetcher.owns_client = True
        settings.fetcher = fetcher
    fetcher.users += 1
    return fetcher
