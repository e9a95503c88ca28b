"""RSS and Atom feeds (ministry press releases, YouTube channel feeds), fetched with a conditional GET
and parsed by feedparser from the bytes (a string argument could make feedparser open a URL or file).

A feed shows new entries only: an entry that leaves the feed has usually just aged out, so it is not
reported as a deletion.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import xml.sax
from datetime import datetime, timezone
from typing import Any

import feedparser

from bot.activity import Activity
from bot.feeds import Rejected
from bot.sources.base import PollResult
from bot.sources.common import (
    Seen,
    clean_profile,
    dump_state,
    html_to_text,
    load_state,
    parse_or_reject,
    remember_validators,
    safe_profile,
    snapshot_changes,
    utcnow,
    validators,
)
from bot.sources.http import BadPayload, FeedError, Fetcher, validators_of

MAX_TEXT = 2000


class RssSource:
    platform = "rss"

    def __init__(self, handle: str, fetcher: Fetcher, *, base_url: str | None = None, url: str | None = None):
        """`handle` is the feed URL, or a name served under `base_url` (`<base_url>/<handle>`)."""
        self.handle = handle
        if url is None:
            if handle.startswith(("http://", "https://")):
                url = handle
            elif base_url:
                url = f"{base_url.rstrip('/')}/{handle}"
            else:
                raise ValueError(f"rss handle {handle!r} is not a URL and no base URL is configured")
        self.url = url
        self.fetcher = fetcher
        self.etag: str | None = None
        self.last_modified: str | None = None

    async def aclose(self) -> None:
        await self.fetcher.release()

    async def poll(self, cursor: str | None) -> PollResult:
        state = load_state(cursor, f"rss/{self.handle}")
        backfill = "status" not in state
        now = utcnow()
        activities: list[Activity] = []
        rejects: list[Rejected] = []
        asked = validators(state, self.url)
        response = await self.fetcher.get(self.url, validators=asked, where="feed")
        if response.status_code == 304:
            self.etag, self.last_modified = asked.etag, asked.last_modified
            return PollResult(activities, dump_state(state), rejects, backfill)
        if response.status_code in (404, 410):
            activities += snapshot_changes(
                self.platform, self.handle, state, None, "deleted", now, {"status": response.status_code}
            )
            return PollResult(activities, dump_state(state), rejects, backfill)
        if response.status_code != 200:
            raise FeedError(f"feed: HTTP {response.status_code}")
        parsed = parse_feed(response.content, dict(response.headers))
        found = validators_of(response)
        remember_validators(state, self.url, found)
        self.etag, self.last_modified = found.etag, found.last_modified

        profile = safe_profile(profile_of, parsed.feed, f"rss/{self.handle} feed", rejects)
        activities += snapshot_changes(
            self.platform, self.handle, state, profile, "active", now, {"feed": dict(parsed.feed)}
        )
        seen = Seen(state.get("seen"))
        entries = [e for e in parsed.entries]
        new: list[Activity] = []
        for entry in entries:
            activity = parse_or_reject(
                lambda e: entry_to_activity(e, self.handle, parsed.feed, now),
                entry,
                f"rss/{self.handle} entry",
                rejects,
            )
            if activity is None:
                continue
            if seen.add(activity.id):
                new.append(activity)
        state["seen"] = seen.dump()
        new.sort(key=lambda a: a.at)
        return PollResult(activities + new, dump_state(state), rejects, backfill)


def parse_feed(body: bytes, headers: dict[str, str] | None = None) -> Any:
    """feedparser on the bytes; BadPayload when it is not a feed at all (an HTML page, garbage)."""
    head = body[:200].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise BadPayload("feed: got an HTML page instead of RSS or Atom")
    # Only the Content-Type matters (it may name the charset); other headers could redirect feedparser.
    headers = {k: v for k, v in (headers or {}).items() if k.lower() == "content-type"}
    # No sanitizing or URI resolution: every HTML field is reduced to plain text and links afterwards.
    try:
        parsed = feedparser.parse(
            io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, xml.sax.SAXException) as exc:
        # feedparser's strict parser trips over some broken documents itself (a namespace attribute
        # with a stray byte in its name): that is a malformed feed, not a crash
        raise BadPayload(f"feed: malformed XML that the feed parser could not read ({exc!r})") from exc
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise BadPayload(f"feed: malformed, or not an RSS or Atom feed ({reason})")
    # A broken document may still yield some entries, possibly cut short: refuse it whole and retry
    # later, rather than store a half entry that the complete one could never replace.
    error = parsed.get("bozo_exception")
    if parsed.get("bozo") and (isinstance(error, xml.sax.SAXException) or not parsed.entries):
        raise BadPayload(f"feed: malformed or truncated XML ({error})")
    return parsed


def profile_of(feed: Any) -> dict[str, Any]:
    image = feed.get("image") or {}
    return clean_profile(
        {
            "name": feed.get("title"),
            "bio": html_to_text(feed.get("subtitle"))[0] or None,
            "url": feed.get("link"),
            "avatar": image.get("href") if isinstance(image, dict) else None,
        }
    )


def entry_to_activity(entry: Any, handle: str, feed: Any, now: datetime) -> Activity:
    guid = entry.get("id") or entry.get("yt_videoid")
    link = entry.get("link")
    title = entry.get("title")
    if not guid:
        if not (link or title):
            raise ValueError("entry has no id, link or title to identify it")
        guid = hashlib.sha1(f"{link}|{title}".encode()).hexdigest()
    # A URL, URN or tag: URI is globally unique; a bare guid ("42") only within its feed.
    ident = guid if ":" in guid else f"{handle}#{guid}"
    # the update time read as stored: asked for by name, feedparser maps a missing one to the publication
    # time (an unreadable one here) through a fallback it warns will go away
    when = entry.get("published_parsed") or dict.get(entry, "updated_parsed")
    at = datetime.fromtimestamp(calendar.timegm(when), timezone.utc) if when else now
    summary, links = html_to_text(entry.get("summary"))
    if summary == title:  # many feeds repeat the title as the description
        summary = ""
    text = "\n".join(part for part in (title, summary) if part)[:MAX_TEXT] or None
    if link and link not in links:
        links.insert(0, link)
    media = [{"type": "image", "url": t["url"]} for t in entry.get("media_thumbnail") or [] if t.get("url")]
    if entry.get("yt_videoid"):
        media.insert(0, {"type": "video", "url": link or f"https://www.youtube.com/watch?v={entry['yt_videoid']}"})
    lang = entry.get("language") or feed.get("language")
    return Activity(
        id=ident,
        platform="rss",
        account=handle,
        kind="post",
        at=at,
        text=text,
        lang=lang.split("-")[0].lower() if isinstance(lang, str) and lang else None,
        url=link,
        links=links,
        hashtags=[t.get("term") for t in entry.get("tags") or [] if t.get("term")],
        media=media,
        raw=_plain(entry),
    )


def _plain(entry: Any) -> dict[str, Any]:
    """The entry as JSON-friendly data (feedparser's struct_time values are dropped)."""
    return {k: v for k, v in dict(entry).items() if not k.endswith("_parsed")}
