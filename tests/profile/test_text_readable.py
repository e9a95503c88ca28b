"""A word stretched or decorated is the same word: Arabic's tatweel and vowel marks, invisible characters
inside a word, and Latin letters written full-width or in the mathematical alphabets are read as the
plain letters (text.readable)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.activity import parse_activity
from bot.profile import AccountMeta
from bot.profile.observe import observe
from bot.profile.text import readable


def _alarms(text: str) -> list[str]:
    record = {"id": "x:1", "platform": "x", "account": "Embassy", "kind": "post", "at": "2020-01-06T10:00:00Z"}
    obs = observe(parse_activity({**record, "text": text}), AccountMeta(platform="x", handle="Embassy"))
    return [term for term in obs.terms if term.startswith("alarm:")]


PLAIN = "عاجل: استقالة رئيس الوزراء والمزيد من التفاصيل لاحقا"


@pytest.mark.parametrize(
    "text",
    [
        "عــاجــل: استقالة رئيس الوزراء والمزيد من التفاصيل لاحقا",  # the label stretched for emphasis
        "عاجل: استقالـة رئيـس الـوزراء والمزيد من التفاصيل لاحقا",  # the claim stretched
        "عَاجِل: اِسْتِقَالَة رَئِيس الوُزَرَاء والمزيد من التفاصيل لاحقا",  # with its vowels written
    ],
)
def test_a_stretched_or_voweled_arabic_bulletin_reads_as_the_plain_one(text):
    assert _alarms(text) == _alarms(PLAIN) == ["alarm:idea: a leader resigns", "alarm:idea: urgent news"]


@pytest.mark.parametrize(
    "text",
    [
        "𝗕𝗥𝗘𝗔𝗞𝗜𝗡𝗚: The president has resigned today",  # mathematical bold, as spam writes it
        "ＢＲＥＡＫＩＮＧ: The president has resigned today",  # full-width
        "BREAKING: The Ｐresident has resigned today",  # one letter swapped to slip past a list
        "BRE\u200bAKING: The pres\u00adident has resigned today",  # a zero-width space, a soft hyphen
    ],
)
def test_latin_in_full_width_or_mathematical_letters_reads_as_plain_latin(text):
    assert _alarms(text) == _alarms("BREAKING: The president has resigned today")
    assert "alarm:idea: urgent news" in _alarms(text)


def test_full_width_punctuation_of_chinese_and_japanese_stays_as_written():
    # the full-width colon and comma are how those scripts write; only letters and digits are folded
    text = "速報：首相が辞任，詳細は後ほど"
    assert readable(text) == text
    assert readable("１０日に訪問します") == "10日に訪問します"


@given(st.text())
def test_reading_twice_reads_the_same(text):
    once = readable(text)
    assert readable(once) == once
    assert once is not None and len(once) <= len(text)
    assert not any(ch == "\u0640" or "\u064b" <= ch <= "\u065f" for ch in once)


@given(st.text(alphabet=st.characters(codec="ascii")))
def test_plain_text_is_returned_as_is(text):
    assert readable(text) is text


@given(
    st.text(),
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=400), st.sampled_from("\u0640\u200b\u00ad\u2060")), max_size=8
    ),
)
def test_a_tatweel_or_an_invisible_character_anywhere_changes_nothing(text, insertions):
    stretched = text
    for at, mark in insertions:
        at = min(at, len(stretched))
        stretched = stretched[:at] + mark + stretched[at:]
    assert readable(stretched) == readable(text)


@given(st.text(alphabet=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 :")))
def test_latin_in_sans_serif_bold_reads_as_the_plain_letters(text):
    def bold(ch: str) -> str:
        if "A" <= ch <= "Z":
            return chr(0x1D5D4 + ord(ch) - ord("A"))
        if "a" <= ch <= "z":
            return chr(0x1D5EE + ord(ch) - ord("a"))
        if "0" <= ch <= "9":
            return chr(0x1D7EC + ord(ch) - ord("0"))
        return ch

    assert readable("".join(map(bold, text))) == text
