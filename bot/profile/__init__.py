"""Per-account behavioural profiles and scoring: is this activity in character for this account?

    book = ProfileBook()
    verdict = book.score(activity, meta)   # before learning it; pure
    book.learn(activity, meta)             # online update, old behaviour fading
    group = book.coordination.observe(activity, verdict)

See docs/detection.md for the features, how they combine and the evaluation figures.
"""

from .book import ProfileBook
from .coordination import CoordinationTracker
from .types import AccountMeta, CoordinatedGroup, Verdict

__all__ = ["AccountMeta", "CoordinatedGroup", "CoordinationTracker", "ProfileBook", "Verdict"]
