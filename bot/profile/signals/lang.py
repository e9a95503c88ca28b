"""The language of its own words, and the writing system: a Cyrillic-only account writing in Latin
letters counts even when the language itself is only a guess."""

from __future__ import annotations

from .base import Signal
from .categorical import categorical
from .words import usual_text

SCRIPT_NAMES = {"latin": "Latin", "ru": "Cyrillic", "ar": "Arabic", "zh": "Chinese", "ja": "Japanese",
                "ko": "Korean", "he": "Hebrew", "el": "Greek", "th": "Thai", "hi": "Devanagari", "ka": "Georgian",
                "hy": "Armenian"}


def _script_reason(value: str, share: float, top: list) -> str:
    return (f"written in {SCRIPT_NAMES.get(value, value)} script, "
            + (f"{100 * share:.1f}% of its texts" if share else "a first")
            + " (usually " + ", ".join(f"{SCRIPT_NAMES.get(k, k)} {100 * x:.0f}%" for k, x in top) + ")")


def _lang_reason(value: str, share: float, top: list) -> str:
    return (f"written in {value}, " + (f"{100 * share:.1f}% of its texts" if share else "a first")
            + f" (usually {usual_text(top)})")


# A language it never wrote in, declared by the platform or surely identified, or a script it never
# used, from an account that almost never writes in a new one: nearly enough to alert on its own (a
# government account posting in German when it never has). A doubtful guess counts for less.
SURE_CAP = 11.0
GUESS_CAP = 5.0


class LangSignal(Signal):
    name = "lang"
    kinds = frozenset({"post", "reply", "quote"})
    memories = {"langs": ("counter", 40), "scripts": ("counter", 16)}

    def score_one(self, p, o, a, meta, world):
        script = categorical(self.scripts, o.script, "lang", SURE_CAP, _script_reason)
        amplified = p.signals["target_lang"].tlangs  # a language it amplifies is not a stranger's
        lang = categorical(self.langs, o.lang, "lang", SURE_CAP if o.lang_declared else GUESS_CAP, _lang_reason,
                           related=amplified)
        if script and (lang is None or script.bits > lang.bits):
            return script
        return lang

    def learn_one(self, p, o, weight):
        if o.lang:
            self.langs.add(o.lang, weight)
        if o.script:
            self.scripts.add(o.script, weight)
