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

from bot.activity import ActivityError, parse_activity  # noqa: E402
from bot.alerts import severity_for  # noqa: E402
from bot.profile import AccountMeta, ProfileBook  # noqa: E402


def _lines(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from handle


def main() -> int:
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
        verdict = book.score(a, meta)
        book.coordination.observe(a, verdict)
        book.learn(a, meta)
        alerts += severity_for(verdict.score) is not None
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu  # this process's own CPU: steadier than the clock on a shared machine
    sizes = [len(json.dumps(book.state(p, h))) for p, h in book.profiles]
    print(
        f"profile benchmark: {len(acts):,} activities, {len(sizes)} accounts: score+coordination+learn "
        f"{1e6 * elapsed / len(acts):.0f} µs per activity ({elapsed:.1f}s; CPU {1e6 * cpu / len(acts):.0f} µs); state {sum(sizes) / len(sizes) / 1024:.0f} KB "
        f"per account on average, {max(sizes) / 1024:.0f} KB at most; {alerts} activities scored as alerts "
        f"(no learn-only phase, every activity scored)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
