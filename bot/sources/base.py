"""What every source looks like to the scheduler: poll with a cursor, get activities and the next cursor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
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
class Context:
    """Something the watched account did NOT do that changes how one of its items reads: the subject of
    its repost vanished because its author deleted it or the author's account was deactivated,
    suspended or deleted. Never an activity (nothing is learned from it, nor stored as the account's);
    the pipeline turns it into a follow-up alert when it matters (see `Pipeline.context_alerts`)."""

    platform: str
    account: str
    activity_id: str  # the watched account's item (a repost), still in its repo
    note: str  # one sentence for the alert, naming who is gone and why as far as known
    at: datetime  # when the disappearance was seen
    target_account: str | None = None


@dataclass(slots=True)
class PollResult:
    activities: list[Activity]
    cursor: str | None
    rejects: list[Rejected] = field(default_factory=list)
    backfill: bool = False  # the first poll of an account: its history becomes baseline, never alerts
    context: list[Context] = field(default_factory=list)


class Source(Protocol):
    platform: str
    handle: str

    async def poll(self, cursor: str | None) -> PollResult: ...

    async def aclose(self) -> None: ...
