"""Mock account state -> each platform's payload shapes, as documented (see docs/feeds.md for sources):
Bluesky AppView/PDS/PLC JSON, Mastodon REST JSON, X API v2 JSON, RSS 2.0 and Atom (YouTube flavour)."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from bot.mockfeed.world import Item, MockAccount, World, did_for, stable_number, tid

SENSITIVE = {"porn", "sexual", "nudity", "graphic-media", "sensitive"}


def iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


# --- Bluesky ------------------------------------------------------------------------------------


def target_uri(target: dict[str, Any]) -> str:
    ident = str(target.get("id") or "")
    if ident.startswith("at://"):
        return ident
    account = target.get("account") or "unknown.example"
    return f"at://{did_for(account)}/app.bsky.feed.post/{tid(stable_number(ident or account, 15), 0)}"


def bsky_author(handle: str, name: str | None = None) -> dict[str, Any]:
    return {"did": did_for(handle), "handle": handle, "displayName": name or handle, "labels": []}


def bsky_target_view(world: World, target: dict[str, Any]) -> dict[str, Any]:
    account = target.get("account") or "unknown.example"
    uri = target_uri(target)
    record = {"$type": "app.bsky.feed.post", "text": target.get("text") or "", "createdAt": "2020-01-01T00:00:00.000Z"}
    if target.get("lang"):
        record["langs"] = [target["lang"]]
    labels = [
        {"src": did_for(account), "uri": uri, "val": v, "cts": "2020-01-01T00:00:00.000Z"}
        for v in target.get("labels") or []
    ]
    view = {
        "uri": uri,
        "cid": "bafy" + str(stable_number(uri, 12)),
        "author": bsky_author(account),
        "record": record,
        "replyCount": 0,
        "repostCount": 0,
        "likeCount": 0,
        "quoteCount": 0,
        "indexedAt": "2020-01-01T00:00:00.000Z",
        "labels": labels,
    }
    world.posts[uri] = view
    world.handles_by_did[did_for(account)] = account
    return view


def bsky_profile(account: MockAccount) -> dict[str, Any]:
    p = account.profile
    return {
        "did": account.did,
        "handle": account.handle,
        "displayName": p.get("name") or "",
        "description": p.get("bio") or "",
        "website": p.get("url"),
        "avatar": p.get("avatar"),
        "followersCount": 1200,
        "followsCount": len(account.follows),
        "postsCount": len(account.items),
        "associated": {"lists": 0, "feedgens": 0, "starterPacks": 0, "labeler": False},
        "createdAt": "2024-02-01T10:00:00.000Z",
        "indexedAt": iso(account.updated or datetime.now(timezone.utc)),
        "labels": [],
        "verification": {"verifications": [], "verifiedStatus": "none", "trustedVerifierStatus": "none"},
    }


BSKY_ERRORS = {
    "suspended": {"error": "AccountTakedown", "message": "Account has been suspended"},
    "deactivated": {"error": "AccountDeactivated", "message": "Account is deactivated"},
    "deleted": {"error": "InvalidRequest", "message": "Profile not found"},
    "protected": None,
}


def bsky_post_view(world: World, account: MockAccount, item: Item) -> dict[str, Any]:
    a = item.activity
    uri = account.native_id(item)
    text = a.text or ""
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": text, "createdAt": iso(a.at)}
    if a.lang:
        record["langs"] = [a.lang]
    facets = []
    encoded = text.encode()
    for link in a.links:
        start = encoded.find(link.encode())
        if start >= 0:
            facets.append(
                {
                    "index": {"byteStart": start, "byteEnd": start + len(link.encode())},
                    "features": [{"$type": "app.bsky.richtext.facet#link", "uri": link}],
                }
            )
    for tag in a.hashtags:
        start = encoded.find(("#" + tag).encode())
        facets.append(
            {
                "index": {"byteStart": max(start, 0), "byteEnd": max(start, 0) + len(tag.encode()) + 1},
                "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": tag}],
            }
        )
    if facets:
        record["facets"] = facets
    self_labels = [v for v in a.labels if v in SENSITIVE and v != "sensitive"]
    if self_labels:
        record["labels"] = {"$type": "com.atproto.label.defs#selfLabels", "values": [{"val": v} for v in self_labels]}
    view: dict[str, Any] = {
        "uri": uri,
        "cid": "bafy" + str(stable_number(uri, 12)),
        "author": bsky_author(account.handle, account.profile.get("name")),
        "record": record,
        "replyCount": 0,
        "repostCount": 0,
        "likeCount": 0,
        "quoteCount": 0,
        "indexedAt": iso(item.released),
        "labels": [],
    }
    target = a.target or {}
    if a.kind == "quote":
        quoted = bsky_target_view(world, target)
        view["embed"] = {
            "$type": "app.bsky.embed.record#view",
            "record": {
                "$type": "app.bsky.embed.record#viewRecord",
                "uri": quoted["uri"],
                "cid": quoted["cid"],
                "author": quoted["author"],
                "value": quoted["record"],
                "indexedAt": quoted["indexedAt"],
            },
        }
    elif a.links:
        view["embed"] = {
            "$type": "app.bsky.embed.external#view",
            "external": {"uri": a.links[0], "title": "", "description": ""},
        }
    if a.media:
        view["embed"] = {
            "$type": "app.bsky.embed.images#view",
            "images": [{"thumb": m.get("url"), "fullsize": m.get("url"), "alt": ""} for m in a.media],
        }
    if a.kind == "reply":
        parent = bsky_target_view(world, target)
        record["reply"] = {
            "root": {"uri": parent["uri"], "cid": parent["cid"]},
            "parent": {"uri": parent["uri"], "cid": parent["cid"]},
        }
    return view


def bsky_feed_item(world: World, account: MockAccount, item: Item) -> dict[str, Any]:
    a = item.activity
    if a.kind == "repost":
        post = bsky_target_view(world, a.target or {})
        return {
            "post": post,
            "reason": {
                "$type": "app.bsky.feed.defs#reasonRepost",
                "by": {"did": account.did, "handle": account.handle},
                "uri": account.native_id(item),
                "cid": "bafy" + str(stable_number(item.rkey, 12)),
                "indexedAt": iso(item.released),
            },
        }
    out: dict[str, Any] = {"post": bsky_post_view(world, account, item)}
    if a.kind == "reply":
        parent = bsky_target_view(world, a.target or {})
        out["reply"] = {
            "root": {"$type": "app.bsky.feed.defs#postView", **parent},
            "parent": {"$type": "app.bsky.feed.defs#postView", **parent},
        }
    return out


def bsky_records(world: World, account: MockAccount, collection: str) -> list[dict[str, Any]]:
    """Records of one collection, newest first (record keys are time-sortable TIDs)."""
    records: list[tuple[str, dict[str, Any]]] = []
    if collection == "app.bsky.feed.post":
        for item in account.items:
            if item.kind != "repost":
                records.append(
                    (
                        item.rkey,
                        {"$type": collection, "text": item.activity.text or "", "createdAt": iso(item.activity.at)},
                    )
                )
    elif collection in ("app.bsky.feed.repost", "app.bsky.feed.like"):
        source = account.reposts if collection == "app.bsky.feed.repost" else account.likes
        for rkey, item in source.items():
            subject = bsky_target_view(world, item.activity.target or {})
            records.append(
                (
                    rkey,
                    {
                        "$type": collection,
                        "createdAt": iso(item.activity.at),
                        "subject": {"uri": subject["uri"], "cid": subject["cid"]},
                    },
                )
            )
    elif collection == "app.bsky.graph.follow":
        for rkey, item in account.follows.items():
            target = (item.activity.target or {}).get("account") or "unknown.example"
            world.handles_by_did[did_for(target)] = target
            records.append(
                (rkey, {"$type": collection, "subject": did_for(target), "createdAt": iso(item.activity.at)})
            )
    records.sort(key=lambda r: r[0], reverse=True)
    return [
        {"uri": f"at://{account.did}/{collection}/{rkey}", "cid": "bafy" + str(stable_number(rkey, 12)), "value": value}
        for rkey, value in records
    ]


def did_document(account: MockAccount, pds: str) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": account.did,
        "alsoKnownAs": [f"at://{account.handle}"],
        "verificationMethod": [],
        "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": pds}],
    }


# --- Mastodon -----------------------------------------------------------------------------------


def masto_account(account: MockAccount, base: str) -> dict[str, Any]:
    p = account.profile
    out: dict[str, Any] = {
        "id": account.number_id,
        "username": account.user,
        "acct": account.user,
        "display_name": p.get("name") or "",
        "note": f"<p>{escape(p.get('bio') or '')}</p>",
        "url": f"{base}/@{account.user}",
        "avatar": p.get("avatar"),
        "header": "",
        "locked": False,
        "bot": False,
        "group": False,
        "discoverable": True,
        "created_at": "2022-11-01T00:00:00.000Z",
        "followers_count": 1200,
        "following_count": len(account.follows),
        "statuses_count": len(account.items),
        "last_status_at": None,
        "emojis": [],
        "fields": [],
    }
    if p.get("url"):
        out["fields"] = [
            {
                "name": "Website",
                "value": f'<a href="{escape(p["url"])}">{escape(p["url"])}</a>',
                "verified_at": "2023-01-01T00:00:00.000Z",
            }
        ]
    if account.status == "suspended":
        out.update(
            {
                "display_name": "",
                "note": "",
                "suspended": True,
                "followers_count": 0,
                "following_count": 0,
                "statuses_count": 0,
                "fields": [],
            }
        )
    return out


def _masto_html(text: str, links: list[str]) -> str:
    body = escape(text)
    for link in links:
        if escape(link) in body:
            body = body.replace(escape(link), f'<a href="{escape(link)}" rel="nofollow noopener">{escape(link)}</a>')
    return "".join(f"<p>{line}</p>" for line in body.split("\n") if line)


def masto_status(account: MockAccount, item: Item, base: str) -> dict[str, Any]:
    a = item.activity
    sid = str(item.number)
    target = a.target or {}
    status: dict[str, Any] = {
        "id": sid,
        "created_at": iso(a.at),
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": bool(set(a.labels) & SENSITIVE),
        "spoiler_text": "",
        "visibility": "public",
        "language": a.lang,
        "uri": f"{base}/users/{account.user}/statuses/{sid}",
        "url": f"{base}/@{account.user}/{sid}",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
        "edited_at": iso(item.edited_at) if item.edited_at else None,
        "content": _masto_html(item.shown_text or "", a.links),
        "reblog": None,
        "application": {"name": a.client, "website": None} if a.client else None,
        "account": {
            "id": account.number_id,
            "username": account.user,
            "acct": account.user,
            "display_name": account.profile.get("name") or "",
            "bot": False,
        },
        "media_attachments": [
            {"id": str(n), "type": m.get("type", "image"), "url": m.get("url")} for n, m in enumerate(a.media)
        ],
        "mentions": [
            {
                "id": str(stable_number(m, 17)),
                "username": m.split("@")[0],
                "acct": m,
                "url": f"https://{m.split('@')[-1]}/@{m.split('@')[0]}",
            }
            for m in a.mentions
        ],
        "tags": [{"name": t, "url": f"{base}/tags/{t}"} for t in a.hashtags],
        "emojis": [],
        "card": None,
        "poll": None,
    }
    if a.kind == "repost":
        status["content"] = ""
        status["reblog"] = _masto_remote(target, base)
    elif a.kind == "reply":
        replied = target.get("account") or "unknown"
        status["in_reply_to_id"] = str(stable_number(str(target.get("id")), 17))
        status["in_reply_to_account_id"] = str(stable_number(replied, 17))
        if not any(m["acct"] == replied for m in status["mentions"]):
            status["mentions"].append(
                {"id": status["in_reply_to_account_id"], "username": replied.split("@")[0], "acct": replied, "url": ""}
            )
    elif a.kind == "quote":
        status["quote"] = {"state": "accepted", "quoted_status": _masto_remote(target, base)}
    return status


def _masto_remote(target: dict[str, Any], base: str) -> dict[str, Any]:
    acct = target.get("account") or "unknown"
    rid = str(stable_number(str(target.get("id") or acct), 17))
    return {
        "id": rid,
        "created_at": "2020-01-01T00:00:00.000Z",
        "language": target.get("lang"),
        "content": f"<p>{escape(target.get('text') or '')}</p>",
        "uri": target.get("url") or f"{base}/statuses/{rid}",
        "url": target.get("url"),
        "account": {"id": str(stable_number(acct, 17)), "acct": acct},
        "sensitive": bool(set(target.get("labels") or []) & SENSITIVE),
        "mentions": [],
        "tags": [],
        "media_attachments": [],
    }


# --- X API v2 -----------------------------------------------------------------------------------


def x_user(account: MockAccount) -> dict[str, Any]:
    p = account.profile
    return {
        "id": account.number_id,
        "name": p.get("name") or "",
        "username": account.handle,
        "description": p.get("bio") or "",
        "location": p.get("location"),
        "url": p.get("url") or "",
        "profile_image_url": p.get("avatar"),
        "protected": account.status == "protected",
        "verified": False,
        "verified_type": "government",
        "created_at": "2010-01-01T00:00:00.000Z",
        "public_metrics": {
            "followers_count": 1200,
            "following_count": len(account.follows),
            "tweet_count": len(account.items),
            "listed_count": 10,
        },
    }


X_USER_ERRORS = {
    "suspended": {
        "value": None,
        "detail": "User has been suspended: [{u}].",
        "title": "Forbidden",
        "resource_type": "user",
        "parameter": "username",
        "type": "https://api.twitter.com/2/problems/resource-unavailable",
    },
    "deleted": {
        "value": None,
        "detail": "Could not find user with username: [{u}].",
        "title": "Not Found Error",
        "resource_type": "user",
        "parameter": "username",
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    },
    "deactivated": {
        "value": None,
        "detail": "Could not find user with username: [{u}].",
        "title": "Not Found Error",
        "resource_type": "user",
        "parameter": "username",
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    },
}


def x_user_error(account_handle: str, status: str) -> dict[str, Any]:
    error: dict[str, Any] = dict(X_USER_ERRORS[status])
    error["value"] = account_handle
    error["detail"] = error["detail"].format(u=account_handle)
    return {"errors": [error]}


def x_tweet(account: MockAccount, item: Item, new_names: bool) -> tuple[dict[str, Any], dict | None, dict | None]:
    """(tweet, referenced tweet for includes, its author for includes)."""
    a = item.activity
    target = a.target or {}
    tweet: dict[str, Any] = {
        "id": str(item.number),
        "text": item.shown_text or "",
        "author_id": account.number_id,
        "created_at": iso(a.at),
        "lang": a.lang or "und",
        "possibly_sensitive": bool(set(a.labels) & SENSITIVE),
    }
    entities: dict[str, Any] = {}
    if a.links:
        entities["urls"] = [
            {"url": f"https://t.co/{stable_number(u, 10)}", "expanded_url": u, "display_url": u.split("//")[-1][:30]}
            for u in a.links
        ]
    if a.mentions:
        entities["mentions"] = [{"username": m, "id": str(stable_number(m, 18))} for m in a.mentions]
    if a.hashtags:
        entities["hashtags"] = [{"tag": h} for h in a.hashtags]
    if entities:
        tweet["entities"] = entities
    ref_tweet = ref_user = None
    kind = {"repost": "retweeted", "quote": "quoted", "reply": "replied_to"}.get(a.kind)
    if kind:
        author = target.get("account") or "unknown"
        author_id = str(stable_number(author, 18))
        ref_id = (
            str(target.get("id"))
            if str(target.get("id", "")).isdigit()
            else str(stable_number(str(target.get("id") or author), 18))
        )
        tweet["referenced_posts" if new_names else "referenced_tweets"] = [{"type": kind, "id": ref_id}]
        ref_tweet = {"id": ref_id, "text": target.get("text") or "", "author_id": author_id}
        if target.get("lang"):
            ref_tweet["lang"] = target["lang"]
        ref_user = {"id": author_id, "username": author, "name": author}
        if a.kind == "repost":
            tweet["text"] = f"RT @{author}: {target.get('text') or ''}"[:280]
        if a.kind == "reply":
            tweet["in_reply_to_user_id"] = author_id
    tweet["edit_history_post_ids" if new_names else "edit_history_tweet_ids"] = [tweet["id"]]
    return tweet, ref_tweet, ref_user


# --- RSS / Atom ---------------------------------------------------------------------------------


def feed_entries(account: MockAccount, limit: int = 20) -> list[Item]:
    return [i for i in account.items if i.kind != "repost"][-limit:][::-1]


def rss_document(account: MockAccount, site: str) -> str:
    p = account.profile
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
        f"<title>{escape(p.get('name') or account.handle)}</title>",
        f"<link>{escape(p.get('url') or site + '/' + account.handle)}</link>",
        f"<description>{escape(p.get('bio') or '')}</description>",
    ]
    langs = [i.activity.lang for i in account.items if i.activity.lang]
    if langs:
        parts.append(f"<language>{escape(langs[-1])}</language>")
    for item in feed_entries(account):
        a = item.activity
        title, _, rest = (a.text or "").partition("\n")
        link = a.url or f"{site}/{account.handle}/{item.number}"
        parts.append(
            "<item>"
            f"<title>{escape(title[:200])}</title><link>{escape(link)}</link>"
            f'<guid isPermaLink="false">{escape(account.handle)}-{item.number}</guid>'
            f"<pubDate>{format_datetime(a.at.astimezone(timezone.utc), usegmt=True)}</pubDate>"
            f"<description>{escape(rest or title)}</description>"
            + "".join(f"<category>{escape(t)}</category>" for t in a.hashtags)
            + "</item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts)


def atom_document(account: MockAccount, site: str, youtube: bool) -> str:
    p = account.profile
    channel = "UC" + str(stable_number(account.handle, 20))
    updated = iso(account.updated or datetime(2020, 1, 1, tzinfo=timezone.utc))
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/">',
        f"<id>{'yt:channel:' + channel if youtube else escape(site + '/' + account.handle)}</id>",
        f"<title>{escape(p.get('name') or account.handle)}</title>",
        f'<link rel="alternate" href={quoteattr(p.get("url") or site + "/" + account.handle)}/>',
        f"<subtitle>{escape(p.get('bio') or '')}</subtitle><updated>{updated}</updated>",
    ]
    for item in feed_entries(account, 15 if youtube else 20):
        a = item.activity
        title, _, rest = (a.text or "").partition("\n")
        video = f"v{stable_number(str(item.number), 10)}"
        link = (
            f"https://www.youtube.com/watch?v={video}"
            if youtube
            else (a.url or f"{site}/{account.handle}/{item.number}")
        )
        entry_id = f"yt:video:{video}" if youtube else f"tag:mockfeed,2020:{account.handle}:{item.number}"
        extra = (
            (
                f"<yt:videoId>{video}</yt:videoId><yt:channelId>{channel}</yt:channelId>"
                f"<media:group><media:title>{escape(title[:200])}</media:title>"
                f"<media:description>{escape(rest)}</media:description>"
                f'<media:thumbnail url="https://i.ytimg.com/vi/{video}/hqdefault.jpg" width="480" height="360"/>'
                "</media:group>"
            )
            if youtube
            else f"<summary>{escape(rest or title)}</summary>"
        )
        parts.append(
            f"<entry><id>{entry_id}</id>{extra}<title>{escape(title[:200])}</title>"
            f'<link rel="alternate" href={quoteattr(link)}/>'
            f"<author><name>{escape(p.get('name') or account.handle)}</name></author>"
            f"<published>{iso(a.at)}</published><updated>{iso(a.at)}</updated></entry>"
        )
    parts.append("</feed>")
    return "".join(parts)


# --- Telegram channel preview (t.me/s/<channel>) ----------------------------------------------------
# The markup shape of fixtures/recorded/telegram/*.html (see its README): the class names and attributes
# the public preview page uses.

TG_PAGE = 20


def tg_page(account: MockAccount, base: str, before: int | None = None) -> str:
    """The channel's preview page: the header and up to 20 messages older than `before` (newest last)."""
    items = [i for i in account.items if before is None or i.number < before][-TG_PAGE:]
    channel = account.handle
    p = account.profile
    title = escape(p.get("name") or channel)
    verified = '<i class="verified-icon"></i>' if "verified" in (p.get("labels") or []) else ""
    avatar = (
        f'<i class="tgme_page_photo_image bgcolor1"><img src={quoteattr(p["avatar"])}></i>' if p.get("avatar") else ""
    )
    bio = "<br/>".join(escape(line) for line in (p.get("bio") or "").split("\n"))
    messages = "\n".join(_tg_message(account, item, base) for item in items)
    more = ""
    if items and any(i.number < items[0].number for i in account.items):
        more = (
            f'<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/{channel}?before='
            f'{items[0].number}" data-before="{items[0].number}" class="tme_messages_more js-messages_more"></a></div>'
        )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title} – Telegram</title>
