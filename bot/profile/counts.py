"""Fading counts: the memory every feature model is built on.

Old behaviour fades by the number of activities the account has had since (a half-life in activities,
not days: a quiet embassy and a busy president both keep about the same amount of memory). Fading is
lazy: each new observation is added with a growing `gain` instead of shrinking every stored weight, so
learning costs O(1); effective weight = stored / gain. When the gain grows large, everything is
rescaled once.
"""

from __future__ import annotations

import heapq
from operator import itemgetter
from typing import Any, Iterable

HALF_LIFE = 1500  # activities
GROWTH = 2.0 ** (1.0 / HALF_LIFE)
RESCALE_AT = 1e12
_WEIGHT = itemgetter(1)  # of a (value, weight) item


class Clock:
    """The fading clock shared by all counters of one account."""

    __slots__ = ("gain", "members")

    def __init__(self, gain: float = 1.0):
        self.gain = gain
        self.members: list[Any] = []

    def tick(self) -> None:
        self.gain *= GROWTH
        if self.gain > RESCALE_AT:
            factor = 1.0 / self.gain
            for member in self.members:
                member.rescale(factor)
            self.gain = 1.0


class Counter:
    """A capped map value -> fading weight, with the fading total and the fading share of novel values.

    `novel` is the weight of observations whose value had not been seen before: it estimates how often
    this account does something new on this feature (the chance that the next value is new). The first
    value it ever has is not counted: a monolingual account's first post is in a language it had not
    used, but that is where it starts, not a new language taken up. With `settle`, neither are the
    values it takes while its total is under that much: a memory whose first values are a repertoire
    (a bilingual office's two languages from its first weeks).
    """

    __slots__ = ("clock", "cap", "weights", "total", "novel", "settle")

    def __init__(self, clock: Clock, cap: int, settle: float = 0.0):
        self.clock = clock
        self.cap = cap
        self.settle = settle  # a setting, not state: not saved
        self.weights: dict[str, float] = {}
        self.total = 0.0
        self.novel = 0.0
        clock.members.append(self)

    def add(self, key: str, weight: float = 1.0, taken_up: bool = True) -> None:
        """Count one observation of `key`. `taken_up=False`: a value that is new here but says nothing of
        how often the account takes up new ones (a language it answered someone in) is not a novelty."""
        step = weight * self.clock.gain
        old = self.weights.get(key)
        if old is None:
            if weight <= 0:
                return
            # its very first value (or those while it settles) is where it starts, not something new it took up
            if taken_up and self.weights and self.total >= self.settle * self.clock.gain:
                self.novel += step
            self.weights[key] = step
            if len(self.weights) > self.cap * 1.25:
                self.prune()
        else:
            new = old + step
            if new <= 1e-9 * self.clock.gain:
                # unlearned entirely (a confirmed incident): it no longer counts as a novelty either
                del self.weights[key]
                self.novel = max(0.0, self.novel - old)
            else:
                self.weights[key] = new
        self.total = self.total + step if step >= 0 else max(0.0, self.total + step)

    def add_many(self, keys: Iterable[str], weight: float = 1.0) -> None:
        """`add` of each key in turn, with the same arithmetic in the same order (a text's words: the
        method call per word was most of the cost)."""
        gain = self.clock.gain
        step = weight * gain
        weights = self.weights
        limit = self.cap * 1.25
        for key in keys:
            old = weights.get(key)
            if old is None:
                if weight <= 0:
                    continue
                if weights and self.total >= self.settle * gain:
                    self.novel += step
                weights[key] = step
                if len(weights) > limit:
                    self.prune()
                    weights = self.weights
            else:
                new = old + step
                if new <= 1e-9 * gain:
                    del weights[key]
                    self.novel = max(0.0, self.novel - old)
                else:
                    weights[key] = new
            # the total only grows with a positive step: max() is needed when unlearning alone
            self.total = self.total + step if step >= 0 else max(0.0, self.total + step)

    def prune(self) -> None:
        # what heapq.nlargest gives (heaviest first, ties in insertion order), but sorted in C: nlargest
        # keeping 1,500 of 1,875 ran its heap in Python
        keep = sorted(self.weights.items(), key=_WEIGHT, reverse=True)[: self.cap]
        self.weights = dict(keep)

    def rescale(self, factor: float) -> None:
        for key in self.weights:
            self.weights[key] *= factor
        self.total *= factor
        self.novel *= factor

    def count(self, key: str) -> float:
        """Effective (faded) count of a value."""
        return self.weights.get(key, 0.0) / self.clock.gain

    def mass(self) -> float:
        return self.total / self.clock.gain

    def share(self, key: str) -> float:
        return self.weights.get(key, 0.0) / self.total if self.total > 0 else 0.0

    def p_new(self, prior: float = 1.0, over: float | None = None) -> float:
        """Chance that the next value is one never seen: `prior` novelties in `over` observations (2 *
        prior unless said, an even chance), added to its own. An `over` with the rate of all accounts
        judges a short history by that rate until its own says otherwise."""
        over = 2 * prior if over is None else over
        return (self.novel + prior * self.clock.gain) / (self.total + over * self.clock.gain)

    def top(self, n: int) -> list[tuple[str, float]]:
        """The n heaviest values with their shares of the total."""
        if self.total <= 0:
            return []
        best = heapq.nlargest(n, self.weights.items(), key=lambda kv: kv[1])
        return [(key, w / self.total) for key, w in best]

    def state(self) -> dict[str, Any]:
        g = self.clock.gain
        return {
            "w": {k: round(x, 2) for k, v in self.weights.items() if (x := v / g) >= 0.01},
            "t": round(self.total / g, 3),
            "n": round(self.novel / g, 3),
        }

    def load(self, data: dict[str, Any]) -> None:
        g = self.clock.gain
        self.weights = {str(k): float(v) * g for k, v in (data.get("w") or {}).items()}
        self.total = float(data.get("t", 0.0)) * g
        self.novel = float(data.get("n", 0.0)) * g


