"""Content the platform itself labelled explicit, spam or sensitive."""

from __future__ import annotations

from ..counts import Counter
from ..lexicon import lexicon
from .base import Finding, Signal
from .words import counted, past

WEIGHTS = (("explicit", 30.0), ("spam", 14.0), ("sensitive", 6.0))


class LabelsSignal(Signal):
    name = "labels"
    learned = False
    memories = {"labels": ("counter", 32)}
    labels: Counter

    def score_one(self, p, o, a, meta, world):
        if not o.labels:
            return None
        lex = lexicon()
        groups = {"explicit": lex.explicit_labels, "spam": lex.spam_labels, "sensitive": lex.sensitive_labels}
        for name, bits in WEIGHTS:
            found = sorted({lab for lab in o.labels if lab in groups[name]})
            if not found:
                continue
            seen = max(self.labels.count(lab) for lab in found)
            if f"labels:{found[0]}" in p.exempt:
                continue
            bits = bits / (1.0 + seen) if name != "explicit" else bits / (1.0 + 0.2 * seen)
            return Finding(
                "labels",
                bits,
                f"{past(o.kind)} content labelled {', '.join(found)}"
                + (f" ({counted(seen, 'time', 'times')} before)" if seen >= 1 else " (never before)"),
                f"labels:{found[0]}",
            )
        return None

    def learn_one(self, p, o, weight: float):
        for label in o.labels:
            self.labels.add(label, weight)
