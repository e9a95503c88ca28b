"""Each feature model on a small case: what is out of character scores high, what is routine does not."""

import re
from datetime import timedelta

import pytest

from bot.alerts import severity_for

from .helpers import EN, PARTNERS, act, meta, trained, workday_after


def test_first_ever_repost_of_a_foreign_leader_alerts_with_numbers():
    book, last = trained()
    # an account that only ever posts: learn a history without reposts
    from bot.profile import ProfileBook

    from .helpers import history

    only_posts = ProfileBook()
    for a in history(400):
        if a.kind != "repost":
            only_posts.learn(a, meta)
    at = workday_after(last, hour=3)
    v = only_posts.score(
        act(
            "repost",
            at,
            client="Twitter for Android",
            target={
                "id": "x:t1",
                "account": "realDonaldTrump",
                "text": "If somebody cheated in the Election, which the Democrats did",
            },
        ),
        meta,
    )
    assert severity_for(v.score) in ("high", "critical")
    joined = " ".join(v.reasons)
    assert "first repost in" in joined
    assert "realDonaldTrump" in joined
    assert "Twitter for Android" in joined


def test_a_leaders_post_that_names_its_own_world_is_diplomacy_addressed_to_it():
    # "Look forward to welcoming India's PM Modi to @WhiteHouse", reposted by Modi's office, and
    # Modi's "Glad to have met President @marianorajoy", reposted by Spain's: real alerts on the leaders list
    book, last = trained()
    addressed = "Glad to have met the team of @MFA_Home today, wide-ranging talks on trade and climate"
    target = {"id": "x:l1", "account": "narendramodi", "text": addressed}
    repost = act("repost", workday_after(last), client="Sprinklr", target=target, mentions=["MFA_Home"])
    v = book.score(repost, meta)
    assert v.features["target_kind"] == 0.0, v.reasons
    # the same leader's post that names nothing of its world is still a leader's, engaged for the first time
    target = {"id": "x:l2", "account": "narendramodi", "text": "Wide-ranging talks on trade and climate today"}
    v = book.score(act("repost", workday_after(last), client="Sprinklr", target=target), meta)
    assert v.features["target_kind"] > 0
    assert any("is a leader's account" in r for r in v.reasons)


def test_tenth_repost_of_a_regular_partner_is_in_character():
    book, last = trained()
    v = book.score(
        act(
            "repost",
            workday_after(last),
            client="Sprinklr",
            target={"id": "x:t2", "account": "MFA_Home", "text": EN[0], "lang": "en"},
        ),
        meta,
    )
    assert severity_for(v.score) is None
    assert v.features["target"] == 0.0
    assert v.features["kind"] == 0.0


def test_new_target_scores_but_known_target_does_not():
    book, last = trained()
    at = workday_after(last)
    new = book.score(
        act("repost", at, client="Sprinklr", target={"id": "x:a", "account": "SomeStranger", "text": EN[1]}), meta
    )
    known = book.score(
        act("repost", at, client="Sprinklr", target={"id": "x:b", "account": "SpokespersonHome", "text": EN[1]}), meta
    )
    assert new.features["target"] > 1.0
    assert known.features["target"] == 0.0
    assert any("never interacted with @SomeStranger" in r for r in new.reasons)


def test_unfamiliar_client_is_named():
    book, last = trained()
    v = book.score(act("post", workday_after(last), client="Twitter Web App", lang="en", text=EN[2]), meta)
    assert v.features["client"] > 3
    assert any("Twitter Web App" in r and "Sprinklr" in r for r in v.reasons)
    # with how many activities it is new among, as a journalist reads it
    assert any(re.search(r"'Twitter Web App', never used in [\d,]+ activities", r) for r in v.reasons)
    usual = book.score(act("post", workday_after(last), client="Sprinklr", lang="en", text=EN[2]), meta)
    assert usual.features["client"] == 0.0


def test_quiet_hour_gives_local_time_and_usual_hours():
    book, last = trained()
    v = book.score(act("post", workday_after(last, hour=3), client="Sprinklr", lang="en", text=EN[3]), meta)
    assert v.features["hour"] > 1
    assert any(r.startswith("03:12 UTC, usual hours") for r in v.reasons)


