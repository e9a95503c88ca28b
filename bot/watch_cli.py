"""`diplowatch watch`: the watch list without Discord, on the same database and with the same rules as `/watch`.

    diplowatch watch add bluesky mfa.gov.cn --role "foreign ministry" --country CN
    diplowatch watch import fixtures/watchlist.csv     (or .toml; the same file twice changes nothing)
    diplowatch watch export watchlist.toml
    diplowatch watch run                              (poll and print alerts, no bot needed)

The database is DIPLOWATCH_DATABASE (default data/diplowatch.db) unless --db says otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from datetime import datetime, timezone
from pathlib import Path


from bot import progress
from bot.watch import HEADLESS, WatchedAccount
from bot.watchlist import (
    COLUMNS,
    PLATFORMS,
    BadRow,
    WatchError,
    respelled,
    scope_name,
    spelling,
    check_account,
    dump_list,
    file_format,
    lookup,
    parse_list,
    webhook_id,
)
from storage import watch as watch_store
from storage.db import Database, shown
from storage.db import errors as db_errors

SPARK = " ▁▂▃▄▅▆▇█"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "watch",
        help="manage the watch list, or poll it and print alerts, without Discord",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="PATH", help="SQLite file (default: DIPLOWATCH_DATABASE, else data/diplowatch.db)"
    )
    common.add_argument(
        "--guild",
        type=_guild_id,
        default=HEADLESS,
        metavar="ID",
        help="the Discord server (its id) whose watch list this is; default: the command line's "
        "own watch list, whose alerts `watch run` prints (no server sees it)",
    )
    sub = p.add_subparsers(dest="watch_command", metavar="ACTION", required=True)

    add = sub.add_parser("add", parents=[common], help="watch an account (or update one already watched)")
    add.add_argument("platform", help=f"one of: {', '.join(PLATFORMS)}")
    add.add_argument("handle", help="the account's handle, without @ (an RSS feed: its URL)")
    for name, what in (
        ("role", "who it is, e.g. embassy, ambassador, foreign ministry, state media"),
        ("country", "the country it speaks for, two letters (CN, US, GB...)"),
        ("host-country", "where it is based, two letters (an embassy's host country)"),
        ("affiliation", "a declared or undeclared tie, e.g. state media (CGTN)"),
        ("owner", "who runs it, e.g. Embassy of the PRC in the US"),
        ("tz", "its time zone, e.g. Asia/Shanghai: usual hours in local time (default: UTC)"),
    ):
        add.add_argument(f"--{name}", help=what)
    # An empty field keeps what is stored; --no-channel / --no-webhook unset one (a leaked webhook URL).
    for name, what in (
        ("channel", "Discord channel id its alerts go to (default: the alerts channel)"),
        ("webhook", "Discord channel webhook URL its alerts go to"),
    ):
        either = add.add_mutually_exclusive_group()
        either.add_argument(f"--{name}", help=what)
        either.add_argument(f"--no-{name}", action="store_true", help=f"stop sending its alerts to a {name}")
    add.set_defaults(func=run_add)

    remove = sub.add_parser("remove", parents=[common], help="stop watching an account (its history is kept)")
    remove.add_argument("handle", help="handle, or platform:handle when it is watched on several platforms")
    remove.set_defaults(func=run_remove)

    listing = sub.add_parser("list", parents=[common], help="every watched account and where its alerts go")
    listing.set_defaults(func=run_list)

    show = sub.add_parser("show", parents=[common], help="an account's baseline in brief and its feed health")
    show.add_argument("handle", help="handle, or platform:handle")
    show.add_argument(
        "--chart",
        metavar="PNG",
        type=Path,
        help="also write its usual-hours chart (the image /watch show and alerts carry) to this file",
    )
    show.set_defaults(func=run_show)

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="add every account of a CSV or TOML file",
        description=f"Columns (CSV header) or keys (TOML [[account]] tables): {', '.join(COLUMNS)}; "
        "platform and handle are required. Bad rows are reported by line and the good "
        "ones are still added; importing the same file twice changes nothing.",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--format", choices=("csv", "toml"), help="default: from the file name (.toml, else CSV)")
    imp.add_argument("--quiet", action="store_true", help="no progress bar (there is none either off a terminal)")
    imp.set_defaults(func=run_import)

    exp = sub.add_parser("export", parents=[common], help="write the watch list as import reads it")
    exp.add_argument("file", nargs="?", default="-", help="default: standard output")
    exp.add_argument("--format", choices=("csv", "toml"), help="default: from the file name (.toml, else CSV)")
    exp.set_defaults(func=run_export)

    from bot import headless  # the live loop: its own module, registered here as `watch run`

    headless.register(sub, common)


def _guild_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0 or value >= 1 << 64:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a Discord server id (a number; in Discord: right-click "
            f"the server, Copy Server ID), nor 0 for the command line's own list"
        )
    return value


def scope(args) -> str:
    return scope_name(getattr(args, "guild", HEADLESS))


def database_path(args) -> Path | str:
    """--db, else DIPLOWATCH_DATABASE: a SQLite file's path or a postgresql:// URL. A setting that cannot be
    read raises ConfigError (never another database than the one meant)."""
    if getattr(args, "db", None):
        from storage.db import target

        return target(args.db)
    from bot.config import load_settings

    return load_settings().database


def who() -> str:
    try:
        return f"cli ({getpass.getuser()})"
    except (KeyError, OSError):
        return "cli"


def _fail(args, message: str, code: int = 2) -> int:
    print(f"diplowatch watch {args.watch_command}: {message}", file=sys.stderr)
    return code


def label(account: WatchedAccount) -> str:
    return f"@{account.handle} ({account.platform})"


def destinations(account: WatchedAccount) -> str:
    where = []
    if account.channel_id:
        where.append(f"channel {account.channel_id}")
    if account.webhook_url:
        where.append(f"webhook {webhook_id(account.webhook_url)}")  # the URL is a secret
    if where:
        return ", ".join(where)
    return "the terminal (watch run)" if account.guild_id == HEADLESS else "the server's alerts channel"


async def resolve(db: Database, typed: str, guild: int = HEADLESS) -> WatchedAccount:
    """The account one scope watches meant by 'platform:handle' or a bare handle (any letter case; the entry
    spelled exactly as typed when several match); WatchError when none or several."""
    found = await lookup(db, typed, guild)
    if len(found.matches) == 1:
        return found.matches[0]
    exact = [m for m in found.matches if m.handle == found.handle]
    if len(exact) == 1:
        return exact[0]
    if found.matches:
        named = sorted(f"{m.platform}:{m.handle}" for m in found.matches)
        raise WatchError(f"@{found.handle} is watched as {', '.join(named)}; say which, e.g. {named[0]}.")
    hint = f" Did you mean {', '.join('@' + c for c in found.close)}?" if found.close else ""
    where = "the watch list" if guild == HEADLESS else f"server {guild}'s watch list"
    raise WatchError(f"@{found.handle or '(empty)'} is not on {where} (diplowatch watch list).{hint}")


def _with_db(args, work) -> int:
    from bot.config import ConfigError

    try:
        path = database_path(args)
    except ConfigError as exc:
        return _fail(args, str(exc))

    async def main() -> int:
        db = await Database.open(path)
        try:
            return await work(db)
        finally:
            await db.close()

    try:
        return asyncio.run(main())
    except WatchError as exc:
        return _fail(args, str(exc), 1 if args.watch_command in ("remove", "show") else 2)
    except db_errors() as exc:
        return _fail(args, f"cannot use the database {shown(path)}: {exc}")


def _cannot_write(args, path, exc: OSError) -> int:
    return _fail(args, f"cannot write {path}: {exc.strerror or exc}")


def run_add(args) -> int:
    account = None
    try:
        account = check_account(
            args.platform,
            args.handle,
            role=args.role,
            country=args.country,
            host_country=args.host_country,
            affiliation=args.affiliation,
            owner=args.owner,
            channel=args.channel,
            webhook=args.webhook,
            tz=args.tz,
            added_by=who(),
        )
    except WatchError as exc:
        return _fail(args, str(exc))
    account.guild_id = args.guild
    typed = account.handle
    unset = [name for name, flag in (("channel_id", args.no_channel), ("webhook_url", args.no_webhook)) if flag]

    async def work(db: Database) -> int:
        async with db.transaction() as tx:
            account.handle = await spelling(db, args.guild, account)
            new = await watch_store.add(tx, account)
            if unset:
                await watch_store.clear(tx, args.guild, account.platform, account.handle, unset)
        stored = await watch_store.get(db, args.guild, account.platform, account.handle) or account
        if account.handle != typed:
            print(f"{respelled(account, typed)}.")
        verb = "Now watching" if new else "Updated (its baseline is kept)"
        print(f"{verb} {label(stored)} in {scope(args)}; alerts go to {destinations(stored)}.")
        if new:
            print("The first poll learns its history as the baseline and alerts on nothing in it.")
        return 0

    return _with_db(args, work)


def run_remove(args) -> int:
    async def work(db: Database) -> int:
        account = await resolve(db, args.handle, args.guild)
        async with db.transaction() as tx:
            await watch_store.remove(tx, args.guild, account.platform, account.handle)
        print(f"Stopped watching {label(account)}. Its stored history and alerts are kept.")
        return 0

    return _with_db(args, work)


def run_list(args) -> int:
    async def work(db: Database) -> int:
        accounts = await watch_store.all_accounts(db, args.guild)
        if not accounts:
            print(f"Nothing is on {scope(args)} yet; add an account with `diplowatch watch add` or `watch import`.")
            return 0
        print(f"Watching {len(accounts)} account{'s' * (len(accounts) != 1)} ({scope(args)}):")
        for a in accounts:
            bits = [
                label(a),
                *[x for x in (a.owner, a.role, a.country, a.affiliation) if x],
                f"alerts to {destinations(a)}",
            ]
            if a.muted_until:
                bits.append(f"muted until {a.muted_until}")
            print("  " + " · ".join(bits))
        return 0

    return _with_db(args, work)


def hours_spark(hours: list[int], zone: str = "UTC") -> list[str]:
    """24 bars, one per hour of day in `zone`."""
    top = max(hours) or 1
    return [
        "".join(SPARK[round(h / top * (len(SPARK) - 1))] for h in hours),
        "0     6     12    18   23 " + ("local" if zone != "UTC" else "UTC"),
    ]


def _top(counter, n: int, total: int) -> str:
    if not counter:
        return "none recorded"
    return ", ".join(f"{k} {v * 100 // max(total, 1)}%" for k, v in counter.most_common(n))


def run_show(args) -> int:
    from bot.alert_chart import account_chart, account_hours
    from bot.profile.langid import by_name
    from bot.sources.health import health_from_row
    from storage.account_summary import AccountSummary, summarize

    async def work(db: Database) -> int:
        account = await resolve(db, args.handle, args.guild)
        summary = await summarize(db, account.handle, account.platform)
        print(f"{label(account)}: baseline")
        who_ = " · ".join(x for x in (account.owner, account.role, account.country, account.affiliation) if x)
        if who_:
            print(f"  {who_}")
        print(f"  alerts to {destinations(account)}")
        if not summary.total:
            print("  no activity stored yet: the first poll learns its history")
        else:
            print(f"  activity: {summary.total:,} activities from {summary.first_at} to {summary.last_at}")
            hours, zone = await account_hours(db, account.platform, account.handle, account.tz)
            usual = AccountSummary(hours=hours).usual_hours()
            where = f"local time, {zone}" if zone != "UTC" else "UTC"
            print(
                f"  usual hours: {f'{usual[0]:02d}-{usual[1]:02d} {where} (80% of activity)' if usual else 'unknown'}"
            )
            for line in hours_spark(hours, zone):
                print(f"    {line}")
            print(f"  actions: {_top(summary.kinds, 6, summary.total)}")
            print(f"  languages: {_top(by_name(summary.langs), 4, summary.total)}")
            print(f"  clients: {_top(summary.clients, 3, summary.total)}")
            partners = ", ".join(f"@{k} ({v})" for k, v in summary.partners.most_common(6)) or "none recorded"
            print(f"  top interaction partners: {partners}")
        row = await watch_store.get_cursor(db, account.platform, account.handle)
        # As /watch status says it: ok, or backing off / paused after N failures in a row, the error, next try.
        feed = health_from_row(row).describe(datetime.now(timezone.utc)) if row else "not polled yet"
        if account.muted_until:
            feed += f"; muted until {account.muted_until}"
        print(f"  feed: {feed}")
        if args.chart:
            png = await account_chart(db, account.platform, account.handle, account.tz)
            try:
                await asyncio.to_thread(args.chart.write_bytes, png)
            except OSError as exc:
                return _cannot_write(args, args.chart, exc)
            print(f"wrote its usual-hours chart to {args.chart}", file=sys.stderr)
        return 0

    return _with_db(args, work)


def _same(old: WatchedAccount, new: WatchedAccount) -> bool:
    """Whether adding `new` would change `old` (empty fields of `new` keep what is stored)."""
    names = ("channel_id", "owner", "role", "country", "host_country", "affiliation", "webhook_url", "tz")
    return all(getattr(new, n) in (None, getattr(old, n)) for n in names)


def run_import(args) -> int:
    path: Path = args.file
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(args, f"{path}: cannot be read ({exc})")
    parsed = parse_list(text, file_format(path, args.format), added_by=who())
    for bad in parsed.bad:
        print(f"{path}:{bad.line}: {bad.reason}", file=sys.stderr)

    async def work(db: Database) -> int:
        added = updated = unchanged = 0
        async with db.transaction() as tx:  # the whole file or nothing
            for line, account in progress.Tracker("accounts", quiet=args.quiet)(
                parsed.accounts, len(parsed.accounts), "import"
            ):
                account.guild_id = args.guild
                typed = account.handle
                try:
                    account.handle = await spelling(db, args.guild, account)
                except WatchError as exc:
                    parsed.bad.append(BadRow(line, str(exc)))
                    print(f"{path}:{line}: {exc}", file=sys.stderr)
                    continue
                if account.handle != typed:
                    print(f"{path}:{line}: {respelled(account, typed)}", file=sys.stderr)
                old = await watch_store.get(db, args.guild, account.platform, account.handle)
                if old is not None and _same(old, account):
                    unchanged += 1
                    continue
                await watch_store.add(tx, account)
                added, updated = (added + 1, updated) if old is None else (added, updated + 1)
        print(
            f"{path}: {added} added, {updated} updated, {unchanged} unchanged, {len(parsed.bad)} bad "
            f"row{'s' * (len(parsed.bad) != 1)}{' (named above)' if parsed.bad else ''}"
        )
        return 1 if parsed.bad else 0

    return _with_db(args, work)


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read: a watch list carries webhook URLs, which are secrets."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        os.fchmod(fd, 0o600)  # a file that was there already keeps no wider mode
        out.write(text)


def run_export(args) -> int:
    fmt = file_format(args.file, args.format)

    async def work(db: Database) -> int:
        accounts = await watch_store.all_accounts(db, args.guild)
        text = dump_list(accounts, fmt)
        if args.file == "-":
            sys.stdout.write(text)
        else:
            try:
                await asyncio.to_thread(_write_private, Path(args.file), text)
            except OSError as exc:
                return _cannot_write(args, args.file, exc)
            print(f"wrote {len(accounts)} account(s) to {args.file}", file=sys.stderr)
        return 0

    return _with_db(args, work)
