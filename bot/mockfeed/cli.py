"""`diplowatch mockfeed`: serve recorded activity in each platform's API shape on 127.0.0.1."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime, timezone
from pathlib import Path

from bot.activity import ActivityError, parse_time
from bot.mockfeed.scenario import read_feed, synthetic
from bot.mockfeed.server import SERVICES, MockFeedServer
from bot.mockfeed.world import SERVED_AS, Clock, World
from bot.stopping import stop_on_signals


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "mockfeed",
        help="serve recorded feeds as Bluesky, Mastodon, X and RSS/Atom APIs on 127.0.0.1",
        description="Serve recorded activity over real HTTP in each platform's API shape, released on an "
        "accelerated clock, with faults on request (POST /_admin/faults or ?mockfault=KIND).",
    )
    parser.add_argument("feeds", nargs="*", type=Path, help="Activity JSONL feeds (.jsonl or .jsonl.gz)")
    parser.add_argument(
        "--as",
        dest="served_as",
        choices=SERVED_AS,
        help="serve every feed as this platform (default: each record's own platform)",
    )
    parser.add_argument(
        "--synthetic",
        type=int,
        default=0,
        metavar="N",
        help="also serve N synthetic official accounts spread over the platforms",
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=60.0,
        help="feed seconds per real second (default 60: an hour of activity a minute)",
    )
    parser.add_argument(
        "--start",
        help="feed time at start-up, RFC 3339 (default: now); earlier activity "
        "is already visible, later activity is released as the clock runs",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8700,
        help=f"first port; the services ({', '.join(SERVICES)}, admin) take consecutive ports (0: any free ports)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        start = parse_time(args.start, "--start") if args.start else datetime.now(timezone.utc)
    except ActivityError as exc:
        print(f"mockfeed: {exc}", file=sys.stderr)
        return 2
    world = World(Clock(start, args.speed))
    for path in args.feeds:
        if not path.is_file():
            print(f"mockfeed: {path}: no such file", file=sys.stderr)
            return 2
        try:
            activities = read_feed(path)
        except OSError as exc:
            print(f"mockfeed: {path}: cannot read: {exc}", file=sys.stderr)
            return 2
        platforms = {a.platform for a in activities}
        if args.served_as is None and not platforms <= set(SERVED_AS):
            # One feed of another platform (tiktok, telegram...) does not stop the others being served.
            print(
                f"mockfeed: {path}: skipped: platform {', '.join(sorted(platforms - set(SERVED_AS)))} has no "
                f"API here (serve it as another with --as {'|'.join(SERVED_AS)})",
                file=sys.stderr,
            )
            continue
        world.load(activities, served_as=args.served_as)
    if not world.accounts and not args.synthetic:
        print("mockfeed: nothing to serve (give feeds or --synthetic N)", file=sys.stderr)
        return 2
    if args.synthetic:
        world.load(synthetic(args.synthetic, start=start))
    ports = {s: (args.port + i if args.port else 0) for i, s in enumerate(SERVICES + ("admin",))}
    try:
        asyncio.run(_serve(world, ports))
    except OSError as exc:
        print(f"mockfeed: cannot listen: {exc}", file=sys.stderr)
        return 2
    return 0


async def _serve(world: World, ports: dict[str, int]) -> None:
    # Jetstream (WebSocket) takes the port after the admin port.
    server = MockFeedServer(
        world, ports=ports, jetstream=True, jetstream_port=ports["admin"] + 1 if ports["admin"] else 0
    )
    await server.start()
    print("mockfeed: serving on 127.0.0.1; configure the bot with:", file=sys.stderr)
    for name, url in server.urls().items():
        print(f"DIPLOWATCH_{name.upper()}={url}")
    for platform, handles in world.handles().items():
        shown = ", ".join(handles[:5]) + (f" (+{len(handles) - 5} more)" if len(handles) > 5 else "")
        print(f"mockfeed: {platform}: {shown}", file=sys.stderr)
    print(f"mockfeed: admin: {server.admin_url()}/stats; Ctrl-C stops", file=sys.stderr)
    sys.stdout.flush()
    stop = asyncio.Event()
    stop_on_signals(stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop()
