"""One story, one alert: minutes after an alert, the same spree's pace is not news again, and what the
spree does is not learned as normal."""

from __future__ import annotations

import copy
from datetime import timedelta

from bot.alerts import severity_for
from bot.profile import AccountMeta, ProfileBook

from .helpers import EN, act, history, workday_after

NO_CONTEXT = AccountMeta(platform="x", handle="ExampleEmbassy")


def _trained() -> tuple[ProfileBook, object]:
    book = ProfileBook()
    acts = history(400)
    for a in acts:
        book.learn(a, NO_CONTEXT)
    book.watch("x", "FarLeader")
    book.watch("x", "OtherFarLeader")
    return book, acts[-1].at


def _judge(book: ProfileBook, activity):
    verdict = book.score(activity, NO_CONTEXT)
    book.learn(activity, NO_CONTEXT, alerted=severity_for(verdict.score) is not None)
    return verdict


def _night_repost(at, ident: str, account: str):
    return act(
        "repost",
        at,
        ident=ident,
        client="Sprinklr",
        target={"id": f"x:t-{ident}", "account": account, "text": EN[1], "lang": "en"},
    )


def test_a_spree_after_an_alert_is_not_alerted_again_for_its_pace():
    book, last = _trained()
    night = workday_after(last, hour=3)
    # 03:12, an hour it never uses: a repost of a watched official it never dealt with alerts
    first = _judge(book, _night_repost(night, "x:n1", "FarLeader"))
    assert severity_for(first.score) is not None
    assert first.features["hour"] > 0

    untold = copy.deepcopy(book)
    untold.profile("x", "ExampleEmbassy").last_alert_at = None  # the same spree, had nothing alerted
    for i in range(4):
        follow_up = _night_repost(night + timedelta(minutes=1 + i), f"x:n{2 + i}", "SomeNewsDesk")
        told, fresh = _judge(book, follow_up), _judge(untold, follow_up)
    # five activities in five minutes: news for a quiet account, but the story its first alert told
    assert fresh.features["pace"] > 0
    assert told.features["pace"] == 0
    assert not any("activities in 10 minutes" in r for r in told.reasons)

    # what it does is still judged in full: a second watched stranger weighs as much as the first did
    second = _judge(book, _night_repost(night + timedelta(minutes=6), "x:n9", "OtherFarLeader"))
    assert second.features["stranger"] >= first.features["stranger"] - 0.5
    assert second.features["hour"] > 0


def test_the_rest_of_an_alerted_spree_is_not_learned_as_normal():
    # a hijacker's spree: once the first repost alerted, the reposts of the same minutes are the same
    # story; their habits (kind, hour) are learned, what they amplified is not made normal
    book, last = _trained()
    night = workday_after(last, hour=3)
    assert severity_for(_judge(book, _night_repost(night, "x:n1", "FarLeader")).score) is not None
    untold = copy.deepcopy(book)
    untold.profile("x", "ExampleEmbassy").last_alert_at = None
    for spree in (book, untold):
        for i in range(3):
            _judge(spree, _night_repost(night + timedelta(minutes=2 + i), f"x:s{i}", "SomeNewsDesk"))
    held, learned = book.profile("x", "ExampleEmbassy"), untold.profile("x", "ExampleEmbassy")
    assert held.n == learned.n  # the kind and the hour were learned all the same
    assert held.partners.count("somenewsdesk") < learned.partners.count("somenewsdesk")
    # a day later, SomeNewsDesk is still a stranger to it
    probe = act(
        "repost",
        workday_after(night),
        client="Sprinklr",
        target={"id": "x:later", "account": "SomeNewsDesk", "text": EN[1], "lang": "en"},
    )
    assert book.score(probe, NO_CONTEXT).features["target"] > untold.score(probe, NO_CONTEXT).features["target"]


def test_the_time_of_the_last_alert_survives_a_restart():
    book, last = _trained()
    night = workday_after(last, hour=3)
    assert severity_for(_judge(book, _night_repost(night, "x:n1", "FarLeader")).score) is not None
    restored = ProfileBook()
    restored.profile("x", "ExampleEmbassy").load(book.profile("x", "ExampleEmbassy").state())
    assert restored.profile("x", "ExampleEmbassy").told_recently((night + timedelta(minutes=4)).timestamp())


def test_the_same_new_client_and_language_again_minutes_after_an_alert_is_the_same_story():
    """A second post from the never-used client in the never-used language, three minutes after the
    alert on the first and with nothing new in whom it engages, is the story the alert told: no second
    alert. After the story's window the same thing is judged in full again, against what the spree taught
    at a quarter weight, not discounted as told."""
    book, last = _trained()
    at = workday_after(last, hour=11)

    def korean(when, n: int):
        text = f"대사관은 오늘 학생들과 {n}번째 교류 행사를 열었습니다 그리고 감사합니다"
        return act("post", when, client="Twitter for Android", lang="ko", text=text)

    first = _judge(book, korean(at, 1))
    assert severity_for(first.score) is not None
    again = _judge(book, korean(at + timedelta(minutes=3), 2))
    assert severity_for(again.score) is None
    assert any("as told in its alert minutes before" in r for r in again.reasons)
    later = _judge(book, korean(at + timedelta(hours=2), 3))
    assert not any("as told in its alert" in r for r in later.reasons)
    assert later.features["lang"] > 4 * again.features["lang"]
    assert later.features["client"] > 4 * again.features["client"]


def _critic_repost(at, ident: str, account: str):
    text = "Our corrupt government jailed another journalist today. Shame on this regime."
    return act(
        "repost", at, ident=ident, client="Sprinklr", target={"id": f"x:t-{ident}", "account": account, "text": text}
    )


def test_what_the_rest_of_an_alerted_spree_engaged_with_stays_news():
    # someone else at the keyboard: a post in German from an app it never used alerts, and in the next
    # minutes the account reposts posts attacking its own government, each too mild to alert alone.
    # They are the same story: what they say is not learned, even in part, and a week later such a
    # repost weighs as much as it did before the spree
    book, last = _trained()
    at = workday_after(last, hour=11)
    german = "Die Botschaft ist ab sofort geschlossen, alle Mitarbeiter wurden abgezogen"
    assert severity_for(_judge(book, act("post", at, ident="x:de", client="Hootsuite", text=german)).score)
    later = at + timedelta(days=7)
    before = book.score(_critic_repost(later, "x:probe0", "MFA_Home"), NO_CONTEXT).features["critic"]
    for i in range(1, 12):
        spree = _judge(book, _critic_repost(at + timedelta(minutes=i), f"x:c{i}", "MFA_Home"))
        assert severity_for(spree.score) is None
    assert book.profile("x", "ExampleEmbassy").tcats.count("critic") == 0
    assert book.score(_critic_repost(later, "x:probe1", "MFA_Home"), NO_CONTEXT).features["critic"] == before
