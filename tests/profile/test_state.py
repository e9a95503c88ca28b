"""Profiles persist as small JSON and come back the same; the book tracks which ones changed."""

import json

from bot.profile import ProfileBook

from .helpers import act, meta, trained, workday_after


def test_state_round_trip_gives_the_same_verdicts():
    book, last = trained()
    state = json.loads(json.dumps(book.state("x", "ExampleEmbassy")))
    copy = ProfileBook()
    copy.load("x", "ExampleEmbassy", state)
    probe = act("repost", workday_after(last, hour=4), client="Twitter Web App",
                target={"id": "x:p", "account": "Stranger", "text": "hello there"})
    # weights are stored to two decimals: the same verdict, to rounding
    assert abs(copy.score(probe, meta).score - book.score(probe, meta).score) < 1e-3
    assert copy.summary("x", "ExampleEmbassy")["activities"] == 400


def test_state_stays_small_however_many_partners():
    book, last = trained(50)
    for i in range(5000):
        book.learn(act("repost", last, target={"id": f"x:r{i}", "account": f"account{i}", "text": f"word{i} other{i}"}), meta)
    size = len(json.dumps(book.state("x", "ExampleEmbassy")))
    assert size < 120_000


def test_dirty_tracks_learned_accounts_until_cleared():
    book, last = trained(20)
    assert book.dirty() == {("x", "ExampleEmbassy")}
    book.clear_dirty()
    assert book.dirty() == set()
    book.score(act("post", last, text="a score alone changes nothing"), meta)
    assert book.dirty() == set()


def test_summary_for_watch_show():
    book, _ = trained()
    summary = book.summary("x", "ExampleEmbassy")
    assert len(summary["hours"]) == 24
    assert summary["counts_by_kind"]["post"] > summary["counts_by_kind"]["repost"] > 0
    assert summary["languages"][0][0] == "en"
    assert summary["top_partners"][0][0] in ("mfa_home", "spokespersonhome", "homemissionun")
    assert "activities since 2020-" in book.baseline("x", "ExampleEmbassy")


def test_loading_a_foreign_state_is_a_clear_error():
    import pytest

    with pytest.raises(ValueError, match="not version"):
        ProfileBook().load("x", "ExampleEmbassy", {"v": 99})
