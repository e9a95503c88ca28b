"""Several watched accounts doing the same unusual thing within a short window make one group."""

from datetime import timedelta

from bot.profile import AccountMeta, ProfileBook

from .helpers import act, history, workday_after

ACCOUNTS = ["EmbassyA", "EmbassyB", "EmbassyC"]


def _books():
    book = ProfileBook()
    metas = {}
    for i, handle in enumerate(ACCOUNTS):
        metas[handle] = AccountMeta(platform="x", handle=handle, country=["China", "Russia", "Iran"][i])
        for a in history(300, seed=i, account=handle):
            book.learn(a, metas[handle])
    return book, metas


def _run(book, metas, acts):
    groups = []
    for a in acts:
        v = book.score(a, metas[a.account])
        group = book.coordination.observe(a, v)
        book.learn(a, metas[a.account])
        if group:
            groups.append(group)
    return groups


def test_same_unusual_repost_within_a_minute_is_one_group_listing_all():
    book, metas = _books()
    at = workday_after(history(300)[-1].at, hour=15)
    target = {"id": "x:claim1", "account": "realDonaldTrump", "text": "The election was rigged, Democrats cheated"}
    acts = [
        act("repost", at + timedelta(seconds=20 * i), account=h, target=dict(target)) for i, h in enumerate(ACCOUNTS)
    ]
    groups = _run(book, metas, acts)
    assert groups
    last = groups[-1]
    assert sorted(last.accounts) == sorted(ACCOUNTS)
    assert sorted(last.activity_ids) == sorted(a.id for a in acts)
    assert "3 watched accounts" in last.reason
    assert last.score >= 0.7


def test_routine_shared_amplification_is_not_a_group():
    book, metas = _books()
    at = workday_after(history(300)[-1].at, hour=10)
    target = {
        "id": "x:mfa1",
        "account": "MFA_Home",
        "text": "The ambassador met the mayor to discuss trade and culture ties",
    }
    acts = [
        act("repost", at + timedelta(seconds=20 * i), account=h, client="Sprinklr", target=dict(target))
        for i, h in enumerate(ACCOUNTS)
    ]
    assert _run(book, metas, acts) == []


def test_same_repost_hours_apart_is_not_a_group():
    book, metas = _books()
    at = workday_after(history(300)[-1].at, hour=9)
    target = {"id": "x:claim2", "account": "realDonaldTrump", "text": "The election was rigged"}
    acts = [act("repost", at + timedelta(hours=3 * i), account=h, target=dict(target)) for i, h in enumerate(ACCOUNTS)]
    assert _run(book, metas, acts) == []


def test_near_identical_posts_by_different_governments_group():
    book, metas = _books()
    at = workday_after(history(300)[-1].at, hour=11)
    text = "Rubio has done nothing for Florida. Time for a change in the midterms, say voters."
    acts = [
        act(
            "post",
            at + timedelta(seconds=90 * i),
            account=h,
            client="Sprinklr",
            lang="en",
            text=text if i else text + "!",
        )
        for i, h in enumerate(ACCOUNTS[:2])
    ]
    groups = _run(book, metas, acts)
    assert groups and sorted(groups[-1].accounts) == sorted(ACCOUNTS[:2])


def test_copies_made_by_hand_are_one_group_listing_all():
    # each government's copy of one sentence, as people copy: a label in front, their own link, another
    # case, emoji; none of them is news for its own account
    book, metas = _books()
    at = workday_after(history(300)[-1].at, hour=11)
    text = "The ambassador met the mayor to discuss trade and culture ties, a new chapter for our cities."
    copies = [
        "BREAKING: " + text + " https://t.co/Ab12Cd34Ef",
        text.lower().rstrip(".") + " 🙏",
        "#Breaking " + text.upper() + "!! https://t.co/Zz98Yy76Xx",
    ]
    acts = [
        act("post", at + timedelta(minutes=3 * i), account=h, client="Sprinklr", lang="en", text=copies[i])
        for i, h in enumerate(ACCOUNTS)
    ]
    groups = _run(book, metas, acts)
    assert groups and sorted(groups[-1].accounts) == sorted(ACCOUNTS)
    assert "near-identical texts" in groups[-1].reason


def test_different_words_on_the_same_news_are_no_group():
    book, metas = _books()
    at = workday_after(history(300)[-1].at, hour=11)
    texts = [
        "We strongly condemn the terrible attack in Paris and stand with the people of France.",
        "Our thoughts are with the victims of the attack in Paris and with their families.",
        "Shocked by the news from Paris tonight. Solidarity with France and the French people.",
    ]
    acts = [
        act("post", at + timedelta(minutes=2 * i), account=h, client="Sprinklr", lang="en", text=texts[i])
        for i, h in enumerate(ACCOUNTS)
    ]
    assert _run(book, metas, acts) == []


