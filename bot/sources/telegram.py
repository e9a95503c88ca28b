"""Telegram public channels, read from the channel preview page (`t.me/s/<channel>`): no login, no API key.

The page shows about twenty newest messages and the channel's header. From it come posts, replies,
forwards (a forward from a channel is a repost of that channel's post, so the detector's signals for a
never-seen amplified account apply to it), media, views, edits (the text of a message we saw before
changed: its own activity, with the old and the new text) and deletions (a message we saw before is
missing from a page whose ids cover it). The channel's title, description, photo and verified mark are
its profile, diffed like every other platform's.

The HTML is unversioned, so it is read with a real HTML5 parser (selectolax's Lexbor engine: the
browser's own parsing rules for broken markup, CSS selectors on the documented class names, fast
enough to parse a page in well under a millisecond, a compiled wheel with no system library), never
with regular expressions. A message that cannot be read is kept aside with its place on the page and
its data-post; the rest of the page goes on. A page that is not a channel preview at all (a login
wall, an error page, a changed layout) fails the poll with a clear reason, so the backoff and
`/watch status` show it, and nothing is reported deleted because of it.

Politeness: the shared client's per-host budget (bot/sources/settings.py gives t.me its own, small
one), a conditional GET when the last answer carried an ETag or Last-Modified, the scheduler's
backoff on failures, and at most `max_pages` pages per poll.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from bot.activity import Activity, ActivityError, checked, parse_time
from bot.feeds import Rejected
from bot.sources.base import PollResult
from bot.sources.common import (
    clean_profile,
    dump_state,
    edited_post,
    load_state,
    reason_of,
    remember_validators,
    snapshot_changes,
    utcnow,
    validators,
)
from bot.sources.http import BadPayload, FeedError, Fetcher, validators_of

TELEGRAM = "https://t.me"
CHANNEL = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
KNOWN_LIMIT = 200  # message ids (with a hash of their text) kept in the cursor, for edits and deletions
OLD_TEXT_LIMIT = 1000  # characters of a message's text kept to show what an edit replaced
MAX_TEXT = 4096  # Telegram's own limit on a message's text
_URL = re.compile(r"url\(['\"]?([^'\")]+)['\"]?\)")


class TelegramPageError(ValueError):
    """A page that is not a channel preview."""


@dataclass
class Message:
    """One message as the page shows it (before it becomes an activity)."""

    post: str  # "channel/123"
    number: int
    position: int  # 1-based place among the page's messages
    at: str | None = None
    text: str | None = None
    url: str | None = None
    links: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    media: list[dict[str, str]] = field(default_factory=list)
    forwarded_from: dict[str, str] | None = None  # {"account", "id"?, "url"?, "name"}
    reply_to: dict[str, str] | None = None  # {"id", "account", "url", "text"?}
    views: int | None = None
    edited: bool = False
    via: str | None = None
    page: int = 1  # which page of this poll showed it (1: the newest)

    def to_raw(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, [], False) and k not in ("position", "page")}


@dataclass
class Page:
    channel: str | None = None  # the username the page is about
    profile: dict[str, Any] | None = None
    messages: list[Message] = field(default_factory=list)
    service_ids: list[int] = field(default_factory=list)  # service messages: ids that are not posts
    unread_ids: list[int] = field(default_factory=list)  # messages shown but not readable (kept aside)
    bad: list[tuple[int, str, str]] = field(default_factory=list)  # (position, reason, snippet)
    before: int | None = None  # the link to older messages (`?before=`)

    @property
    def span(self) -> tuple[int, int] | None:
        """The lowest and highest message ids the page shows (deletions are judged only inside it)."""
        numbers = [m.number for m in self.messages] + self.service_ids + self.unread_ids
        return (min(numbers), max(numbers)) if numbers else None


def parse_page(body: bytes | str) -> Page:
    """A channel preview page -> its channel, profile, messages and the messages kept aside.
    Never raises for any input: a page that is not a preview has no channel (see `check_page`)."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    page = Page()
    try:
        tree = LexborHTMLParser(body)
    except Exception as exc:  # the parser itself refused (it takes almost anything)
        page.bad.append((0, f"page: the HTML parser refused it ({type(exc).__name__})", body[:200]))
        return page
    page.channel = _channel_of(tree)
    page.profile = _profile(tree)
    more = tree.css_first("a.tme_messages_more[data-before]")
    if more is not None:
        page.before = _int(more.attributes.get("data-before"))
    for position, node in enumerate(tree.css("div.tgme_widget_message[data-post]"), start=1):
        try:
            _message(node, position, page)
        except Exception as exc:  # one odd message never costs the page
            page.bad.append((position, f"message: {type(exc).__name__}: {exc}", _snippet(node)))
            number = _int((node.attributes.get("data-post") or "").partition("/")[2])
            if number:
                page.unread_ids.append(number)  # still shown: not a deletion
    return page


