"""Settings from the environment (and an optional .env file), checked once at start-up.

A missing or malformed setting becomes one line naming the variable, what is wrong and what would be
right (`ConfigError`), never a traceback. The Discord token is a SecretStr so it never prints by accident.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConfigError(Exception):
    """A setting that cannot be used; str() is the one line to show the user."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    discord_token: SecretStr | None = Field(None, validation_alias="DISCORD_TOKEN")
    # A SQLite file's path, or a postgresql:// URL (storage/pg.py).
    database: Path | str = Field(Path("data/diplowatch.db"), validation_alias="DIPLOWATCH_DATABASE")
    # `diplowatch worker` processes poll and deliver webhooks (PostgreSQL, docs/scaling.md): `diplowatch run`
    # then only holds the gateway, answers interactions and posts to channels; it polls nothing itself.
    workers: bool = Field(False, validation_alias="DIPLOWATCH_WORKERS")
    poll_seconds: float = Field(60.0, gt=0, le=86400, validation_alias="DIPLOWATCH_POLL_SECONDS")
    fixture_dir: Path = Field(Path("fixtures/feeds"), validation_alias="DIPLOWATCH_FIXTURE_DIR")
    guild_id: int | None = Field(None, gt=0, validation_alias="DISCORD_GUILD_ID")
    api_base: str | None = Field(None, validation_alias="DISCORD_API_BASE")
    gateway_url: str | None = Field(None, validation_alias="DISCORD_GATEWAY_URL")
    moderator_role_id: int | None = Field(None, gt=0, validation_alias="DIPLOWATCH_MODERATOR_ROLE_ID")
    alert_channel_id: int | None = Field(None, gt=0, validation_alias="DIPLOWATCH_ALERT_CHANNEL_ID")
    demo_channel_id: int | None = Field(None, gt=0, validation_alias="DIPLOWATCH_DEMO_CHANNEL")
    guild_ready_timeout: float = Field(0.5, ge=0, le=60, validation_alias="DISCORD_GUILD_READY_TIMEOUT")
    retry_seconds: float = Field(2.0, gt=0, le=3600, validation_alias="DIPLOWATCH_RETRY_SECONDS")
    log_level: str = Field("INFO", validation_alias="DIPLOWATCH_LOG_LEVEL")
    # The servers the bot may stay in (comma-separated ids); it leaves any other at once, on join and at
    # start. Empty: any server it is invited to (keep "Public Bot" off, docs/discord.md).
    allowed_guilds: str = Field("", validation_alias="DIPLOWATCH_ALLOWED_GUILDS")

    @field_validator("database")
    @classmethod
    def _database(cls, value: Path | str) -> Path | str:
        if isinstance(value, str) and value.startswith(("postgresql://", "postgres://")):
            return value
        return Path(value)

    @field_validator("allowed_guilds")
    @classmethod
    def _guild_ids(cls, value: str) -> str:
        parts = [p.strip() for p in (value or "").replace(";", ",").split(",") if p.strip()]
        bad = [p for p in parts if not p.isascii() or not p.isdigit() or int(p) <= 0]
        if bad:
            raise ValueError(f"must be Discord server ids separated by commas; not a server id: {', '.join(bad)}")
        return ",".join(parts)

    def allowed_guild_ids(self) -> set[int]:
        """The servers the bot may be in; empty when any is allowed."""
        return {int(p) for p in self.allowed_guilds.split(",") if p}

    @field_validator("api_base")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://, e.g. https://discord.com/api/v10")
        return value.rstrip("/")

    @field_validator("gateway_url")
    @classmethod
    def _ws_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("ws://", "wss://")):
            raise ValueError("must start with ws:// or wss://, e.g. wss://gateway.discord.gg/")
        return value

    @field_validator("discord_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if any(ch.isspace() for ch in value.get_secret_value().strip()):
            raise ValueError("contains spaces; paste the token exactly as the Developer Portal shows it")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return value

    def token(self) -> str:
        """The token, for the one call that needs it; ConfigError when it is not set."""
        if self.discord_token is None:
            raise ConfigError(
                "DISCORD_TOKEN is not set: create a bot at https://discord.com/developers/applications,"
                " copy its token and export DISCORD_TOKEN=... (or put it in .env)"
            )
        return self.discord_token.get_secret_value()


_ENV_NAMES = {name: str(field.validation_alias or name.upper()) for name, field in Settings.model_fields.items()}


def load_settings(**overrides: Any) -> Settings:
    """Read the settings; raise ConfigError with one line naming the first bad variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    error = exc.errors()[0]
    name = str(error["loc"][0]) if error["loc"] else "settings"
    env = _ENV_NAMES.get(name, name.upper())  # loc is the field name or, from the environment, its variable
    message = error["msg"].removeprefix("Value error, ")
    got = error.get("input")
    secret = env == _ENV_NAMES["discord_token"]
    shown = "" if secret or isinstance(got, dict) else f" (got {got!r})"
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return f"setting {env}: {message}{shown}{more}"
