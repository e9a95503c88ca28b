"""The `fixture` platform: DIPLOWATCH_FIXTURE_DIR/<handle>.jsonl, picking up lines appended to it.

The cursor is "<byte offset>:<lines read>", so a restart resumes after the last complete line and a
line still being written (no newline yet) waits for the next poll.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.activity import Activity
from bot.feeds import Rejected, parse_line
from bot.sources.base import PollResult, SourceSettings


class FixtureError(Exception):
    pass


class FixtureSource:
    platform = "fixture"

    def __init__(self, handle: str, path: Path):
        self.handle = handle
        self.path = path

    @classmethod
    def create(cls, handle: str, settings: SourceSettings) -> "FixtureSource":
        return cls(handle, Path(settings.fixture_dir) / f"{handle}.jsonl")

    async def poll(self, cursor: str | None) -> PollResult:
        return await asyncio.to_thread(self._read_from, cursor)

    def _read_from(self, cursor: str | None) -> PollResult:
        offset, lines_read = (int(part) for part in cursor.split(":")) if cursor else (0, 0)
        if not self.path.is_file():
            raise FixtureError(f"fixture feed {self.path} does not exist")
        with self.path.open("rb") as handle:
            if handle.seek(0, 2) < offset:  # the file was replaced by a shorter one: start over
                offset, lines_read = 0, 0
            handle.seek(offset)
            data = handle.read()
        complete = data[: data.rfind(b"\n") + 1]
        activities: list[Activity] = []
        rejects: list[Rejected] = []
        for raw_line in complete.splitlines():
            lines_read += 1
            text = raw_line.decode("utf-8", errors="replace").strip()
            if not text:
                continue
            item = parse_line(text, str(self.path), lines_read)
            if isinstance(item, Rejected):
                rejects.append(item)
            else:
                activities.append(item)
        return PollResult(
            activities=activities,
            rejects=rejects,
            cursor=f"{offset + len(complete)}:{lines_read}",
            backfill=cursor is None,
        )

    async def aclose(self) -> None:
        return None