def check_page(page: Page, channel: str) -> None:
    """TelegramPageError unless `page` is the preview of `channel` (names compare case-insensitively)."""
    if page.channel is None:
        raise TelegramPageError(
            "not a channel preview page (no channel header and no messages): "
            "the channel may have no public preview, or the page layout changed"
        )
    if page.channel.lower() != channel.lower():
        raise TelegramPageError(f"the page is about @{page.channel}, not @{channel}")


def _channel_of(tree: LexborHTMLParser) -> str | None:
    for node in tree.css("div.tgme_widget_message[data-post]"):
        name = (node.attributes.get("data-post") or "").partition("/")[0]
        if CHANNEL.match(name):
            return name
    header = tree.css_first(".tgme_channel_info_header_username a[href]")
    if header is not None:
        name = _path(header.attributes.get("href") or "").lstrip("@")
        if CHANNEL.match(name):
            return name
    canonical = tree.css_first('link[rel="canonical"][href]')
    if canonical is not None and tree.css_first(".tgme_channel_info") is not None:
        parts = _path(canonical.attributes.get("href") or "").split("/")
        if len(parts) == 2 and parts[0] == "s" and CHANNEL.match(parts[1]):
            return parts[1]
    return None


def _profile(tree: LexborHTMLParser) -> dict[str, Any] | None:
    info = tree.css_first(".tgme_channel_info")
    if info is None:
        return None
    title = info.css_first(".tgme_channel_info_header_title")
    description = info.css_first(".tgme_channel_info_description")
    photo = info.css_first(".tgme_channel_info_header .tgme_page_photo_image img[src]")
    return clean_profile(
        {
            "name": _text(title) if title is not None else None,
            "bio": _text(description) if description is not None else None,
            "avatar": photo.attributes.get("src") if photo is not None else None,
            "labels": ["verified"] if title is not None and title.css_first("i.verified-icon") is not None else [],
        }
    )


def _message(node: LexborNode, position: int, page: Page) -> None:
    post = node.attributes.get("data-post") or ""
    channel, _, number_text = post.partition("/")
    number = _int(number_text)
    if not CHANNEL.match(channel) or number is None or number <= 0:
        page.bad.append((position, f"message: data-post {post[:80]!r} is not channel/number", _snippet(node)))
        return
    classes = (node.attributes.get("class") or "").split()
    if "service_message" in classes:
        page.service_ids.append(number)
        return
    message = Message(post=f"{channel}/{number}", number=number, position=position)
    date = node.css_first("a.tgme_widget_message_date")
    stamp = date.css_first("time[datetime]") if date is not None else None
    message.at = stamp.attributes.get("datetime") if stamp is not None else None
    message.url = date.attributes.get("href") if date is not None else None
    text_node = next(
        (t for t in node.css(".tgme_widget_message_text") if not _inside(t, "tgme_widget_message_reply")), None
    )
    if text_node is not None:
        message.text = _text(text_node)[:MAX_TEXT] or None
        for link in text_node.css("a[href]"):
            href = link.attributes.get("href") or ""
            shown = _text(link)
            if href.startswith("?q=%23") or (shown.startswith("#") and href.startswith("?q=")):
                message.hashtags.append(unquote(href[3:]).lstrip("#") or shown.lstrip("#"))
            elif shown.startswith("@") and CHANNEL.match(shown[1:]):
                message.mentions.append(shown.lstrip("@"))
            elif href.startswith(("http://", "https://")):
                message.links.append(href)
    forwarded = node.css_first(".tgme_widget_message_forwarded_from_name")
    if forwarded is not None:
        message.forwarded_from = _forward(forwarded)
    reply = node.css_first("a.tgme_widget_message_reply[href]")
    if reply is not None:
        message.reply_to = _reply(reply)
    message.media = _media(node)
    views = node.css_first(".tgme_widget_message_views")
    message.views = parse_count(_text(views)) if views is not None else None
    meta = node.css_first(".tgme_widget_message_meta")
    message.edited = meta is not None and "edited" in _text(meta).lower()
    via = node.css_first(".tgme_widget_message_via_bot")
    message.via = _text(via).lstrip("@") or None if via is not None else None
    page.messages.append(message)


