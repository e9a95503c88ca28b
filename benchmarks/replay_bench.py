"""Replay against the JSON-parse floor: where `diplowatch replay`'s time goes, its peak memory, and whether
its cost per activity stays flat as the set grows.

In one run it measures:
- the floor: reading every line of the files and `json.loads` of each, each record dropped once parsed
  (standard library, best of 3);
- the full replay (`diplowatch replay --timings`, a process of its own, so its peak RSS is its own):
  reading and validating into Activity, storing, scoring, similar-incident lookup, learning, alert rows,
  baseline serialisation and writing, rendering (by the clock, and for scoring, learning and the lookup
  also the CPU of the thread doing them); total, the ratio to the floor, and peak RSS. With
  `--read-ahead yes` (the default here, as replay chooses for a set this size on two cores), a second
  process reads, validates and observes the activities while the first scores: its own stages are shown
  apart, and its peak RSS is added to the replay's;
- flatness: replays of the first 10% and 30% of the activities in time order (each learning the same
  share of its part as the full run learns of the whole), per activity against the full run's.

Full form: ../shared/data/official-timelines (170,650 activities; --data DIR for any other copy).
Quick form (`make test`): the bundled sample in fixtures/timelines, checking counts only, never a time.
Targets (issue 15): within 10x of the floor, peak RSS under 300 MB, 10/30/100% within 20% of each other.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import compiled  # noqa: E402
from bot.activity import parse_time  # noqa: E402
from bot.feeds import _open_bytes  # noqa: E402

FRACTIONS = (0.1, 0.3, 1.0)
STAGE_KEYS = ("reading", "storing", "scoring", "similar", "learning", "alerts", "baselines", "rendering")
# label, keys of the replay's timings summed into it
ROWS = (
    ("reading (with a reader: waiting, receiving)", ("reading",)),
    ("storing", ("storing",)),
    ("scoring (+ coordination)", ("scoring",)),
    ("learning", ("learning",)),
    ("baseline serialisation + write", ("baselines",)),
    ("alert rows", ("alerts",)),
    ("similar-incident lookup", ("similar",)),
    ("rendering", ("rendering",)),
)


def floor(feeds: list[Path]) -> tuple[float, float, list[str]]:
    """Seconds (wall and CPU) to read and json.loads every line (best of 3), and every record's `at`.
    Each record is dropped once parsed, as a replay streams them: holding all 170,650 at once made the
    collector walk a growing heap over and over, which took more than the parsing (1.5-1.75 s against
    0.57-0.6 s) and made the floor, and so every ratio to it, depend on what else the process imported."""
    best = best_cpu = float("inf")
    stamps: list[str] = []
    for attempt in range(3):
        started, cpu = time.perf_counter(), time.process_time()
        for path in feeds:
            with _open_bytes(path) as handle:
                for raw in handle:
                    if raw.strip():
                        record = json.loads(raw)
                        if attempt == 0 and isinstance(record, dict) and isinstance(record.get("at"), str):
                            stamps.append(record["at"])
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best, best_cpu, stamps


def measure_floor(feeds: list[Path], learn_until: str) -> dict:
    """The floor and where the 10% and 30% runs stop learning, worked out in a process of its own: Linux
    hands a parent's peak RSS on to the processes it starts, and the floor holds every record at once."""
    seconds, cpu, stamps = floor(feeds)
    ordered = sorted(parse_time(s) for s in stamps)
    total = len(ordered)
    until = parse_time(learn_until)
    share = sum(1 for t in ordered if t < until) / max(1, total)
    cuts = {}
    for fraction in FRACTIONS[:-1]:
        n = int(total * fraction)
        cuts[str(fraction)] = (n, ordered[min(n - 1, int(n * share))].strftime("%Y-%m-%dT%H:%M:%SZ"))
    return {"seconds": seconds, "cpu": cpu, "total": total, "learned_share": share, "cuts": cuts}


