"""Language names as alerts and baselines show them: a journalist reads "Turkish", not "tr"."""

import re
from collections import Counter
from datetime import timedelta

from bot.profile import AccountMeta, ProfileBook
from bot.profile.langid import by_name, language_name

from .helpers import START, act


def test_codes_of_the_platforms_and_the_identifier_read_as_names():
    assert language_name("tr") == "Turkish"
    assert language_name("de") == "German"
    assert language_name("ceb") == "Cebuano"  # the identifier's three-letter codes too
    # the standard's qualifiers are for specialists
    assert language_name("ms") == "Malay"
    assert language_name("sw") == "Swahili"


def test_a_code_the_standard_does_not_know_is_shown_as_it_is():
    assert language_name("qme") == "qme"
    assert language_name("xx-yy") == "xx-yy"


def test_the_platforms_older_and_regional_codes_name_their_language():
    assert language_name("iw") == "Hebrew"
    assert language_name("in") == "Indonesian"
    assert language_name("zh-cn") == "Chinese"


def test_counts_by_code_are_counted_by_name():
    assert by_name(Counter({"he": 3, "iw": 2, "en": 1})) == Counter({"Hebrew": 5, "English": 1})


def test_an_alert_and_its_baseline_name_the_languages():
    meta = AccountMeta(platform="x", handle="ExampleEmbassy")
    book = ProfileBook()
    for i in range(60):
        text = f"The minister met the delegation of the partner countries today, meeting number {i}."
        book.learn(act("post", START.replace(hour=10) + timedelta(days=i), lang="en", text=text), meta)
    v = book.score(
        act(
            "post",
            START.replace(hour=10) + timedelta(days=61),
            lang="tr",
            text="Bugün bakan yeni ekonomik tedbirleri açıkladı.",
        ),
        meta,
    )
    assert any(re.match(r"written in Turkish, a first in \d+ texts \(usually English 100%\)", r) for r in v.reasons)
    assert "English 100%" in v.baseline
    assert v.baseline.endswith("hours 10:00-10:59 UTC")  # every post at ten: one hour, told as one


def test_the_usual_languages_leave_out_those_that_would_read_0_percent():
    meta = AccountMeta(platform="x", handle="ExampleEmbassy")
    book = ProfileBook()
    at = START.replace(hour=10)
    french = "Le ministre a rencontré aujourd'hui les partenaires du commerce et de la culture, réunion {}."
    for i in range(400):
        text, lang = (french.format(i), "fr") if i != 5 else ("The minister met our partners today on trade.", "en")
        book.learn(act("post", at + timedelta(hours=6 * i), lang=lang, text=text), meta)
    v = book.score(
        act("post", at + timedelta(hours=6 * 401), lang="en", text="The minister met our partners today."), meta
    )
    told = [r for r in v.reasons if r.startswith("written in English")]
    assert told and "(usually French 100%)" in told[0], v.reasons
