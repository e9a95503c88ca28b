"""Raw Twitter API v1.1 tweet objects (as in archives and research collections) -> Activity."""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

from bot.activity import Activity, ActivityError, in_range, show_value

_TAG = re.compile(r"<[^>]+>")
_CREATED_AT = "%a %b %d %H:%M:%S %z %Y"


def _created_at(tweet: dict, where: str) -> datetime:
    value: Any = tweet.get("created_at")  # anything: a wrong type is the TypeError below
    try:
        parsed = datetime.strptime(value, _CREATED_AT)
    except (TypeError, ValueError):
        raise ActivityError(
            f"{where}created_at", f"expected Twitter's 'Wed Oct 10 20:19:24 +0000 2018' form, got {show_value(value)}"
        ) from None
    # outside the plausible years (and no OverflowError in UTC), naming the field like any other fault
    return in_range(parsed, f"{where}created_at", value)


def _id(tweet: dict, where: str) -> str:
    value = tweet.get("id_str")
    if value is None and isinstance(tweet.get("id"), int) and not isinstance(tweet.get("id"), bool):
        if tweet["id"].bit_length() > 128:  # no tweet id is that long (and str() refuses 4,300+ digits)
            raise ActivityError(f"{where}id", "is not a tweet id (too many digits)")
        value = str(tweet["id"])
    if not value:
        raise ActivityError(f"{where}id_str", "is required (the tweet's id)")
    if not isinstance(value, str):
        raise ActivityError(f"{where}id_str", f"must be a string, got {type(value).__name__}")
    return value


def _screen_name(tweet: dict, where: str) -> str:
    user = tweet.get("user")
    if not isinstance(user, dict) or not user.get("screen_name"):
        raise ActivityError(f"{where}user.screen_name", "is required (who posted the tweet)")
    if not isinstance(user["screen_name"], str):
        raise ActivityError(f"{where}user.screen_name", "must be a string")
    return user["screen_name"]


def _dict(value: Any) -> dict:
    """A field that should be an object; anything else (a list, a string) counts as absent."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _text(tweet: dict) -> str | None:
    extended = _dict(tweet.get("extended_tweet"))
    for value in (extended.get("full_text"), tweet.get("full_text"), tweet.get("text")):
        if isinstance(value, str) and value:
            return html.unescape(value)
    return None


def _entities(tweet: dict) -> dict:
    return _dict(_dict(tweet.get("extended_tweet")).get("entities")) or _dict(tweet.get("entities"))


def _status_url(screen_name: str, tweet_id: str) -> str:
    return f"https://twitter.com/{screen_name}/status/{tweet_id}"


def _target_of(tweet: dict, where: str) -> dict[str, Any]:
    screen_name = _screen_name(tweet, where)
    tweet_id = _id(tweet, where)
    target: dict[str, Any] = {
        "id": f"x:{tweet_id}",
        "account": screen_name,
        "text": _text(tweet),
        "url": _status_url(screen_name, tweet_id),
    }
    if isinstance(tweet.get("lang"), str) and tweet["lang"] not in ("", "und"):
        target["lang"] = tweet["lang"]
    if tweet.get("possibly_sensitive"):
        target["labels"] = ["sensitive"]
    return {k: v for k, v in target.items() if v is not None}


def tweet_to_activity(tweet: Any) -> Activity:
    """One v1.1 tweet object -> Activity. Raises ActivityError naming the missing or bad field."""
    if not isinstance(tweet, dict):
        raise ActivityError("tweet", f"must be a JSON object, got {type(tweet).__name__}")
    tweet_id = _id(tweet, "")
    account = _screen_name(tweet, "")
    entities = _entities(tweet)
    source = tweet.get("source")
    client = html.unescape(_TAG.sub("", source)).strip() if isinstance(source, str) else None
    media = [
        {"type": m.get("type", "photo"), "url": m.get("media_url_https") or m.get("media_url")}
        for m in (_list(_dict(tweet.get("extended_entities")).get("media")) or _list(entities.get("media")))
        if isinstance(m, dict) and (m.get("media_url_https") or m.get("media_url"))
    ]
    common: dict[str, Any] = dict(
        id=f"x:{tweet_id}",
        platform="x",
        account=account,
        at=_created_at(tweet, ""),
        lang=tweet.get("lang") if tweet.get("lang") not in (None, "und") else None,
        client=client or None,
        url=_status_url(account, tweet_id),
        raw=tweet,
    )
    if isinstance(tweet.get("retweeted_status"), dict):
        return Activity(kind="repost", target=_target_of(tweet["retweeted_status"], "retweeted_status."), **common)

    links = [u.get("expanded_url") or u.get("url") for u in _list(entities.get("urls")) if isinstance(u, dict)]
    kind, target = "post", None  # type: str, dict[str, Any] | None
    if tweet.get("is_quote_status") and isinstance(tweet.get("quoted_status"), dict):
        kind, target = "quote", _target_of(tweet["quoted_status"], "quoted_status.")
    elif tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_screen_name"):
        kind = "reply"
        target = {"account": tweet.get("in_reply_to_screen_name")}
        if tweet.get("in_reply_to_status_id_str"):
            target["id"] = f"x:{tweet['in_reply_to_status_id_str']}"
        target = {k: v for k, v in target.items() if v}
    return Activity(
        kind=kind,
        target=target,
        text=_text(tweet),
        links=[link for link in links if link],
        mentions=[
            m["screen_name"]
            for m in _list(entities.get("user_mentions"))
            if isinstance(m, dict) and m.get("screen_name")
        ],
        hashtags=[h["text"] for h in _list(entities.get("hashtags")) if isinstance(h, dict) and h.get("text")],
        labels=["sensitive"] if tweet.get("possibly_sensitive") else [],
        media=media,
        **common,
    )
