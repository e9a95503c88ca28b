"""Per-account behavioural profiles and scoring: is this activity in character for this account?

    book = ProfileBook()
    verdict = book.score(activity, meta)   # before learning it; pure
    book.learn(activity, meta)             # online update, old behaviour fading
    group = book.coordination.observe(activity, verdict)

See docs/detection.md for the features, how they combine and the evaluation figures.
"""

from .. import compiled

compiled.install()  # before the first of its modules loads: the mypyc build, when it matches the sources

from .book import ProfileBook  # noqa: E402
from .coordination import CoordinationTracker  # noqa: E402
from .types import IN_CHARACTER, AccountMeta, CoordinatedGroup, Verdict  # noqa: E402

if compiled.active():
    compiled.register_pickling()


def warm_up() -> None:
    """Load what scoring loads on first use (the word lists, the language model), so a caller can
    count that as start-up rather than as its first activity's cost."""
    from .langid import _model
    from .lexicon import lexicon

    lexicon()
    _model()


__all__ = [
    "IN_CHARACTER",
    "AccountMeta",
    "CoordinatedGroup",
    "CoordinationTracker",
    "ProfileBook",
    "Verdict",
    "warm_up",
]