def test_thanks_answered_in_a_new_language_do_not_lift_a_rare_reply_at_night_to_an_alert():
    # Sarkozy's "Muchas gracias por tu mensaje" to a student at 22:12: a courtesy, a doubtful first at
    # most, is no sign of someone else at the keyboard, so the first reply and the hour stay capped
    book, last = trained()
    at = workday_after(last, hour=3)
    target = {"id": "x:q1", "account": "estudiante_cr"}
    thanks = "@estudiante_cr Muchas gracias por tu mensaje, fue un placer conocerte"
    v = book.score(act("reply", at, client="Sprinklr", text=thanks, mentions=["estudiante_cr"], target=target), meta)
    assert v.features["lang"] > 0 and v.features["kind"] > 0 and v.features["hour"] > 0
    assert severity_for(v.score) is None, v.reasons
    # a reply of its own affairs in a language it never wrote is a sure first, which lets them count
    own = "@estudiante_cr Die Regierung gibt heute neue Maßnahmen zur Unterstützung der Wirtschaft bekannt"
    v = book.score(act("reply", at, client="Sprinklr", text=own, mentions=["estudiante_cr"], target=target), meta)
    assert severity_for(v.score) is not None, v.reasons


def test_usual_second_language_is_normal_but_a_new_one_is_not():
    book, last = trained()
    at = workday_after(last)
    french = book.score(
        act("post", at, client="Sprinklr", lang="fr", text="L'ambassadeur a rencontré des étudiants"), meta
    )
    russian = book.score(
        act("post", at, client="Sprinklr", lang="ru", text="Посол встретился со студентами сегодня"), meta
    )
    assert french.features["lang"] == 0.0
    assert russian.features["lang"] > 5
    assert severity_for(french.score) is None


def test_explicit_like_is_critical_even_without_history():
    from bot.profile import ProfileBook

    book = ProfileBook()
    v = book.score(
        act("like", workday_after(act_time()), target={"id": "x:z", "account": "someone", "labels": ["porn"]}), meta
    )
    assert severity_for(v.score) == "critical"
    assert v.thin
    assert any("labelled porn" in r for r in v.reasons)


def act_time():
    from .helpers import START

    return START


def test_crypto_scam_post_alerts():
    book, last = trained()
    v = book.score(
        act(
            "post",
            workday_after(last),
            client="Sprinklr",
            lang="en",
            text="Send 0.1 BTC and I will send 0.2 BTC back! Limited time giveaway",
        ),
        meta,
    )
    assert severity_for(v.score) is not None
    assert any("crypto-scam pattern" in r for r in v.reasons)


@pytest.mark.parametrize(
    ("text", "link"),
    [
        # a takeover writes in the account's own language (the $LIBRA post was Spanish)
        ("Lanzamos la criptomoneda oficial del país. Los primeros mil reciben el doble", "https://pais.example/1"),
        ("إطلاق العملة الرقمية الوطنية! أول ألف مشارك يحصلون على الضعف", "https://watan.example/2"),
        # a scam's domain glues its words: the link names the coin and the cue
        ("Participa ya, solo hoy", "https://freebtc-now.example/3"),
        ("Le grand partage commence", "https://eth-giveawayhq.example/4"),
    ],
)
def test_a_crypto_scam_is_read_in_other_languages_and_in_its_link(text, link):
    book, last = trained()
    v = book.score(act("post", workday_after(last), lang="en", text=f"{text} {link}", links=[link]), meta)
    assert any("crypto-scam pattern" in r for r in v.reasons), v.reasons
    assert severity_for(v.score) is not None


def test_a_coin_named_without_a_scam_cue_is_no_scam():
    book, last = trained()
    text = "El banco central estudia una criptomoneda nacional, dijo el ministro https://noticias.example/5"
    v = book.score(act("post", workday_after(last), lang="en", text=text, links=["https://noticias.example/5"]), meta)
    assert not any("crypto-scam pattern" in r for r in v.reasons)


@pytest.mark.parametrize(
    ("handle", "promotes"),
    [
        ("btc_giveaway_official", True),
        ("CryptoKingNFT", True),
        ("tokenpresale", True),
        ("ETH_doubler", True),
        # names that merely start like a coin: a real embassy, a journalist, a Jordanian bank
        ("EthiopianEmbassy", False),
        ("ethanklapper", False),
        ("EthmarIslamic", False),
        ("MouvETHIC", False),
    ],
)
def test_a_crypto_promoter_is_told_by_whole_words_of_its_handle(handle, promotes):
    book, last = trained()
    v = book.score(
        act("repost", workday_after(last), client="Sprinklr", target={"id": "x:c1", "account": handle, "text": EN[0]}),
        meta,
    )
    assert any("promotes crypto" in r for r in v.reasons) is promotes


def test_mass_unlikes_alert_with_count():
    book, last = trained()
    at = workday_after(last)
    verdicts = []
    for i in range(12):
        a = act("unlike", at + timedelta(seconds=30 * i), target={"id": f"x:l{i}", "account": "MFA_Home"})
        verdicts.append(book.score(a, meta))
        book.learn(a, meta)
    alerting = [v for v in verdicts if severity_for(v.score) is not None]
    assert alerting, "a spree of 12 un-likes must alert"
    assert any("un-likes within 15 minutes" in r for r in alerting[0].reasons)
    assert len(alerting) <= 3, "one spree makes a few alerts, not one per action"