# The reading process's own stages (`replay --read-ahead yes`), beside the replay's: label, key.
READER_ROWS = (
    ("  reader: reading + validating into Activity", "reading"),
    ("  reader: observing (words, language, lists)", "observing"),
    ("  reader: sending (and waiting to)", "sending"),
)


def replay(feeds: list[Path], learn_until: str, limit: int | None, tmp: str, read_ahead: str) -> tuple[dict, str, str]:
    """(the replay's timings with its CPU seconds, its summary line, its JSON alerts) for one run in a
    fresh database."""
    command = [
        sys.executable,
        "-m",
        "bot",
        "replay",
        *map(str, feeds),
        "--learn-until",
        learn_until,
        "--format",
        "json",
        "--quiet",
        "--timings",
        "--db",
        f"{tmp}/bench-{limit}.db",
        "--read-ahead",
        read_ahead,
    ]
    if limit is not None:
        command += ["--limit", str(limit)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise SystemExit(f"replay failed ({result.returncode}):\n{result.stderr[-2000:]}")
    lines = result.stderr.splitlines()
    timings = json.loads(next(line for line in lines if line.startswith("timings: "))[len("timings: ") :])
    summary = next((line for line in lines if line.startswith("replay:")), "")
    timings["process_cpu"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return timings, summary, result.stdout


def per_activity_us(timings: dict) -> float:
    """The replay's own work per activity (the stages; start-up, opening the database and loading the
    incident library are the same whatever the size, and shown apart)."""
    work = sum(timings.get(k, 0.0) for k in STAGE_KEYS)
    return 1e6 * work / max(1, timings["activities"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the bundled sample; counts only")
    parser.add_argument(
        "--data",
        default=str(ROOT.parent / "shared" / "data" / "official-timelines"),
        help="a folder of .jsonl timelines (default: %(default)s)",
    )
    parser.add_argument("--learn-until", default="2016-01-01T00:00:00Z")
    parser.add_argument("--no-flat", action="store_true", help="skip the 10%% and 30%% runs")
    parser.add_argument(
        "--read-ahead",
        choices=("yes", "no"),
        default="yes",
        help="replay's --read-ahead, the same for every run (default: %(default)s)",
    )
    parser.add_argument("--floor-only", action="store_true", help=argparse.SUPPRESS)  # the floor's own process
    parser.add_argument(
        "--alerts", metavar="FILE", help="write the full run's JSON alerts here (to compare a speed change's alerts)"
    )
    args = parser.parse_args()
    folder = ROOT / "fixtures" / "timelines" if args.quick else Path(args.data)
    feeds = sorted(folder.glob("*.jsonl*"))
    if not feeds:
        print(f"no feeds in {folder}", file=sys.stderr)
        return 2
    if args.floor_only:
        print(json.dumps(measure_floor(feeds, args.learn_until)))
        return 0
    measured = subprocess.run(
        [sys.executable, __file__, "--floor-only", "--data", str(folder), "--learn-until", args.learn_until],
        capture_output=True,
        text=True,
        check=True,
    )
    base = json.loads(measured.stdout)
    floor_s, floor_cpu, total, learned_share = base["seconds"], base["cpu"], base["total"], base["learned_share"]
    with tempfile.TemporaryDirectory() as tmp:
        full, summary, output = replay(feeds, args.learn_until, None, tmp, args.read_ahead)
        alerts = len(output.splitlines())
        if args.alerts:
            Path(args.alerts).write_text(output, encoding="utf-8")
        parts = {1.0: full}
        if not args.no_flat:
            for fraction in FRACTIONS[:-1]:
                n, cut = base["cuts"][str(fraction)]
                parts[fraction] = replay(feeds, cut, n, tmp, args.read_ahead)[0]
    if args.quick:
        if full["activities"] != total:
            print(f"replay read {full['activities']} activities, the files hold {total}", file=sys.stderr)
            return 1
        if f"{total:,} new" not in summary:
            print(f"not every activity stored: {summary}", file=sys.stderr)
            return 1
        for fraction, timings in parts.items():
            if timings["activities"] != min(total, int(total * fraction)) and fraction < 1.0:
                print(f"the {fraction:.0%} run read {timings['activities']} activities", file=sys.stderr)
                return 1
        print(
            f"replay benchmark (quick): {total:,} activities from {len(feeds)} files read, stored and "
            f"replayed, {alerts} alerts; {len(parts)} runs (figures only in the full form)"
        )
        return 0
    print(summary)
    print(
        f"\nreplay benchmark: {total:,} activities from {len(feeds)} files in {folder.name}, "
        f"learn-until {args.learn_until} ({learned_share:.0%} learned), {alerts} alerts; "
        f"detector {compiled.describe()}"
    )
    # the CPU column: the loop thread's own CPU seconds, where a stage is pure computation: beside the
    # clock, it tells computing from waiting for a core
    cpu_stages = full.get("cpu_stages") or {}
    print(f"{'stage':<40}{'s':>8}{'us/act':>9}{'x floor':>9}{'CPU s':>8}")
    print(f"{'JSON floor (read + json.loads)':<40}{floor_s:>8.2f}{1e6 * floor_s / total:>9.1f}{1.0:>9.1f}")
    for label, keys in ROWS:
        seconds = sum(full.get(k, 0.0) for k in keys)
        cpu_text = f"{sum(cpu_stages[k] for k in keys):>8.2f}" if all(k in cpu_stages for k in keys) else ""
        print(f"{label:<40}{seconds:>8.2f}{1e6 * seconds / total:>9.1f}{seconds / floor_s:>9.1f}{cpu_text}")
    reader = full.get("read_ahead") or {}
    for label, key in READER_ROWS if reader else ():
        seconds = reader.get(key, 0.0)
        print(f"{label:<40}{seconds:>8.2f}{1e6 * seconds / total:>9.1f}{seconds / floor_s:>9.1f}")
    work = per_activity_us(full) * total / 1e6
    print(f"{'start-up (db, incident library)':<40}{full['total'] - work:>8.2f}")
    print(f"{'total':<40}{full['total']:>8.2f}{1e6 * full['total'] / total:>9.1f}{full['total'] / floor_s:>9.1f}")
    ratio = full["total"] / floor_s
    # with a reader, both processes' peaks: they are resident at once
    rss = full["peak_rss_mb"] + reader.get("peak_rss_mb", 0.0)
    cpu = full["cpu"] + reader.get("cpu", 0.0)
    print(
        f"\nCPU seconds (steadier than the clock on a shared machine): floor {floor_cpu:.2f}; replay after "
        f"start-up {cpu:.2f} ({cpu / floor_cpu:.1f}x the floor"
        + (f"; {full['cpu']:.2f} scoring, {reader['cpu']:.2f} reading ahead" if reader else "")
        + f"), whole process with its imports {full['process_cpu']:.2f} ({full['process_cpu'] / floor_cpu:.1f}x)"
    )
    print(
        f"\nratio to the floor {ratio:.1f}x (target 10x: {'met' if ratio <= 10 else 'NOT met'}); "
        f"peak RSS {rss:.0f} MB (target 300: {'met' if rss < 300 else 'NOT met'})"
        + (f", {full['peak_rss_mb']:.0f} + {reader['peak_rss_mb']:.0f} reading ahead" if reader else "")
    )
    if len(parts) == len(FRACTIONS):
        for label, cost in (
            ("clock", per_activity_us),
            ("CPU of the scoring process", lambda t: 1e6 * t["cpu_loop"] / max(1, t["activities"])),
        ):
            costs = {f: cost(parts[f]) for f in FRACTIONS}
            spread = max(costs.values()) / min(costs.values()) - 1
            print(
                f"per activity ({label}): "
                + ", ".join(f"{f:.0%} {costs[f]:.0f} us ({parts[f]['activities']:,})" for f in FRACTIONS)
                + f"; spread {spread:.0%} (target 20%: {'met' if spread <= 0.2 else 'NOT met'})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
