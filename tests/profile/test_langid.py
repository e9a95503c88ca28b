"""The identifier's reading of shouting: a text mostly in capitals is read lower-cased (langid._unshouted),
decided by counting capitals against small letters, letter by letter, whatever the script."""

from hypothesis import given
from hypothesis import strategies as st

from bot.profile.langid import _unshouted, candidates
from tests.properties import PROPERTY

# ASCII, the Latin supplements (İ lower-cases to two letters), Greek and Cyrillic, a titlecase letter (ǅ,
# neither capital nor small) and letters beyond the first plane (mathematical bold, Deseret, Adlam)
LETTERS = st.sampled_from(
    [chr(c) for c in range(32, 0x250)]
    + [chr(c) for c in range(0x370, 0x530)]
    + ["ǅ", "İ", "𝐀", "𝐚", "𐐀", "𐐨", "𞤀", "中", "ー", " "]
)


def _by_letter(text: str) -> str:
    upper = sum(map(str.isupper, text))
    return text.lower() if upper and upper > sum(map(str.islower, text)) else text


@PROPERTY
@given(st.text(LETTERS, max_size=40))
def test_a_text_is_lowered_exactly_when_capitals_outnumber_small_letters(text):
    assert _unshouted(text) == _by_letter(text)


def test_shouting_is_lowered_and_sentences_are_not():
    assert _unshouted("EM NOTA. ASSESSORIA DE DILMA ESCLARECE") == "em nota. assessoria de dilma esclarece"
    assert _unshouted("ΕΚΤΑΚΤΟ: Η ΚΥΒΕΡΝΗΣΗ ΠΑΡΑΙΤΗΘΗΚΕ") == "εκτακτο: η κυβερνηση παραιτηθηκε"
    sentence = "The Prime Minister met NATO and EU leaders in Brussels"
    assert _unshouted(sentence) is sentence


@PROPERTY
@given(st.text(LETTERS, min_size=3, max_size=60))
def test_each_language_is_one_candidate_whatever_the_model_calls_it(text):
    found = candidates(text)
    codes = [code for code, _ in found]
    assert len(codes) == len(set(codes))
    assert [prob for _, prob in found] == sorted((prob for _, prob in found), reverse=True)


def test_a_language_under_two_model_labels_is_read_with_both_shares():
    # the model splits Norwegian between "no" and "nn": one language, 0.66 in all, far ahead of Swedish
    found = candidates(
        "Gratulerer til Anders Bardal med VM-gull i hopp! Flott avslutning på en dag med sterk norsk innsats."
    )
    assert found[0][0] == "no" and found[0][1] > 0.6
    assert [code for code, _ in found].count("no") == 1
