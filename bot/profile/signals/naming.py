"""Whether a post it amplifies names something of the account's own world: someone of its circle (as
@handle), a hashtag it uses, its own name as its handle spells it, or a name it writes itself. Most of
what an official account amplifies from outside its circle does (a citizen's thanks to its president, a
report on its minister); a post that names nothing of its world is rarer (target.py, stranger.py)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ..counts import Counter
from ..text import WORD_RE, opens_sentence, prose, word_key
from .hashtag import family

# A name of its own: a capitalised word inside a sentence (not the first of one) that the account has
# written at least OWN_NAME_MIN times (faded), and writes OWN_NAME_RATIO times as often as the author it
# amplifies does, when that author is watched: "Americans" in Obama's post is Obama's word, not Trump's
# account's; "Perú" in the Mexican presidency's post is the Peruvian palace's.
OWN_NAME_MIN = 2.0
OWN_NAME_RATIO = 4.0


# Letters that carry no accent to drop, written out as a handle spells them: "Løkke" is @larsloekke's
# name (and "Støre" would be @jonasgahrstore's, so "ø" is tried as "o" too).
SPELLED_OUT = str.maketrans({"ø": "oe", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "þ": "th", "ı": "i"})
PLAIN_O = str.maketrans({"ø": "o"})


@lru_cache(maxsize=16384)  # names come back in post after post: most words are folded once
def folded(text: str) -> str:
    """Letters only, lower-cased, without their accents: "Josipović" -> "josipovic", "Løkke" -> "loekke"."""
    spelled = text.lower().translate(SPELLED_OUT)
    return "".join(c for c in unicodedata.normalize("NFKD", spelled) if c.isalpha() and c.isascii())


def names_itself(handle: str, word: str) -> bool:
    """Whether the word is the account's own name, as its handle spells it: "Josipović" on @ivojosipovic,
    "Netanyahu" on @netanyahu, "Hollande" on @fhollande. Only the handle's own part counts: "Social" is
    no name of potus.bsky.social, nor of @potus@mastodon.social."""
    name = folded(word)
    own = folded(handle.lstrip("@").split("@", 1)[0].split(".", 1)[0])
    if len(name) >= 4 and name in own:
        return True
    lowered = word.lower()
    if "ø" not in lowered:
        return False
    plain = folded(lowered.translate(PLAIN_O))
    return len(plain) >= 4 and plain in own


def cased(text: str | None) -> bool:
    """Whether the text (its own sentences: a link's letters are no name) has a capital to read a name by."""
    return any(map(str.isupper, text or ""))


def names_its_world(p, o, theirs: Counter | None = None) -> bool:
    """Whether the post it amplifies names its world; `theirs`: the author's own vocabulary, when known,
    so that a word the author writes as much is the author's, not the account's."""
    if any(handle != o.target_key and p.partners.count(handle) > 0 for handle in o.mentions):
        return True
    tags = p.signals["hashtag"].hashtags
    if any(tags.count(family(tag)) >= OWN_NAME_MIN for tag in o.hashtags):
        return True  # a hashtag of its own: "#Montenegro" in the NATO chief's post
    text = prose(o.target_text)
    if not text:
        return False
    mine = p.signals["wording"].vocab
    for found in WORD_RE.finditer(text):  # the words as the vocabulary keeps them (three letters or more)
        word = found.group(0)
        if not word[0].isupper():
            continue
        if names_itself(p.handle, word):
            return True  # its own person, where the sentence opens too: "Hollande hésite à recevoir Poutine"
        if mine.mass() <= 0 or opens_sentence(text, found.start()):
            continue  # the first word of a sentence is capitalised whatever it is
        key = word_key(str.lower(word))
        own = mine.count(key)
        if own < OWN_NAME_MIN:
            continue
        if theirs is not None and theirs.mass() > 0:
            if own / mine.mass() < OWN_NAME_RATIO * theirs.count(key) / theirs.mass():
                continue  # a word the author writes as much: its own, not the account's
        return True
    return False
