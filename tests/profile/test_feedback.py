"""Moderator feedback: a false alarm becomes normal; a confirmed incident is kept and not learned."""

from bot.alerts import severity_for

from .helpers import act, meta, trained, workday_after


def _odd(at):
    return act(
        "post",
        at,
        client="Twitter Web App",
        lang="ru",
        text="Посол встретился со студентами сегодня вечером",
        target=None,
    )


def test_false_alarm_makes_the_flagged_behaviour_normal():
    book, last = trained()
    at = workday_after(last, hour=3)
    first = _odd(at)
    v = book.score(first, meta)
    assert severity_for(v.score) is not None
    book.learn(first, meta)
    book.feedback(first, meta, "false_alarm")
    again = book.score(_odd(workday_after(at, hour=3)), meta)
    assert severity_for(again.score) is None
    assert again.score < v.score / 2


def test_confirmed_incident_is_kept_and_does_not_become_normal():
    book, last = trained()
    at = workday_after(last, hour=3)
    first = _odd(at)
    v = book.score(first, meta)
    book.learn(first, meta)
    book.feedback(first, meta, "confirmed")
    state = book.state("x", "ExampleEmbassy")
    assert state["incidents"][0]["id"] == first.id
    again = book.score(_odd(workday_after(at, hour=3)), meta)
    assert severity_for(again.score) is not None
    assert again.score >= v.score * 0.9


def test_unknown_verdict_is_refused():
    import pytest

    book, last = trained(50)
    with pytest.raises(ValueError, match="false_alarm"):
        book.feedback(act("post", last, text="x"), meta, "maybe")


def _alerted(book, at):
    """An alerting activity, learned as the pipeline learns one: held out of the baseline."""
    odd = _odd(at)
    assert severity_for(book.score(odd, meta).score) is not None
    book.learn(odd, meta, alerted=True)
    return odd


def test_a_false_alarm_confirmed_after_all_alerts_again():
    # a moderator who clicked "false alarm", then "confirmed": the incident must not stay normal
    book, last = trained()
    at = workday_after(last, hour=3)
    first = _alerted(book, at)
    book.feedback(first, meta, "false_alarm")
    book.feedback(first, meta, "confirmed")
    state = book.state("x", "ExampleEmbassy")
    assert [i["id"] for i in state["incidents"]] == [first.id]
    assert state["exempt"] == [] and state["false_alarms"] == []
    assert severity_for(book.score(_odd(workday_after(at, hour=3)), meta).score) is not None


def test_a_verdict_given_twice_is_taught_once():
    book, last = trained()
    at = workday_after(last, hour=3)
    first = _alerted(book, at)
    book.feedback(first, meta, "false_alarm")
    once = book.state("x", "ExampleEmbassy")
    book.feedback(first, meta, "false_alarm")
    assert book.state("x", "ExampleEmbassy") == once
    book.feedback(first, meta, "confirmed")
    confirmed = book.state("x", "ExampleEmbassy")
    book.feedback(first, meta, "confirmed")
    assert book.state("x", "ExampleEmbassy") == confirmed


def test_an_incident_called_a_false_alarm_after_all_becomes_normal():
    book, last = trained()
    at = workday_after(last, hour=3)
    first = _alerted(book, at)
    book.feedback(first, meta, "confirmed")
    book.feedback(first, meta, "false_alarm")
    state = book.state("x", "ExampleEmbassy")
    assert state["incidents"] == [] and state["false_alarms"] == [first.id]
    assert severity_for(book.score(_odd(workday_after(at, hour=3)), meta).score) is None
