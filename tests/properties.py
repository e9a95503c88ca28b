"""Shared hypothesis pieces for the parser property tests: any JSON, the odd values fuzzing found, and
mutations of real payloads (one value anywhere in the document replaced by anything)."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from bot.activity import Activity, checked
from bot.feeds import Rejected

# Deterministic and without a time limit: `make test` must never fail by being slow or unlucky.
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ODD_VALUES = st.sampled_from(
    [
        None,
        "",
        "²",
        "\ud800",
        "broken \udfff text",
        "9999-12-31T23:59:59-05:00",
        "0001-01-01T00:00:00+01:00",
        "2020-13-45T99:99:99Z",
        [],
        {},
        [None],
        {"": None},
        0,
        -1,
        2**64,
        1e308,
        True,
        "<@&123>",
        "x" * 3000,
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | ODD_VALUES
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON document, the document itself first."""
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += paths(item, prefix + (index,))
    return out


def replaced(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    value = copy.deepcopy(value)
    holder = value
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = new
    return value


def mutations(seed: Any, rounds: int = 3):
    """A real payload with up to `rounds` values replaced by any JSON (keys kept, so shapes stay close)."""

    @st.composite
    def build(draw):
        value = seed
        for _ in range(draw(st.integers(1, rounds))):
            places = paths(value)
            value = replaced(value, draw(st.sampled_from(places)), draw(JSON))
        return value

    return build()


def storable(text: str) -> None:
    """What SQLite needs of a TEXT value: it encodes as UTF-8."""
    text.encode("utf-8")


def assert_valid_or_kept_aside(result: Activity | None, rejects: list[Rejected]) -> None:
    """The contract of every parser: a valid, storable activity, or exactly one reject with a reason."""
    if result is None:
        assert len(rejects) == 1 and rejects[0].reason and rejects[0].source
        for part in (rejects[0].reason, rejects[0].record, rejects[0].source):
            storable(part)
    else:
        assert rejects == []
        assert checked(result) is not None
        storable(result.to_json(with_raw=False))


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
