"""The language of its own words, and the writing system: a Cyrillic-only account writing in Latin
letters counts even when the language itself is only a guess."""

from __future__ import annotations

from .base import Signal
from .categorical import categorical
from .words import usual_text

SCRIPT_NAMES = {
    "latin": "Latin",
    "ru": "Cyrillic",
    "ar": "Arabic",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "he": "Hebrew",
    "el": "Greek",
    "th": "Thai",
    "hi": "Devanagari",
    "ka": "Georgian",
    "hy": "Armenian",
}


def _script_reason(value: str, share: float, top: list) -> str:
    return (
        f"written in {SCRIPT_NAMES.get(value, value)} script, "
        + (f"{100 * share:.1f}% of its texts" if share else "a first")
        + " (usually "
        + ", ".join(f"{SCRIPT_NAMES.get(k, k)} {100 * x:.0f}%" for k, x in top)
        + ")"
    )


def _lang_reason(value: str, share: float, top: list) -> str:
    return (
        f"written in {value}, "
        + (f"{100 * share:.1f}% of its texts" if share else "a first")
        + f" (usually {usual_text(top)})"
    )


# A language it never wrote in, declared by the platform or surely identified, or a script it never
# used, from an account that almost never writes in a new one: nearly enough to alert on its own (a
# government account posting in German when it never has). A doubtful guess counts for less.
SURE_CAP = 12.0
GUESS_CAP = 5.0
# How often a language or script never seen before is expected, before its own history says: official
# accounts take up a new language very rarely (a tenth of the usual pseudo-count), so a long faded
# history of one or two languages makes a sure first worth up to SURE_CAP bits.
NEW_PRIOR = 0.1


class LangSignal(Signal):
    name = "lang"
    kinds = frozenset({"post", "reply", "quote"})
    memories = {"langs": ("counter", 40), "scripts": ("counter", 16)}

    def score_one(self, p, o, a, meta, world):
        script = categorical(self.scripts, o.script, "lang", SURE_CAP, _script_reason, prior=NEW_PRIOR)
        amplified = p.signals["target_lang"].tlangs  # a language it amplifies is not a stranger's
        lang = categorical(
            self.langs,
            o.lang,
            "lang",
            SURE_CAP if o.lang_declared else GUESS_CAP,
            _lang_reason,
            related=amplified,
            prior=NEW_PRIOR,
        )
        if script and (lang is None or script.bits > lang.bits):
            return script
        return lang

    def learn_one(self, p, o, weight):
        # only what is sure: a doubtful guess that calls a short English post Tagalog would teach the
        # account a "new language" now and then, and make every real first cheap
        if o.lang and o.lang_declared:
            self.langs.add(o.lang, weight)
        if o.script:
            self.scripts.add(o.script, weight)
