"""How its own text is written against how it usually writes: an account that never shouts in capitals,
never opens with 'Breaking:' or never says 'I' writing so is a sign of another author."""

from __future__ import annotations

from ..counts import Counter
from .base import Finding, Signal, surprisal

STYLE_NAMES = {
    "opener": "opens with a label and a colon",
    "shout": "shouts in capitals",
    "exclaim": "exclaims",
    "first_person": "speaks in the first person",
    "emoji": "is full of emoji",
}


STYLE_CAP = 6.0


class StyleSignal(Signal):
    name = "style"
    kinds = frozenset({"post", "reply", "quote"})
    memories = {"styles": ("counter", 8), "openers": ("counter", 30)}
    styles: Counter
    openers: Counter

    def score_one(self, p, o, a, meta, world):
        if not o.styles:
            return None
        styles = self.styles
        texts = styles.count("text")
        if texts < 30:
            return None
        parts = []
        for flag in o.styles:
            if flag.startswith("label:"):
                continue
            seen = styles.count(flag)
            bits = surprisal((seen + 0.5) / (texts + 1.0)) - 3.5
            label = next((f[6:] for f in o.styles if f.startswith("label:")), None) if flag == "opener" else None
            if label is not None and self.openers.count(label) <= 0:
                # a label it never used: as rare as its labels are new (its openers are its own vocabulary)
                bits += surprisal(self.openers.p_new()) if self.openers.mass() >= 3 else 1.0
                if bits >= 0.5:
                    parts.append(
                        (
                            bits,
                            f"opens with '{label}:', a label it never used ({100 * seen / texts:.1f}% "
                            f"of its texts open with a label)",
                        )
                    )
                continue
            if bits >= 0.5:
                parts.append((bits, f"{STYLE_NAMES[flag]} ({100 * seen / texts:.1f}% of its texts do)"))
        if not parts:
            return None
        parts.sort(reverse=True)
        bits = parts[0][0] + 0.5 * sum(b for b, _ in parts[1:])
        return Finding("style", min(bits, STYLE_CAP), "; ".join(text for _, text in parts), f"style:{o.styles[0]}")

    def learn_one(self, p, o, weight: float):
        if o.keys:
            self.styles.add("text", weight)  # the denominator: how many of its own texts were read
            for flag in o.styles:
                if flag.startswith("label:"):
                    self.openers.add(flag[6:], weight)
                else:
                    self.styles.add(flag, weight)
