"""What every source looks like to the scheduler: poll with a cursor, get activities and the next cursor."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bot.activity import Activity
from bot.feeds import Rejected

if TYPE_CHECKING:
    from bot.sources.http import Fetcher


@dataclass(slots=True)
class SourceSettings:
    """What sources may need to know; platform adapters read their own fields."""

    fixture_dir: Path = Path("fixtures/feeds")
    base_urls: dict[str, str] = field(default_factory=dict)
    x_bearer_token: str | None = None
    # The shared polite HTTP client of the live sources (bot.sources.http.Fetcher), made on first use.
    fetcher: Fetcher | None = None


@dataclass(slots=True)
class PollResult:
    activities: list[Activity]
    cursor: str | None
    rejects: list[Rejected] = field(default_factory=list)
    backfill: bool = False  # the first poll of an account: its history becomes baseline, never alerts


class Source(Protocol):
    platform: str
    handle: str

    async def poll(self, cursor: str | None) -> PollResult: ...

    async def aclose(self) -> None: ...
