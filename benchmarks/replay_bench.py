"""Replay throughput and peak memory: `diplowatch replay` over real official timelines.

Full form: all of ../shared/data/official-timelines (170,650 activities; pass --data DIR for another
copy). Quick form (CI): the bundled samples in fixtures/samples.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "official-timelines"))
    parser.add_argument("--learn-until", default="2015-01-01T00:00:00Z")
    args = parser.parse_args()
    folder = ROOT / "fixtures" / "samples" if args.quick else Path(args.data)
    feeds = sorted(str(p) for p in folder.glob("*.jsonl*"))
    if not feeds:
        print(f"no feeds in {folder}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "bot",
                "replay",
                *feeds,
                "--learn-until",
                args.learn_until,
                "--format",
                "json",
                "--quiet",
                "--db",
                f"{tmp}/bench.db",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - started
    if result.returncode:
        print(result.stderr[-2000:], file=sys.stderr)
        return result.returncode
    summary = next((line for line in result.stderr.splitlines() if line.startswith("replay:")), "")
    rss = re.search(r"peak memory (\d+) MB", summary)
    count = re.search(r"replay: ([\d,]+) activities", summary)
    n = int(count.group(1).replace(",", "")) if count else 0
    alerts = len(result.stdout.splitlines())
    print(summary)
    print(
        f"replay benchmark: {n:,} activities from {len(feeds)} files in {elapsed:.1f}s "
        f"({n / elapsed:,.0f} activities/s), peak RSS {rss.group(1) if rss else '?'} MB, "
        f"{alerts} alerts ({1000 * alerts / max(1, n):.2f} per 1,000 activities, learn-until {args.learn_until})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
