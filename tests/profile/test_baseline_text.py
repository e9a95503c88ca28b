"""The baseline line an alert shows describes the account as it is at that activity, not as it was some
activities before."""

from datetime import timedelta

from bot.profile import ProfileBook

from .helpers import START, act, meta


def test_the_baseline_shown_counts_every_activity_up_to_the_scored_one():
    book = ProfileBook()
    for i in range(200):
        book.learn(act("post", START + timedelta(hours=i), text="The ambassador met the mayor today"), meta)
    for i in range(20):  # a new habit taken up: reposts, each one scored as it comes, as a replay does
        at = START + timedelta(days=10, hours=i)
        repost = act("repost", at, target={"account": "MFA_Home", "text": "Statement"})
        assert book.score(repost, meta).baseline.startswith(f"{200 + i} activities")
        book.learn(repost, meta)
    verdict = book.score(act("post", START + timedelta(days=11), text="The ambassador met students"), meta)
    assert verdict.baseline.startswith("220 activities since 2020-01-06: 91% posts, 9% reposts"), verdict.baseline


def test_the_baseline_names_only_kinds_and_clients_worth_naming():
    # a client used twice in 400 posts, or one reply, is no habit: "via Sprinklr 100%, Twitter for iPad
    # 0%" and "100% posts, 0% replies" read as figures gone wrong
    book = ProfileBook()
    for i in range(400):
        client = "Twitter for iPad" if i in (100, 300) else "Sprinklr"
        at = START + timedelta(hours=3 * i)
        if i == 200:
            book.learn(act("reply", at, client=client, text="@citizen Thank you", target={"account": "citizen"}), meta)
            continue
        book.learn(act("post", at, client=client, text="The ambassador met the mayor today"), meta)
    baseline = book.baseline("x", "ExampleEmbassy")
    assert "100% posts;" in baseline, baseline
    assert "via Sprinklr 100%" in baseline, baseline
    assert "iPad" not in baseline and "replies" not in baseline, baseline
