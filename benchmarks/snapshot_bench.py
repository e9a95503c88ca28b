"""The coordination tracker's rollback snapshot: its cost while a flood of one text fills the window.

Every ingest transaction takes one (bot/pipeline.py), so its cost is paid per poll and per Jetstream batch.
Prints the cost of `CoordinationTracker.snapshot` and of a deep copy of the same state, for a group of N
accounts. The quick form (CI) uses a small N and checks only that a restored snapshot equals the state it
was taken from; no time is asserted.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.activity import Activity  # noqa: E402
from bot.profile.coordination import CoordinationTracker  # noqa: E402
from bot.profile.types import Verdict  # noqa: E402

TEXT = "We stand with the people of the region against the illegal occupation and its crimes"


def flooded(n: int) -> CoordinationTracker:
    """A tracker that saw n accounts post the same text within the window: one group of n."""
    tracker = CoordinationTracker()
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    verdict = Verdict(score=0.5, reasons=["odd"], thin=False, baseline="", features={})
    for i in range(n):
        activity = Activity(
            id=f"x:{i}",
            platform="x",
            account=f"embassy{i}",
            kind="post",
            at=start + timedelta(milliseconds=i),
            text=TEXT,
        )
        tracker.observe(activity, verdict)
    return tracker


def state(tracker: CoordinationTracker) -> tuple:
    return (
        [s.activity_id for s in tracker.window],
        {k: (list(g.activity_ids), list(g.accounts)) for k, g in tracker.groups.items()},
        dict(tracker.group_time),
        dict(tracker.member_of),
        {k: set(v) for k, v in tracker.group_ids.items()},
        dict(tracker.group_top),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sizes = [200] if args.quick else [100, 1_000, 5_000]
    for n in sizes:
        tracker = flooded(n)
        [group] = tracker.groups.values()
        assert len(group.accounts) == n, f"expected one group of {n}, got {len(group.accounts)}"
        before = state(tracker)
        rounds = 20 if args.quick else 200
        started = time.perf_counter()
        for _ in range(rounds):
            snap = tracker.snapshot()
        cheap = (time.perf_counter() - started) / rounds
        started = time.perf_counter()
        for _ in range(max(1, rounds // 20)):
            copy.deepcopy(
                (
                    tracker.window,
                    tracker.groups,
                    tracker.group_time,
                    tracker.member_of,
                    tracker.group_ids,
                    tracker.group_top,
                )
            )
        deep = (time.perf_counter() - started) / max(1, rounds // 20)
        extra = Activity(
            id="x:extra",
            platform="x",
            account="embassy-extra",
            kind="post",
            at=datetime(2024, 1, 1, 0, 1, tzinfo=timezone.utc),
            text=TEXT,
        )
        tracker.observe(extra, Verdict(score=0.5, reasons=["odd"], thin=False, baseline="", features={}))
        assert state(tracker) != before, "the extra post joins the group"
        tracker.restore(snap)
        assert state(tracker) == before, "a restored snapshot gives back the state it was taken from"
        print(
            f"group of {n:>5,} accounts: snapshot {cheap * 1e3:7.3f} ms, deep copy {deep * 1e3:8.2f} ms "
            f"({deep / cheap:,.0f}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
