"""The normalized activity record: one thing a watched account did.

Every source (fixture file, Twitter v1.1 archive, Bluesky, Mastodon, RSS, X) turns its payloads into
`Activity`; everything downstream (storage, scoring, alerts) reads only this.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal, overload

KINDS = (
    "post",
    "reply",
    "repost",
    "quote",
    "like",
    "unlike",
    "follow",
    "unfollow",
    "delete",
    "profile",
    "status",
    "block",
    "unblock",  # Bluesky blocks are public records (seen through Jetstream)
)
STATUSES = ("active", "deactivated", "suspended", "protected", "deleted")
# Kinds where the account acts on somebody else's object.
TARGETED_KINDS = ("reply", "repost", "quote", "like", "unlike", "follow", "unfollow", "delete", "block", "unblock")
TARGET_FIELDS = ("id", "account", "text", "url", "labels", "lang")
PROFILE_FIELDS = ("name", "bio", "avatar", "location", "url", "labels")
LIST_FIELDS = ("links", "mentions", "hashtags", "labels")
STRING_FIELDS = ("text", "lang", "client", "url")

SCHEMA_PATH = Path(__file__).with_name("activity.schema.json")
# The times an activity may carry. No platform predates 1970, and a time past 2999 is a broken clock;
# within these bounds any time zone's local time stays inside datetime's years 1 to 9999 (scoring converts
# to the account's local time, which overflowed for 9999-12-31T23:59:59Z east of UTC).
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(3000, 1, 1, tzinfo=timezone.utc)  # exclusive
# A lone UTF-16 surrogate (JSON allows "\ud800"; UTF-8, and so SQLite, cannot hold one).
_SURROGATE = re.compile("[\ud800-\udfff]")


class ActivityError(ValueError):
    """A record that is not a valid activity; `field` names the offending field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(slots=True)
class Activity:
    id: str
    platform: str
    account: str
    kind: str
    at: datetime
    text: str | None = None
    lang: str | None = None
    client: str | None = None
    url: str | None = None
    links: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    media: list[dict[str, str]] = field(default_factory=list)
    target: dict[str, Any] | None = None
    profile: dict[str, Any] | None = None
    status: str | None = None
    raw: Any = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.platform, self.id)

    @property
    def target_account(self) -> str | None:
        return (self.target or {}).get("account")

    @property
    def at_iso(self) -> str:
        return format_time(self.at)

    def to_dict(self, *, with_raw: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "platform": self.platform,
            "account": self.account,
            "kind": self.kind,
            "at": self.at_iso,
        }
        for name in STRING_FIELDS + ("status",):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        for name in LIST_FIELDS + ("media",):
            value = getattr(self, name)
            if value:
                out[name] = value
        if self.target:
            out["target"] = self.target
        if self.profile:
            out["profile"] = self.profile
        if with_raw and self.raw is not None:
            out["raw"] = self.raw
        return out

    def to_json(self, *, with_raw: bool = True) -> str:
        return json.dumps(self.to_dict(with_raw=with_raw), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: Any) -> "Activity":
        return parse_activity(data)


def scrub(text: str) -> str:
    """Text with every lone surrogate replaced by U+FFFD, so it can be encoded and stored."""
    if text.isascii():  # most ids, handles and links: nothing to look for (a C check, no regex)
        return text
    return _SURROGATE.sub("\ufffd", text)


def escape_surrogates(json_text: str) -> str:
    """JSON text (dumped with ensure_ascii=False) with lone surrogates written as \\uXXXX escapes:
    storable as UTF-8, and it still decodes to the same value."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def checked(activity: Any) -> Activity:
    """An activity a source built, held to the rules of a recorded record (parse_activity).
    Raises ActivityError naming the first bad field; lone surrogates in its fields become U+FFFD."""
    if not isinstance(activity, Activity):
        raise ActivityError("record", f"must be an Activity, got {type(activity).__name__}")
    at = activity.at
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise ActivityError("at", f"must be a timezone-aware datetime, got {show_value(at)}")
    try:
        data = activity.to_dict(with_raw=False)
    except (OverflowError, ValueError) as exc:
        raise ActivityError("at", f"cannot be shown in UTC ({exc})") from None
    parsed = parse_activity(data)
    if not _SURROGATE.search(json.dumps(data, ensure_ascii=False, default=str)):
        return activity  # valid as built: keep it exactly (parse_activity also normalises a little)
    parsed.at, parsed.raw = at.astimezone(timezone.utc), activity.raw
    return parsed


def format_time(at: datetime) -> str:
    # isoformat is several times cheaper than strftime, and every stored activity is formatted
    utc = at if at.tzinfo is timezone.utc else at.astimezone(timezone.utc)
    if utc.year < 1000:  # strftime's %Y, which isoformat pads to four digits
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    return utc.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def parse_time(value: Any, field_name: str = "at") -> datetime:
    """RFC 3339 timestamp -> aware UTC datetime. A timestamp without an offset is refused."""
    if not isinstance(value, str) or not value:
        raise ActivityError(field_name, f"expected an RFC 3339 timestamp string, got {show_value(value)}")
    text = value.strip()
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ActivityError(
            field_name, f"{show_value(value)} is not an RFC 3339 timestamp (e.g. 2020-12-09T15:04:05Z)"
        ) from None
    if "T" not in text.upper() or parsed.tzinfo is None:
        raise ActivityError(
            field_name, f"{show_value(value)} needs a date, a time and a UTC offset (e.g. 2020-12-09T15:04:05Z)"
        )
    return in_range(parsed, field_name, value)


def in_range(at: datetime, field_name: str, value: Any) -> datetime:
    """An aware datetime -> UTC, or ActivityError naming the field and `value` (as given) when it falls
    outside EARLIEST..LATEST."""
    try:
        utc = at.astimezone(timezone.utc)
    except OverflowError:  # year 1 with a positive offset, year 9999 with a negative one
        utc = None
    if utc is None or not EARLIEST <= utc < LATEST:
        raise ActivityError(field_name, f"{show_value(value)} is outside the years 1970 to 2999 (UTC)")
    return utc


def show_value(value: Any) -> str:
    """A value from outside input as an error message quotes it: JSON, scrubbed, at most 60 characters."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (ValueError, RecursionError):  # circular, too deep, or an integer too long to print
        text = f"a {type(value).__name__}"
    text = scrub(text)
    return text if len(text) <= 60 else text[:57] + "..."


