"""A run of near misses: out-of-character activities minutes apart are read together, as a journalist
would read S2's likes, while a statement and its translation stay one story."""

from __future__ import annotations

import copy
import random
import string
from datetime import timedelta

from bot.alerts import severity_for
from bot.profile import ProfileBook

from .helpers import EN, PARTNERS, act, history, meta, workday_after

# posts blaming the account's own government, each alone short of an alert on a like of a stranger
CRITICISM = [
    "Families torn apart and nobody answers for it. Shameful lies from the government.",
    "The government in Beijing lies about the camps",
]


def _liker(wordy: bool = False) -> tuple[ProfileBook, object]:
    """The embassy of helpers.py, which also likes a post every few activities (mostly its partners');
    `wordy`: and posts about ever new things (many words it never used before, as real accounts do)."""
    book, rng = ProfileBook(), random.Random(3)
    for i, a in enumerate(history(400)):
        book.learn(a, meta)
        if i % 3 == 0:
            who = rng.choice(PARTNERS) if rng.random() < 0.8 else f"reader_{i}"
            like = act("like", a.at + timedelta(minutes=20), target={"id": f"x:l{i}", "account": who, "text": EN[0]})
            book.learn(like, meta)
        if wordy and i % 2 == 0:
            words = " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(6)) for _ in range(8))
            book.learn(act("post", a.at + timedelta(minutes=40), client="Sprinklr", lang="en", text=words), meta)
    return book, a.at


def _critic_like(at, i: int):
    return act("like", at, target={"id": f"x:c{i}", "account": f"watcher_{i}", "text": CRITICISM[i]})


def _judge(book: ProfileBook, activity):
    verdict = book.score(activity, meta)
    book.learn(activity, meta, alerted=severity_for(verdict.score) is not None)
    return verdict


def test_two_critic_likes_minutes_apart_alert_though_neither_does_alone():
    book, last = _liker()
    at = workday_after(last, hour=10)
    for i in range(2):
        alone = copy.deepcopy(book).score(_critic_like(at, i), meta)
        assert severity_for(alone.score) is None, alone.reasons

    first = _judge(book, _critic_like(at, 0))
    restarted = ProfileBook()  # the near miss survives a restart: it is part of the saved baseline
    restarted.load("x", "ExampleEmbassy", book.state("x", "ExampleEmbassy"))
    for judged in (book, restarted):
        second = _judge(judged, _critic_like(at + timedelta(minutes=4), 1))
        assert severity_for(second.score) is not None
        assert second.features["run"] > 0
        assert any("second out-of-character activity in 4 minutes" in r for r in second.reasons), second.reasons
    assert severity_for(first.score) is None


def test_near_misses_hours_apart_are_not_a_run():
    book, last = _liker()
    at = workday_after(last, hour=10)
    _judge(book, _critic_like(at, 0))
    later = _judge(book, _critic_like(at + timedelta(hours=3), 1))
    assert later.features["run"] == 0
    assert severity_for(later.score) is None


def test_a_statement_in_two_new_languages_is_one_story_not_a_run():
    # a statement translated, minutes apart, into two languages the embassy never wrote in (as the
    # European Council's president wrote to Ukraine and Georgia): how it wrote is no run of incidents
    book, last = _liker(wordy=True)
    at = workday_after(last, hour=10)
    statement = [
        "Майже там. Суперечки щодо механізму призупинення безвізового режиму закінчені",
        "შედეგი თითქმის მიღწეულია. შეჩერების მექანიზმის განხილვა დასრულდა",
    ]
    verdicts = [
        _judge(book, act("post", at + timedelta(minutes=2 * i), client="Sprinklr", text=text))
        for i, text in enumerate(statement)
    ]
    assert verdicts[0].features["lang"] >= 7
    # the first may alert (a statement in its own sentences, in a script it never used); the second is
    # the same story, told minutes before, whichever the language
    assert any("written in Georgian script, a first" in r for r in verdicts[1].reasons)
    assert verdicts[1].features["run"] == 0
    assert severity_for(verdicts[1].score) is None
