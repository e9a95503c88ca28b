"""Recorded feeds on disk: normalized JSON Lines (.jsonl, .jsonl.gz) and raw Twitter v1.1 arrays (.json).

Reading never stops at a bad record: each one comes out as a `Rejected` naming file, line and reason.
"""

from __future__ import annotations

import gzip
import heapq
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from bot.activity import Activity, ActivityError, parse_activity
from bot.twitter_v1 import tweet_to_activity


class FeedError(Exception):
    """A feed file that cannot be read at all (missing, unreadable, not a feed)."""


@dataclass(slots=True)
class Rejected:
    source: str
    line: int  # 1-based line; for a JSON array, the 1-based position in the array
    reason: str
    record: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


def _open_text(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open("r", encoding="utf-8", newline="")


def _looks_like_json_array(path: Path) -> bool:
    with _open_text(path) as handle:
        head = handle.read(64).lstrip("\ufeff \t\r\n")
    return head.startswith("[")


def parse_line(text: str, source: str, line: int) -> Activity | Rejected:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejected(source, line, f"not valid JSON ({exc.msg} at column {exc.colno})", text)
    try:
        return parse_activity(data)
    except ActivityError as exc:
        return Rejected(source, line, str(exc), text)


def _read_jsonl(path: Path) -> Iterator[Activity | Rejected]:
    source = str(path)
    with _open_text(path) as handle:
        for number, text in enumerate(handle, start=1):
            text = text.strip()
            if text:
                yield parse_line(text, source, number)


def _read_twitter_array(path: Path) -> Iterator[Activity | Rejected]:
    source = str(path)
    with _open_text(path) as handle:
        try:
            tweets = json.load(handle)
        except json.JSONDecodeError as exc:
            raise FeedError(f"{source}: not a valid JSON array of tweets ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(tweets, list):
        raise FeedError(f"{source}: expected a JSON array of Twitter v1.1 tweet objects")
    for position, tweet in enumerate(tweets, start=1):
        try:
            yield tweet_to_activity(tweet)
        except ActivityError as exc:
            yield Rejected(source, position, f"Twitter v1.1 tweet: {exc}", json.dumps(tweet, ensure_ascii=False)[:2000])


def read_feed(path: str | Path) -> Iterator[Activity | Rejected]:
    """Every record of one file, in file order. Raises FeedError if the file cannot be read at all."""
    path = Path(path)
    if not path.is_file():
        raise FeedError(f"{path}: no such file")
    try:
        if _looks_like_json_array(path):
            yield from _read_twitter_array(path)
        else:
            yield from _read_jsonl(path)
    except (OSError, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
        raise FeedError(f"{path}: cannot be read ({exc})") from None


def check_readable(paths: Iterable[str | Path]) -> None:
    """Fail early, before any work, if a file is missing or unreadable."""
    for path in map(Path, paths):
        if not path.is_file():
            raise FeedError(f"{path}: no such file")
        try:
            with _open_text(path) as handle:
                handle.read(64)
        except (OSError, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
            raise FeedError(f"{path}: cannot be read ({exc})") from None


def merged(paths: Iterable[str | Path]) -> tuple[list[Activity], list[Rejected]]:
    """All activities of all files in timestamp order (stable within a file), plus every reject."""
    per_file: list[list[Activity]] = []
    rejects: list[Rejected] = []
    for path in paths:
        activities = []
        for item in read_feed(path):
            (rejects if isinstance(item, Rejected) else activities).append(item)
        # Files are usually sorted already; sorting is cheap when they are (timsort).
        activities.sort(key=lambda a: a.at)
        per_file.append(activities)
    return list(heapq.merge(*per_file, key=lambda a: a.at)), rejects
