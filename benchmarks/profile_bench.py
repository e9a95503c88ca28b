"""Profile scoring speed and state size: score -> coordination -> learn over real timelines.

Full form: all of ../shared/data/official-timelines (170,650 activities; --data DIR for another copy).
Quick form (CI): the bundled samples in fixtures/samples.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import collector, compiled  # noqa: E402
from bot.activity import ActivityError, parse_activity  # noqa: E402
from bot.alerts import severity_for  # noqa: E402
from bot.profile import AccountMeta, ProfileBook  # noqa: E402


def _lines(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from handle


def main() -> int:
    collector.tune()  # as the command line sets it for every command (bot/collector.py)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--data", default=None, help="default: ../shared/data/official-timelines")
    args = parser.parse_args()
    from bot.eval import default_data

    folder = ROOT / "fixtures" / "samples" if args.quick else Path(args.data or default_data())
    acts = []
    for path in sorted(folder.glob("*.jsonl*")):
        for line in _lines(path):
            try:
                acts.append(parse_activity(json.loads(line)))
            except (ActivityError, json.JSONDecodeError):
                continue
    if not acts:
        print(f"no activities in {folder}", file=sys.stderr)
        return 2
    acts.sort(key=lambda a: a.at)
    book = ProfileBook()
    metas: dict[str, AccountMeta] = {}
    alerts = 0
    started, cpu = time.perf_counter(), time.process_time()
    for a in acts:
        meta = metas.get(a.account) or metas.setdefault(a.account, AccountMeta(platform=a.platform, handle=a.account))
        alerts += _judge(book, a, meta)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu  # this process's own CPU: steadier than the clock on a shared machine
    sizes = [len(json.dumps(book.state(p, h))) for p, h in book.profiles]
    print(
        f"profile benchmark: {len(acts):,} activities, {len(sizes)} accounts: score+coordination+learn "
        f"{1e6 * elapsed / len(acts):.0f} µs per activity ({elapsed:.1f}s; CPU {1e6 * cpu / len(acts):.0f} µs); state {sum(sizes) / len(sizes) / 1024:.0f} KB "
        f"per account on average, {max(sizes) / 1024:.0f} KB at most; {alerts} activities scored as alerts "
        f"(no learn-only phase, every activity scored); detector {compiled.describe()}"
    )
    observing, judging, again = _split(acts, metas)
    if again != alerts:
        print(f"the split run scored {again} alerts, the whole run {alerts}", file=sys.stderr)
        return 1
    print(
        f"  of which (CPU, a second run): observing {1e6 * observing / len(acts):.0f} µs per activity (words, "
        f"language, word lists: done by the reading process when a replay reads ahead), scoring and learning "
        f"{1e6 * judging / len(acts):.0f} µs"
    )
    return 0


def _judge(book: ProfileBook, activity, meta: AccountMeta) -> bool:
    """Score, coordinate and learn one activity as the pipeline does (an alert held out of learning);
    whether it alerted."""
    verdict = book.score(activity, meta)
    group = book.coordination.observe(activity, verdict)
    alerted = severity_for(verdict.score) is not None
    book.learn(activity, meta, alerted=alerted or group is not None)
    return alerted


def _split(acts, metas) -> tuple[float, float, int]:
    """CPU seconds of observe() alone and of the rest of score+coordination+learn, and the alerts: each
    activity observed first, its observation handed to the book as the reading process hands it over."""
    from bot.profile.observe import observe

    book = ProfileBook()
    observing = judging = 0.0
    alerts = 0
    step = 5_000  # observations made a slice at a time: all of them at once would hold hundreds of MB
    for start in range(0, len(acts), step):
        part = acts[start : start + step]
        t0 = time.process_time()
        made = [observe(a, metas[a.account]) for a in part]
        t1 = time.process_time()
        for a, obs in zip(part, made, strict=True):
            book.prime(a, obs)
            alerts += _judge(book, a, metas[a.account])
        observing += t1 - t0
        judging += time.process_time() - t1
    return observing, judging, alerts


if __name__ == "__main__":
    sys.exit(main())
