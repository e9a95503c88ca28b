"""The `diplowatch` command line: one subcommand per module in COMMANDS, each with register(subparsers)."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from bot import collector, logredact

# Explicit list, in help order: the command each module registers. Each module defines
# register(subparsers) and keeps heavy imports (discord among them) inside its command function, so
# `diplowatch replay` never loads discord.
COMMANDS = {
    "replay": "bot.replay",
    "demo": "bot.demo",
    "watch": "bot.watch_cli",
    "worker": "bot.worker",
    "eval": "bot.eval_cli",
    "incidents": "bot.incidents.cli",
    "mockfeed": "bot.mockfeed.cli",
    "run": "cogs.run",
}


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the arguments, only the chosen command's module is imported (a replay does not
    carry the mock server's or the Discord runner's imports: about 10 MB and 0.15 s)."""
    parser = argparse.ArgumentParser(
        prog="diplowatch",
        description="Watch official accounts and alert when one acts out of character.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = _command_in(argv)
    for command, module in COMMANDS.items():
        if chosen is None or command == chosen:
            importlib.import_module(module).register(subparsers)
    return parser


def _command_in(argv: list[str] | None) -> str | None:
    """The command the arguments name, when it is a known one (else every command is registered, for
    the help and for argparse's own error)."""
    for arg in argv or ():
        if arg.startswith("-"):
            continue  # the only option before a command is -v/--verbose, which takes no value
        return arg if arg in COMMANDS else None
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    collector.tune()
    args = build_parser(argv).parse_args(argv)
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