def test_a_flood_of_one_text_is_one_group_that_forgets_its_members_after_the_window():
    from bot.profile.coordination import CoordinationTracker
    from bot.profile.types import Verdict

    tracker = CoordinationTracker()  # no countries, no circles: every pair are strangers
    at = workday_after(history(10)[-1].at, hour=15)
    odd = Verdict(score=0.3, reasons=["odd"], thin=False, baseline="")
    text = "We do not recognise the result of this election and call on everyone to resist"
    groups = []
    for i in range(1500):
        a = act("post", at + timedelta(milliseconds=200 * i), account=f"Account{i}", text=text)
        groups.append(tracker.observe(a, odd))
    assert groups[0] is None
    assert {g.key for g in groups[1:]} == {groups[1].key}
    assert len(groups[-1].accounts) == 1500 and len(set(groups[-1].activity_ids)) == 1500
    # long after, the group and its members are gone: a new post of the text starts afresh
    later = act("post", at + timedelta(hours=2), account="Latecomer", text=text)
    assert tracker.observe(later, odd) is None
    assert not tracker.groups and not tracker.member_of


def _state(tracker):
    """Everything the tracker keeps, as plain values."""
    return (
        [(s.activity_id, s.account, s.t) for s in tracker.window],
        {k: (list(g.activity_ids), list(g.accounts), g.reason, g.score) for k, g in tracker.groups.items()},
        dict(tracker.group_time),
        dict(tracker.member_of),
        {k: set(v) for k, v in tracker.group_ids.items()},
        dict(tracker.group_top),
    )


def test_a_restored_snapshot_takes_back_every_group_a_rolled_back_batch_made_or_grew():
    """A transaction that does not commit leaves the tracker as it was: the window, the groups, their
    members and the index from activity to group (member_of, group_ids, group_top) all come back, so
    the same activities, delivered again, make the same group again (and not one with duplicates)."""
    book, metas = _books()
    at = workday_after(history(300)[-1].at, hour=15)
    target = {"id": "x:claim9", "account": "realDonaldTrump", "text": "The election was rigged, Democrats cheated"}
    acts = [
        act("repost", at + timedelta(seconds=20 * i), account=h, target=dict(target)) for i, h in enumerate(ACCOUNTS)
    ]
    _run(book, metas, acts[:2])  # committed: a group of two
    tracker = book.coordination
    assert tracker.member_of and tracker.group_ids
    before = _state(tracker)
    snap = book.snapshot({("x", a.account) for a in acts[2:]})
    grown = _run(book, metas, acts[2:])  # the batch that will roll back grows it to three
    assert len(grown[-1].accounts) == 3 and _state(tracker) != before
    book.restore(snap)
    assert _state(tracker) == before
    again = _run(book, metas, acts[2:])  # delivered again after the rollback: the same group, no duplicate
    assert sorted(again[-1].activity_ids) == sorted(a.id for a in acts)
    assert sorted(again[-1].accounts) == sorted(ACCOUNTS)
    book.restore(snap)  # a snapshot can be restored more than once
    assert _state(tracker) == before


def test_a_growing_group_is_announced_at_its_first_five_accounts_then_when_it_doubles():
    from bot.profile.types import CoordinatedGroup

    group = CoordinatedGroup(key="text:x", activity_ids=[], accounts=[], reason="", score=0.7)
    announced = []
    for i in range(1, 41):
        group.accounts.append(f"Account{i}")
        if group.worth_announcing():
            group.announced = len(group.accounts)
            announced.append(len(group.accounts))
    assert announced == [1, 2, 3, 4, 5, 10, 20, 40]


def _curators(countries=("China", "Russia")):
    """Two accounts that repost someone new every few posts, as a news-curating office does: a repost of
    a stranger is nothing odd for either on its own."""
    book = ProfileBook()
    metas = {}
    for i, handle in enumerate(ACCOUNTS[:2]):
        metas[handle] = AccountMeta(platform="x", handle=handle, country=countries[i])
        for j, a in enumerate(history(300, seed=i, account=handle)):
            book.learn(a, metas[handle])
            if j % 2:
                news = {"id": f"x:n{i}-{j}", "account": f"source_{i}_{j}", "text": "News of the day", "lang": "en"}
                book.learn(act("repost", a.at + timedelta(minutes=30), account=handle, target=news), metas[handle])
    return book, metas


def test_the_same_strangers_post_reposted_by_two_governments_within_a_minute_is_a_group():
    # each repost alone is in character (both take up new accounts all the time); the same item of an
    # account neither ever amplified, at the same minute, is the story (I45's accounts amplifying in step)
    book, metas = _curators()
    at = workday_after(history(300)[-1].at, hour=11)
    target = {"id": "x:viral1", "account": "patriot_news_24", "text": "Our readers have their say on the match"}
    acts = [
        act("repost", at + timedelta(seconds=40 * i), account=h, target=dict(target))
        for i, h in enumerate(ACCOUNTS[:2])
    ]
    assert all(book.score(a, metas[a.account]).severity is None for a in acts)
    groups = _run(book, metas, acts)
    assert groups and sorted(groups[-1].accounts) == sorted(ACCOUNTS[:2])
    assert groups[-1].score >= 0.7


