"""Where a replay's time goes: seconds per stage, summed as it runs (`diplowatch replay --timings`,
benchmarks/replay_bench.py). Off by default; when on, it costs two clock reads per timed step."""

from __future__ import annotations

import resource
from time import perf_counter
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")

# In the order a record goes through them.
STAGES = ("reading", "storing", "scoring", "similar", "learning", "alerts", "baselines", "rendering")


class Stages:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        # CPU seconds of the thread doing the work, for the stages that are pure computation (scoring,
        # learning): beside the clock, it tells computing from waiting (docs/detection.md found them equal)
        self.cpu: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    def add_cpu(self, stage: str, seconds: float) -> None:
        self.cpu[stage] = self.cpu.get(stage, 0.0) + seconds

    def timed(self, items: Iterable[T], stage: str) -> Iterator[T]:
        """The items, with the time spent producing each one counted to `stage`."""
        it = iter(items)
        seconds = self.seconds
        while True:
            started = perf_counter()
            try:
                item = next(it)
            except StopIteration:
                seconds[stage] = seconds.get(stage, 0.0) + perf_counter() - started
                return
            seconds[stage] = seconds.get(stage, 0.0) + perf_counter() - started
            yield item


def peak_memory_mb() -> float:
    """This process's peak resident memory so far (the replay's, or its reading process's own)."""
    # Linux's ru_maxrss carries over the peak of the process that started this one (a replay launched
    # from a test run or a large script reported that one's 680 MB); the memory map's own high-water
    # mark starts afresh with the program
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
