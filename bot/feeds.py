"""Recorded feeds on disk: normalized JSON Lines (.jsonl, .jsonl.gz) and raw Twitter v1.1 arrays (.json).

Reading never stops at a bad record: each one comes out as a `Rejected` naming file, line and reason.
"""

from __future__ import annotations

import gzip
import heapq
import json
import re
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator

import msgspec

from bot.activity import Activity, ActivityError, checked, parse_activity, parse_time, scrub
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


def unreadable(path: Path) -> str | None:
    """Why `path` cannot be read as a feed at all (without opening it: a FIFO would block), or None."""
    try:
        if not path.exists():
            return "no such file"
        if path.is_dir():
            return "is a directory"
        if not path.is_file():
            return "not a regular file (a FIFO, socket or device)"
        with path.open("rb") as handle:
            head = handle.read(2)
    except OSError as exc:
        return f"cannot be opened ({exc.strerror or exc})"
    if path.suffix == ".gz" and head != b"\x1f\x8b":
        return "not gzip (the name ends in .gz but the content is not gzip-compressed)"
    return None


def _open_bytes(path: Path):
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


def _looks_like_json_array(path: Path) -> bool:
    with _open_bytes(path) as handle:
        head = handle.read(64)
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")


_decode = msgspec.json.Decoder().decode
_STDLIB = object()  # msgspec could not: ask the standard library


def parse_line(text: str, source: str, line: int) -> Activity | Rejected:
    """One JSON Lines record as an Activity, or a Rejected naming source, line and reason. Never raises."""
    try:
        # msgspec decodes a line about twice as fast; whatever it refuses (NaN, an integer beyond 64 bits,
        # a lone surrogate, broken JSON) goes to the standard library, which accepts it or names the fault
        data = _decode(text)
    except (msgspec.DecodeError, RecursionError):
        data = _STDLIB
    try:
        if data is _STDLIB:
            data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejected(source, line, f"not valid JSON ({exc.msg} at column {exc.colno})", text)
    except RecursionError:
        return Rejected(source, line, "not readable JSON: nested too deeply", text[:2000])
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        return Rejected(source, line, f"not readable JSON: {exc}", text[:2000])
    try:
        return parse_activity(data)
    except ActivityError as exc:
        return Rejected(source, line, str(exc), text)
    except Exception as exc:  # a bug must not stop the feed: the record is kept with what went wrong
        return Rejected(source, line, f"unexpected {type(exc).__name__}: {exc}", text)


def _read_jsonl(path: Path) -> Iterator[Activity | Rejected]:
    source = str(path)
    number = 0
    with _open_bytes(path) as handle:
        try:
            for number, raw in enumerate(handle, start=1):
                try:
                    text = raw.decode("utf-8").strip().lstrip("\ufeff")
                except UnicodeDecodeError as exc:
                    yield Rejected(
                        source,
                        number,
                        f"invalid UTF-8 at byte {exc.start + 1} of the line",
                        raw.decode("utf-8", errors="replace")[:2000],
                    )
                    continue
                if text:
                    yield parse_line(text, source, number)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise FeedError(f"{source}: truncated or corrupt gzip after line {number} ({exc})") from None


