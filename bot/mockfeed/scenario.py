"""Activity for the mock server to serve: recorded feeds (Activity JSON Lines, gzipped or not) or a
synthetic population of official accounts for benchmarks."""

from __future__ import annotations

import gzip
import json
import random
import sys
import zlib
from datetime import datetime, timedelta
from pathlib import Path

from bot.activity import Activity, ActivityError, parse_activity

PLATFORMS = ("bluesky", "mastodon", "x", "rss")
LANGS = ("en", "fr", "ru", "zh", "es", "ar")
PARTNERS = ("mfa_x", "statemedia", "pm_office", "un_news", "embassy_y", "press_agency")


class FeedUnreadable(OSError):
    """A feed that is not (gzipped) UTF-8 text: an OSError, so a caller tells it as one it cannot read."""


def read_feed(path: Path) -> list[Activity]:
    """Activities of one JSONL feed; a bad line is reported on stderr with its place and skipped. A file
    that cannot be read as text at all (binary, a broken gzip) raises FeedUnreadable saying why."""
    opener = gzip.open if path.suffix == ".gz" else open
    out = []
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    out.append(parse_activity(json.loads(line)))
                except (ValueError, ActivityError) as exc:
                    print(f"mockfeed: {path}:{number}: skipped: {exc}", file=sys.stderr)
    except UnicodeDecodeError as exc:
        # (text is decoded a chunk at a time: neither the line nor the byte would be exact)
        raise FeedUnreadable(f"not UTF-8 text ({exc.reason}): a feed is JSON Lines") from exc
    except (EOFError, zlib.error) as exc:  # a gzip cut short or corrupted (a bad header is already an OSError)
        raise FeedUnreadable(f"broken gzip: {exc or 'cut short'}") from exc
    return out


def handle_for(platform: str, number: int) -> str:
    return {
        "bluesky": f"embassy{number}.bsky.example",
        "mastodon": f"embassy{number}@mastodon.example",
        "x": f"Embassy{number}",
        "rss": f"mfa{number}",
    }[platform]


def synthetic(
    accounts: int, *, start: datetime, history: int = 12, future: int = 4, spacing: float = 600.0, seed: int = 7
) -> list[Activity]:
    """`accounts` accounts spread over the four platforms, each with `history` activities before `start`
    and `future` activities after it, `spacing` feed-seconds apart on average."""
    rng = random.Random(seed)
    out: list[Activity] = []
    for number in range(accounts):
        platform = PLATFORMS[number % len(PLATFORMS)]
        handle = handle_for(platform, number)
        lang = LANGS[number % len(LANGS)]
        at = start - timedelta(seconds=spacing * (history + 1))
        for step in range(history + future):
            at += timedelta(seconds=rng.uniform(0.5, 1.5) * spacing)
            out.append(_activity(rng, platform, handle, number, step, at, lang))
    return out


def _activity(
    rng: random.Random, platform: str, handle: str, number: int, step: int, at: datetime, lang: str
) -> Activity:
    kinds = ["post", "post", "reply", "repost", "quote"]
    if platform == "bluesky":
        kinds += ["like", "like", "follow"]
    if platform == "rss":
        kinds = ["post"]
    kind = rng.choice(kinds)
    partner = rng.choice(PARTNERS)
    partner_handle = f"{partner}.bsky.example" if platform == "bluesky" else partner
    ident = f"{platform}:{number}:{step}"
    text = f"Statement {step} from account {number}\nOn the bilateral meeting #diplomacy https://mfa.example/{number}/{step}"
    target = None
    if kind in ("reply", "repost", "quote", "like"):
        target = {
            "id": f"{partner}:{number}:{step}",
            "account": partner_handle,
            "text": f"Item by {partner}",
            "lang": lang,
        }
    elif kind == "follow":
        target = {"account": f"{partner}{step}.bsky.example" if platform == "bluesky" else f"{partner}{step}"}
    return Activity(
        id=ident,
        platform=platform,
        account=handle,
        kind=kind,
        at=at,
        text=None if kind in ("like", "follow", "repost") else text,
        lang=lang,
        links=[f"https://mfa.example/{number}/{step}"] if kind in ("post", "reply", "quote") else [],
        hashtags=["diplomacy"] if kind in ("post", "reply", "quote") else [],
        target=target,
    )