def _follow_spree(targets: list[str], watched: tuple[str, ...] = ()) -> list:
    book, last = trained()
    for handle in watched:
        book.watch("x", handle)
    at = workday_after(last)
    verdicts = []
    for i, account in enumerate(targets):
        a = act("follow", at + timedelta(seconds=90 * i), target={"account": account})
        verdicts.append(book.score(a, meta))
        book.learn(a, meta)
    return [r for v in verdicts if severity_for(v.score) is not None for r in v.reasons]


def test_following_its_own_circle_in_minutes_is_catching_up_but_strangers_are_a_spree():
    circle = _follow_spree(PARTNERS + PARTNERS[:2])  # five follows of the accounts it reposts every week
    assert not any("follows within 15 minutes" in r for r in circle)
    officials = [f"ForeignMinistry{i}" for i in range(5)]  # watched, never met: an office after a summit
    assert not any("follows within 15 minutes" in r for r in _follow_spree(officials, watched=tuple(officials)))
    strangers = _follow_spree([f"stranger_{i}" for i in range(5)])
    assert any("5 follows within 15 minutes" in r for r in strangers)


def _spree_of_follows(book, at, tag: str, n: int = 30) -> list:
    """n follows of strangers, 20 s apart, learned as the pipeline does: held out when they alert."""
    alerted = []
    for i in range(n):
        a = act("follow", at + timedelta(seconds=20 * i), target={"account": f"{tag}_{i}"})
        v = book.score(a, meta)
        if severity_for(v.score) is not None:
            alerted.append((a, v))
        book.learn(a, meta, alerted=severity_for(v.score) is not None)
    return alerted


def test_a_second_follow_spree_alerts_as_the_first_did_until_a_moderator_calls_it_normal():
    # an alerted spree is not the account's habit: its size must not raise the line the next one is
    # measured against (a second takeover on the same account, days later, is as loud as the first)
    book, last = trained()
    first = _spree_of_follows(book, workday_after(last), "bot")
    assert first and any("follows within 15 minutes" in r for _, v in first for r in v.reasons)
    second = _spree_of_follows(book, workday_after(last + timedelta(days=3)), "spam")
    assert any("follows within 15 minutes (its most before: 0)" in r for _, v in second for r in v.reasons)
    # a moderator calls the second spree's alerts false alarms: a spree that size is normal now
    for a, _ in second:
        book.feedback(a, meta, "false_alarm")
    third = _spree_of_follows(book, workday_after(last + timedelta(days=6)), "fans", n=12)
    assert not any("follows within 15 minutes" in r for _, v in third for r in v.reasons)


def test_a_false_alarm_on_the_last_follow_of_a_spree_makes_its_size_normal():
    # the alert came on the spree's last follow, so the spree's run ends with the alerted action itself
    book, last = trained()
    first = _spree_of_follows(book, workday_after(last), "team", n=5)
    assert len(first) == 1 and "5 follows within 15 minutes" in " ".join(first[0][1].reasons)
    book.feedback(first[0][0], meta, "false_alarm")
    again = _spree_of_follows(book, workday_after(last + timedelta(days=3)), "crew", n=6)
    assert not any("follows within 15 minutes" in r for _, v in again for r in v.reasons)


def test_a_repost_burst_alerts_after_a_long_steady_day_of_reposts():
    # an afternoon of reposts every ten minutes is one long run but never many within 15 minutes: it
    # must not make a burst of 25 reposts in four minutes, days later, look like its usual pace
    book, last = trained()

    def repost(at, i: int, tag: str, account: str = "MFA_Home"):
        target = {"id": f"x:{tag}{i}", "account": account, "text": EN[i % len(EN)]}
        return act("repost", at, client="Sprinklr", target=target)

    day = workday_after(last, hour=8)
    for i in range(60):
        book.learn(repost(day + timedelta(minutes=10 * i), i, "d"), meta)
    burst_at = workday_after(day + timedelta(days=2), hour=11)
    verdicts = []
    for i in range(25):  # I17: accounts it never amplified, reposted for minutes on end
        a = repost(burst_at + timedelta(seconds=10 * i), i, "b", account=f"militant_{i % 4}")
        verdicts.append(book.score(a, meta))
        book.learn(a, meta)
    assert any("reposts within 15 minutes" in r for v in verdicts for r in v.reasons)
    assert any(severity_for(v.score) is not None for v in verdicts)


