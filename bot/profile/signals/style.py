"""How its own text is written against how it usually writes: an account that never shouts in capitals,
never opens with 'Breaking:' or never says 'I' writing so is a sign of another author."""

from __future__ import annotations

from .base import Finding, Signal, surprisal

STYLE_NAMES = {"opener": "opens with a label and a colon", "shout": "shouts in capitals",
               "exclaim": "exclaims", "first_person": "speaks in the first person", "emoji": "is full of emoji"}


class StyleSignal(Signal):
    name = "style"
    kinds = frozenset({"post", "reply", "quote"})
    memories = {"styles": ("counter", 8)}

    def score_one(self, p, o, a, meta, world):
        if not o.styles:
            return None
        styles = self.styles
        texts = styles.count("text")
        if texts < 30:
            return None
        parts = []
        for flag in o.styles:
            seen = styles.count(flag)
            bits = surprisal((seen + 0.5) / (texts + 1.0)) - 3.5
            if bits >= 0.5:
                parts.append((bits, f"{STYLE_NAMES[flag]} ({100 * seen / texts:.1f}% of its texts do)"))
        if not parts:
            return None
        parts.sort(reverse=True)
        bits = parts[0][0] + 0.5 * sum(b for b, _ in parts[1:])
        return Finding("style", min(bits, 5.0), "; ".join(text for _, text in parts), f"style:{o.styles[0]}")

    def learn_one(self, p, o, weight):
        if o.keys:
            self.styles.add("text", weight)  # the denominator: how many of its own texts were read
            for flag in o.styles:
                self.styles.add(flag, weight)