def _forward(node: LexborNode) -> dict[str, str]:
    name = _text(node)
    href = node.attributes.get("href") if node.tag == "a" else None
    if href:  # a public channel's post link (t.me/<channel>/<id>; any host, so a mirror or mock reads alike)
        parts = _path(href).split("/")
        if parts and CHANNEL.match(parts[0]):
            out = {"account": parts[0], "name": name, "url": href}
            if len(parts) > 1 and parts[1].isdigit():
                out["id"] = f"{parts[0]}/{parts[1]}"
            return out
    # A hidden user (or a chat without a public link): only the name shows.
    if not name:
        raise ValueError("a forward with neither a channel link nor a name")
    return {"account": name, "name": name}


def _reply(node: LexborNode) -> dict[str, str] | None:
    href = node.attributes.get("href") or ""
    parts = _path(href).split("/")
    if len(parts) < 2 or not CHANNEL.match(parts[0]) or not parts[1].isdigit():
        return None
    out = {"id": f"{parts[0]}/{parts[1]}", "account": parts[0], "url": href}
    quoted = node.css_first(".tgme_widget_message_metatext")
    if quoted is not None and _text(quoted):
        out["text"] = _text(quoted)
    return out


def _media(node: LexborNode) -> list[dict[str, str]]:
    out = []
    for wrap in node.css("a.tgme_widget_message_photo_wrap"):
        found = _URL.search(wrap.attributes.get("style") or "")
        if found:
            out.append({"type": "image", "url": found.group(1)})
    for video in node.css("video[src]"):
        out.append({"type": "video", "url": video.attributes.get("src") or ""})
    for document in node.css("a.tgme_widget_message_document_wrap"):
        title = document.css_first(".tgme_widget_message_document_title")
        out.append(
            {
                "type": "document",
                "url": document.attributes.get("href") or "",
                **({"alt": _text(title)} if title is not None else {}),
            }
        )
    if node.css_first(".tgme_widget_message_poll") is not None:
        question = node.css_first(".tgme_widget_message_poll_question")
        out.append({"type": "poll", "url": "", **({"alt": _text(question)} if question is not None else {})})
    return [m for m in out if m["url"] or m["type"] == "poll"]


def parse_count(text: str) -> int | None:
    """'12.3K' -> 12300, '1.2M' -> 1200000, '902' -> 902; None when it is not a count."""
    text = text.strip().replace(",", "").replace("\u00a0", "")
    scale = {"K": 1_000, "M": 1_000_000, "B": 1_000_000_000}.get(text[-1:].upper(), 1)
    number = text[:-1] if scale > 1 else text
    try:
        value = float(number)
    except ValueError:
        return None
    if not 0 <= value < 1e13:
        return None
    return int(round(value * scale))


def _text(node: LexborNode) -> str:
    """The node's text as a reader sees it: <br> as a line break, spaces collapsed within lines."""
    parts: list[str] = []
    for child in node.traverse(include_text=True):
        if child.tag == "br":
            parts.append("\n")
        elif child.tag == "-text":
            parts.append(child.text_content or "")
    lines = [" ".join(line.split()) for line in "".join(parts).splitlines()]
    return "\n".join(line for line in lines if line)


def _inside(node: LexborNode, class_name: str) -> bool:
    parent = node.parent
    while parent is not None:
        if class_name in (parent.attributes.get("class") or "").split():
            return True
        parent = parent.parent
    return False