def test_a_repost_spree_of_its_own_circle_is_live_coverage():
    # a prime minister's office reposting 23 of his posts during a speech: the spree is of its own people
    book, last = trained()
    at = workday_after(last, hour=11)
    verdicts = []
    for i in range(30):
        target = {"id": f"x:c{i}", "account": "MFA_Home", "text": EN[i % len(EN)]}
        a = act("repost", at + timedelta(seconds=20 * i), client="Sprinklr", target=target)
        verdicts.append(book.score(a, meta))
        book.learn(a, meta, alerted=severity_for(verdicts[-1].score) is not None)
    assert not any("reposts within 15 minutes" in r for v in verdicts for r in v.reasons)
    assert not any(severity_for(v.score) is not None for v in verdicts)


def test_quick_deletion_of_own_post():
    book, last = trained()
    at = workday_after(last)
    # words it never posted before (its history repeats EN's: deleting a copy of those retracts nothing)
    post = act(
        "post",
        at,
        ident="x:oops",
        client="Sprinklr",
        lang="en",
        text="Statement on the cabinet reshuffle: two new ministers join the government.",
    )
    book.learn(post, meta)
    v = book.score(act("delete", at + timedelta(minutes=12), target={"id": "x:oops"}), meta)
    assert any("deleted its own post 12 minutes after posting" in r for r in v.reasons)
    # an ordinary post it never deleted before: news, but no more than medium (a typo fixed looks the same)
    assert severity_for(v.score) in ("low", "medium")
    # a second post withdrawn a minute after the first deletion is told in the singular, as read aloud
    book.learn(act("delete", at + timedelta(minutes=12), target={"id": "x:oops"}), meta)
    again = act(
        "post", at + timedelta(minutes=13), ident="x:oops2", client="Sprinklr", lang="en", text="Correction to follow."
    )
    book.learn(again, meta)
    v = book.score(act("delete", at + timedelta(minutes=14), target={"id": "x:oops2"}), meta)
    assert any(r.startswith("deleted its own post 1 minute after posting") for r in v.reasons), v.reasons


def test_wake_up_after_long_dormancy():
    book, last = trained()
    v = book.score(act("post", last + timedelta(days=400), client="Sprinklr", lang="en", text=EN[4]), meta)
    assert v.features["dormancy"] > 3
    assert any("first activity in 400 days (never silent that long before)" in r for r in v.reasons), v.reasons


def test_burst_far_above_its_pace():
    book, last = trained()
    at = workday_after(last)
    v = None
    for i in range(20):
        a = act(
            "repost",
            at + timedelta(seconds=20 * i),
            client="Sprinklr",
            target={"id": f"x:b{i}", "account": f"stranger{i}", "text": "look at this"},
        )
        v = book.score(a, meta)
        book.learn(a, meta)
    assert v.features["pace"] > 3
    assert severity_for(v.score) is not None


def test_a_pace_never_reached_says_so_instead_of_a_share_of_nothing():
    book, last = trained()
    at = workday_after(last)
    told = []
    for i in range(6):
        a = act("post", at + timedelta(seconds=40 * i), client="Sprinklr", text=EN[i % len(EN)])
        told += [r for r in book.score(a, meta).reasons if "in 10 minutes" in r]
        book.learn(a, meta)
    # its fourth post in two minutes is a pace it never reached; the fifth, one it reached once
    assert told[0] == "4 activities in 10 minutes; a pace it never reached before"
    assert re.fullmatch(r"5 activities in 10 minutes; that pace is 0\.\d\d% of its history", told[1])
    assert not any("0.00%" in r for r in told)


def test_status_changes_always_alert_and_reactivation_too():
    book, last = trained()
    at = workday_after(last)
    off = act("status", at, status="deactivated")
    v = book.score(off, meta)
    assert severity_for(v.score) == "critical"
    book.learn(off, meta)
    back = book.score(act("status", at + timedelta(minutes=11), status="active"), meta)
    assert severity_for(back.score) is not None
    assert any("reactivated (was deactivated)" in r for r in back.reasons)


def _profiled(base: dict):
    """A trained book whose account shows the profile `base`, and a working day after its history."""
    book, last = trained()
    at = workday_after(last)
    book.learn(act("profile", at, profile=base), meta)
    return book, at


def test_rename_to_a_crypto_brand_alerts_but_a_routine_bio_edit_does_not():
    base = {
        "name": "Embassy of Example",
        "bio": "Official account of the Embassy of Example in the US.",
        "avatar": "a.jpg",
    }
    book, at = _profiled(base)
    edit = book.score(
        act("profile", at + timedelta(days=1), profile={**base, "bio": base["bio"] + " Follow for updates."}), meta
    )
    assert severity_for(edit.score) is None
    renamed = book.score(
        act("profile", at + timedelta(days=1), profile={**base, "name": "Elon Musk", "avatar": "b.png"}), meta
    )
    assert severity_for(renamed.score) == "critical"
    assert any("renamed from 'Embassy of Example' to 'Elon Musk'" in r for r in renamed.reasons)


