"""`diplowatch demo`: the four founding incidents caught by the same scheduler and pipeline as the live bot.

Two ways, one home: from recorded fixture files (bot/demo/files.py, the default) or over real HTTP from
the mock feed server (bot/demo/http.py, --http). Shared steps live in bot/demo/common.py.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.demo.common import FIXTURES


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "demo",
        help="watch the four founding incidents being caught",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--fixtures", default=str(FIXTURES), help="folder with demo.json and the feeds")
    p.add_argument("--db", default="data/demo.db", help="SQLite file, recreated each run (default: %(default)s)")
    p.add_argument("--live-dir", default="data/demo-feeds", help="where the live fixture feeds are written")
    p.add_argument("--speed", type=float, default=3600.0, help="simulated seconds per real second")
    p.add_argument("--max-gap", type=float, default=0.15, help="longest real pause between two appended lines")
    p.add_argument("--poll", type=float, default=0.25, help="poll interval in real seconds")
    p.add_argument(
        "--http",
        action="store_true",
        help="poll over real HTTP: the feeds served as Bluesky accounts by the mock feed server",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from bot.demo.common import DemoError

    try:
        if args.http:
            from bot.demo.http import demo_over_http  # loads the mock feed server only when asked for

            return asyncio.run(demo_over_http(args))
        from bot.demo.files import demo_from_files

        return asyncio.run(demo_from_files(args))
    except DemoError as exc:  # bad fixtures, or a folder or database that is not the demo's own
        print(f"diplowatch demo: {exc}", file=sys.stderr)
        return 2