def _snippet(node: LexborNode) -> str:
    try:
        return (node.html or "")[:2000]
    except Exception:
        return ""


def _path(href: str) -> str:
    return urlsplit(href).path.strip("/")


def _int(value: Any) -> int | None:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


# --- activities -----------------------------------------------------------------------------------


def message_to_activity(message: Message, channel: str) -> Activity:
    """A message -> post, reply, or (a forward) repost whose target is the channel forwarded from."""
    if not message.at:
        raise ActivityError("at", "the message shows no time (no tgme_widget_message_date time[datetime])")
    at = parse_time(message.at, "time[datetime]")
    kind, target = "post", None
    if message.forwarded_from is not None:
        source = message.forwarded_from
        kind = "repost"
        target = {
            k: v
            for k, v in {
                "account": source["account"],
                "id": source.get("id"),
                "url": source.get("url"),
                "text": message.text,
            }.items()
            if v
        }
    elif message.reply_to is not None:
        kind, target = "reply", dict(message.reply_to)
    return Activity(
        id=message.post,
        platform="telegram",
        account=channel,
        kind=kind,
        at=at,
        text=message.text if kind != "repost" else None,
        url=message.url or f"{TELEGRAM}/{message.post}",
        links=message.links,
        mentions=message.mentions,
        hashtags=message.hashtags,
        media=message.media,
        client=message.via,
        target=target,
        raw=message.to_raw(),
    )


def _digest(text: str | None) -> str:
    return hashlib.sha1((text or "").encode("utf-8", errors="replace")).hexdigest()[:12]


