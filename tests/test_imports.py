"""The module graph a developer relies on: no import cycles (function-level imports included), and the
core (bot/, storage/) never importing discord, so the CLI, the headless runner and replay run without it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "storage", "cogs")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(path: Path, known: dict[str, Path] | None = None) -> set[str]:
    """`from a.b import c` depends on a.b.c when that is a module, else on a.b."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                names.add(full if known is not None and full in known else node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {d for d in imports(path, known) if d in known and d != name} for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for dep in edges[node]:
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_itself_through_others():
    assert cycles(graph()) == []


def test_the_core_never_imports_discord():
    offenders = sorted(
        name
        for name, path in modules().items()
        if name.split(".")[0] in ("bot", "storage")
        and any(i == "discord" or i.startswith("discord.") for i in imports(path))
    )
    assert offenders == []


def test_a_command_line_loads_only_the_chosen_command():
    # `diplowatch replay` builds its parser without the other commands' modules (the mock server's web
    # stack, the Discord runner): start-up time and memory for the command that backfills
    probe = (
        "import sys\n"
        "from bot.__main__ import build_parser\n"
        "argv = ['-v', 'replay', '--learn-until', '2016-01-01', 'feed.jsonl']\n"
        "args = build_parser(argv).parse_args(argv)\n"
        "print(args.command, sorted(m for m in ('bot.mockfeed.cli', 'bot.eval_cli', 'cogs.run') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["replay", "[]"]
    # the help still lists every command
    shown = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert all(command in shown.stdout for command in ("replay", "watch", "worker", "eval", "mockfeed", "run"))
