"""A slip of the fingers: a word the account never wrote that is one keystroke from a word it writes
("drušvtu" for "društvu", "Madatario" for "Mandatario", "moth" for "month"). A post deleted minutes
after it went up with such a word in it is most likely a typo about to be posted again corrected: where
posts cannot be edited, that is how officials fix one (delete.py).

The vocabulary keeps no text, only keys of words (text.word_key), so the words one keystroke away are
written out and looked up by their keys: a few hundred for a word, and only for a quick deletion."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .counts import Counter
from .text import word_key

SLIP_WORD_MIN = 4  # letters of a word read for a slip: shorter ones are often new words, not slips
SLIP_WORD_MAX = 24  # longer, a "word" is a run of a script without spaces (a Chinese sentence), not a word
MEANT_MIN = 2.0  # uses (faded) of the word it meant, before this post: a word it writes
NEVER_BESIDES = 1.5  # uses of the slipped word, this post's own included: none besides it
# A word's last two letters are where words inflect ("vote"/"votes", "nuevo"/"nueva", "Class"/"Classy"):
# an edit there is as often another form of the word as a slip, so only a swap of two letters counts there.
ENDING = 2


def one_slip_away(word: str, letters: str) -> Iterator[str]:
    """The words one keystroke from `word` that a slip could have come from: two neighbouring letters
    swapped (anywhere), or a letter dropped, doubled or mistyped before the word's ending. `letters`:
    the alphabet to try (those of the text the word is in)."""
    size = len(word)
    for i in range(size - 1):
        if word[i] != word[i + 1]:
            yield word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    for i in range(size - ENDING):
        yield word[:i] + word[i + 1 :]  # a letter too many
        for letter in letters:
            if letter != word[i]:
                yield word[:i] + letter + word[i + 1 :]  # a letter mistyped
    for i in range(size - ENDING + 1):
        for letter in letters:
            yield word[:i] + letter + word[i:]  # a letter dropped


def slipped_word(text: str, vocab: Counter, elsewhere: Callable[[str], bool] | None = None) -> tuple[str, str] | None:
    """A word of `text` (lower-cased words, as a post's wording is kept) that the account never wrote
    besides, one keystroke from a word it writes: (the slip, the word it meant), or None. `elsewhere`:
    whether another account writes a word (by its key). A word others write is a word, not a slip:
    "reading" is one keystroke from "leading", "three" from "there", "went" from "cent", and an account
    that never wrote them may well write them."""
    letters = "".join(sorted({c for c in text if c.isalpha()}))
    for word in dict.fromkeys(text.split()):
        if not SLIP_WORD_MIN <= len(word) <= SLIP_WORD_MAX or not word.isalpha():
            continue
        key = word_key(word)
        if vocab.count(key) >= NEVER_BESIDES or (elsewhere is not None and elsewhere(key)):
            continue
        for meant in one_slip_away(word, letters):
            if vocab.count(word_key(meant)) >= MEANT_MIN:
                return word, meant
    return None
