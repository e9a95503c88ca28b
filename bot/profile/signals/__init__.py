"""Every signal the detector scores, in the order their reasons are ranked on ties.

A new signal is one module here with one Signal subclass, added to SIGNALS.
"""

from __future__ import annotations

from .adult import AdultSignal
from .affiliation import AffiliationSignal
from .base import ALL_KINDS, BEHAVIOUR_KINDS, Finding, Signal, surprisal
from .client import ClientSignal
from .critic import CriticSignal
from .crypto import CryptoSignal
from .delete import DeleteSignal
from .domain import DomainSignal
from .dormancy import DormancySignal
from .gibberish import GibberishSignal
from .hack_claim import HackClaimSignal
from .hashtag import HashtagSignal
from .hour import HourSignal
from .kind import KindSignal
from .labels import LabelsSignal
from .lang import LangSignal
from .mass import MassSignal
from .pace import PaceSignal
from .profile_change import ProfileChangeSignal
from .status import StatusSignal
from .stranger import StrangerSignal
from .style import StyleSignal
from .target import TargetSignal
from .target_kind import TargetKindSignal
from .target_lang import TargetLangSignal
from .weekday import WeekdaySignal
from .wording import WordingSignal

SIGNALS: tuple[type[Signal], ...] = (
    # learned: judged against the account's own history
    KindSignal,
    TargetSignal,
    StrangerSignal,
    TargetKindSignal,
    HourSignal,
    WeekdaySignal,
    LangSignal,
    TargetLangSignal,
    ClientSignal,
    DomainSignal,
    HashtagSignal,
    WordingSignal,
    StyleSignal,
    PaceSignal,
    DormancySignal,
    DeleteSignal,
    # absolute: need no history
    LabelsSignal,
    AdultSignal,
    CriticSignal,
    CryptoSignal,
    HackClaimSignal,
    GibberishSignal,
    MassSignal,
    ProfileChangeSignal,
    StatusSignal,
    AffiliationSignal,
)
FEATURES: tuple[str, ...] = tuple(s.name for s in SIGNALS)
CONTEXT_FEATURES = frozenset(s.name for s in SIGNALS if s.context)
# Signals with no memory of their own: one object serves every account.
SHARED: dict[str, Signal] = {s.name: s() for s in SIGNALS if not s.memories}
# kind -> the signals that look at it, in ranking order
BY_KIND: dict[str, tuple[type[Signal], ...]] = {
    kind: tuple(s for s in SIGNALS if kind in s.kinds) for kind in ALL_KINDS
}

__all__ = [
    "BEHAVIOUR_KINDS",
    "BY_KIND",
    "CONTEXT_FEATURES",
    "FEATURES",
    "Finding",
    "SHARED",
    "SIGNALS",
    "Signal",
    "surprisal",
]
