"""The `diplowatch` command line: one subcommand per module in COMMANDS, each with register(subparsers)."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from bot import logredact

# Explicit list, in help order. Each module defines register(subparsers) and keeps heavy imports
# (discord among them) inside its command function, so `diplowatch replay` never loads discord.
COMMANDS = [
    "bot.replay",
    "bot.demo",
    "bot.watch_cli",
    "bot.worker",
    "bot.eval_cli",
    "bot.incidents.cli",
    "bot.mockfeed.cli",
    "cogs.run",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="diplowatch",
        description="Watch official accounts and alert when one acts out of character.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logredact.quiet_content_loggers()
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
