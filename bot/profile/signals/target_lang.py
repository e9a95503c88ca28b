"""The language of what it amplifies."""

from __future__ import annotations

from ..counts import Counter
from ..langid import candidates, language_name
from ..text import words
from .base import Signal
from .categorical import categorical
from .lang import new_reading
from .words import counted, percent, usual_text


def _reason(value: str, share: float, top: list, seen: float) -> str:
    return (
        f"amplifies {language_name(value)} content, "
        + (
            f"{percent(share)} of what it amplifies"
            if share
            else f"a first in {counted(seen, 'amplified text', 'amplified texts')}"
        )
        + f" (usually {usual_text(top, language_name)})"
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
        sure = o.target_lang_sure or self._surely_new(p, o, written)
        cap = TARGET_LANG_CAP if sure and not known else TARGET_GUESS_CAP
        return categorical(self.tlangs, o.target_lang, "target_lang", cap, _reason, related=written)

    def _surely_new(self, p, o, written: Counter) -> bool:
        """An unsure reading of what it amplifies whose doubt is only which new language, as its own
        texts are read (lang.new_reading): "Pemilu ini dicurangi secara terstruktur" is Indonesian
        0.68 and Malay 0.12 to the identifier, and a Spanish-writing account writes and amplifies neither.
        Asked only of a first, so the identifier runs once for the rare text in a language it never met."""
        if not o.target_lang or self.tlangs.count(o.target_lang) > 0 or written.count(o.target_lang) > 0:
            return False
        if len(set(words(o.target_text))) < 4:
            return False
        options = candidates(o.target_text)
        if not options:
            return False
        tlangs = self.tlangs
        return new_reading(options, lambda kin: written.count(kin) <= 0 and tlangs.count(kin) <= 0) == o.target_lang

    def learn_one(self, p, o, weight: float):
        if o.target_lang:
            self.tlangs.add(o.target_lang, weight)