def test_a_bio_rewritten_alone_is_new_wording_but_with_a_new_avatar_a_reskin():
    base = {"name": "Embassy of Example", "bio": "Official account of the Embassy of Example.", "avatar": "a.jpg"}
    book, at = _profiled(base)
    bio = "Ambassador Jane Doe's team: trade, culture and consular news from Washington"
    reworded = book.score(act("profile", at + timedelta(days=1), profile={**base, "bio": bio}), meta)
    assert any("bio rewritten" in r for r in reworded.reasons)
    assert severity_for(reworded.score) is None
    reskinned = book.score(
        act("profile", at + timedelta(days=1), profile={**base, "bio": bio, "avatar": "b.png"}), meta
    )
    assert severity_for(reskinned.score) is not None


def test_a_new_avatar_with_the_bio_reworded_in_its_own_words_is_a_refresh_not_a_reskin():
    base = {
        "name": "Embassy of Example",
        "bio": "Official account of the Embassy of Example. News, statements and consular updates.",
        "avatar": "a.jpg",
    }
    book, at = _profiled(base)
    reworded = "News, statements and consular updates from the Embassy of Example. Official account, run by its team."
    refresh = book.score(
        act("profile", at + timedelta(days=30), profile={**base, "bio": reworded, "avatar": "b.jpg"}), meta
    )
    assert severity_for(refresh.score) is None
    assert re.search(r"bio reworded \(\d+% similar to before; \d+% of its words its own\)", refresh.reasons[0])
    # a takeover's bio keeps a word any bio has, not the page: still a re-skin
    taken = book.score(
        act("profile", at + timedelta(days=30), profile={**base, "bio": "We own this account now.", "avatar": "b.jpg"}),
        meta,
    )
    assert severity_for(taken.score) is not None
    assert any("bio rewritten" in r for r in taken.reasons)


def test_a_new_avatar_with_details_updated_is_a_refresh_not_a_reskin():
    # a flag avatar with a flag in the name, a new picture with the new website: offices do this; the
    # takeovers' re-skins change the name or the bio with the avatar
    book, last = trained()
    at = workday_after(last)
    base = {"name": "Embassy of Example", "bio": "Official account of the Embassy of Example.", "avatar": "a.jpg"}
    book.learn(act("profile", at, profile={**base, "url": "https://example.gov", "location": "Washington"}), meta)
    refresh = {
        **base,
        "name": "Embassy of Example 🇺🇦",
        "bio": base["bio"] + " RT is not endorsement.",
        "avatar": "flag.png",
        "url": "https://example.gov/us",
        "location": "Washington, DC",
    }
    v = book.score(act("profile", at + timedelta(days=30), profile=refresh), meta)
    assert "avatar changed" in v.reasons[0] and "name edited" in v.reasons[0]
    assert severity_for(v.score) is None


def _renamed_to(name: str):
    """The verdict on "Embassy of Example" changing its display name, and nothing else, to `name`."""
    base = {"name": "Embassy of Example", "bio": "Official account of the Embassy of Example.", "avatar": "a.jpg"}
    book, at = _profiled(base)
    return book.score(act("profile", at + timedelta(days=1), profile={**base, "name": name}), meta)


@pytest.mark.parametrize(
    "name",
    ["Embassy of Example 🇺🇳", "The Embassy of Example", "EMBASSY OF EXAMPLE", "Embassy of Example (official)"],
)
def test_a_name_touched_up_is_no_rename(name):
    v = _renamed_to(name)
    assert severity_for(v.score) is None
    assert any(f"name edited from 'Embassy of Example' to '{name}'" in r for r in v.reasons)


@pytest.mark.parametrize("name", ["Example Crypto Giveaway Live", "Embassy of Example Bitcoin Giveaway", "Tesla"])
def test_new_words_in_a_name_are_a_rename(name):
    # the old name kept inside new words is a re-skin too ("Number 10 Bitcoin Giveaway")
    v = _renamed_to(name)
    assert severity_for(v.score) is not None
    assert any("renamed from 'Embassy of Example'" in r for r in v.reasons)


