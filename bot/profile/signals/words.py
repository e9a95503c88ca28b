"""How reasons name kinds of activity and local times."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, Callable


def kind_name(kind: str) -> str:
    return {
        "reply": "reply",
        "repost": "repost",
        "quote": "quote post",
        "like": "like",
        "unlike": "un-like",
        "follow": "follow",
        "unfollow": "unfollow",
        "delete": "deletion",
        "post": "post",
    }.get(kind, kind)


def plural(kind: str) -> str:
    return {"reply": "replies", "quote": "quote posts", "delete": "deletions", "unlike": "un-likes"}.get(
        kind, kind + "s"
    )


def counted(n: float, one: str, many: str) -> str:
    """A count and its noun, as a reason reads it: "1 deletion", "12 deletions", "2,314 activities"."""
    return f"{n:,.0f} {one if round(n) == 1 else many}"


def past(kind: str) -> str:
    """'posted', 'liked', 'followed': what it did, for a reason."""
    if kind in ("post", "reply", "quote"):
        return "posted"
    name = kind_name(kind)
    return f"{name}d" if name.endswith("e") else f"{name}ed"


@lru_cache(maxsize=512)
def zone(name: str | None) -> Any:
    """The IANA zone of a watch-list entry, or None (UTC) when it has none or an unknown one."""
    if not name:
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # an unknown zone name must not stop scoring
        return None


def local(at: datetime, tz_name: str | None) -> tuple[datetime, str]:
    tz = zone(tz_name)
    return (at.astimezone(tz), "local") if tz is not None else (at, "UTC")


def percent(share: float, places: int = 1) -> str:
    """A share as a reason writes it: "2.3%", or "under 0.1%" for one above nothing that would read 0.0%
    (to `places` decimals)."""
    if 0 < share < 0.5 / 10 ** (places + 2):
        return f"under {10.0**-places:.{places}f}%"
    return f"{100 * share:.{places}f}%"


def usual(top: list) -> list:
    """Its usual values worth naming: the first, and the others of 0.5% or more ("Spanish 100%", not
    "Spanish 100%, Portuguese 0%")."""
    return top[:1] + [(k, s) for k, s in top[1:] if s >= 0.005]


def usual_text(top: list, name: Callable[[str], str] = str) -> str:
    """Its usual values and their shares, each shown by `name`: "Twitter Web App 60%, Facebook 40%", or
    with language_name "Danish 84%, English 16%"."""
    return ", ".join(f"{name(k)} {100 * s:.0f}%" for k, s in usual(top))
