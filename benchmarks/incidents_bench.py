"""Similar-incident lookup at scale: 100,000 incidents synthesized from the real library.

Prints the time to build the index, lookup latency p50/p99 (one alert -> top 3), search latency, and
the memory the incidents and the index take (tracemalloc, plus the process RSS growth).

    python benchmarks/incidents_bench.py            # 100,000 incidents, 2,000 lookups
    python benchmarks/incidents_bench.py --quick    # 10,000 incidents, 300 lookups (CI)
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.activity import Activity  # noqa: E402
from bot.incidents.library import DEFAULT_LIBRARY, Incident, load_library  # noqa: E402
from bot.incidents.similarity import RELATED_KINDS, SimilarityIndex  # noqa: E402
from bot.incidents.vocab import ROLES, STATUSES, TARGET_KINDS  # noqa: E402

COUNTRIES = [
    "China",
    "Russia",
    "United States",
    "United Kingdom",
    "India",
    "Iran",
    "Israel",
    "Turkey",
    "Brazil",
    "France",
    "Germany",
    "Saudi Arabia",
    "Pakistan",
    "Nigeria",
    "Venezuela",
    "Japan",
    "Qatar",
    "Ukraine",
    "Argentina",
    "Egypt",
    "Kenya",
    "Mexico",
    "Indonesia",
    "Australia",
]
PLATFORMS = ["x", "facebook", "instagram", "tiktok", "youtube", "bluesky", "mastodon", "telegram"]
FILLER = (
    "statement account officials staff minutes hours later removed shared clip video message followers "
    "reported journalists screenshot ministry spokesman embassy office president minister campaign "
    "overnight apology investigation hackers platform policy label network propaganda"
).split()
SAMPLE_TEXTS = [
    "Democrats cheated and the election must be overturned",
    "Send 1 BTC and we double it, limited giveaway",
    "We strongly condemn the statement made today",
    "Breaking: explosions reported near the presidential palace",
    "Vote them out in the midterms, the candidate did nothing",
    "short clip",
    "",
    "The regime lies about Hong Kong",
]


def synthesize(real: list[Incident], count: int, rng: random.Random) -> list[Incident]:
    """Variations of the real incidents: other accounts, countries, roles, kinds, targets and wording."""
    out = []
    start = datetime(2010, 1, 1)
    for n in range(count):
        base = rng.choice(real)
        kinds = list(base.kinds)
        if rng.random() < 0.3:
            related = [b for (a, b) in RELATED_KINDS if a == kinds[0]] + [
                a for (a, b) in RELATED_KINDS if b == kinds[0]
            ]
            if related:
                kinds[0] = rng.choice(related)
        kinds = list(dict.fromkeys(kinds))
        status = base.status if "status" in kinds else None
        if "status" in kinds and rng.random() < 0.3:
            status = rng.choice(STATUSES[1:])
        targets = set(base.targets)
        if rng.random() < 0.4:
            targets.add(rng.choice(list(TARGET_KINDS)))
        if targets and rng.random() < 0.3:
            targets.discard(rng.choice(sorted(targets)))
        words = base.summary.split()
        for _ in range(rng.randint(3, 10)):
            words[rng.randrange(len(words))] = rng.choice(FILLER)
        country = base.country if rng.random() < 0.3 else rng.choice(COUNTRIES)
        out.append(
            replace(
                base,
                id=f"X{n:06d}",
                title=f"{base.title} ({country}, case {n})",
                date=(start + timedelta(days=rng.randrange(5800))).strftime("%Y-%m-%d"),
                platform=rng.choice(PLATFORMS),
                other_platforms=(),
                account=f"acct_{rng.randrange(20000)}",
                other_accounts=(),
                country=country,
                role=base.role if rng.random() < 0.5 else rng.choice(ROLES),
                kinds=tuple(kinds),
                status=status,
                targets=tuple(sorted(targets)),
                summary=" ".join(words),
                tags=tuple(rng.sample(base.tags, k=min(len(base.tags), rng.randint(1, 4)))),
            )
        )
    return out


def queries(real: list[Incident], count: int, rng: random.Random) -> list[tuple[Activity, dict, list[str]]]:
    at = datetime(2024, 5, 1, 3, 12, tzinfo=timezone.utc)
    out = []
    for n in range(count):
        base = rng.choice(real)
        kind = base.kinds[0]
        activity = Activity(
            id=f"q{n}",
            platform=rng.choice(PLATFORMS),
            account=f"acct_{n}",
            kind=kind,
            at=at,
            text=rng.choice(SAMPLE_TEXTS) if kind in ("post", "reply", "quote") else None,
            target={
                "account": rng.choice(["realDonaldTrump", "someone", "narendramodi"]),
                "text": rng.choice(SAMPLE_TEXTS),
                "labels": ["porn"] if rng.random() < 0.1 else [],
            }
            if kind not in ("post", "status", "profile")
            else None,
            status=base.status if kind == "status" else None,
            profile={"name": "Elon Musk"} if kind == "profile" else None,
        )
        meta = {
            "role": base.role,
            "country": rng.choice(COUNTRIES),
            "affiliation": "state broadcaster" if base.undisclosed else None,
        }
        reasons = rng.choice([["first repost in 2,314 activities"], ["03:12 local, usual hours 08-19"], []])
        out.append((activity, meta, reasons))
    return out


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 incidents and 300 lookups (for CI)")
    parser.add_argument("--incidents", type=int, help="library size (default 100,000; 10,000 with --quick)")
    parser.add_argument("--lookups", type=int, help="number of timed lookups (default 2,000; 300 with --quick)")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    size = args.incidents or (10_000 if args.quick else 100_000)
    lookups = args.lookups or (300 if args.quick else 2_000)
    rng = random.Random(args.seed)
    real = load_library(DEFAULT_LIBRARY).incidents

    # RSS first, without tracemalloc (whose own bookkeeping would inflate it).
    rss_before = rss_mb()
    incidents = synthesize(real, size - len(real), rng) + real
    started = time.perf_counter()
    index = SimilarityIndex(incidents)
    index.similar(*queries(real, 1, rng)[0])  # builds the numpy views
    build_s = time.perf_counter() - started
    rss_growth = rss_mb() - rss_before

    # Then the same again under tracemalloc, split into the incidents and the index over them.
    tracemalloc.start()
    base_mem = tracemalloc.get_traced_memory()[0]
    copies = synthesize(real, size - len(real), random.Random(args.seed + 1)) + real
    incidents_mem = tracemalloc.get_traced_memory()[0] - base_mem
    copy_index = SimilarityIndex(copies)
    copy_index.similar(*queries(real, 1, rng)[0])
    index_mem = tracemalloc.get_traced_memory()[0] - base_mem - incidents_mem
    tracemalloc.stop()
    del copies, copy_index

    work = queries(real, lookups, rng)
    for activity, meta, reasons in work[:20]:  # warm-up
        index.similar(activity, meta, reasons, k=3)
    timings = []
    for activity, meta, reasons in work:
        started = time.perf_counter()
        index.similar(activity, meta, reasons, k=3)
        timings.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    index.search("warm the text index", k=5)
    search_build_s = time.perf_counter() - started
    search_times = []
    for query in [
        "embassy repost China",
        "bitcoin",
        "deactivated head of state",
        "@realDonaldTrump",
        "explicit like ambassador",
        "state media tiktok election",
        "I44",
        "hacked military",
    ] * 5:
        started = time.perf_counter()
        index.search(query, k=10)
        search_times.append((time.perf_counter() - started) * 1000)

    print(f"incidents: {len(index):,} ({len(real)} real + {len(index) - len(real):,} synthesized)")
    print(f"index build: {build_s:.2f} s")
    print(
        f"lookup (top 3, {lookups:,} alerts): p50 {percentile(timings, 50):.2f} ms, "
        f"p99 {percentile(timings, 99):.2f} ms, max {max(timings):.2f} ms  [target p99 < 10 ms]"
    )
    print(
        f"memory (tracemalloc): incidents {incidents_mem / 2**20:.1f} MB + index {index_mem / 2**20:.1f} MB"
        f" = {(incidents_mem + index_mem) / 2**20:.1f} MB  [target < 200 MB]; process RSS growth {rss_growth:.1f} MB"
    )
    print(
        f"search: first call (builds word index) {search_build_s:.2f} s, then p50 "
        f"{percentile(search_times, 50):.2f} ms, p99 {percentile(search_times, 99):.2f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