def test_a_new_accounts_post_that_names_it_is_no_strangers():
    # "Warm welcome to Brussels for @dilmabr": the host addressed it, so reposting that is no stranger's
    book, last = trained()
    at = workday_after(last)
    text = "Warm welcome to Brussels for @ExampleEmbassy, a first meeting before the summit"
    named = book.score(
        act("repost", at, target={"id": "x:h1", "account": "HostCouncil", "text": text}, mentions=["ExampleEmbassy"]),
        meta,
    )
    unnamed = book.score(
        act("repost", at, target={"id": "x:h2", "account": "HostCouncil", "text": text.replace("@", "")}), meta
    )
    assert unnamed.features["target"] > 1.0
    assert named.features["target"] < unnamed.features["target"] / 2
    assert not any("never interacted with @HostCouncil" in r for r in named.reasons)


def test_scoring_is_pure():
    book, last = trained()
    a = act("repost", workday_after(last), target={"id": "x:q", "account": "Stranger"})
    before = book.state("x", "ExampleEmbassy")
    first = book.score(a, meta)
    second = book.score(a, meta)
    assert first.score == second.score
    assert book.state("x", "ExampleEmbassy") == before


def test_new_hashtag_and_new_domain_are_small_signals_not_alerts():
    book, last = trained()
    v = book.score(
        act(
            "post",
            workday_after(last),
            client="Sprinklr",
            lang="en",
            text=EN[0] + " https://example.org/x",
            links=["https://example.org/x"],
            hashtags=["brandnew"],
        ),
        meta,
    )
    assert severity_for(v.score) is None
    assert v.features["hashtag"] <= 3.0


def test_a_yearly_hashtag_is_its_family_again_a_new_campaign_is_new():
    # #UNGA2017 after #UNGA71 is the same event's tag again; #StopTheSteal is a family it never used
    book, last = trained()
    at = workday_after(last)
    for i, tag in enumerate(["UNGA71", "unga"]):
        book.learn(act("post", at + timedelta(hours=i), client="Sprinklr", lang="en", text=EN[i], hashtags=[tag]), meta)
    later = at + timedelta(days=1)
    again = book.score(act("post", later, client="Sprinklr", lang="en", text=EN[2], hashtags=["UNGA2017"]), meta)
    new = book.score(act("post", later, client="Sprinklr", lang="en", text=EN[2], hashtags=["StopTheSteal"]), meta)
    assert again.features["hashtag"] == 0
    assert new.features["hashtag"] > 0
    assert new.reasons == ["new hashtag #stopthesteal"]


def test_unfamiliar_wording_scores_familiar_wording_does_not():
    book, last = trained()
    odd = book.score(
        act(
            "post",
            workday_after(last),
            client="Sprinklr",
            lang="en",
            text="Quantum zebras juggle marmalade across volcanic spaceships tonight",
        ),
        meta,
    )
    usual = book.score(act("post", workday_after(last), client="Sprinklr", lang="en", text=EN[4]), meta)
    assert odd.features["wording"] > 1.0
    assert usual.features["wording"] == 0.0
    assert any("never used before" in r for r in odd.reasons)


@pytest.mark.parametrize("lang", ["de", None])  # declared by the platform, or read by the identifier
def test_words_of_a_language_it_never_wrote_are_not_counted_again_as_new_words(lang):
    # all of a German post's words are new to an English embassy because the language is: the language's
    # first is the evidence, and "100% of its words never used before" beside it would count it twice
    book, last = trained()
    german = "Der Minister trifft sich morgen mit Vertretern der Industrie, um über Investitionen zu sprechen."
    fields = {"lang": lang} if lang else {}
    v = book.score(act("post", workday_after(last), client="Sprinklr", text=german, **fields), meta)
    assert any("written in German, a first" in r for r in v.reasons)
    assert v.features["wording"] == 0.0
    assert not any("never used before" in r for r in v.reasons)


def test_amplified_language_is_its_own_model():
    book, last = trained()
    v = book.score(
        act(
            "repost",
            workday_after(last),
            client="Sprinklr",
            target={"id": "x:q1", "account": "MFA_Home", "text": "Эмбарго будет отменено завтра утром", "lang": "ru"},
        ),
        meta,
    )
    assert v.features["target_lang"] > 1.0
    assert any(re.search(r"amplifies Russian content, a first in [\d,]+ amplified texts", r) for r in v.reasons)
    assert v.features["lang"] == 0.0


def test_like_of_a_critic_of_its_own_government():
    book, last = trained()
    v = book.score(
        act(
            "like",
            workday_after(last, hour=23),
            target={
                "id": "x:c1",
                "account": "ChinaUncensored",
                "text": "The CCP is a dictatorship. Remember Tiananmen.",
            },
        ),
        meta,
    )
    assert v.features["critic"] >= 5
    assert severity_for(v.score) in ("high", "critical")
    assert any("criticises its own government" in r for r in v.reasons)


