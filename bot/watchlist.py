"""The watch list's rules, shared by `/watch add` and `diplowatch watch`: what a valid entry is, and
watch-list files (CSV or TOML) read and written in the same shape.

No Discord here: an error is a `WatchError` whose text names the field, what was wrong and what would
be right; each front end shows it its own way.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli_w
from rapidfuzz import fuzz, process

from bot.handles import CASELESS, HandleError, normalize_handle, same_account
from bot.sources import REGISTRY
from bot.watch import HEADLESS, WatchedAccount
from storage import watch as watch_store

# What /watch add offers, in this order; a platform without a source in this build is refused with a reason.
PLATFORMS = ["fixture", "x", "bluesky", "mastodon", "rss"]
PLATFORMS += sorted(p for p in REGISTRY if p not in PLATFORMS)

COUNTRY = re.compile(r"[A-Za-z]{2}")
TEXT_LIMITS = {"role": 60, "affiliation": 100, "owner": 100}
# A Discord channel webhook. Loopback hosts are accepted too, for local test servers.
WEBHOOK = re.compile(
    r"(?:https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com|http://(?:127\.0\.0\.1|localhost)(?::\d{1,5})?)"
    r"/api(?:/v\d{1,2})?/webhooks/(?P<id>\d{1,20})/[A-Za-z0-9_-]{1,100}"
)
CHANNEL = re.compile(r"<#(\d{1,20})>|(\d{1,20})")


@dataclass
class Lookup:
    """What a typed 'platform:handle' or bare handle found: the handle as meant, the watched accounts it
    matches, and when none does, the closest watched handles (for "did you mean")."""

    handle: str
    matches: list[WatchedAccount]
    close: list[str]


async def lookup(db: Any, typed: str, guild: int) -> Lookup:
    """The accounts one scope (a server, or the headless scope 0) watches that `typed` means, as `/watch`
    and `diplowatch watch` both read it. Another scope's entries are never found nor suggested."""
    typed = (typed or "").strip()
    platform, handle = None, typed
    head, sep, tail = typed.partition(":")
    if sep and head in PLATFORMS:
        platform, handle = head, tail
    matches = await watch_store.find(db, handle, platform, guild)
    close: list[str] = []
    if not matches:
        everyone = [a.handle for a in await watch_store.all_accounts(db, guild)]
        close = [
            c[0] for c in process.extract(handle.lstrip("@"), everyone, scorer=fuzz.WRatio, limit=3, score_cutoff=60)
        ]
    return Lookup(handle.lstrip("@"), matches, close)


def scope_name(guild: int) -> str:
    """A scope's watch list as a message names it."""
    return "the command line's watch list" if guild == HEADLESS else f"server {guild}'s watch list"


async def spelling(db: Any, guild: int, account: WatchedAccount) -> str:
    """The spelling to store `account` under. Where its platform ignores letter case, an entry of this scope
    in another case is this account (its spelling is kept, and so its baseline); else another scope's
    spelling, so that the account is polled once. WatchError when this scope has it in several spellings."""
    if account.platform not in CASELESS:
        return account.handle
    found = await watch_store.find(db, account.handle, account.platform)  # any letter case already
    mine = sorted({a.handle for a in found if a.guild_id == guild})
    if account.handle in mine:
        return account.handle
    if len(mine) > 1:
        raise WatchError(
            f"{account.platform} handles ignore case, and {scope_name(guild)} has @{account.handle} as "
            f"{', '.join('@' + h for h in mine)}; remove all but one "
            f"(diplowatch watch remove {account.platform}:{mine[-1]})."
        )
    if mine:
        return mine[0]
    others = sorted({a.handle for a in found})
    return account.handle if account.handle in others or not others else others[0]


def respelled(account: WatchedAccount, typed: str) -> str:
    """What `diplowatch watch` and `/watch add` tell when `typed` was stored as the watched spelling."""
    return (
        f"{account.platform} handles ignore case: @{typed} is the watched @{account.handle}, "
        f"kept in the spelling first stored"
    )


# Columns of a watch-list file, in the order export writes them.
COLUMNS = ("platform", "handle", "role", "country", "host_country", "affiliation", "owner", "tz", "channel", "webhook")
REQUIRED = ("platform", "handle")


class WatchError(ValueError):
    """An entry that cannot be watched; str() says what is wrong and what would be right."""


