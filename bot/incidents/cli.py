"""`diplowatch incidents search QUERY` and `diplowatch incidents show ID`: the library from a terminal."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import textwrap
from pathlib import Path

from bot.incidents.library import DEFAULT_LIBRARY, Incident
from bot.incidents.similarity import Match, SimilarityIndex


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "incidents",
        help="search the library of prior incidents",
        description="Search or show prior incidents (the seeded library, plus confirmed alerts when --db is given).",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--library",
        type=Path,
        default=DEFAULT_LIBRARY,
        help=f"incident library, JSON Lines (default {DEFAULT_LIBRARY})",
    )
    common.add_argument("--db", type=Path, help="also include alerts confirmed in this diplowatch database")
    common.add_argument("--format", choices=("text", "json"), default="text")
    actions = parser.add_subparsers(dest="incidents_command", metavar="{search,show}", required=True)
    search = actions.add_parser(
        "search", parents=[common], help="find incidents by words, account, country or kind of action"
    )
    search.add_argument("query", nargs="+", help="words, e.g. 'embassy repost China' or '@realDonaldTrump'")
    search.add_argument("--k", type=int, default=10, help="how many results (default 10)")
    show = actions.add_parser("show", parents=[common], help="one incident in full")
    show.add_argument("id", help="incident id, e.g. S1")
    parser.set_defaults(func=run)
    return parser


def _index(args: argparse.Namespace) -> SimilarityIndex | None:
    if args.db is not None:
        return asyncio.run(_index_from_db(args.db, args.library))
    from bot.incidents.library import load_library

    try:
        loaded = load_library(args.library)
    except OSError as exc:
        print(f"error: cannot read the incident library {args.library}: {exc.strerror or exc}", file=sys.stderr)
        return None
    for error in loaded.errors:
        print(f"warning: skipped {error}", file=sys.stderr)
    return SimilarityIndex(loaded.incidents)


async def _index_from_db(db_path: Path, library: Path) -> SimilarityIndex | None:
    from storage.db import Database, errors
    from storage.incidents import open_library

    try:
        db = await Database.open(db_path)
    except errors() as exc:
        print(f"error: cannot use the database {db_path}: {exc}", file=sys.stderr)
        return None
    try:
        index, loaded = await open_library(db, library)
    except OSError as exc:
        print(f"error: cannot read the incident library {library}: {exc.strerror or exc}", file=sys.stderr)
        return None
    finally:
        await db.close()
    for error in loaded.errors:
        print(f"warning: skipped {error}", file=sys.stderr)
    return index


def run(args: argparse.Namespace) -> int:
    if getattr(args, "k", 1) < 1:
        print("error: --k must be at least 1", file=sys.stderr)
        return 2
    index = _index(args)
    if index is None:
        return 2
    if args.incidents_command == "search":
        matches = index.search(" ".join(args.query), k=args.k)
        if args.format == "json":
            for match in matches:
                print(json.dumps(match.to_dict(), ensure_ascii=False))
        elif not matches:
            print(f"no incident matches {' '.join(args.query)!r}")
        else:
            for match in matches:
                print(format_match(match))
        return 0
    incident = index.get(args.id)
    if incident is None:
        print(f"error: no incident with id {args.id!r} (try: incidents search WORDS)", file=sys.stderr)
        return 1
    print(
        json.dumps(incident.to_dict(), ensure_ascii=False, indent=2)
        if args.format == "json"
        else format_incident(incident)
    )
    return 0


def format_match(match: Match) -> str:
    return f"{match.id:<6} {match.date}  {match.title}  [{match.outcome}]  ({match.why})\n       {match.url}"


def format_incident(incident: Incident) -> str:
    accounts = ", ".join("@" + a for a in incident.accounts) or "(handle not known)"
    if incident.account_note:
        accounts += f" ({incident.account_note})"
    kinds = ", ".join(incident.kinds) + (f" ({incident.status})" if incident.status else "")
    wrap = lambda text: textwrap.fill(text, width=100, initial_indent="  ", subsequent_indent="  ")  # noqa: E731
    lines = [
        f"{incident.id}  {incident.title}",
        f"date: {incident.date}   platform: {', '.join(incident.platforms)}   outcome: {incident.outcome}",
        f"account: {accounts}",
        f"run by: {incident.owner} ({incident.role}, {incident.country})",
        f"action: {kinds}" + (f"   aimed at: {', '.join(incident.targets)}" if incident.targets else ""),
        "what happened:",
        wrap(incident.summary),
        "explanation given:",
        wrap(incident.explanation),
    ]
    if incident.tags:
        lines.append(f"tags: {', '.join(incident.tags)}")
    lines.append(f"source: {incident.source_url}")
    if incident.alert_link:
        lines.append(f"alert: {incident.alert_link}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m bot.incidents.cli search ...`) until the main CLI lists us."""
    parser = argparse.ArgumentParser(prog="diplowatch")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["incidents", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