<meta property="og:title" content={quoteattr(p.get("name") or channel)}>
<link rel="canonical" href="{base}/s/{channel}" /></head>
<body class="widget_frame_base tgme_webpage_body"><main class="tgme_main"><div class="tgme_container">
<section class="tgme_right_column"><div class="tgme_channel_info"><div class="tgme_channel_info_header">{avatar}
<div class="tgme_channel_info_header_title_wrap"><div class="tgme_channel_info_header_title"><span dir="auto">{title}</span>{verified}</div></div>
<div class="tgme_channel_info_header_username"><a href="{base}/{channel}">@{channel}</a></div></div>
<div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter"><span class="counter_value">1.2K</span> <span class="counter_type">subscribers</span></div></div>
<div class="tgme_channel_info_description">{bio}</div></div></section>
<section class="tgme_channel_history js-message_history">
{messages}
</section></div>{more}</main></body></html>
"""


def _tg_message(account: MockAccount, item: Item, base: str) -> str:
    a = item.activity
    post = f"{account.handle}/{item.number}"
    target = a.target or {}
    parts = []
    if a.kind == "repost":
        source = target.get("account") or "unknown"
        if " " in source or not source.replace("_", "").isalnum():  # a hidden user shows only a name
            parts.append(
                '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from&nbsp;'
                f'<span class="tgme_widget_message_forwarded_from_name"><span dir="auto">{escape(source)}'
                "</span></span></div>"
            )
        else:
            ident = str(target.get("id") or "")
            number = (
                ident.rsplit("/", 1)[-1] if ident.rsplit("/", 1)[-1].isdigit() else stable_number(ident or source, 5)
            )
            parts.append(
                '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from&nbsp;'
                f'<a class="tgme_widget_message_forwarded_from_name" href="{base}/{source}/{number}">'
                f'<span dir="auto">{escape(source.replace("_", " ").title())}</span></a></div>'
            )
    elif a.kind == "reply":
        ident = str(target.get("id") or "")
        number = ident.rsplit("/", 1)[-1] if ident.rsplit("/", 1)[-1].isdigit() else "1"
        parts.append(
            f'<a class="tgme_widget_message_reply" href="{base}/{account.handle}/{number}">'
            '<div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name" '
            f'dir="auto">{escape(account.profile.get("name") or "")}</span></div>'
            '<div class="tgme_widget_message_metatext js-message_reply_text" dir="auto">'
            f"{escape(target.get('text') or '')}</div></a>"
        )
    for medium in a.media:
        if medium.get("type") == "video":
            parts.append(
                f'<div class="tgme_widget_message_video_wrap"><video src={quoteattr(medium.get("url", ""))} '
                'class="tgme_widget_message_video js-message_video"></video></div>'
            )
        else:
            parts.append(
                f'<a class="tgme_widget_message_photo_wrap" href="{base}/{post}" '
                f"style=\"width:800px;background-image:url('{escape(medium.get('url', ''))}')\"></a>"
            )
    text = (target.get("text") if a.kind == "repost" else item.shown_text) or ""
    body = escape(text)
    for link in a.links:
        if escape(link) in body:
            body = body.replace(
                escape(link), f'<a href="{escape(link)}" target="_blank" rel="noopener">{escape(link)}</a>'
            )
    body = body.replace("\n", "<br/>")
    tags = " ".join(f'<a href="?q=%23{escape(t)}">#{escape(t)}</a>' for t in a.hashtags)
    if text or tags:
        parts.append(
            f'<div class="tgme_widget_message_text js-message_text" dir="auto">{body}'
            f"{'<br/><br/>' + tags if tags else ''}</div>"
        )
    edited = "edited " if item.edited_at else ""
    views = 100 + stable_number(post, 4)
    parts.append(
        '<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info '
        f'short js-message_info"><span class="tgme_widget_message_views">{views}</span><span class="copyonly"> '
        f'views</span><span class="tgme_widget_message_meta">{edited}<a class="tgme_widget_message_date" '
        f'href="{base}/{post}"><time datetime="{a.at.astimezone(timezone.utc).isoformat()}" class="time">'
        f"{a.at:%H:%M}</time></a></span></div></div>"
    )
    return (
        f'<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message '
        f'js-widget_message" data-post="{post}"><div class="tgme_widget_message_bubble">{"".join(parts)}</div></div></div>'
    )


def tg_no_preview(channel: str) -> str:
    """What t.me shows for a channel without a public preview (private, or gone)."""
    return (
        f"<!DOCTYPE html><html><head><title>Telegram: Contact @{escape(channel)}</title></head><body>"
        f'<div class="tgme_page"><div class="tgme_page_title"><span dir="auto">{escape(channel)}</span></div>'
        '<div class="tgme_page_description">If you have Telegram, you can contact the channel right away.</div>'
        "</div></body></html>"
    )
