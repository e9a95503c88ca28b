"""A slip of the fingers is read back to the word it came from, and another form of a word is no slip."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.profile.counts import Clock, Counter
from bot.profile.text import word_key
from bot.profile.typo import one_slip_away, slipped_word

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéüšć", min_size=5, max_size=14)


@given(words, st.data())
def test_two_letters_swapped_anywhere_are_read_back(word, data):
    i = data.draw(st.integers(0, len(word) - 2))
    slipped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    assert slipped == word or word in set(one_slip_away(slipped, "".join(set(word))))


@given(words, st.data())
def test_a_letter_dropped_before_the_ending_is_read_back(word, data):
    i = data.draw(st.integers(0, len(word) - 3))
    slipped = word[:i] + word[i + 1 :]
    assert word in set(one_slip_away(slipped, "".join(set(word))))


def _vocabulary(*texts: str) -> Counter:
    vocab = Counter(Clock(), 1000)
    for text in texts:
        vocab.add_many([word_key(w) for w in text.lower().split()], 1.0)
    return vocab


def test_a_word_it_never_wrote_one_keystroke_from_one_it_writes_is_a_slip():
    vocab = _vocabulary(*["El Mandatario expresó sus condolencias a los familiares"] * 3)
    text = "madatario expresó sus condolencias a los familiares"
    vocab.add_many([word_key(w) for w in text.split()], 1.0)  # the slipped post itself, learned
    assert slipped_word(text, vocab) == ("madatario", "mandatario")


def test_another_form_of_a_word_or_a_word_of_its_own_is_no_slip():
    vocab = _vocabulary(*["the vote of the nuevo gobierno, a class act"] * 3)
    assert slipped_word("votes for the nueva class", vocab) is None  # endings inflect
    assert slipped_word("the vote of the nuevo gobierno", vocab) is None  # every word its own


def test_a_word_another_account_writes_is_a_word_not_a_slip():
    # "reading" is one keystroke from "leading", which this account writes and "reading" it never did
    vocab = _vocabulary(*["leading the way on trade"] * 3)
    text = "is anyone even reading this lol"
    assert slipped_word(text, vocab) == ("reading", "leading")
    others = {word_key(w) for w in text.split()}
    assert slipped_word(text, vocab, others.__contains__) is None


def test_a_run_of_a_script_without_spaces_is_a_sentence_not_a_slipped_word():
    # a Chinese sentence is one run of letters: a character changed in it is another sentence, not a typo
    said = "今天总理会见了来访的外国代表团双方就贸易和文化交流深入交换了意见"
    vocab = _vocabulary(*[said] * 3)
    other = said.replace("贸易", "易贸")  # two characters swapped
    assert slipped_word(other, vocab) is None