def test_the_same_strangers_post_reposted_by_one_government_is_no_group():
    book, metas = _curators(countries=("China", "China"))
    at = workday_after(history(300)[-1].at, hour=11)
    target = {"id": "x:viral2", "account": "patriot_news_24", "text": "Our readers have their say on the match"}
    acts = [
        act("repost", at + timedelta(seconds=40 * i), account=h, target=dict(target))
        for i, h in enumerate(ACCOUNTS[:2])
    ]
    assert _run(book, metas, acts) == []


def test_copies_polled_out_of_order_still_group_and_say_how_far_apart():
    # feeds are polled at different moments: a post of one account forty minutes on, polled first, must
    # not push out another account's post that a third copied seconds after it
    from bot.profile.coordination import CoordinationTracker
    from bot.profile.types import Verdict

    at = workday_after(history(10)[-1].at, hour=15)
    odd = Verdict(score=0.3, reasons=["odd"], thin=False, baseline="")
    text = "We do not recognise the result of this election and call on everyone to resist"
    tracker = CoordinationTracker()
    assert tracker.observe(act("post", at, account="AccountA", text=text), odd) is None
    later = "The ministry will publish the new budget figures for the regions on Monday morning"
    assert tracker.observe(act("post", at + timedelta(minutes=40), account="AccountC", text=later), odd) is None
    group = tracker.observe(act("post", at + timedelta(seconds=30), account="AccountB", text=text), odd)
    assert group is not None and sorted(group.accounts) == ["AccountA", "AccountB"]
    assert "within 30 s" in group.reason
    # and a third copy, polled after yet another post of forty-five minutes on, joins that group: one
    # story, not a second group of two
    other = "Our embassy is closed on Monday for the national holiday; consular services resume Tuesday"
    assert tracker.observe(act("post", at + timedelta(minutes=45), account="AccountE", text=other), odd) is None
    third = tracker.observe(act("post", at + timedelta(seconds=60), account="AccountD", text=text), odd)
    assert third is not None and third.key == group.key and len(third.accounts) == 3
    # the copy polled before the post it copies: the same group, the same distance
    tracker = CoordinationTracker()
    assert tracker.observe(act("post", at + timedelta(seconds=30), account="AccountB", text=text), odd) is None
    group = tracker.observe(act("post", at, account="AccountA", text=text), odd)
    assert group is not None and "within 30 s" in group.reason


def test_the_first_poster_of_a_copied_text_is_in_its_group():
    # the first post was ordinary for its account, and the next copy came from its own circle (a leader
    # and their office): the group later copies made still lists who posted it first
    from bot.profile.coordination import CoordinationTracker
    from bot.profile.types import Verdict

    at = workday_after(history(10)[-1].at, hour=15)
    ordinary = Verdict(score=0.05, reasons=[], thin=False, baseline="")
    circle = {frozenset(("LeaderA", "OfficeA"))}
    tracker = CoordinationTracker(in_circle=lambda platform, a, b: frozenset((a, b)) in circle)
    text = "Proud to support the new clean energy initiative announced today by our partners in Geneva"
    first = act("post", at, account="LeaderA", text=text)
    assert tracker.observe(first, ordinary) is None
    assert tracker.observe(act("post", at + timedelta(minutes=1), account="OfficeA", text=text), ordinary) is None
    group = tracker.observe(act("post", at + timedelta(minutes=2), account="EmbassyB", text=text), ordinary)
    assert group is not None and "LeaderA" in group.accounts and first.id in group.activity_ids


def _crowd(country_of=None):
    """Three accounts that all know one another post one sentence minutes apart, each post ordinary for
    its account: the groups the tracker reports after each."""
    from bot.profile.coordination import CoordinationTracker
    from bot.profile.types import Verdict

    tracker = CoordinationTracker(country_of=country_of, in_circle=lambda platform, a, b: True)
    ordinary = Verdict(score=0.01, reasons=[], thin=False, baseline="")
    at = workday_after(history(10)[-1].at, hour=6)
    text = "Foreign interference in the internal affairs of sovereign nations must stop now."
    return [
        tracker.observe(act("post", at + timedelta(seconds=40 * i), account=h, text=text), ordinary)
        for i, h in enumerate(["LeaderA", "LeaderB", "LeaderC"])
    ]


def test_three_accounts_posting_one_sentence_are_a_group_even_when_they_know_each_other():
    # governments that like and follow one another look like one circle without a watch list's countries:
    # two of them sharing a sentence may be a leader and their office, three are a crowd
    first, second, third = _crowd()
    assert first is None and second is None
    assert third is not None and third.accounts == ["LeaderA", "LeaderB", "LeaderC"]
    assert "near-identical texts within 80 s" in third.reason


def test_a_crowd_with_two_accounts_of_one_country_is_no_group():
    countries = {"LeaderA": "FR", "LeaderB": "FR"}
    assert _crowd(lambda platform, handle: countries.get(handle)) == [None, None, None]