class TelegramSource:
    platform = "telegram"

    def __init__(
        self, handle: str, fetcher: Fetcher, *, base_url: str = TELEGRAM, max_pages: int = 3, backfill_pages: int = 2
    ):
        channel = handle.lstrip("@")
        if "/" in channel:  # a t.me link
            channel = _path(channel).split("/")[-1]
        if not CHANNEL.match(channel):
            raise ValueError(
                f"telegram channel {handle!r} is not a public channel username (5-32 letters, "
                f"digits and underscores, starting with a letter)"
            )
        self.handle = channel
        self.fetcher = fetcher
        self.base_url = base_url.rstrip("/")
        self.max_pages = max_pages
        self.backfill_pages = backfill_pages
        self.etag: str | None = None
        self.last_modified: str | None = None

    @property
    def url(self) -> str:
        return f"{self.base_url}/s/{self.handle}"

    async def aclose(self) -> None:
        await self.fetcher.release()

    async def poll(self, cursor: str | None) -> PollResult:
        where = f"telegram/{self.handle}"
        state = load_state(cursor, where)
        backfill = "status" not in state
        now = utcnow()
        rejects: list[Rejected] = []
        asked = validators(state, self.url)
        response = await self.fetcher.get(self.url, validators=asked, where="channel preview")
        if response.status_code == 304:
            self.etag, self.last_modified = asked.etag, asked.last_modified
            return PollResult([], dump_state(state), rejects, backfill)
        if response.status_code == 404:
            return PollResult(
                snapshot_changes(self.platform, self.handle, state, None, "deleted", now, {"status": 404}),
                dump_state(state),
                rejects,
                backfill,
            )
        if response.status_code != 200:
            raise FeedError(f"channel preview: HTTP {response.status_code}")
        if "/s/" not in response.url.path and not backfill:
            # Telegram sends a channel without a public preview (made private, or gone) away from /s/.
            return PollResult(
                snapshot_changes(
                    self.platform, self.handle, state, None, "protected", now, {"redirected": str(response.url)}
                ),
                dump_state(state),
                rejects,
                backfill,
            )
        if b"</html>" not in response.content[-512:].lower():
            # Cut short: a message cut mid-text would look edited, and the missing ones deleted.
            raise BadPayload("channel preview: the page is cut short (no closing </html>)")
        page = parse_page(response.content)
        try:
            check_page(page, self.handle)
        except TelegramPageError as exc:
            raise BadPayload(f"channel preview: {exc}") from None
        found = validators_of(response)
        remember_validators(state, self.url, found)
        self.etag, self.last_modified = found.etag, found.last_modified

        pages = [page]
        known: dict[str, list] = state.get("known", {})
        newest_known = max((int(k) for k in known), default=None)
        limit = self.backfill_pages if backfill else self.max_pages
        # Older pages only while this one holds nothing we have seen (more than a page of news since).
        while (
            len(pages) < limit
            and pages[-1].before
            and (backfill or (newest_known is not None and (pages[-1].span or (0, 0))[0] > newest_known))
        ):
            response = await self.fetcher.get(
                self.url, params={"before": str(pages[-1].before)}, where="channel preview (older)"
            )
            if response.status_code != 200:
                break  # what we have is still good; the rest waits for the next poll
            older = parse_page(response.content)
            if older.channel is None or older.channel.lower() != self.handle.lower() or not older.span:
                break
            pages.append(older)

        activities = snapshot_changes(
            self.platform, self.handle, state, page.profile, "active", now, {"profile": page.profile}
        )
        for number, shown in enumerate(pages, start=1):
            for position, reason, snippet in shown.bad:
                rejects.append(Rejected(f"{where} page {number} message {position}", 0, reason, snippet))
            for message in shown.messages:
                message.page = number
        messages = sorted({m.number: m for p in reversed(pages) for m in p.messages}.values(), key=lambda m: m.number)
        new: list[Activity] = []
        for message in messages:
            entry = known.get(str(message.number))
            if entry is None:
                try:
                    activity = checked(message_to_activity(message, self.handle))
                except Exception as exc:  # ActivityError, or a shape nobody foresaw: kept aside with its place
                    rejects.append(
                        Rejected(
                            f"{where} page {message.page} message {message.position} ({message.post})",
                            0,
                            reason_of(exc),
                            json.dumps(message.to_raw(), ensure_ascii=False),
                        )
                    )
                    continue
                new.append(activity)
                known[str(message.number)] = [
                    _digest(message.text),
                    (message.text or "")[:OLD_TEXT_LIMIT],
                    (message.forwarded_from or {}).get("account"),
                ]
            elif entry[0] != _digest(message.text):
                new.append(self._edit(message, entry, now))
                known[str(message.number)] = [_digest(message.text), (message.text or "")[:OLD_TEXT_LIMIT], entry[2]]
        new += self._deletions(pages, known, now)
        # Keep the newest ids only; an id older than all of them is outside every page we read.
        state["known"] = dict(sorted(known.items(), key=lambda kv: int(kv[0]))[-KNOWN_LIMIT:])
        return PollResult(activities + new, dump_state(state), rejects, backfill)

    def _edit(self, message: Message, entry: list, now: datetime) -> Activity:
        """An edited message as its own activity (common.edited_post)."""
        return edited_post(
            platform=self.platform,
            account=self.handle,
            edited=message.post,
            edit_id=f"{message.post}#edit-{_digest(message.text)}",
            at=now,
            old_text=entry[1] or None,
            new_text=message.text,
            url=message.url,
            raw={"message": message.to_raw()},
            links=message.links,
            hashtags=message.hashtags,
            mentions=message.mentions,
            media=message.media,
        )

    def _deletions(self, pages: list[Page], known: dict[str, list], now: datetime) -> list[Activity]:
        """Messages seen before, inside the span of ids these pages show, and no longer on them."""
        out = []
        shown = {m.number for p in pages for m in p.messages} | {n for p in pages for n in p.service_ids}
        spans = [p.span for p in pages if p.span]
        for number_text in sorted(known, key=int):
            number = int(number_text)
            if number in shown or not any(low <= number <= high for low, high in spans):
                continue
            entry = known.pop(number_text)
            post = f"{self.handle}/{number}"
            target = {"id": post}
            if entry[2]:
                target["account"] = entry[2]  # a deleted forward: whom it had amplified
            out.append(
                Activity(
                    id=f"{post}#delete",
                    platform=self.platform,
                    account=self.handle,
                    kind="delete",
                    at=now,
                    target=target,
                    raw={"removed": post, "old_text": entry[1] or None},
                )
            )
        return out