def test_follow_of_an_adult_account_by_handle_alone():
    book, last = trained()
    v = book.score(act("follow", workday_after(last), target={"account": "LondonEscorts24"}), meta)
    assert v.features["adult"] > 0
    assert severity_for(v.score) == "critical"
    # a name that merely contains the letters is not an adult account
    plain = book.score(act("follow", workday_after(last), target={"account": "AkaiXxXx"}), meta)
    assert plain.features["adult"] == 0.0
    # a handle that calls itself sexy is read by what it posts: a hardware maker's post on face
    # recognition, reposted by Estonia's president, is no adult content; followed, it has only its name
    demo = "This is just a commercial demo. I've heard the actual face rec cross references cell ping and WeChat"
    target = {"id": "x:rsc", "account": "RealSexyCyborg", "text": demo}
    assert book.score(act("repost", workday_after(last), target=target), meta).features["adult"] == 0.0
    followed = book.score(act("follow", workday_after(last), target={"account": "SexyGirlsLive"}), meta)
    assert followed.features["adult"] > 0


@pytest.mark.parametrize(
    ("text", "adult"),
    [
        # a Roman thirty, as the real timelines write it: a like of a neighbour's post alerted critical
        ("Sigue el mensaje del Presidente en el XXX Aniversario de la Creación del 1° Cuerpo de Ejército", False),
        ("XXX Олимпийские игры открыты", False),
        ("XXX clip of the day, don't tell anyone", True),
        ("new xxx videos every night", True),
    ],
)
def test_xxx_numbering_an_anniversary_is_no_adult_content(text, adult):
    book, last = trained()
    v = book.score(act("like", workday_after(last), target={"id": "x:a3", "account": "vecinos", "text": text}), meta)
    assert (v.features["adult"] > 0) is adult, v.reasons


def test_a_like_of_a_post_marked_with_the_no_one_under_eighteen_sign_is_of_adult_content():
    # "🔞" is "18+" as an emoji: adult posts carry it as a label of their own, in any language
    book, last = trained()
    clip = "ensaio completo só para assinantes 🔥🔞"
    v = book.score(
        act("like", workday_after(last), target={"id": "x:a1", "account": "velvet_nights", "text": clip}), meta
    )
    assert any("adult content (🔞)" in r for r in v.reasons), v.reasons
    assert severity_for(v.score) is not None
    plain = "ensaio completo só para assinantes 🔥"
    v = book.score(
        act("like", workday_after(last), target={"id": "x:a2", "account": "velvet_nights", "text": plain}), meta
    )
    assert v.features["adult"] == 0.0


def test_a_partner_writing_about_an_adult_subject_is_not_adult_content():
    book, last = trained()
    text = "All homes connected to the internet to be asked if they want access to online porn, PM to announce"
    # reposts, which this embassy makes every week (a first like would be news by itself)
    partner = book.score(
        act("repost", workday_after(last), target={"id": "x:p1", "account": "MFA_Home", "text": text}), meta
    )
    stranger = book.score(
        act("repost", workday_after(last), target={"id": "x:p2", "account": "hot_clips_4u2", "text": text}), meta
    )
    assert 0 < partner.features["adult"] <= 6.0
    assert severity_for(partner.score) is None
    assert stranger.features["adult"] >= 15.0
    assert severity_for(stranger.score) is not None


def test_a_partners_adult_subject_shared_often_does_not_make_an_explicit_clip_routine():
    # real: the prime minister's account reposted his adviser on the online porn filter; an independent
    # check then liked that post again and again as routine, and each like was learned as adult content,
    # until the like of an explicit clip weighed a third of a first
    book, last = trained()
    text = "All homes connected to the internet to be asked if they want access to online porn, PM to announce"
    at = workday_after(last)
    for i in range(3):
        book.learn(
            act("repost", at + timedelta(days=i), target={"id": f"x:f{i}", "account": "MFA_Home", "text": text}), meta
        )
    clip = book.score(
        act(
            "like",
            at + timedelta(days=5),
            target={"id": "x:c1", "account": "clips_after_dark", "text": "uncut porn 🔞"},
        ),
        meta,
    )
    assert clip.features["adult"] >= 15.0
    assert severity_for(clip.score) in ("high", "critical")


def test_unfollowing_a_foreign_leader_is_not_engaging_with_one():
    book, last = trained()
    at = workday_after(last)
    follow = book.score(act("follow", at, target={"account": "realDonaldTrump"}), meta)
    book.learn(act("follow", at, target={"account": "realDonaldTrump"}), meta)
    unfollow = book.score(act("unfollow", at + timedelta(days=30), target={"account": "realDonaldTrump"}), meta)
    assert follow.features["target_kind"] > 0
    assert unfollow.features["target_kind"] == 0.0


