"""The language of what it amplifies."""

from __future__ import annotations

from .base import Signal
from .categorical import categorical
from .words import usual_text


def _reason(value: str, share: float, top: list) -> str:
    return (f"amplifies {value} content, " + (f"{100 * share:.1f}% of what it amplifies" if share else "a first")
            + f" (usually {usual_text(top)})")


# Amplifying content in a language it never amplified (tried at 6 bits: more false alerts on real
# reposts of a visitor's language than incidents caught, see docs/detection.md).
TARGET_LANG_CAP = 4.0


class TargetLangSignal(Signal):
    name = "target_lang"
    memories = {"tlangs": ("counter", 40)}

    def score_one(self, p, o, a, meta, world):
        return categorical(self.tlangs, o.target_lang, "target_lang", TARGET_LANG_CAP, _reason)

    def learn_one(self, p, o, weight):
        if o.target_lang:
            self.tlangs.add(o.target_lang, weight)
