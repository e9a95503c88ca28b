"""Reading a replay's feeds ahead, in a process of its own.

Reading and validating each record, then observing it (its words, language and word-list hits:
bot/profile/observe.py), is about half of a replay's work, and none of it needs the profiles. On a
machine with a second core, a child process does that for the next activities while this one stores,
scores and learns the last ones. The activities come in the same order as `feeds.stream` gives them,
with the same rejects and unreadable files met before the same activities, and each observation is the
one observe() gives here with the same watch list: the replay's output is the same either way
(tests/bot/test_read_ahead.py).
"""

from __future__ import annotations

import copyreg
import dataclasses
import multiprocessing
import os
import pickle
import time
import traceback
from itertools import islice
from operator import attrgetter
from typing import Any, Iterator

from bot import collector
from bot.activity import Activity
from bot.feeds import FeedPlan, Rejected, stream
from bot.profile.observe import Observation
from bot.stages import peak_memory_mb
from bot.watch_index import WatchIndex

# Activities per message: large enough that sending costs little per activity, small enough that the
# first ones arrive at once.
CHUNK = 500
SENT, TAKEN = 0, 1
# Below this many records, starting a second interpreter (about a second) costs more than it saves.
READ_AHEAD_MIN = 20_000
# The pipe's buffer: room for a few chunks (about 300 KB each), so the reader can run that far ahead
# without waiting (Linux allows up to 1 MB to anyone; elsewhere the system's own size stays).
PIPE_BYTES = 1 << 20
F_SETPIPE_SZ = 1031  # fcntl's name for it on Linux (Python 3.10+ has fcntl.F_SETPIPE_SZ there)


def _widen(conn: Any) -> None:
    try:
        import fcntl

        fcntl.fcntl(conn.fileno(), getattr(fcntl, "F_SETPIPE_SZ", F_SETPIPE_SZ), PIPE_BYTES)
    except (ImportError, OSError):
        pass  # a smaller pipe only means the reader waits sooner


def _as_fields(cls: type) -> Any:
    fields = attrgetter(*(f.name for f in dataclasses.fields(cls)))
    return lambda obj: (cls, fields(obj))


# Sent as the tuple of their fields, rebuilt by their constructor: pickle's default for a dataclass with
# slots calls __getstate__ and __setstate__ in Python for every object, and cost twice as much.
copyreg.pickle(Activity, _as_fields(Activity))
copyreg.pickle(Observation, _as_fields(Observation))


def worth_it(records: int) -> bool:
    """Whether a replay of about this many records should read ahead in a second process."""
    return records >= READ_AHEAD_MIN and cores() >= 2


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ReadAhead:
    """The activities of the feeds with their observations, read by a child process. `rejects` and
    `problems` fill as they are met, as `feeds.stream` fills its lists. An observation is None where the
    reader left it to the replay (see _share_work; `observe_all` leaves none). `figures` holds the reader's
    own seconds per stage and peak memory once it is done."""

    def __init__(
        self,
        feeds: list[str],
        feed_plan: FeedPlan,
        limit: int | None,
        index: WatchIndex,
        *,
        observe_all: bool = False,
    ):
        context = multiprocessing.get_context("spawn")  # a fork of a process running threads is unsafe
        # A pipe written by the reader's own thread: a queue's feeder thread would wait for the reader's
        # lock on the interpreter (GIL) at every write, and stalled both processes for a third of a replay.
        self._conn, writer = context.Pipe(duplex=False)
        # chunks sent and chunks taken, each written by one side: the reader sees how far ahead it is
        self._counts = context.RawArray("q", 2)
        self._process = context.Process(
            target=_read,
            args=(list(feeds), feed_plan, limit, index, writer, self._counts, observe_all),
            name="diplowatch-read-ahead",
            daemon=True,  # never outlives the replay
        )
        self._process.start()
        writer.close()  # the child's copy is the one that writes: its end of file then reaches us
        self.rejects: list[Rejected] = []
        self.problems: list[str] = []
        self.figures: dict[str, float] = {}
        self._first: tuple | None = None

    def ready(self) -> None:
        """Wait for the reader's first message (its start-up: a new interpreter, the word lists and the
        language model), so that the wait is not counted as reading."""
        if self._first is None:
            self._first = self._next()

    def __iter__(self) -> Iterator[tuple[Activity, Observation | None]]:
        while True:
            message, self._first = self._first or self._next(), None
            kind = message[0]
            if kind == "chunk":
                _, rejects, problems, pairs = message
                self.rejects.extend(rejects)
                self.problems.extend(problems)
                yield from pairs
            elif kind == "done":
                self.figures = message[1]
                return
            else:
                raise RuntimeError(f"the process reading ahead failed:\n{message[1]}")

    def _next(self) -> tuple:
        try:
            blob = self._conn.recv_bytes()
        except EOFError:
            self._process.join(10)
            raise RuntimeError(
                f"the process reading ahead ended without a word (exit code {self._process.exitcode})"
            ) from None
        self._counts[TAKEN] += 1
        # Unpickling builds thousands of small objects: the collector would walk every profile in memory
        # again and again for none of them to be garbage (two thirds of the cost, measured).
        with collector.paused():
            return pickle.loads(blob)

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(10)
        self._conn.close()


