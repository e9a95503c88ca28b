"""How its own text is written against how it usually writes: an account that never shouts in capitals,
never opens with 'Breaking:' or never says 'I' writing so is a sign of another author."""

from __future__ import annotations

import re

from ..counts import Counter
from ..lexicon import claims_alarm
from ..text import QUOTE_MARKS, label_of, told_label
from .base import Finding, Signal, surprisal
from .naming import names_itself
from .words import percent

STYLE_NAMES = {
    "opener": "opens with a label and a colon",
    "shout": "shouts in capitals",
    "exclaim": "exclaims",
    "first_person": "speaks in the first person",
    "emoji": "is full of emoji",
}


STYLE_CAP = 6.0
# A label it never used heading an alarming claim is the hoax news flash (I07's "Breaking: Two
# explosions in the White House", I11's resignation): the label counts at its full rarity, the share of
# its texts that open with a label times its rate of new labels, without the discount that keeps a
# merely rare way of writing quiet, up to FLASH_CAP. A quotation ("Name: "...") is no flash.
FLASH_CAP = 10.0
STYLE_DISCOUNT = 3.5  # bits: a rare way of writing is weak evidence of another author on its own


# A share button writes the article's title, its link and "via @outlet": a label there ("Difference
# engine: Beyond Moore's law ... via @TheEconomist") is the outlet's headline style, not the account's.
# 43 of the real timelines' 367 such shares open with one. Scored, @MustafaAG's share of that column
# alerted with its new client and domain; learned, they taught Ilves (18 of them) and Queen Noor (8)
# labels they never wrote, and made a label they never used look common.
_SHARED_RE = re.compile(r"\bvia\s+@\w+\s*$", re.IGNORECASE)


def _own_flags(p, o) -> tuple[str, ...]:
    """How its text is written, with a label that is its own name, or a shared headline's, set aside: an
    office quoting its principal opens with no label, when scored and when learned alike."""
    label = label_of(o.styles) if o.styles else None
    if label is None or not (names_itself(p.handle, label) or _SHARED_RE.search(o.text or "")):
        return o.styles
    return tuple(f for f in o.styles if f != "opener" and not f.startswith("label:"))


def _flash(o, text: str | None) -> bool:
    """Whether its label heads an alarming claim of its own, not a quotation or a mention."""
    if not text or not any(category == "alarm" for category, _ in o.categories):
        return False
    head, _, rest = text.partition(":")
    return not head.lstrip(" .").startswith("@") and rest.lstrip()[:1] not in QUOTE_MARKS


class StyleSignal(Signal):
    name = "style"
    kinds = frozenset({"post", "reply", "quote"})
    memories = {"styles": ("counter", 8), "openers": ("counter", 30)}
    styles: Counter
    openers: Counter

    def _new_label(self, p, o) -> str | None:
        """The label its text opens with, when it never used it (and it is not its own name)."""
        label = label_of(_own_flags(p, o))
        return label if label is not None and self.openers.count(label) <= 0 else None

    def flashes(self, p, o, text: str | None) -> bool:
        """Whether its own text opens with a label it never used heading an alarming claim: a news flash
        (read by target_kind too: the flash asserts as news what it heads)."""
        return self.styles.count("text") >= 30 and self._new_label(p, o) is not None and _flash(o, text)

    def score_one(self, p, o, a, meta, world):
        flags = _own_flags(p, o)
        if not flags:
            return None
        styles = self.styles
        texts = styles.count("text")
        if texts < 30:
            return None
        parts = []
        cap = STYLE_CAP
        for flag in flags:
            if flag.startswith("label:"):
                continue
            seen = styles.count(flag)
            bits = surprisal((seen + 0.5) / (texts + 1.0)) - STYLE_DISCOUNT
            label = self._new_label(p, o) if flag == "opener" else None
            if label is not None:
                # a label it never used: as rare as its labels are new (its openers are its own vocabulary)
                bits += surprisal(self.openers.p_new()) if self.openers.mass() >= 3 else 1.0
                told = told_label(label, a.text)
                shown = f"opens with '{told}', a label it never used"
                if _flash(o, a.text):
                    bits += STYLE_DISCOUNT
                    cap = FLASH_CAP
                    headed = "an alarming claim" if claims_alarm(o.terms) else "its text"
                    shown = f"opens {headed} with '{told}', a news-flash label it never used"
                if bits >= 0.5:
                    parts.append((bits, f"{shown} ({percent(seen / texts)} of its texts open with a label)"))
                continue
            if bits >= 0.5:
                parts.append((bits, f"{STYLE_NAMES[flag]} ({percent(seen / texts)} of its texts do)"))
        if not parts:
            return None
        parts.sort(reverse=True)
        bits = parts[0][0] + 0.5 * sum(b for b, _ in parts[1:])
        return Finding("style", min(bits, cap), "; ".join(text for _, text in parts), f"style:{flags[0]}")

    def learn_one(self, p, o, weight: float):
        if o.styled:
            self.styles.add("text", weight)  # the denominator: how many of its own texts were read
            for flag in _own_flags(p, o):
                if flag.startswith("label:"):
                    self.openers.add(flag[6:], weight)
                else:
                    self.styles.add(flag, weight)
