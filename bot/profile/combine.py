"""Combining the feature evidence into one calibrated score.

Each feature reports bits of surprise against the account's own history (its probabilities are the
account's, so a chaotic account's novelties already cost fewer bits than a disciplined one's). The bits
add up (a naive-Bayes style log-likelihood) and a fixed logistic maps the sum onto 0..1 so that the same
score means the same amount of evidence on every account:

    score = 1 / (1 + exp(-(bits - ALERT_BITS) / SPREAD))

ALERT_BITS is the evidence at which an alert starts (score 0.5, severity low); with SPREAD 2.5 bits,
medium (0.7) needs ~2 bits more, high (0.85) ~4.3 and critical (0.95) ~7.4. Both constants were set on
the evaluation's tuning seeds (docs/detection.md); ALERT_BITS lives in signals/base.py, because the
checks that alert on their own (mass actions) are worth it by themselves.
"""

from __future__ import annotations

import math

from .signals import CONTEXT_FEATURES
from .signals.base import ALERT_BITS
from .signals.lang import GUESS_CAP

SPREAD = 2.5
THIN_ACTIVITIES = 30  # below this, learned habits are not trusted
MAX_REASONS = 5


# Habits of timing and kind (an odd hour, a rare kind, a fast pace, a long silence) are weak evidence of
# someone else at the keyboard on their own: an unfollow at 3 a.m. after a quiet month is routine. Without
# a sign in what it did or with whom (content, target, language, client, labels, ...), they add at most
# CONTEXT_CAP bits, below the alert line. With something of substance, the context counts beyond its
# cap by no more than the substance itself: a first like in 2,000 activities (13 bits of kind, on an
# account with no reposts to stand for its likes: signals/kind.py) of a stranger's post, at an account
# whose amplifications are of new accounts one time in four (2 bits), counts 11 bits, a first of a
# routine kind, not an incident, while a like of explicit material or of a claim brings bits enough to
# let the rarity count in full.
# (the signals marked `context`: kind, hour, weekday, pace, dormancy)
CONTEXT_CAP = 7.0
SUBSTANCE_MIN = 2.0  # bits of content or target evidence that let the context count beyond its cap
# A language reading worth no more than a doubtful guess (thanks answered in the language they came in, a
# translation of its own post, a guess on a few words or on names: signals/lang.py) is no sign of someone
# else at the keyboard, and does not let the context count beyond its cap. It did: Sarkozy's "Muchas
# gracias por tu mensaje" to a Costa Rican student, a courtesy at 5 bits, lifted a rare reply at 22:12
# to an alert in every replay.
WEAK_BITS = {"lang": GUESS_CAP}


def combine_bits(findings) -> float:
    """The evidence of all findings, with the context features capped unless something of substance
    is odd too (more than a doubtful reading), and lifted beyond the cap by no more than the substance."""
    context = sum((f.bits for f in findings if f.feature in CONTEXT_FEATURES), 0.0)
    substance = sum((f.bits for f in findings if f.feature not in CONTEXT_FEATURES), 0.0)
    lifting = sum(
        (f.bits for f in findings if f.feature not in CONTEXT_FEATURES and f.bits > WEAK_BITS.get(f.feature, 0.0)),
        0.0,
    )
    if lifting < SUBSTANCE_MIN:
        context = min(context, CONTEXT_CAP)
    else:
        context = min(context, CONTEXT_CAP + substance)
    return context + substance


def confidence(n: int) -> float:
    """How much the learned checks count for an account with n activities of history."""
    return min(1.0, n / THIN_ACTIVITIES)


def to_score(bits: float) -> float:
    return 1.0 / (1.0 + math.exp(-(bits - ALERT_BITS) / SPREAD))


def to_bits(score: float) -> float:
    score = min(max(score, 1e-9), 1 - 1e-9)
    return ALERT_BITS + SPREAD * math.log(score / (1 - score))