def check_text(name: str, value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if len(value) > limit:
        raise WatchError(f"{name} is {len(value)} characters long; keep it to {limit} or fewer.")
    return value


def check_tz(value: str | None) -> str | None:
    """An IANA time zone name, as the standard library knows it (Asia/Shanghai, Europe/Paris, UTC)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    shown = value if len(value) <= 40 else value[:39] + "…"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of zones, such as "America"
        raise WatchError(
            f'tz "{shown}" is not a time zone I know; use an IANA name such as Asia/Shanghai, '
            f"Europe/Paris or America/New_York."
        ) from None
    return value


def check_country(name: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not COUNTRY.fullmatch(value):
        shown = value if len(value) <= 40 else value[:39] + "…"
        raise WatchError(
            f'{name} "{shown}" is not a two-letter country code; use ISO 3166 codes such as CN, US, GB, RU.'
        )
    return value.upper()


def check_channel(value: str | int | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    match = CHANNEL.fullmatch(text)
    if match is None or int(match.group(1) or match.group(2)) <= 0:
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise WatchError(
            f'channel "{shown}" is not a Discord channel id; copy it with Developer Mode on '
            f"(right-click the channel, Copy Channel ID), e.g. 1234567890123456789."
        )
    number = int(match.group(1) or match.group(2))
    if number >= 2**63:
        raise WatchError("channel is not a Discord channel id: the number is too large.")
    return number


def check_webhook(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not WEBHOOK.fullmatch(value):
        # Never echo the value: it may be a webhook URL with a typo, and a webhook URL is a secret.
        raise WatchError(
            "webhook is not a Discord webhook URL; copy it from the channel's Integrations > "
            "Webhooks > Copy Webhook URL (https://discord.com/api/webhooks/<id>/<token>)."
        )
    return value


def webhook_id(url: str) -> str:
    """What a webhook is called wherever its URL must not appear (outbox, logs, listings)."""
    match = WEBHOOK.fullmatch(url)
    if match:
        return match.group("id")
    return "h" + hashlib.sha256(url.encode()).hexdigest()[:16]


def check_account(
    platform: str,
    handle: str,
    *,
    role: str | None = None,
    country: str | None = None,
    host_country: str | None = None,
    affiliation: str | None = None,
    owner: str | None = None,
    channel: str | int | None = None,
    webhook: str | None = None,
    tz: str | None = None,
    added_by: str | None = None,
) -> WatchedAccount:
    """One entry as `/watch add` and the CLI accept it, normalised; WatchError names the first bad field."""
    platform = (platform or "").strip().lower()
    if platform not in PLATFORMS:
        shown = platform if len(platform) <= 40 else platform[:39] + "…"
        raise WatchError(f'"{shown}" is not a platform I know; pick one of: {", ".join(PLATFORMS)}.')
    if platform not in REGISTRY:
        raise WatchError(
            f"This build has no {platform} source yet; platforms that work now: {', '.join(sorted(REGISTRY))}."
        )
    try:
        handle = normalize_handle(platform, handle)
    except HandleError as exc:
        raise WatchError(str(exc) + ".") from None
    return WatchedAccount(
        platform=platform,
        handle=handle,
        channel_id=check_channel(channel),
        owner=check_text("owner", owner, TEXT_LIMITS["owner"]),
        role=check_text("role", role, TEXT_LIMITS["role"]),
        country=check_country("country", country),
        host_country=check_country("host_country", host_country),
        affiliation=check_text("affiliation", affiliation, TEXT_LIMITS["affiliation"]),
        webhook_url=check_webhook(webhook),
        tz=check_tz(tz),
        added_by=added_by,
    )


# ---- watch-list files -------------------------------------------------------------------------------


@dataclass
class BadRow:
    line: int  # 1-based line of the file where the row starts
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ParsedList:
    accounts: list[tuple[int, WatchedAccount]] = field(default_factory=list)  # (line, account)
    bad: list[BadRow] = field(default_factory=list)


def file_format(path: str | Path, explicit: str | None = None) -> str:
    if explicit:
        return explicit
    return "toml" if str(path).lower().endswith(".toml") else "csv"


def _entry(line: int, values: dict[str, Any], added_by: str | None, out: ParsedList, seen: dict) -> None:
    unknown = sorted(k for k in values if k not in COLUMNS)
    if unknown:
        out.bad.append(BadRow(line, f"unknown field {unknown[0]!r} (known: {', '.join(COLUMNS)})"))
        return
    missing = [k for k in REQUIRED if not str(values.get(k) or "").strip()]
    if missing:
        out.bad.append(BadRow(line, f"{missing[0]} is missing"))
        return
    not_text = [k for k, v in values.items() if isinstance(v, bool) or not isinstance(v, (str, int, type(None)))]
    if not_text:
        out.bad.append(BadRow(line, f"{not_text[0]} must be text"))
        return
    text = {k: (None if v is None else str(v)) for k, v in values.items()}
    try:
        account = check_account(text.pop("platform") or "", text.pop("handle") or "", added_by=added_by, **text)
    except WatchError as exc:
        out.bad.append(BadRow(line, str(exc)))
        return
    # Foo1 and foo1 on x are one account (handles.CASELESS): the second is listed already
    key = (account.platform, same_account(account.platform, account.handle))
    if key in seen:
        first, handle = seen[key]
        spelled = "" if handle == account.handle else f" (as {handle}; {account.platform} handles ignore case)"
        out.bad.append(BadRow(line, f"{account.platform}:{account.handle} is listed already on line {first}{spelled}"))
        return
    seen[key] = (line, account.handle)
    out.accounts.append((line, account))


def parse_csv(text: str, added_by: str | None = None) -> ParsedList:
    """A header row naming the columns (any order; only platform and handle are required), then one
    account per row. Empty cells are not given."""
    out, seen = ParsedList(), dict[tuple[str, str], int]()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header: list[str] | None = None
    start = 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                unknown = [c for c in header if c not in COLUMNS]
                missing = [c for c in REQUIRED if c not in header]
                if unknown or missing:
                    reason = f"unknown column {unknown[0]!r}" if unknown else f"no {missing[0]!r} column"
                    out.bad.append(BadRow(line, f"{reason}: the header names the columns, among {', '.join(COLUMNS)}"))
                    return out
                continue
            if len(row) > len(header):
                out.bad.append(BadRow(line, f"{len(row)} cells but the header names {len(header)} columns"))
                continue
            values = {name: (cell if cell.strip() else None) for name, cell in zip(header, row, strict=False)}
            _entry(line, values, added_by, out, seen)
    except csv.Error as exc:
        out.bad.append(BadRow(start, f"not valid CSV ({exc})"))
    return out


_TABLE = re.compile(r"^[ \t]*\[\[[ \t]*(?:\"account\"|'account'|account)\s*\]\]", re.MULTILINE)


def parse_toml(text: str, added_by: str | None = None) -> ParsedList:
    """One [[account]] table per account, with the same fields as the CSV columns."""
    out, seen = ParsedList(), dict[tuple[str, str], int]()
    try:
        data = tomllib.loads(text.lstrip("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        out.bad.append(BadRow(int(match.group(1)) if match else 1, f"not valid TOML ({exc})"))
        return out
    unknown = sorted(k for k in data if k != "account")
    if unknown:
        out.bad.append(BadRow(1, f"unknown key {unknown[0]!r}: a watch list is [[account]] tables"))
        return out
    entries = data.get("account", [])
    if not isinstance(entries, list):
        out.bad.append(BadRow(1, "account must be an array of tables: write [[account]] before each one"))
        return out
    # tomllib keeps no positions; the n-th [[account]] header is where the n-th table starts.
    starts = [text.count("\n", 0, m.start()) + 1 for m in _TABLE.finditer(text.lstrip("\ufeff"))]
    for index, entry in enumerate(entries):
        line = starts[index] if index < len(starts) else 1
        if not isinstance(entry, dict):
            out.bad.append(BadRow(line, "each account must be a table"))
            continue
        _entry(line, entry, added_by, out, seen)
    return out


def parse_list(text: str, fmt: str, added_by: str | None = None) -> ParsedList:
    if fmt not in ("csv", "toml"):
        raise ValueError(f"unknown watch-list format {fmt!r} (csv or toml)")
    return parse_toml(text, added_by) if fmt == "toml" else parse_csv(text, added_by)


def _row(account: WatchedAccount) -> dict[str, str]:
    values = {
        "platform": account.platform,
        "handle": account.handle,
        "role": account.role,
        "country": account.country,
        "host_country": account.host_country,
        "affiliation": account.affiliation,
        "owner": account.owner,
        "tz": account.tz,
        "channel": str(account.channel_id) if account.channel_id else None,
        "webhook": account.webhook_url,
    }
    return {k: v for k, v in values.items() if v}


def dump_list(accounts: list[WatchedAccount], fmt: str) -> str:
    """The watch list in the shape parse_list reads (webhook URLs included: the file is a secret too)."""
    if fmt == "toml":
        return tomli_w.dumps({"account": [_row(a) for a in accounts]})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for account in accounts:
        writer.writerow(_row(account))
    return buffer.getvalue()
