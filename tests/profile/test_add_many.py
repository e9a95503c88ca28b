"""Counter.add_many, the fast path wording learns a text's words by, is add of each word in turn."""

from hypothesis import given
from hypothesis import strategies as st

from bot.profile.counts import Clock, Counter
from tests.properties import PROPERTY

KEYS = st.lists(st.sampled_from([f"w{i}" for i in range(12)]), max_size=12)
STEPS = st.lists(st.tuples(KEYS, st.sampled_from([1.0, 5.0, -1.0, 0.25]), st.integers(0, 3)), max_size=40)


@PROPERTY
@given(STEPS)
def test_add_many_is_add_of_each_key_in_turn(steps):
    one, many = Counter(Clock(), 6), Counter(Clock(), 6)  # a small cap: pruning happens mid-text
    for keys, weight, ticks in steps:
        for _ in range(ticks):
            one.clock.tick()
            many.clock.tick()
        for key in keys:
            one.add(key, weight)
        many.add_many(keys, weight)
        assert (many.weights, many.total, many.novel) == (one.weights, one.total, one.novel)
        assert list(many.weights) == list(one.weights)