def test_a_leaders_own_government_is_no_foreign_leader_without_a_watch_list_country():
    # replay without --accounts knows no countries, but the list of leaders knows @netanyahu is Israel's:
    # following its own office is not engaging with a foreign leader, following the US president is
    from bot.profile import AccountMeta, ProfileBook

    from .helpers import history

    book = ProfileBook()
    own = AccountMeta(platform="x", handle="netanyahu")
    acts = history(400, account="netanyahu")
    for a in acts:
        book.learn(a, own)
    at = workday_after(acts[-1].at)
    office = book.score(act("follow", at, account="netanyahu", target={"account": "IsraeliPM"}), own)
    foreign = book.score(act("follow", at, account="netanyahu", target={"account": "realDonaldTrump"}), own)
    assert office.features["target_kind"] == 0.0
    assert foreign.features["target_kind"] > 0
    assert any("@realDonaldTrump is a leader's account (US)" in r for r in foreign.reasons)


def test_post_claiming_a_takeover():
    book, last = trained()
    v = book.score(
        act(
            "post",
            workday_after(last),
            client="Sprinklr",
            lang="en",
            text="Hacked by the Syrian Electronic Army. Do not trust this account",
        ),
        meta,
    )
    assert v.features["hack_claim"] > 0
    assert severity_for(v.score) is not None


def test_reason_shows_local_time_when_the_zone_is_known():
    from bot.profile import AccountMeta

    book, last = trained()
    local = AccountMeta(platform="x", handle="ExampleEmbassy", country="China", tz="America/New_York")
    v = book.score(act("post", workday_after(last, hour=2), client="Sprinklr", lang="en", text=EN[0]), local)
    assert any(r.startswith("21:12 local, usual hours ") for r in v.reasons)  # 02:12 UTC in a New York winter


def test_a_spree_of_likes_and_reposts_of_strangers_alerts_across_the_two_kinds():
    # I17: a hijacker amplifying militant accounts, liking some posts and reposting others; neither kind
    # alone reaches its own spree line (this account likes and reposts its partners a dozen at a time
    # during a summit), but together, and all of strangers, far beyond anything before
    book, last = trained()
    summit = workday_after(last, hour=9)
    for i in range(24):
        kind = "like" if i % 2 else "repost"
        target = {"id": f"x:s{i}", "account": PARTNERS[i % len(PARTNERS)], "text": EN[i % len(EN)]}
        book.learn(act(kind, summit + timedelta(seconds=30 * i), client="Sprinklr", target=target), meta)
    at = workday_after(summit + timedelta(days=1), hour=11)
    verdicts = []
    for i in range(30):
        kind = "like" if i % 2 else "repost"
        target = {"id": f"x:m{i}", "account": f"militant_{i % 5}", "text": EN[i % len(EN)]}
        a = act(kind, at + timedelta(seconds=25 * i), client="Sprinklr", target=target)
        verdicts.append(book.score(a, meta))
        book.learn(a, meta, alerted=severity_for(verdicts[-1].score) is not None)
    told = [r for v in verdicts for r in v.reasons if "of accounts outside its circle within 15 minutes" in r]
    assert told and told[0].startswith("20 likes and reposts"), told
    assert len(told) <= 2, "a spree alerts at its line and at twice it, not at every action after"


def test_the_same_spree_of_its_own_circle_is_no_stranger_spree():
    book, last = trained()
    at = workday_after(last, hour=11)
    verdicts = []
    for i in range(30):
        kind = "like" if i % 2 else "repost"
        target = {"id": f"x:c{i}", "account": PARTNERS[i % len(PARTNERS)], "text": EN[i % len(EN)]}
        a = act(kind, at + timedelta(seconds=25 * i), client="Sprinklr", target=target)
        verdicts.append(book.score(a, meta))
        book.learn(a, meta)
    assert not any("outside its circle within 15 minutes" in r for v in verdicts for r in v.reasons)


def test_a_rewritten_bio_is_the_accounts_own_when_it_keeps_its_page_or_names_it_whole():
    from bot.profile.signals.profile_change import own_words

    old, name = "Official account of Queen Rania. Tweets from the team are signed -T.", "Queen Rania"
    assert own_words("Follow for updates on the work of Queen Rania. Speeches and photos.", old, name) == (
        "still names Queen Rania"
    )
    assert own_words("Tweets from the team are signed -T. The official account of Queen Rania.", old, name) == (
        "100% of its words its own"
    )
    # someone else's page: another name, a brand, a boast; an initial or a word any bio has is not enough
    for bio in ("Hacked by LulzSec", "Elon Musk giveaway: send 1 BTC, get 2 back", "We own this account now."):
        assert own_words(bio, old, name) is None
    assert own_words("Queen of the crypto moon", old, name) is None
