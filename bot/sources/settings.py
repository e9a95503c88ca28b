"""Where each live source reaches its platform, and how politely: from the environment (or `.env`).

Every base URL is configurable so a self-hosted Mastodon instance, another Bluesky PDS or AppView, or
the mock feed server (`diplowatch mockfeed`) can stand in for the public services.
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.sources.http import HttpSettings
from bot.sources.health import BackoffPolicy


class FeedSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DIPLOWATCH_", env_file=".env", extra="ignore")

    bluesky_appview: str = "https://public.api.bsky.app"
    bluesky_plc: str = "https://plc.directory"
    # Empty: each Mastodon handle (user@instance) is polled on its own home instance.
    mastodon_base: str = ""
    # Base for RSS handles that are not full URLs.
    rss_base: str = ""
    x_api: str = "https://api.x.com"
    x_bearer_token: SecretStr | None = None

    http_timeout: float = Field(15.0, gt=0)
    http_connections_per_host: int = Field(4, ge=1, le=64)
    http_max_connections: int = Field(64, ge=1)
    backoff_base: float = Field(30.0, gt=0)
    backoff_cap: float = Field(3600.0, gt=0)
    pause_after_failures: int = Field(5, ge=1)

    def http(self) -> HttpSettings:
        # Published limits: Bluesky PDS 3000/5 min per IP; Mastodon 300/5 min per IP; X 900/15 min per
        # user endpoint. Unlisted hosts get the Mastodon figure, the strictest common one.
        return HttpSettings(
            timeout=self.http_timeout, per_host_connections=self.http_connections_per_host,
            max_connections=self.http_max_connections,
            budgets={"public.api.bsky.app": (3000, 300.0), "api.x.com": (900, 900.0)},
        )

    def backoff(self) -> BackoffPolicy:
        return BackoffPolicy(base=self.backoff_base, cap=self.backoff_cap, pause_after=self.pause_after_failures)