class Bins:
    """A fixed number of fading bins (hours of the day, days of the week, log-scaled gaps and paces)."""

    __slots__ = ("clock", "weights")

    def __init__(self, clock: Clock, size: int):
        self.clock = clock
        self.weights = [0.0] * size
        clock.members.append(self)

    def add(self, index: int, weight: float = 1.0) -> None:
        value = self.weights[index] + weight * self.clock.gain
        self.weights[index] = value if weight >= 0 else max(0.0, value)  # only unlearning can go below 0

    def rescale(self, factor: float) -> None:
        self.weights = [w * factor for w in self.weights]

    def mass(self) -> float:
        return sum(self.weights) / self.clock.gain

    def shares(self) -> list[float]:
        total = sum(self.weights)
        if total <= 0:
            return [0.0] * len(self.weights)
        return [w / total for w in self.weights]

    def tail_from(self, index: int) -> float:
        """Share of the mass in bins at or above index (how often it was this high or higher)."""
        total = sum(self.weights)
        return sum(self.weights[index:]) / total if total > 0 else 1.0

    def state(self) -> list[float]:
        g = self.clock.gain
        return [round(w / g, 3) for w in self.weights]

    def load(self, values: Iterable[float]) -> None:
        g = self.clock.gain
        values = list(values)
        if len(values) == len(self.weights):
            self.weights = [float(v) * g for v in values]


class Moments:
    """Fading mean and spread of one number (e.g. the share of unfamiliar words in a post)."""

    __slots__ = ("clock", "w", "s", "s2")

    def __init__(self, clock: Clock):
        self.clock = clock
        self.w = self.s = self.s2 = 0.0
        clock.members.append(self)

    def add(self, x: float, weight: float = 1.0) -> None:
        g = weight * self.clock.gain
        self.w += g
        self.s += g * x
        self.s2 += g * x * x

    def rescale(self, factor: float) -> None:
        self.w *= factor
        self.s *= factor
        self.s2 *= factor

    def mass(self) -> float:
        return self.w / self.clock.gain

    def mean_sd(self) -> tuple[float, float]:
        if self.w <= 0:
            return 0.0, 1.0
        mean = self.s / self.w
        var = max(0.0, self.s2 / self.w - mean * mean)
        return mean, var**0.5

    def state(self) -> list[float]:
        g = self.clock.gain
        return [round(self.w / g, 3), round(self.s / g, 4), round(self.s2 / g, 4)]

    def load(self, values: list[float]) -> None:
        g = self.clock.gain
        if len(values) == 3:
            self.w, self.s, self.s2 = (float(v) * g for v in values)