def _share_work(counts: Any) -> bool:
    """Whether to observe the next chunk here: only while the replay has chunks waiting. While it learns
    without scoring it needs less time per activity than observing takes, and would wait for this
    process; a chunk sent unobserved then lets it observe those activities itself."""
    return bool(counts[SENT] - counts[TAKEN] >= 2)


def _read(
    feeds: list[str],
    feed_plan: FeedPlan,
    limit: int | None,
    index: WatchIndex,
    out: Any,
    counts: Any,
    observe_all: bool,
) -> None:
    """The child: stream, validate and observe, and send chunks with the rejects met before them."""
    from bot.profile import warm_up
    from bot.profile.observe import observe

    collector.tune()  # a new interpreter: main() of the command line did not run here
    started = time.perf_counter()
    reading = observing = sending = 0.0
    _widen(out)
    try:
        warm_up()
        rejects: list[Rejected] = []
        problems: list[str] = []
        records: Iterator[Activity] = stream(feeds, rejects, problems, feed_plan)
        if limit is not None:
            records = islice(records, limit)
        told = (0, 0)  # rejects and problems already attached to a chunk
        chunk: list[tuple[Activity, Observation | None]] = []
        share = True
        before: tuple[list[Rejected], list[str]] = ([], [])  # what was met before the chunk's first activity

        def send(message: tuple) -> float:
            t = time.perf_counter()
            with collector.paused():  # pickling makes no garbage: nothing for the collector to find
                blob = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
            out.send_bytes(blob)
            counts[SENT] += 1
            return time.perf_counter() - t

        while True:
            t0 = time.perf_counter()
            activity = next(records, None)
            t1 = time.perf_counter()
            reading += t1 - t0
            met = (rejects[told[0] :], problems[told[1] :])
            told = (len(rejects), len(problems))
            if met[0] or met[1]:
                # met before this activity: the replay must learn of them just before it, as in one process
                if chunk or before[0] or before[1]:
                    sending += send(("chunk", *before, chunk))
                chunk, before = [], met
            if activity is None:
                break
            if not chunk:
                share = observe_all or _share_work(counts)
            chunk.append((activity, observe(activity, index.meta_for(activity)) if share else None))
            observing += time.perf_counter() - t1
            if len(chunk) >= CHUNK:
                sending += send(("chunk", *before, chunk))
                chunk, before = [], ([], [])
        if chunk or before[0] or before[1]:
            sending += send(("chunk", *before, chunk))
        figures = {
            "reading": round(reading, 3),
            "observing": round(observing, 3),
            "sending": round(sending, 3),
            "total": round(time.perf_counter() - started, 3),
            "cpu": round(time.process_time(), 3),  # the whole process's, as it started with this one
            "peak_rss_mb": round(peak_memory_mb(), 1),
        }
        out.send_bytes(pickle.dumps(("done", figures)))
    except Exception:  # a file that cannot be read is a problem in the list, not an exception
        out.send_bytes(pickle.dumps(("error", traceback.format_exc())))
    finally:
        out.close()