def _read_twitter_array(path: Path) -> Iterator[Activity | Rejected]:
    source = str(path)
    with _open_bytes(path) as handle:
        try:
            data = handle.read()
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise FeedError(f"{source}: truncated or corrupt gzip ({exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FeedError(f"{source}: invalid UTF-8 at line {line}") from None
    try:
        tweets = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedError(f"{source}: not a valid JSON array of tweets ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise FeedError(f"{source}: not readable JSON (nested too deeply)") from None
    except ValueError as exc:
        raise FeedError(f"{source}: not readable JSON ({exc})") from None
    if not isinstance(tweets, list):
        raise FeedError(f"{source}: expected a JSON array of Twitter v1.1 tweet objects")
    for position, tweet in enumerate(tweets, start=1):
        try:
            yield checked(tweet_to_activity(tweet))
        except Exception as exc:  # ActivityError, or a shape nobody foresaw: kept aside either way
            reason = str(exc) if isinstance(exc, ActivityError) else f"{type(exc).__name__}: {exc}"
            yield Rejected(source, position, f"Twitter v1.1 tweet: {reason}", _dump(tweet))


def _dump(value) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)[:2000]
    except (ValueError, RecursionError):
        return repr(value)[:2000]


def read_feed(path: str | Path) -> Iterator[Activity | Rejected]:
    """Every record of one file, in file order. Raises FeedError if the file cannot be read at all,
    or, after the records read so far, when it breaks off (a truncated .gz)."""
    path = Path(path)
    problem = unreadable(path)
    if problem:
        raise FeedError(f"{path}: {problem}")
    try:
        if _looks_like_json_array(path):
            yield from _read_twitter_array(path)
        else:
            yield from _read_jsonl(path)
    except (OSError, EOFError, zlib.error) as exc:
        raise FeedError(f"{path}: cannot be read ({exc})") from None


def check_readable(paths: Iterable[str | Path]) -> None:
    """Fail early, before any work, if a file is missing or unreadable."""
    for path in map(Path, paths):
        problem = unreadable(path)
        if problem:
            raise FeedError(f"{path}: {problem}")


def merged(paths: Iterable[str | Path], problems: list[str] | None = None) -> tuple[list[Activity], list[Rejected]]:
    """All activities of all files in timestamp order (stable within a file), plus every reject.

    With `problems`, a file that cannot be read (or breaks off) is reported there, one line each,
    and the other files (and the records before the break) are still read; without it, FeedError."""
    per_file: list[list[Activity]] = []
    rejects: list[Rejected] = []
    for path in paths:
        activities: list[Activity] = []
        try:
            for item in read_feed(path):
                if isinstance(item, Rejected):
                    rejects.append(item)
                else:
                    activities.append(item)
        except FeedError as exc:
            if problems is None:
                raise
            problems.append(str(exc))
        # Files are usually sorted already; sorting is cheap when they are (timsort).
        activities.sort(key=lambda a: a.at)
        per_file.append(activities)
    return list(heapq.merge(*per_file, key=lambda a: a.at)), rejects


@dataclass(slots=True)
class FeedPlan:
    """What a quick first look at the files found, before any record is validated: the accounts they
    speak for, about how many records they hold, and which files are not in time order."""

    accounts: set[tuple[str, str]]
    records: int
    unsorted: set[str]


class _Head(msgspec.Struct):
    """The three fields the first look needs (msgspec skips the rest of the record unread)."""

    platform: str
    account: str
    at: str


_HEAD = msgspec.json.Decoder(_Head)
_CANONICAL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", re.ASCII).fullmatch


def plan(paths: Iterable[str | Path]) -> FeedPlan:
    """A first look at JSON Lines files: several times cheaper than reading them (no validation). A
    file with a line it cannot make out is read whole and sorted, as is a Twitter array."""
    accounts: set[tuple[str, str]] = set()
    records = 0
    unsorted: set[str] = set()
    for path in map(Path, paths):
        try:
            if unreadable(path) or _looks_like_json_array(path):
                unsorted.add(str(path))
                continue
            last_text, last_canonical = "", False
            seen = ("", "")  # a file is usually one account's: each record's is checked against the last
            with _open_bytes(path) as handle:
                for raw in handle:
                    if not raw.strip():
                        continue
                    records += 1
                    try:
                        head = _HEAD.decode(raw.strip().removeprefix(b"\xef\xbb\xbf"))
                        text = head.at
                        # two times in the usual form (2020-12-09T15:04:05Z) in order as text are in
                        # order as times: most records need no parsing (a bad one is rejected on reading).
                        # Only that exact form: parse_time also takes "t", week dates (2020-W02-1T...) and
                        # more, which sort otherwise as text.
                        canonical = _CANONICAL(text) is not None
                        if not (canonical and last_canonical and text >= last_text):
                            at = parse_time(text)
                            if last_text and at < parse_time(last_text):
                                unsorted.add(str(path))
                        last_text, last_canonical = text, canonical
                    except (msgspec.DecodeError, ActivityError):
                        # a record it cannot make out: where it falls in time is unknown, so the
                        # file is read whole and sorted (reading rejects the record, or keeps it)
                        unsorted.add(str(path))
                        continue
                    if (head.platform, head.account) != seen:
                        seen = (head.platform, head.account)
                        account = scrub(head.account).lstrip("@")
                        if account:
                            accounts.add((scrub(head.platform), account))
        except (OSError, EOFError, zlib.error):
            unsorted.add(str(path))  # read whole, where the error is reported as reading would
    return FeedPlan(accounts, records, unsorted)


OPEN_AT_ONCE = 256  # well under the usual limit of 1,024 open files a process


def stream(
    paths: Iterable[str | Path], rejects: list[Rejected], problems: list[str], feed_plan: FeedPlan | None = None
) -> Iterator[Activity]:
    """The same activities as `merged`, in the same order, one at a time: a file in time order is read as
    the merge needs its next record, so memory holds one record per file (a file out of order, or a
    Twitter array, is read whole and sorted). Rejects and unreadable files are appended to the lists as
    they are met."""
    files = [Path(p) for p in paths]
    feed_plan = feed_plan or plan(files)
    # each file streamed holds a descriptor open until it is read out: past OPEN_AT_ONCE of them (a
    # backfill of thousands of accounts, one file each), the rest are read whole, as before streaming
    lazy = {str(p) for p in files if str(p) not in feed_plan.unsorted}
    lazy = set(sorted(lazy)[:OPEN_AT_ONCE])

    def one(path: Path) -> Iterator[Activity]:
        if str(path) not in lazy:
            held: list[Activity] = []
            try:
                for item in read_feed(path):
                    if isinstance(item, Rejected):
                        rejects.append(item)
                    else:
                        held.append(item)
            except FeedError as exc:
                problems.append(str(exc))
            held.sort(key=_at)
            yield from held
            return
        try:
            for item in read_feed(path):
                if isinstance(item, Rejected):
                    rejects.append(item)
                else:
                    yield item
        except FeedError as exc:
            problems.append(str(exc))

    return heapq.merge(*(one(p) for p in files), key=_at)


def _at(activity: Activity) -> datetime:
    return activity.at