@overload
def _string(data: dict, name: str, *, required: Literal[True]) -> str: ...
@overload
def _string(data: dict, name: str, *, required: bool = False) -> str | None: ...
def _string(data: dict, name: str, *, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise ActivityError(name, "is required")
        return None
    if not isinstance(value, str):
        raise ActivityError(name, f"must be a string, got {show_value(value)}")
    if required and not value.strip():
        raise ActivityError(name, "must not be empty")
    return scrub(value)


def _string_list(data: dict, name: str) -> list[str]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ActivityError(name, f"must be a list of strings, got {show_value(value)}")
    return [scrub(item) for item in value]


def _object(data: dict, name: str, allowed: tuple[str, ...]) -> dict[str, Any] | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ActivityError(name, f"must be an object, got {show_value(value)}")
    unknown = sorted(map(str, set(value) - set(allowed)))
    if unknown:
        raise ActivityError(f"{name}.{unknown[0]}", f"is not a known field (known: {', '.join(allowed)})")
    for key, item in value.items():
        if key == "labels":
            if not isinstance(item, list) or not all(isinstance(x, str) for x in item):
                raise ActivityError(f"{name}.labels", f"must be a list of strings, got {show_value(item)}")
        elif item is not None and not isinstance(item, str):
            raise ActivityError(f"{name}.{key}", f"must be a string, got {show_value(item)}")
    value = {
        key: ([scrub(x) for x in item] if isinstance(item, list) else scrub(item) if isinstance(item, str) else item)
        for key, item in value.items()
    }
    if name == "target" and isinstance(value.get("account"), str):
        value["account"] = value["account"].lstrip("@")
    return value


def parse_activity(data: Any) -> Activity:
    """Validate one decoded record; raise ActivityError naming the first field that is wrong."""
    if not isinstance(data, dict):
        raise ActivityError("record", f"must be a JSON object, got {show_value(data)}")
    ident = _string(data, "id", required=True)
    platform = _string(data, "platform", required=True)
    account = _string(data, "account", required=True).lstrip("@")
    if not account:
        raise ActivityError("account", "must not be empty")
    kind = _string(data, "kind", required=True)
    if kind not in KINDS:
        raise ActivityError("kind", f"{show_value(kind)} is not one of {', '.join(KINDS)}")
    at = parse_time(data.get("at") if "at" in data else None)
    status = _string(data, "status")
    if kind == "status":
        if status not in STATUSES:
            raise ActivityError(
                "status", f"kind 'status' needs status one of {', '.join(STATUSES)}, got {show_value(status)}"
            )
    elif status is not None:
        raise ActivityError("status", f"only kind 'status' carries a status, not kind {kind!r}")
    media = data.get("media") or []
    if not isinstance(media, list) or not all(
        isinstance(m, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in m.items()) for m in media
    ):
        raise ActivityError("media", f"must be a list of {{type, url}} objects of strings, got {show_value(media)}")
    media = [{k: scrub(v) for k, v in m.items()} for m in media]
    target = _object(data, "target", TARGET_FIELDS)
    profile = _object(data, "profile", PROFILE_FIELDS)
    if kind == "profile" and not profile:
        raise ActivityError("profile", "kind 'profile' needs the profile after the change")
    if kind in ("follow", "unfollow", "like", "unlike", "repost", "block", "unblock") and not (
        target and (target.get("account") or target.get("id"))
    ):
        raise ActivityError("target", f"kind {kind!r} needs a target with an account or an id")
    if kind == "delete" and not (target and target.get("id")):
        raise ActivityError("target.id", "kind 'delete' needs the id of the removed item in target.id")
    return Activity(
        id=ident,
        platform=platform,
        account=account,
        kind=kind,
        at=at,
        text=_string(data, "text"),
        lang=_string(data, "lang"),
        client=_string(data, "client"),
        url=_string(data, "url"),
        links=_string_list(data, "links"),
        mentions=[m.lstrip("@") for m in _string_list(data, "mentions")],
        hashtags=[h.lstrip("#") for h in _string_list(data, "hashtags")],
        labels=[label.lower() for label in _string_list(data, "labels")],
        media=media,
        target=target,
        profile=profile,
        status=status,
        raw=data.get("raw"),
    )


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
