"""Topic and wording against its own history: how surprising its words are under its own faded
vocabulary (a unigram language model, the simplest form of Seyler et al.'s language-model divergence),
as a z-score against how surprising its texts usually are; and the share of words it never used."""

from __future__ import annotations

import math

from ..counts import Counter, Moments
from .base import Finding, Signal

VOCAB_CAP = 1500
WORD_BITS_CAP = 16.0


class WordingSignal(Signal):
    name = "wording"
    kinds = frozenset({"post", "reply", "quote"})
    memories = {"vocab": ("counter", VOCAB_CAP), "novelty": ("moments", 0), "surprisal": ("moments", 0)}
    vocab: Counter
    novelty: Moments
    surprisal: Moments

    def figures(self, o) -> tuple[float, float]:
        """(mean bits per distinct word, share of words never used) under its vocabulary now; computed
        once per activity and kept on the observation, so learning reuses what scoring worked out."""
        if o.word_figures is not None:
            return o.word_figures
        vocab = self.vocab
        weights, gain = vocab.weights, vocab.clock.gain
        mass = max(vocab.mass(), 1.0)
        log2 = math.log2
        bits = unknown = 0.0
        for key in o.keys:
            w = weights.get(key)
            if w is None:
                unknown += 1
                bits += min(WORD_BITS_CAP, log2(mass / 0.5))
            else:
                bits += min(WORD_BITS_CAP, log2(mass / (w / gain + 0.5)))
        n = len(o.keys)
        o.word_figures = (bits / n, unknown / n)
        return o.word_figures

    def score_one(self, p, o, a, meta, world):
        if len(o.keys) < 4 or self.surprisal.mass() < 30:
            return None
        # words in a language it never writes are new to it by necessity: the language's first is the
        # evidence, counted once. Counted twice, Obama's first Spanish post was 12 bits of language and 6
        # of "100% of its words never used before", an alert.
        if p.signals["lang"].foreign(p, o):
            return None
        bits_per_word, share = self.figures(o)
        mean, sd = self.surprisal.mean_sd()
        z = (bits_per_word - mean) / max(sd, 0.5)
        bits = 1.5 * (z - 2.0)
        usual, spread = self.novelty.mean_sd()
        # nearly all of its words new, where its texts usually reuse most of theirs: someone else's words
        novel = 1.2 * ((share - usual) / max(spread, 0.1) - 2.5)
        bits = max(bits, novel)
        if bits < 0.5:
            return None
        return Finding(
            "wording", min(bits, 7.0), f"{100 * share:.0f}% of its words never used before (usually {100 * usual:.0f}%)"
        )

    def learn_one(self, p, o, weight: float):
        if not o.keys:
            return
        vocab = self.vocab
        if vocab.mass() >= 50:
            bits_per_word, share = self.figures(o)
            self.novelty.add(share, weight)
            self.surprisal.add(bits_per_word, weight)
        vocab.add_many(o.keys, weight)
        o.word_figures = None  # the vocabulary has moved on
