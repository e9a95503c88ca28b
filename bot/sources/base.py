"""What every source gives the scheduler: `poll(cursor) -> PollResult`.

A cursor is an opaque string the source hands back after each poll; the scheduler stores it and passes
it to the next poll, so a restart resumes where the last successful poll ended.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.activity import Activity

# (where, reason, record): a payload item that could not become an Activity, kept aside.
Reject = tuple[str, str, Any]


@dataclass
class PollResult:
    activities: list[Activity] = field(default_factory=list)
    cursor: str | None = None
    rejects: list[Reject] = field(default_factory=list)
    # The first poll of a new account: its history becomes baseline, never alerts.
    backfill: bool = False


class Source(Protocol):
    platform: str
    handle: str

    async def poll(self, cursor: str | None) -> PollResult: ...
