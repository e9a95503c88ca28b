"""A new account: habits are not judged yet, checks that need no history still run, and it says so."""

from datetime import timedelta

from bot.alerts import severity_for
from bot.profile import ProfileBook

from .helpers import START, act, meta


def _young_book(n=5):
    book = ProfileBook()
    for i in range(n):
        book.learn(
            act(
                "post",
                START + timedelta(hours=10 + i),
                client="Sprinklr",
                lang="en",
                text="The ambassador met the mayor today",
            ),
            meta,
        )
    return book


def test_thin_baseline_does_not_judge_habits_and_says_so():
    book = _young_book()
    v = book.score(
        act(
            "post",
            START + timedelta(days=1, hours=3),
            client="Twitter for Android",
            lang="ru",
            text="Посол встретился со студентами сегодня",
        ),
        meta,
    )
    assert v.thin
    assert severity_for(v.score) is None
    assert any("baseline thin: only 5 activities" in r for r in v.reasons)


def test_thin_baseline_still_gets_status_explicit_crypto_and_mass_checks():
    book = _young_book()
    at = START + timedelta(days=1)
    assert severity_for(book.score(act("status", at, status="suspended"), meta).score) == "critical"
    explicit = book.score(act("like", at, target={"id": "x:1", "account": "a", "labels": ["sexual"]}), meta)
    assert severity_for(explicit.score) == "critical" and explicit.thin
    scam = book.score(
        act("post", at, text="Send 0.1 BTC to 0x52908400098527886E0F7030069857D2E4169EE7 and get double back"), meta
    )
    assert severity_for(scam.score) is not None
    alerts = []
    for i in range(8):
        a = act("unfollow", at + timedelta(seconds=20 * i), target={"account": f"partner{i}"})
        alerts.append(severity_for(book.score(a, meta).score))
        book.learn(a, meta)
    assert any(alerts)


def test_account_never_seen_has_no_history_line():
    v = ProfileBook().score(act("post", START, text="hello world from a new account"), meta)
    assert v.thin
    assert v.baseline == "no history yet"
