"""The language of what it amplifies."""

from __future__ import annotations

from ..counts import Counter
from .base import Signal
from .categorical import categorical
from .words import counted, usual_text


def _reason(value: str, share: float, top: list, seen: float) -> str:
    return (
        f"amplifies {value} content, "
        + (
            f"{100 * share:.1f}% of what it amplifies"
            if share
            else f"a first in {counted(seen, 'amplified text', 'amplified texts')}"
        )
        + f" (usually {usual_text(top)})"
    )


# Amplifying content in a language it never amplified nor wrote in, surely identified (declared by the
# platform, a script of its own, or a clear identification): a French account liking a Turkish post.
# A language it writes in counts a tenth (categorical.RELATED_SHARE); a doubtful guess stays small.
TARGET_LANG_CAP = 8.0
TARGET_GUESS_CAP = 4.0


class TargetLangSignal(Signal):
    name = "target_lang"
    memories = {"tlangs": ("counter", 40)}
    tlangs: Counter

    def score_one(self, p, o, a, meta, world):
        written = p.signals["lang"].langs
        # a partner's post is in the partner's language: it tells little about who is at the keyboard
        known = o.target_key is not None and p.partners.count(o.target_key) >= 0.5
        cap = TARGET_LANG_CAP if o.target_lang_sure and not known else TARGET_GUESS_CAP
        return categorical(self.tlangs, o.target_lang, "target_lang", cap, _reason, related=written)

    def learn_one(self, p, o, weight: float):
        if o.target_lang:
            self.tlangs.add(o.target_lang, weight)
