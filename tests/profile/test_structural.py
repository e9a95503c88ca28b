"""Structure before vocabulary: what an account has never done, with every word list switched off, and
alerts that are never learned as normal until a moderator says so."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from bot.alerts import severity_for
from bot.profile import AccountMeta, ProfileBook, Verdict
from bot.profile.lexicon import lexicon, use_lexicons
from bot.profile.signals.lang import GUESS_CAP
from bot.profile.signals.naming import names_itself
from bot.profile.text import guess_lang_sure, script_of, word_count, words

from .helpers import EN, act, history, trained, workday_after

NO_CONTEXT = AccountMeta(platform="x", handle="ExampleEmbassy")  # replay without a watch list


@pytest.fixture
def no_lexicons():
    use_lexicons(False)
    yield
    use_lexicons(True)


def _trained(n: int = 400, account: str = "ExampleEmbassy", seed: int = 7) -> tuple[ProfileBook, datetime]:
    book = ProfileBook()
    acts = history(n, seed=seed, account=account)
    for a in acts:
        book.learn(a, NO_CONTEXT)
    return book, acts[-1].at


def _learn_other_leader(book: ProfileBook) -> list:
    """Another watched official with a history of its own, who never dealt with the embassy."""
    other = history(200, seed=11, account="OtherLeader")
    for a in other:
        book.learn(a, AccountMeta(platform="x", handle="OtherLeader"))
    return other


def _judge(book: ProfileBook, activity, meta=NO_CONTEXT):
    """Score, then learn as the pipeline does: held out when it alerted."""
    v = book.score(activity, meta)
    book.learn(activity, meta, alerted=severity_for(v.score) is not None)
    return v


ELECTION = "They stole this election from the people, and everybody knows it"
GERMAN_NEWS = "Die Botschaft ist ab sofort geschlossen, alle Mitarbeiter wurden abgezogen"


def test_a_second_incident_of_the_same_shape_alerts_again(no_lexicons):
    book, last = _trained()
    at = workday_after(last, hour=3)
    first = _judge(
        book,
        act(
            "repost",
            at,
            client="Twitter for Android",
            target={"id": "x:s1", "account": "SomePresident", "text": ELECTION},
        ),
    )
    second = _judge(
        book,
        act(
            "repost",
            at + timedelta(minutes=6),
            client="Twitter for Android",
            target={"id": "x:s2", "account": "AnotherPresident", "text": ELECTION},
        ),
    )
    assert severity_for(first.score) is not None
    # as strong as the first: nothing of the first was learned as normal
    assert severity_for(second.score) == severity_for(first.score)
    assert any("AnotherPresident" in r for r in second.reasons)


def test_a_false_alarm_becomes_normal_but_a_confirmed_incident_stays_novel(no_lexicons):
    for verdict, still_alerts in (("false_alarm", False), ("confirmed", True)):
        book, last = _trained()
        at = workday_after(last, hour=11)
        alerted = act(
            "post", at, client="Hootsuite Inc.", text="Wir danken allen Partnern für die Zusammenarbeit heute"
        )
        v = _judge(book, alerted)
        assert severity_for(v.score) is not None
        book.feedback(alerted, NO_CONTEXT, verdict)
        again = book.score(
            act(
                "post",
                at + timedelta(hours=2),
                client="Hootsuite Inc.",
                text="Wir danken allen Partnern für die Zusammenarbeit heute",
            ),
            NO_CONTEXT,
        )
        assert (severity_for(again.score) is not None) is still_alerts, verdict


def test_a_repost_of_a_stranger_undone_minutes_later_alerts_on_the_deletion(no_lexicons):
    book, last = _trained()
    at = workday_after(last, hour=10)
    repost = act(
        "repost",
        at,
        client="Sprinklr",
        target={"id": "x:odd", "account": "RandomStranger42", "text": "Great turnout at the festival this weekend."},
    )
    _judge(book, repost)
    deletion = book.score(act("delete", at + timedelta(minutes=12), target={"id": repost.id}), NO_CONTEXT)
    assert severity_for(deletion.score) in ("high", "critical")  # what it deleted makes it more than a typo
    joined = " ".join(deletion.reasons)
    assert "RandomStranger42" in joined and "12 minutes" in joined


def test_a_first_amplification_undone_within_the_hour_alerts_where_reposting_strangers_is_routine(no_lexicons):
    # an office whose reposts go to a new account every time, and which deletes its posts a day later now
    # and then: the stranger's repost itself is routine, taking it back minutes later is S1's end
    book = ProfileBook()
    for i, a in enumerate(history(400)):
        if a.kind == "repost":
            a = act("repost", a.at, client="Sprinklr", target={**(a.target or {}), "account": f"citizen_{i}"})
        book.learn(a, NO_CONTEXT)
        if a.kind == "post" and i % 20 == 0:
            book.learn(act("delete", a.at + timedelta(days=1), target={"id": a.id}), NO_CONTEXT)
        last = a.at
    at = workday_after(last, hour=10)

    def undone(account: str, n: int):
        repost = act("repost", at + timedelta(hours=n), client="Sprinklr", target={"id": f"x:u{n}", "account": account})
        first = _judge(book, repost)
        return first, book.score(act("delete", repost.at + timedelta(minutes=12), target={"id": repost.id}), NO_CONTEXT)

    repost, deletion = undone("RandomStranger42", 0)
    assert severity_for(repost.score) is None, repost.reasons  # a new account is its everyday work
    assert severity_for(deletion.score) is not None, deletion.reasons
    assert any("it had never amplified @RandomStranger42 before that repost" in r for r in deletion.reasons)
    # the same account reposted and undone again the next day is no longer a first it takes back
    _, again = undone("RandomStranger42", 24)
    assert not any("never amplified" in r for r in again.reasons)
    assert again.features["delete"] < deletion.features["delete"]


def _deleting_the_next_day() -> tuple[ProfileBook, datetime]:
    """A trained account whose habit is five posts deleted the next day, and a working morning ten days
    after them."""
    book, last = _trained()
    at = workday_after(last, hour=10)
    for day in range(5):
        post = act("post", at + timedelta(days=day), client="Sprinklr", lang="en", text=EN[day])
        book.learn(post, NO_CONTEXT)
        book.learn(act("delete", post.at + timedelta(days=1), target={"id": post.id}), NO_CONTEXT)
    return book, at + timedelta(days=10)


def test_the_retraction_of_an_alerted_post_is_not_learned_as_a_habit_of_deleting_fast():
    # the deletion that ends an alerted post's story (learned at the story's weight when it does not
    # alert itself) must not make the account's next quick deletion look like its habit
    book, at = _deleting_the_next_day()
    for day, alerted in ((0, True), (3, False)):
        post = act("post", at + timedelta(days=day), client="Sprinklr", lang="en", text=EN[day])
        book.learn(post, NO_CONTEXT, alerted=alerted)
        deletion = act("delete", post.at + timedelta(minutes=3), target={"id": post.id})
        v = book.score(deletion, NO_CONTEXT)
        book.learn(deletion, NO_CONTEXT)  # in the alerted post's story on day 0: learned at its weight
    assert any("(0% of its 5 deletions were this fast)" in r for r in v.reasons), v.reasons


def test_an_ordinary_post_deleted_within_a_minute_is_judged_as_a_slip_fixed_not_a_retraction():
    # its correction comes after the deletion, unseen when the deletion is judged; a retraction comes
    # minutes later, once others have seen the post
    book, at = _deleting_the_next_day()
    verdicts = {}
    for minutes in (1, 10):
        post = act("post", at + timedelta(days=minutes), client="Sprinklr", lang="en", text=EN[(minutes + 5) % len(EN)])
        book.learn(post, NO_CONTEXT)
        deletion = act("delete", post.at + timedelta(minutes=minutes), target={"id": post.id})
        verdicts[minutes] = book.score(deletion, NO_CONTEXT)
        book.learn(deletion, NO_CONTEXT)
    slip, retraction = verdicts[1], verdicts[10]
    assert any("as fast as a slip is fixed" in r for r in slip.reasons), slip.reasons
    assert severity_for(slip.score) is None
    assert slip.features["delete"] < retraction.features["delete"]
    # nor was the slip's speed learned as how fast it retracts
    assert any("(0% of its 5 deletions were this fast)" in r for r in retraction.reasons), retraction.reasons


def test_a_slip_fixed_on_the_first_post_after_a_long_silence_is_still_a_slip():
    # the silence says when it posted, not what: the deletion carries only what the post
    # said, so its fix a minute later is a slip fixed, not the retraction of an odd post
    book, at = _deleting_the_next_day()
    post = act("post", at + timedelta(days=119), client="Sprinklr", lang="en", text=EN[-1])
    posted = _judge(book, post)
    assert posted.features["dormancy"] > 0
    deletion = _judge(book, act("delete", post.at + timedelta(seconds=70), target={"id": post.id}))
    assert any("as fast as a slip is fixed" in r for r in deletion.reasons), deletion.reasons
    assert not any("the deleted item scored" in r for r in deletion.reasons), deletion.reasons
    assert severity_for(deletion.score) is None


def test_a_deletion_a_day_later_is_routine():
    book, last = _trained()
    at = workday_after(last, hour=10)
    post = act("post", at, client="Sprinklr", lang="en", text=EN[0])
    _judge(book, post)
    later = book.score(act("delete", at + timedelta(days=1, hours=2), target={"id": post.id}), NO_CONTEXT)
    assert severity_for(later.score) is None


@pytest.mark.parametrize("live_posts", [0, 12])
def test_a_slip_deleted_once_its_correction_is_up_is_a_typo_fixed_not_a_retraction(live_posts):
    # with a burst of live coverage between the correction and the deletion too: the slip is remembered
    book, last = _trained()
    at = workday_after(last, hour=10)
    text = "The Prime Minister welcomes the new trade agreement with our partners in the region."
    slip = act("post", at, client="Sprinklr", lang="en", text=text.replace("Minister", "Minsiter"))
    _judge(book, slip)
    _judge(book, act("post", at + timedelta(minutes=1), client="Sprinklr", lang="en", text=text))
    for i in range(live_posts):
        live = f"Live from the summit, session {i + 1}: the leaders discuss {EN[i % len(EN)][:60]}"
        when = at + timedelta(minutes=1, seconds=20 * (i + 1))
        _judge(book, act("post", when, client="Sprinklr", lang="en", text=live))
    deletion = book.score(act("delete", at + timedelta(minutes=6), target={"id": slip.id}), NO_CONTEXT)
    assert severity_for(deletion.score) is None, deletion.reasons
    assert not any("deleted its own post" in r for r in deletion.reasons)


def test_a_duplicate_cleared_retracts_nothing_but_deleting_both_copies_is_news():
    book, last = _trained()
    at = workday_after(last, hour=10)
    text = "Enough of this circus in parliament."
    first = act("post", at, client="Sprinklr", lang="en", text=text)
    twice = act("post", at + timedelta(seconds=40), client="Sprinklr", lang="en", text=text)
    _judge(book, first)
    _judge(book, twice)
    cleared = act("delete", at + timedelta(minutes=3), target={"id": twice.id})
    verdict = book.score(cleared, NO_CONTEXT)
    assert severity_for(verdict.score) is None, verdict.reasons  # its words are still up
    _judge(book, cleared)
    gone = book.score(act("delete", at + timedelta(minutes=4), target={"id": first.id}), NO_CONTEXT)
    assert any("deleted its own post 4 minutes after posting" in r for r in gone.reasons)


def test_a_post_deleted_minutes_later_with_no_correction_is_still_news():
    # another post of the same minutes that says something else is no correction of it
    book, last = _trained()
    at = workday_after(last, hour=10)
    post = act("post", at, client="Sprinklr", lang="en", text="Enough of this circus in parliament.")
    _judge(book, post)
    _judge(book, act("post", at + timedelta(minutes=2), client="Sprinklr", lang="en", text=EN[3]))
    deletion = book.score(act("delete", at + timedelta(minutes=3), target={"id": post.id}), NO_CONTEXT)
    assert severity_for(deletion.score) is not None
    assert any("deleted its own post 3 minutes after posting" in r for r in deletion.reasons)


@pytest.mark.parametrize(
    ("slipped", "word", "meant"),
    [
        ("The ambassdor met the mayor to discuss trade and culture ties", "ambassdor", "ambassador"),
        ("The ambassador met the mayor to dicsuss trade and culture ties", "dicsuss", "discuss"),
    ],
)
def test_a_post_with_a_slip_of_the_fingers_deleted_minutes_later_is_a_typo_being_fixed(slipped, word, meant):
    # deleted before its correction is up, as often as after: the slip in it says what the deletion is
    book, at = _deleting_the_next_day()
    post = act("post", at, client="Sprinklr", lang="en", text=slipped)
    _judge(book, post)
    deletion = _judge(book, act("delete", at + timedelta(minutes=4), target={"id": post.id}))
    assert any(f"a slip to fix in it ('{word}', where it writes '{meant}')" in r for r in deletion.reasons)
    assert severity_for(deletion.score) is None, deletion.reasons
    # nor was its speed learned as how fast it retracts: a retraction minutes later is news still
    later = act(
        "post", at + timedelta(days=1), client="Sprinklr", lang="en", text="Enough of this circus in parliament."
    )
    _judge(book, later)
    gone = book.score(act("delete", later.at + timedelta(minutes=4), target={"id": later.id}), NO_CONTEXT)
    assert any("(0% of its 5 deletions were this fast)" in r for r in gone.reasons), gone.reasons
    assert severity_for(gone.score) is not None


def test_a_run_of_a_rare_kind_is_one_first_not_several():
    # an account that never replies answers three people within five minutes: the kind is news once;
    # the later replies are judged by what they say and to whom
    book, last = _trained(1500)
    at = workday_after(last, hour=11)
    verdicts = [
        _judge(
            book,
            act(
                "reply",
                at + timedelta(minutes=2 * i),
                client="Sprinklr",
                text=f"@reader{i} {EN[i]}",
                target={"account": f"reader{i}"},
            ),
        )
        for i in range(3)
    ]
    assert any(r.startswith("first reply in") for r in verdicts[0].reasons)
    assert all(v.features["kind"] == 0.0 for v in verdicts[1:])


def test_timing_and_rare_kinds_alone_never_alert():
    book, last = _trained()
    # a first unfollow, at 03:00, after four months of silence: rare, but nothing about whom or what
    at = workday_after(last + timedelta(days=120), hour=3)
    v = book.score(act("unfollow", at, target={"account": "MFA_Home"}), NO_CONTEXT)
    assert severity_for(v.score) is None
    assert v.features["dormancy"] > 0 or v.features["kind"] > 0  # it was seen as rare, just not alerted


def test_a_first_like_of_a_strangers_ordinary_post_is_a_first_of_a_routine_kind():
    # an account that has never liked anything in 2,000 activities (feeds rarely carry likes before they
    # are watched), and whose reposts are of a new account about one time in four: its first like of
    # someone new is rare as a kind, but the new account is no stronger a sign than its reposts give
    book = ProfileBook()
    acts = history(2000)
    for i, a in enumerate(acts):
        if a.kind == "repost" and i % 5 == 0 and a.target:
            a = act("repost", a.at, client="Sprinklr", target={**a.target, "account": f"colleague{i}"})
        book.learn(a, NO_CONTEXT)
    at = workday_after(acts[-1].at, hour=11)
    text = "Our spring show opens on Saturday with roses and tulips"
    v = book.score(act("like", at, target={"id": "x:l1", "account": "garden_club", "text": text}), NO_CONTEXT)
    assert any("first like in" in r for r in v.reasons)
    assert severity_for(v.score) is None
    # the new account is judged by how often its amplifications are of new accounts, and said so: it has
    # no likes whose share to tell
    newness = next(r for r in v.reasons if r.startswith("never interacted with @garden_club"))
    assert "of its amplifications are of new accounts" in newness and "likes" not in newness
    # a like of explicit material is still news, first like or not
    explicit = book.score(
        act("like", at, target={"id": "x:l2", "account": "hot_clips", "text": "Hot nude teen porn video, watch now"}),
        NO_CONTEXT,
    )
    assert severity_for(explicit.score) is not None


def test_an_unlike_of_an_account_it_never_engaged_with_is_no_stranger():
    # the like it withdraws was made before the account was watched: the first un-like in 2,000
    # activities, of an account its memory never saw, says nothing of whom it engages with
    book = ProfileBook()
    acts = history(2000)
    for a in acts:
        book.learn(a, NO_CONTEXT)
    at = workday_after(acts[-1].at, hour=11)
    v = book.score(act("unlike", at, target={"id": "x:old1", "account": "garden_club"}), NO_CONTEXT)
    assert any("first un-like in" in r for r in v.reasons)
    assert v.features["target"] == 0
    assert severity_for(v.score) is None


def test_a_post_in_a_language_it_never_uses_alerts_without_a_lang_field(no_lexicons):
    book, last = _trained()
    v = book.score(
        act(
            "post",
            workday_after(last, hour=11),
            client="Sprinklr",
            text="Die Botschaft ist ab sofort geschlossen, alle Mitarbeiter wurden abgezogen",
        ),
        NO_CONTEXT,
    )
    assert any("written in German, a first" in r for r in v.reasons)
    # the first is told with how many texts it is new among ("a first in 1,110 texts")
    assert any(re.search(r"written in German, a first in [\d,]+ texts \(usually English", r) for r in v.reasons)
    assert severity_for(v.score) is not None


def test_the_language_it_started_in_is_not_one_it_took_up(no_lexicons):
    # its very first post was in a language it had never used, but that is where it started: an account
    # that has only ever written English has taken up no language, and a first German post is as rare
    # as its history can tell, not 3 bits cheaper
    book = ProfileBook()
    english = [a for a in history(400) if a.lang != "fr"]
    for a in english:
        book.learn(a, NO_CONTEXT)
    german = "Die Botschaft ist ab sofort geschlossen, alle Mitarbeiter wurden abgezogen"
    post = act("post", workday_after(english[-1].at, hour=11), text=german, lang="de")
    assert book.score(post, NO_CONTEXT).features["lang"] >= 11.0


def test_a_short_history_is_judged_by_how_rarely_all_accounts_take_up_a_language(no_lexicons):
    # a president's 64 English posts and a German one: no account takes up a language every few hundred
    # posts, and the rate of all accounts stands until its own history says otherwise
    def german_after(n: int) -> Verdict:
        book = ProfileBook()
        english = [a for a in history(n) if a.lang == "en"]
        for a in english:
            book.learn(a, NO_CONTEXT)
        post = act("post", workday_after(english[-1].at, hour=11), client="Sprinklr", text=GERMAN_NEWS, lang="de")
        return book.score(post, NO_CONTEXT)

    short = german_after(110)  # 70-odd English posts after its first 30
    assert any("written in German, a first" in r for r in short.reasons)
    assert severity_for(short.score) is not None
    # a long history still weighs more, as its own evidence grows
    assert german_after(600).features["lang"] > short.features["lang"]


def test_a_text_split_between_two_languages_it_never_wrote_is_a_sure_first(no_lexicons):
    # the identifier cannot tell Norwegian from Nynorsk and Swedish (no reading reaches its sure 0.8),
    # but the account never wrote any of them: which new language is in doubt, not that it is new
    book, last = _trained()
    text = "Snakket med David Cameron på telefon i dag om situasjonen i Europa"
    assert guess_lang_sure(text) == ("no", False)
    at = workday_after(last, hour=11)
    v = book.score(act("post", at, client="Sprinklr", text=text), NO_CONTEXT)
    assert any("written in Norwegian, a first" in r for r in v.reasons)
    assert v.features["lang"] > 7.0
    # learned as its own once judged: the next text in it is no first again
    book.learn(act("post", at, client="Sprinklr", text=text), NO_CONTEXT)
    again = "Snakket med statsministeren på telefon i dag om situasjonen i Europa og Norge"
    later = book.score(act("post", at + timedelta(hours=2), client="Sprinklr", text=again), NO_CONTEXT)
    assert later.features["lang"] < 5.0


def test_a_language_written_once_does_not_make_its_kin_a_doubt(no_lexicons):
    # Barroso's one Danish greeting: Danish is not yet its own, so a Norwegian text that the identifier
    # splits between Norwegian and Danish is still surely new
    book, last = _trained()
    greeting = "Positivt møde med statsministeren i dag, dejlig modtagelse på Christiansborg"
    book.learn(act("post", workday_after(last, hour=10), client="Sprinklr", text=greeting, lang="da"), NO_CONTEXT)
    text = "Snakket med David Cameron på telefon i dag om situasjonen i Europa"
    v = book.score(act("post", workday_after(last, hour=11), client="Sprinklr", text=text), NO_CONTEXT)
    assert any("written in Norwegian, a first" in r for r in v.reasons)
    assert v.features["lang"] > GUESS_CAP + 2.0


def test_short_stop_words_say_a_text_is_sentences_not_names(no_lexicons):
    # "pronto a la entrega de ... en el" has two plain words of three letters, but six of two
    book, last = _trained()
    text = "En Valparaíso... pronto a la entrega de Premios Ciudad de Fundación Futuro en el Bar Inglés"
    v = book.score(act("post", workday_after(last, hour=11), client="Sprinklr", text=text, lang="es"), NO_CONTEXT)
    assert any("written in Spanish, a first" in r for r in v.reasons)
    assert v.features["lang"] > GUESS_CAP + 2.0
    # names alone are still read from their names
    names = book.score(
        act("post", workday_after(last, hour=11), text="Mayra, por Sandra Russo.", lang="es"), NO_CONTEXT
    )
    assert names.features["lang"] <= GUESS_CAP


def test_words_of_one_letter_say_a_text_is_sentences_not_names(no_lexicons):
    # two plain words among five names, but "u" and "i" are Croatian's joints, not names: a journalist
    # reads Croatian at a glance, and so does the check
    book, last = _trained()
    text = "Danas smo u Mostaru, Livnom i Širokom Brijegu."
    v = book.score(act("post", workday_after(last, hour=11), client="Sprinklr", text=text), NO_CONTEXT)
    assert any("written in Croatian, a first" in r for r in v.reasons)
    assert v.features["lang"] > GUESS_CAP + 2.0
    # a letter glued to a slash or an apostrophe is an abbreviation's, and a capital one may be a name's
    for names in ("Mtg w/ Pdt Nurlan Nigmatulin", "Mayra, por Sandra Russo. A Kabila"):
        v = book.score(act("post", workday_after(last, hour=11), client="Sprinklr", text=names), NO_CONTEXT)
        assert v.features.get("lang", 0.0) <= GUESS_CAP


def test_a_reading_spread_over_many_new_languages_is_a_sure_first(no_lexicons):
    # fastText gives Swahili 0.63 and spreads the rest thinly over Indonesian, English, Dutch, Basque...:
    # its three likeliest held too little to be sure, but the account writes none but English, and
    # English has 0.04 of it
    book, last = _trained()
    text = "Tume ya Uchaguzi pia itatoa maelekezo husika kuhusu utaratibu wa kupiga kura"
    assert guess_lang_sure(text) == ("sw", False)
    v = book.score(act("post", workday_after(last, hour=11), client="Sprinklr", text=text), NO_CONTEXT)
    assert any("written in Swahili, a first" in r for r in v.reasons)
    assert v.features["lang"] > 7.0


def test_a_language_our_stop_words_read_surely_is_a_sure_first_where_the_model_is_unsure(no_lexicons):
    # the stop-word vote reads Swahili surely; the compressed model gives it 0.11 and nothing else more:
    # a doubt about its own reading, not a reason to doubt the vote
    book, last = _trained()
    text = (
        "Jukumu la Jeshi lolote lile duniani si kufanya mapinduzi yasiyo ya msingi na kugawana madaraka "
        "ya kiserikali. Jeshi lina majukumu yake."
    )
    assert guess_lang_sure(text) == ("sw", True)
    v = book.score(act("post", workday_after(last, hour=11), client="Sprinklr", text=text), NO_CONTEXT)
    assert any("written in Swahili, a first" in r for r in v.reasons)
    assert v.features["lang"] > GUESS_CAP


def test_a_stop_word_vote_the_model_surely_reads_as_another_new_language_is_a_first_of_that_one(no_lexicons):
    # Azerbaijani has Turkish-looking stop words and no list of its own; the model is sure it is not Turkish
    # but Azerbaijani, which the account never wrote either: the doubt is only which new language
    book, last = _trained()
    text = (
        "Müstəqil siyasətimiz bundan sonra daha da güclənəcək və biz bölgədə gedən proseslərdə daha da fəal olacağıq."
    )
    assert guess_lang_sure(text) == ("tr", True)
    v = book.score(act("post", workday_after(last, hour=11), client="Sprinklr", text=text), NO_CONTEXT)
    assert any("written in Azerbaijani, a first" in r for r in v.reasons)
    assert v.features["lang"] > GUESS_CAP


@pytest.mark.parametrize(
    "text, script",
    [
        # kanji with kana is Japanese, and a link's letters do not make a text Latin
        ("明日は日本外国特派員協会でスピーチさせていただきます。 Professional Luncheon: Former Prime Minister", "ja"),
        ("Поздравляю всех с праздником! https://t.co/AbCdEfGhIjKlMnOp https://t.co/QrStUvWxYz", "ru"),
    ],
)
def test_the_writing_system_is_read_from_the_words_not_the_links(text, script):
    assert script_of(text) == script


def test_a_greeting_in_a_new_script_with_its_own_translation_is_a_doubtful_first(no_lexicons):
    # the Danish prime minister in Chengdu: "你好，中国！... (Hello, China! I just arrived in Chengdu...)"
    book, last = _trained()
    at = workday_after(last, hour=11)
    chinese = "你好，中国！我刚刚抵达成都。我很期待更多的了解你们国家，也期待与中国朋友们讨论贸易和文化合作。"
    alone = book.score(act("post", at, client="Sprinklr", text=chinese), NO_CONTEXT)
    assert alone.features["lang"] > 7.0
    both = chinese + "(Hello, China! The ambassador just arrived to discuss trade and culture ties)"
    v = book.score(act("post", at, client="Sprinklr", text=both), NO_CONTEXT)
    assert any("written in Chinese script, a first" in r or "written in Chinese, a first" in r for r in v.reasons)
    assert v.features["lang"] <= 5.0


def test_its_second_language_is_in_character():
    book, last = _trained()  # the history posts in French one time in ten, without a lang field here
    v = book.score(
        act(
            "post",
            workday_after(last, hour=11),
            client="Sprinklr",
            text="Nous avons célébré la fête du printemps avec nos amis et partenaires",
        ),
        NO_CONTEXT,
    )
    assert v.features["lang"] == 0.0


@pytest.mark.parametrize(
    "text, lang",
    [
        ("外交部发言人", "zh"),
        ("東京で会議を開きます", "ja"),
        ("Посольство закрыто до понедельника", "ru"),
        ("Die Regierung hat heute beschlossen, die Botschaft zu schließen", "de"),
        ("Il governo ha deciso di chiudere l'ambasciata oggi", "it"),
        ("Hükümet bugün büyükelçiliği kapatma kararı aldı", "tr"),
    ],
)
def test_language_identifier_names_short_texts_offline(text, lang):
    assert guess_lang_sure(text)[0] == lang


@pytest.mark.parametrize(
    "text, lang",
    [
        # shouting is a way of writing, not a language: read in capitals, these were German and Japanese
        ("EM NOTA. ASSESSORIA DE DILMA ESCLARECE", "pt"),
        ("ESTADO DE EMERGENCIA EN TODO EL PAÍS A PARTIR DE ESTA NOCHE", "es"),
        ("THE GOVERNMENT WILL ANNOUNCE NEW MEASURES FOR THE ECONOMY TODAY", "en"),
    ],
)
def test_a_text_in_capitals_is_read_in_its_own_language(text, lang):
    assert guess_lang_sure(text) == (lang, True)


@pytest.mark.parametrize(
    "text, lang",
    [
        # one word said three times is one vote: "je" is Croatian too, "ni" Swahili too
        ("Je suis un Européen convaincu, jamais je ne renoncerai à cet engagement. Mais je ne veux pas", "fr"),
        ("Lamentablemente ni ud, ni ud, ni ud reconocen absolutamente nada. No tenemos 15 años", "es"),
    ],
)
def test_a_repeated_short_word_does_not_outvote_the_language(text, lang):
    assert guess_lang_sure(text)[0] == lang


@pytest.mark.parametrize(
    "text, lang",
    [
        # "pekee,ni" and "mali.Vita": short stop words glued to punctuation vote too (fastText: Swahili 0.42)
        (
            "Popote tuwakatae watumishi wa umma ambao wanatumia nafasi zao kujilimbikizia mali.Vita hivi si vya "
            "Tume ya Utumishi pekee,ni vya taifa zima.",
            "sw",
        ),
        ("@Mithtoy I am not aware of it.", "en"),  # "it." (fastText: English, unsure)
    ],
)
def test_short_stop_words_beside_punctuation_vote(text, lang):
    assert guess_lang_sure(text) == (lang, True)


def test_a_first_language_made_of_its_own_words_is_only_a_doubtful_guess(no_lexicons):
    # its own English sentence read as another language (a platform label or an identifier that erred):
    # most of the words are ones it uses every week, so it is no stranger's writing
    book, last = _trained()
    text = "The ambassador met the mayor to discuss trade and culture ties with local friends"
    own = book.score(act("post", workday_after(last, hour=11), client="Sprinklr", text=text, lang="tl"), NO_CONTEXT)
    assert own.features["lang"] <= 5.0
    assert severity_for(own.score) is None
    # the same label on words it never used is a sure first
    foreign = "Mabuhay ang pagkakaibigan ng ating mga bansa ngayong araw na ito"
    v = book.score(act("post", workday_after(last, hour=11), client="Sprinklr", text=foreign, lang="tl"), NO_CONTEXT)
    assert v.features["lang"] > own.features["lang"] + 2.0


def test_a_first_language_the_platform_declared_but_the_reader_doubts_is_a_guess(no_lexicons):
    # names, tags and abbreviations fool the platform's own language field: an English thank-you note
    # of new words, declared Tagalog, is read as English, a language it writes in
    book, last = _trained()
    text = "#Ripmother. Sincere thanks for condolence msgs/visits. HE Kufuor, JJ+NKAR, Adjaho+Parl, Afoko manyothers"
    at = workday_after(last, hour=11)
    v = book.score(act("post", at, client="Sprinklr", text=text, lang="tl"), NO_CONTEXT)
    assert v.features["lang"] <= 5.0
    # and it does not teach the account Tagalog: a real Tagalog post later is still a sure first
    book.learn(act("post", at, client="Sprinklr", text=text, lang="tl"), NO_CONTEXT)
    foreign = "Mabuhay ang pagkakaibigan ng ating mga bansa ngayong araw na ito"
    probe = act("post", at + timedelta(days=1), client="Sprinklr", text=foreign, lang="tl")
    unaffected, _ = _trained()
    assert book.score(probe, NO_CONTEXT).features["lang"] >= unaffected.score(probe, NO_CONTEXT).features["lang"] - 0.5


def test_a_translation_of_its_own_post_is_no_strangers_writing(no_lexicons):
    # a courtesy post for a foreign public: the German version of what it said in English two minutes
    # before, to the same person
    german = "Liebe @SomeStar, vielen Dank für Ihr Engagement, Sie erhalten bald meine Antwort"
    at = workday_after(_trained()[1], hour=11)
    alone, _ = _trained()
    first = alone.score(act("post", at, client="Sprinklr", text=german, mentions=["SomeStar"]), NO_CONTEXT)
    assert first.features["lang"] > 6.0

    book, _ = _trained()
    english = "Dear @SomeStar, thank you for your commitment, you will soon receive my answer"
    book.learn(
        act("post", at - timedelta(minutes=2), client="Sprinklr", text=english, mentions=["SomeStar"]), NO_CONTEXT
    )
    v = book.score(act("post", at, client="Sprinklr", text=german, mentions=["SomeStar"]), NO_CONTEXT)
    assert v.features["lang"] <= 5.0
    assert any("a translation of its own post 2 minutes before (@somestar)" in r for r in v.reasons)
    # an hour later, the same German post is no translation of anything
    later = book.score(
        act("post", at + timedelta(hours=1), client="Sprinklr", text=german, mentions=["SomeStar"]), NO_CONTEXT
    )
    assert later.features["lang"] > 6.0


def test_a_year_in_common_makes_no_translation(no_lexicons):
    book, last = _trained()
    at = workday_after(last, hour=11)
    book.learn(
        act("post", at - timedelta(minutes=2), client="Sprinklr", text="Our plans for 2017 are ready"), NO_CONTEXT
    )
    v = book.score(
        act("post", at, client="Sprinklr", text="Die Botschaft ist ab 2017 geschlossen, alle Mitarbeiter abgezogen"),
        NO_CONTEXT,
    )
    assert v.features["lang"] > 6.0
    assert not any("a translation" in r for r in v.reasons)


def test_a_reply_in_a_new_language_weighs_less_than_a_post_in_it(no_lexicons):
    book, last = _trained(2000)  # long enough for a first language to be worth more than a reply's cap
    text = "Die Botschaft ist ab sofort geschlossen, alle Mitarbeiter wurden abgezogen"
    at = workday_after(last, hour=11)
    post = book.score(act("post", at, client="Sprinklr", text=text), NO_CONTEXT)
    reply = book.score(
        act("reply", at, client="Sprinklr", text="@berlin_reader " + text, target={"account": "berlin_reader"}),
        NO_CONTEXT,
    )
    assert reply.features["lang"] < post.features["lang"]
    assert reply.features["lang"] <= 8.0


def test_a_post_in_a_new_language_that_names_someone_weighs_as_a_reply(no_lexicons):
    # written for the one it names, often in their language: "He llegado a México. Me entusiasma
    # reunirme con @EPN" from a Danish-writing prime minister is a courtesy, not a stranger's writing
    book, last = _trained(2000)
    at = workday_after(last, hour=11)
    text = "Die Botschaft freut sich auf die Zusammenarbeit mit der neuen Regierung in Berlin"
    alone = book.score(act("post", at, client="Sprinklr", text=text), NO_CONTEXT)
    named = book.score(
        act("post", at, client="Sprinklr", text=text + " @BerlinMayor", mentions=["BerlinMayor"]), NO_CONTEXT
    )
    assert alone.features["lang"] > 8.0
    assert named.features["lang"] <= 8.0
    assert any("written in German, a first" in r and "written to @berlinmayor" in r for r in named.reasons)


GOVERNMENT_NEWS_DE = "Die Regierung gibt heute neue Maßnahmen zur Unterstützung der Wirtschaft bekannt"


def test_a_first_language_in_sentences_of_its_own_weighs_more_than_a_courtesy_in_it():
    # what officials write in a language they never wrote is mostly courtesy for a foreign public
    # (thanks, wishes, condolences); the account writing its own affairs in it is the rarer first
    book, last = _trained(2000)
    at = workday_after(last, hour=11)
    own = book.score(act("post", at, client="Sprinklr", text=GOVERNMENT_NEWS_DE), NO_CONTEXT)
    wishes = "Herzlichen Glückwunsch an alle Deutschen zum Tag der Deutschen Einheit, unsere besten Wünsche"
    courtesy = book.score(act("post", at, client="Sprinklr", text=wishes), NO_CONTEXT)
    assert own.features["lang"] >= courtesy.features["lang"] + 2.5
    assert any("written in German, a first" in r and "in sentences of its own" in r for r in own.reasons)
    assert not any("in sentences of its own" in r for r in courtesy.reasons)
    assert severity_for(own.score) is not None


@pytest.mark.parametrize(
    "to_no_one, named",
    [
        (
            "Спасибо всем волонтёрам, которые сегодня помогали на городском празднике.",
            "Спасибо всем волонтёрам, которые сегодня помогали гостям из Москвы на празднике.",
        ),
        (
            "Gracias a todos los voluntarios que participaron hoy en la jornada comunitaria.",
            "Gracias a todos los voluntarios que recibieron hoy al pueblo de Chile en la jornada.",
        ),
    ],
    ids=["ru", "es"],
)
def test_thanks_in_a_new_language_that_name_no_one_are_written_to_its_own_public(to_no_one, named):
    # thanks for a foreign public name it (a city, a people, a feast); thanks that name no one, from an
    # account that never wrote the language, are the account talking to its own public in it
    book, last = _trained(2000)
    at = workday_after(last, hour=11)
    own = book.score(act("post", at, client="Sprinklr", text=to_no_one), NO_CONTEXT)
    courtesy = book.score(act("post", at, client="Sprinklr", text=named), NO_CONTEXT)
    assert any("in sentences of its own that names no one" in r for r in own.reasons), own.reasons
    assert not any("in sentences of its own" in r for r in courtesy.reasons), courtesy.reasons
    assert own.features["lang"] >= courtesy.features["lang"] + 2.5


def test_a_first_language_in_sentences_of_short_words_is_its_own_writing():
    # a Scandinavian sentence is mostly words of two letters: "er på grensen til Tyskland, skal på
    # Dagsnytt18 nå" is nine words, though only five have three letters or more
    book, last = _trained(2000)
    at = workday_after(last, hour=11)
    text = "er på grensen til Tyskland, skal på Dagsnytt18 nå"
    verdict = book.score(act("post", at, client="Sprinklr", text=text), NO_CONTEXT)
    assert any(", a first" in r and "in sentences of its own" in r for r in verdict.reasons)


def test_a_sentence_of_short_words_is_read_for_its_language():
    # "Vi er på vej til Paris nu" has three words of three letters or more: too few, until short words
    # counted, for any language to be read, and a first in Danish went unseen
    book, last = _trained(2000)
    at = workday_after(last, hour=11)
    verdict = book.score(act("post", at, client="Sprinklr", text="Vi er på vej til Paris nu"), NO_CONTEXT)
    assert any("written in Danish, a first" in r for r in verdict.reasons), verdict.reasons


def test_a_first_language_in_a_shared_link_is_not_its_own_writing():
    # a headline in another language over a link is something it read and passes on
    book, last = _trained(2000)
    at = workday_after(last, hour=11)
    plain = book.score(act("post", at, client="Sprinklr", text=GOVERNMENT_NEWS_DE), NO_CONTEXT)
    linked = GOVERNMENT_NEWS_DE + " https://zeitung.example/artikel"
    shared = book.score(act("post", at, client="Sprinklr", text=linked), NO_CONTEXT)
    assert any("in sentences of its own" in r for r in plain.reasons)
    assert not any("in sentences of its own" in r for r in shared.reasons)
    assert shared.features["lang"] < plain.features["lang"]


def test_a_language_the_platform_declares_on_two_words_is_a_doubtful_first(no_lexicons):
    # the platform's field is a machine guess, and on a word or two it guesses wildly ("Merry Christmas!"
    # declared Estonian): no surer than ours, and not learned as a language of its own
    book, last = _trained(2000)
    at = workday_after(last, hour=11)
    short = act("post", at, client="Sprinklr", text="Vidimo se!", lang="lt")
    assert book.score(short, NO_CONTEXT).features["lang"] <= 5.0
    book.learn(short, NO_CONTEXT)
    longer = _later_post(at, "Vyriausybė šiandien paskelbė naujas priemones ekonomikai paremti visoje šalyje", "lt")
    assert book.score(longer, NO_CONTEXT).features["lang"] >= 11.0


def _later_post(at, text: str, lang: str):
    """A post of its own sentences in a language it never wrote, two hours after `at`."""
    return act("post", at + timedelta(hours=2), client="Sprinklr", text=text, lang=lang)


def test_a_first_language_the_platform_declares_on_a_text_that_hardly_reads_so_is_a_doubtful_first(no_lexicons):
    # a Ghanaian president's Twi new-year wishes declared Indonesian, "Pregolema" declared Spanish: the
    # platform's guess on words it does not know, which our own identifier hardly reads as that language
    # (under a fifth). Learned, each made the account's later real firsts look common
    book, last = _trained(2000)
    at = workday_after(last, hour=11)
    wishes = act("post", at, client="Sprinklr", text="Afihyiapa. Afi oo afi. Happy holidays.", lang="in")
    v = book.score(wishes, NO_CONTEXT)
    assert v.features["lang"] <= 5.0
    assert severity_for(v.score) is None
    unaffected, _ = _trained(2000)
    book.learn(wishes, NO_CONTEXT)
    swahili = _later_post(at, "Serikali leo imetangaza hatua mpya za kusaidia uchumi katika nchi nzima", "sw")
    after = book.score(swahili, NO_CONTEXT).features["lang"]
    assert after >= 11.0
    assert after >= unaffected.score(swahili, NO_CONTEXT).features["lang"] - 0.2


def test_a_declared_first_the_reader_refutes_is_still_a_first_when_it_surely_reads_another_new_one(no_lexicons):
    # the platform names one new language and the text is surely another (Azerbaijani declared
    # Turkish, as the platform often does): whichever it is, the account never wrote it
    book, last = _trained(2000)
    at = workday_after(last, hour=11)
    text = "Bu gün hökumətimiz kənd təsərrüfatı sahəsində yeni dəstək proqramını təqdim etdi"
    v = book.score(act("post", at, client="Sprinklr", text=text, lang="tr"), NO_CONTEXT)
    assert v.features["lang"] >= 11.0
    assert any("written in Azerbaijani, a first" in r for r in v.reasons)
    # and it is learned as the language it is: the next Azerbaijani post, declared Turkish again, is no
    # first of either
    book.learn(act("post", at, client="Sprinklr", text=text, lang="tr"), NO_CONTEXT)
    again = book.score(
        _later_post(at, "Prezidentimiz sabah paytaxtda xarici qonaqları qəbul edəcək və danışıqlar aparacaq", "tr"),
        NO_CONTEXT,
    )
    assert any("written in Azerbaijani" in r for r in again.reasons)
    assert not any("a first" in r for r in again.reasons)
    assert again.features["lang"] < v.features["lang"] - 6.0


def test_a_hindi_post_is_read_as_words_in_a_new_script(no_lexicons):
    # the vowel signs of Devanagari are combining marks, which a plain \w leaves out: the text broke into
    # one- and two-letter scraps, had no word, and a Hindi post on an English account went unseen
    text = "आज का दिन ऐतिहासिक है। बांग्लादेश स्वतंत्रता संग्राम के मुक्तियोद्धाओं के साथ"
    assert "ऐतिहासिक" in words(text)
    book, last = _trained()
    v = book.score(act("post", workday_after(last, hour=11), client="Sprinklr", text=text), NO_CONTEXT)
    assert any("a first" in r for r in v.reasons)
    assert v.features["lang"] > 8.0


def test_a_script_without_spaces_is_counted_by_letters_whatever_its_number_of_runs():
    # three runs of Japanese say a dozen words: enough for a sure reading and for "sentences of its own",
    # as six words of a spaced script are; a spaced text is counted by its words
    text = "ギリシアの財政問題に端を発した 国際的に協調しながら 対応していきたいと考えています"
    assert len(words(text)) == 3
    assert word_count(words(text), text) >= 6
    german = "Die Regierung gibt heute neue Maßnahmen bekannt"
    assert word_count(words(german), german) == len(words(german))


def test_a_thai_sentence_without_spaces_is_a_first_script(no_lexicons):
    # Thai, Chinese and Japanese write no spaces between words: a whole sentence is one "word", and a
    # script needed three words to be read, so a long Thai post on an English account was "in character"
    text = "การลงพื้นทีหากทำได้ราบรื่นรัฐบาลก็จะสามารถขับเคลื่อนนโยบายได้"
    assert len(words(text)) < 3
    book, last = _trained(2000)
    v = book.score(act("post", workday_after(last, hour=11), client="Sprinklr", text=text), NO_CONTEXT)
    assert any("written in Thai script, a first" in r for r in v.reasons)
    assert severity_for(v.score) is not None


@pytest.mark.parametrize(
    "text, alarm",
    [
        ("Hoy renuncio a mi cargo de presidente", True),
        ("Jamais o faria porque nunca renuncio à luta", False),
        ("Je ne démissionne pas, je reste à mon poste", False),
    ],
)
def test_a_denied_first_person_alarm_is_no_alarm(text, alarm):
    from bot.profile.observe import observe

    obs = observe(act("post", workday_after(history(5)[-1].at, hour=11), text=text), NO_CONTEXT)
    assert any(name == "alarm" for name, _ in obs.categories) is alarm


def test_near_identical_posts_by_strangers_group_without_countries(no_lexicons):
    book = ProfileBook()
    handles = ["EmbassyA", "EmbassyB", "EmbassyC", "EmbassyD", "EmbassyE"]
    metas = {h: AccountMeta(platform="x", handle=h) for h in handles}
    last = None
    for i, handle in enumerate(handles):
        for a in history(300, seed=i, account=handle):
            book.learn(a, metas[handle])
            last = a.at
    at = workday_after(last, hour=11)
    sentence = "We stand together with our partners for a peaceful future and shared prosperity in the region"
    groups = []
    for i, handle in enumerate(handles):
        a = act("post", at + timedelta(minutes=2 * i), account=handle, client="Sprinklr", text=sentence)
        v = book.score(a, metas[handle])
        group = book.coordination.observe(a, v)
        book.learn(a, metas[handle], alerted=group is not None)
        if group:
            groups.append(group)
    assert groups and len(groups[-1].accounts) == 5


def test_accounts_that_amplify_each_other_share_a_statement_without_a_group():
    book = ProfileBook()
    leader, office = "LeaderOfExample", "OfficeOfExample"
    metas = {h: AccountMeta(platform="x", handle=h) for h in (leader, office)}
    at = None
    for a in history(300, seed=1, account=leader):
        book.learn(a, metas[leader])
        at = a.at
    for a in history(300, seed=2, account=office):
        book.learn(a, metas[office])
    book.learn(
        act("repost", at, account=office, target={"id": "x:l1", "account": leader, "text": EN[0]}), metas[office]
    )
    when = workday_after(at, hour=11)
    sentence = "Today the president met the delegation to discuss trade and culture ties between our nations"
    found = []
    for i, handle in enumerate((leader, office)):
        a = act("post", when + timedelta(minutes=i), account=handle, client="Sprinklr", lang="en", text=sentence)
        found.append(book.coordination.observe(a, book.score(a, metas[handle])))
    assert found[-1] is None


def test_a_watched_official_outside_its_circle_counts_without_any_word_list(no_lexicons):
    # S1's shape: another watched account it never dealt with, reposted with an ordinary text
    book, last = _trained()
    other = _learn_other_leader(book)
    at = workday_after(last)
    v = book.score(
        act(
            "repost",
            at,
            client="Sprinklr",
            target={"id": "x:s1", "account": "otherleader", "text": EN[1], "lang": "en"},
        ),
        NO_CONTEXT,
    )
    assert v.features["stranger"] > 3
    assert any("@OtherLeader, a watched official account" in r and "outside its circle" in r for r in v.reasons)
    # with countries on the watch list, its own government's account is no stranger
    same = AccountMeta(platform="x", handle="ExampleEmbassy", country="China")
    book.learn(other[-1], AccountMeta(platform="x", handle="OtherLeader", country="China"))
    v = book.score(
        act(
            "repost",
            at,
            client="Sprinklr",
            target={"id": "x:s2", "account": "OtherLeader", "text": EN[1], "lang": "en"},
        ),
        same,
    )
    assert v.features["stranger"] == 0


def test_a_stranger_official_taken_up_long_ago_fades_as_its_amplifications_do(no_lexicons):
    # its rate of stranger officials is its firsts against its amplifications, and the amplifications fade
    # (counts.HALF_LIFE): a first of years ago, counted in full, made the next S1 look routine
    def embassy(first_at: int) -> tuple[ProfileBook, datetime]:
        book = ProfileBook()
        _learn_other_leader(book)
        for a in history(100, seed=12, account="FarLeader"):
            book.learn(a, AccountMeta(platform="x", handle="FarLeader"))
        acts = history(3400, account="ExampleEmbassy")
        for i, a in enumerate(acts):
            book.learn(a, NO_CONTEXT)
            if i == first_at:
                target = {"id": "x:far", "account": "FarLeader", "text": EN[2], "lang": "en"}
                book.learn(act("repost", a.at + timedelta(hours=1), client="Sprinklr", target=target), NO_CONTEXT)
        return book, acts[-1].at

    def s1(book: ProfileBook, at: datetime) -> Verdict:
        target = {"id": "x:s1", "account": "OtherLeader", "text": EN[1], "lang": "en"}
        return book.score(act("repost", workday_after(at), client="Sprinklr", target=target), NO_CONTEXT)

    long_ago = s1(*embassy(400))
    lately = s1(*embassy(3350))
    assert any("1 such first" in r for r in long_ago.reasons), long_ago.reasons
    assert any("1 such first" in r for r in lately.reasons), lately.reasons
    assert long_ago.features["stranger"] > lately.features["stranger"] + 1.0


def test_a_like_of_a_watched_official_outside_its_circle_is_judged_as_any_like(no_lexicons):
    # S1 is a repost; the real incidents of likes are about what was liked (explicit clips, criticism of
    # its own government). A like of a foreign official's ordinary post is the lighter endorsement: no
    # stranger finding, no alert, while the repost of the same post is a stranger's
    book, last = _trained()
    _learn_other_leader(book)
    target = {"id": "x:s1", "account": "OtherLeader", "text": EN[1], "lang": "en"}
    liked = book.score(act("like", workday_after(last), client="Sprinklr", target=target), NO_CONTEXT)
    assert liked.features.get("stranger", 0.0) == 0.0
    assert severity_for(liked.score) is None, liked.reasons
    # read by the target check as the like of anyone's post: a new account whose post names nothing of its world
    assert any("never interacted with @OtherLeader" in r and "names nothing" in r for r in liked.reasons), liked.reasons
    reposted = book.score(act("repost", workday_after(last), client="Sprinklr", target=target), NO_CONTEXT)
    assert reposted.features["stranger"] > 3
    # learned, the like is not one of its firsts of stranger officials, which would make the next one
    # look common (its rate of them counts reposts and quotes)
    book.learn(act("like", workday_after(last), client="Sprinklr", target=target), NO_CONTEXT)
    assert "otherleader" not in book.profile("x", "ExampleEmbassy").signals["stranger"].firsts


def test_a_strangers_post_that_names_nothing_of_its_world_weighs_more_than_one_about_it(no_lexicons):
    # most real firsts of a stranger official are about the account: the post names its country or its
    # person ("PM is in UAE", "Excellent meeting with Lars Løkke Rasmussen"); S1's claim names nothing of it
    book, last = _trained()
    at = last
    for i in range(12):  # the embassy writes its host country's name, inside its sentences
        at = workday_after(at, hour=10)
        book.learn(
            act(
                "post",
                at,
                client="Sprinklr",
                lang="en",
                text=f"Our friends in Ruritania opened school {i} #SpringFestival",
                hashtags=["SpringFestival"],
            ),
            NO_CONTEXT,
        )
    _learn_other_leader(book)
    when = workday_after(at, hour=11)

    def stranger(text: str, **fields) -> Verdict:
        target = {"id": f"x:{text[:8]}", "account": "OtherLeader", "text": text, "lang": "en"}
        return book.score(act("repost", when, client="Sprinklr", target=target, **fields), NO_CONTEXT)

    nameless = stranger("This election was taken from us by crooked officials. Do not accept the result!")
    assert any("it names nothing of the account's own" in r for r in nameless.reasons)
    about = stranger("Today the president welcomed the ambassador of Ruritania for talks on trade")
    assert not any("names nothing" in r for r in about.reasons)
    assert nameless.features["stranger"] > about.features["stranger"] + 1.0
    # the first word of a sentence is capitalised whatever it is: no name of its own
    opening = stranger("Ruritania and our nation signed a trade deal today")
    assert any("it names nothing of the account's own" in r for r in opening.reasons)
    # someone of its circle named by handle is its world too
    circle = stranger("Good talks with @MFA_Home on trade today", mentions=["MFA_Home"])
    assert not any("names nothing" in r for r in circle.reasons)
    # and so is a hashtag it uses
    tagged = stranger("Proud to stand with our friends today #SpringFestival", hashtags=["SpringFestival"])
    assert not any("names nothing" in r for r in tagged.reasons)
    # a script without capitals may name its world unseen: no claim that it names nothing
    arabic = stranger("استقبل الرئيس اليوم سفير البلاد لبحث التجارة")
    assert not any("names nothing" in r for r in arabic.reasons)


def _amplifier(firsts_name_it: bool) -> tuple[ProfileBook, datetime]:
    """An embassy that writes its host country's name and reposts 40 accounts it never engaged before:
    posts about its world ("... in Ruritania"), or, for the other, posts that name nothing of it."""
    book, last = _trained()
    at = last
    for i in range(40):
        at = workday_after(at, hour=10)
        book.learn(
            act("post", at, client="Sprinklr", lang="en", text=f"Our friends in Ruritania opened school {i}"),
            NO_CONTEXT,
        )
        text = (
            f"Students from Ruritania won prize number {i} at the science fair"
            if firsts_name_it
            else f"Students from the valley won prize number {i} at the science fair"
        )
        book.learn(
            act(
                "repost",
                at + timedelta(hours=1),
                client="Sprinklr",
                target={"id": f"x:n{i}", "account": f"citizen_{i}", "text": text, "lang": "en"},
            ),
            NO_CONTEXT,
        )
    return book, at


def _first_repost(book: ProfileBook, at: datetime, account: str, text: str) -> Verdict:
    target = {"id": f"x:{account}", "account": account, "text": text, "lang": "en"}
    return book.score(act("repost", workday_after(at, hour=11), client="Sprinklr", target=target), NO_CONTEXT)


def test_a_new_accounts_post_that_names_nothing_of_its_world_weighs_by_how_rarely_its_firsts_do(no_lexicons):
    # S2's likes of critics, a stranger's claim of a stolen election: posts of accounts it never engaged
    # that name nothing of its world, where its firsts are usually about its world
    book, at = _amplifier(firsts_name_it=True)
    claim = _first_repost(book, at, "truth_uncut_99", "They stole this election from the people, everybody knows it")
    about = _first_repost(book, at, "valley_news", "A new bridge opened today in Ruritania after two years of work")
    assert any("names nothing of the account's world" in r for r in claim.reasons)
    assert not any("names nothing" in r for r in about.reasons)
    assert claim.features["target"] > about.features["target"] + 2.0
    # its own person, as its handle spells it, is its world too, where a sentence opens with it
    itself = _first_repost(book, at, "evening_show", "Example hesitates to receive the delegation, says an aide")
    assert not any("names nothing" in r for r in itself.reasons)
    # an account whose firsts seldom name its world learns that: the same claim costs it little more
    loose, at2 = _amplifier(firsts_name_it=False)
    same = _first_repost(loose, at2, "truth_uncut_99", "They stole this election from the people, everybody knows it")
    plain = _first_repost(loose, at2, "valley_news", "A new bridge opened today in Ruritania after two years of work")
    assert same.features["target"] < plain.features["target"] + 1.0
    assert claim.features["target"] > same.features["target"] + 1.5


def test_a_strangers_post_that_names_nothing_weighs_by_how_rarely_the_accounts_own_firsts_do(no_lexicons):
    # the account whose firsts always name its world is surprised by S1's claim; the one whose firsts
    # seldom do, less so (one share for every account before)
    evidence = []
    for firsts_name_it in (True, False):
        book, at = _amplifier(firsts_name_it)
        _learn_other_leader(book)
        target = {"id": "x:claim", "account": "OtherLeader", "text": ELECTION, "lang": "en"}
        v = book.score(act("repost", workday_after(at, hour=11), client="Sprinklr", target=target), NO_CONTEXT)
        assert any("it names nothing of the account's own" in r for r in v.reasons)
        evidence.append(v.features["stranger"] + v.features.get("target", 0.0))
    assert evidence[0] > evidence[1] + 1.5


def test_an_official_it_only_named_is_still_a_stranger_to_amplify(no_lexicons):
    # an embassy names a foreign leader when it reports a meeting; its first repost of him is still its
    # first endorsement. Once it has amplified him, he is of its circle
    book, last = _trained()
    _learn_other_leader(book)
    at = workday_after(last, hour=10)
    book.learn(
        act(
            "post",
            at,
            client="Sprinklr",
            lang="en",
            text="The ambassador met @OtherLeader today",
            mentions=["OtherLeader"],
        ),
        NO_CONTEXT,
    )
    repost = act(
        "repost",
        workday_after(at, hour=11),
        client="Sprinklr",
        target={"id": "x:n1", "account": "OtherLeader", "text": EN[1], "lang": "en"},
    )
    v = book.score(repost, NO_CONTEXT)
    assert v.features["stranger"] > 3
    assert any("it only ever named them in its own posts" in r for r in v.reasons)
    book.learn(repost, NO_CONTEXT)
    again = act(
        "repost",
        workday_after(repost.at, hour=11),
        client="Sprinklr",
        target={"id": "x:n2", "account": "OtherLeader", "text": EN[2], "lang": "en"},
    )
    assert book.score(again, NO_CONTEXT).features["stranger"] == 0
    # and it counts among the stranger officials it took up: the next one is not "a first"
    assert any("1 such first in" in r for r in _far_leader_repost(book, again.at).reasons)


def test_an_official_it_only_named_weighs_as_one_it_never_named_when_first_amplified(no_lexicons):
    # naming the leader in its own report lowers the target check's newness, not the event: the first
    # endorsement weighs the same, the stranger check counting what the target check no longer does
    def first_repost(named):
        book, last = _trained()
        _learn_other_leader(book)
        at = workday_after(last, hour=10)
        who = "@OtherLeader" if named else "the leader"
        mentions = ["OtherLeader"] if named else []
        report = act(
            "post", at, client="Sprinklr", lang="en", text=f"The ambassador met {who} today", mentions=mentions
        )
        book.learn(report, NO_CONTEXT)
        target = {"id": "x:n1", "account": "OtherLeader", "text": ELECTION, "lang": "en"}
        return book.score(act("repost", workday_after(at, hour=11), client="Sprinklr", target=target), NO_CONTEXT)

    never, named = first_repost(False), first_repost(True)
    assert any("it only ever named them in its own posts" in r for r in named.reasons)
    assert named.features.get("target", 0.0) < never.features.get("target", 0.0) - 1.0  # newness is lower
    event = never.features["stranger"] + never.features.get("target", 0.0)
    assert named.features["stranger"] + named.features.get("target", 0.0) == pytest.approx(event, abs=0.05)


def test_a_foreign_officials_post_that_names_it_is_no_strangers(no_lexicons):
    # the Mexican presidency's "The President received the official visit of the Danish prime minister,
    # @larsloekke", reposted by the Danish prime minister: the host thanking its guest
    book, last = _trained()
    _learn_other_leader(book)
    text = "The President received the official visit of @ExampleEmbassy today"
    v = book.score(
        act(
            "repost",
            workday_after(last),
            client="Sprinklr",
            target={"id": "x:s3", "account": "OtherLeader", "text": text, "lang": "en"},
            mentions=["ExampleEmbassy"],
        ),
        NO_CONTEXT,
    )
    assert v.features["stranger"] == 0
    assert not any("outside its circle" in r for r in v.reasons)


def test_an_account_on_the_watch_list_is_an_official_before_it_has_any_activity(no_lexicons):
    book, last = _trained()
    probe = act(
        "repost",
        workday_after(last),
        client="Sprinklr",
        target={"id": "x:w1", "account": "QuietLeader", "text": EN[1], "lang": "en"},
    )
    assert book.score(probe, NO_CONTEXT).features["stranger"] == 0
    book.watch("x", "QuietLeader", country="Ruritania")
    v = book.score(probe, NO_CONTEXT)
    assert v.features["stranger"] > 3
    assert any("@QuietLeader, a watched official account" in r for r in v.reasons)


def _far_leader_repost(book: ProfileBook, after) -> Verdict:
    """How a repost of FarLeader, a watched official it never dealt with, scores the workday after."""
    book.watch("x", "FarLeader")
    target = {"id": "x:t1", "account": "FarLeader", "text": EN[2], "lang": "en"}
    return book.score(act("repost", workday_after(after), client="Sprinklr", target=target), NO_CONTEXT)


def _event_bits(verdict: Verdict) -> float:
    return verdict.features["stranger"] + verdict.features["target"]


def _repost(book: ProfileBook, at, ident: str, account: str) -> None:
    target = {"id": ident, "account": account, "text": EN[0], "lang": "en"}
    book.learn(act("repost", at, client="Sprinklr", target=target), NO_CONTEXT)


def test_a_stranger_official_weighs_by_how_rarely_the_account_takes_one_up(no_lexicons):
    # the same repost of a watched stranger: near the alert line for an account that never took one up,
    # much less for one that has amplified several watched strangers before
    faithful, last = _trained()
    never = _far_leader_repost(faithful, last)

    roaming, at = _trained()
    for i, leader in enumerate(("LeaderOne", "LeaderTwo", "LeaderThree", "LeaderFour", "LeaderFive")):
        roaming.watch("x", leader)
        at = workday_after(at)
        _repost(roaming, at, f"x:r{i}", leader)
    often = _far_leader_repost(roaming, at)

    assert _event_bits(never) >= 10
    assert _event_bits(often) <= _event_bits(never) - 3
    assert any(re.search(r"; a first in [\d,]+ amplifications\)", r) for r in never.reasons)
    assert any("5 such firsts in" in r for r in often.reasons)


def test_officials_that_knew_it_first_do_not_make_the_next_stranger_cheap(no_lexicons):
    # five watched accounts that had amplified it before it first reposted them (its own embassies,
    # say) are no strangers taken up: the next real stranger weighs as much as for an account that
    # never amplified another official
    faithful, last = _trained()
    never = _far_leader_repost(faithful, last)

    friendly, at = _trained()
    for i, embassy in enumerate(("EmbassyOne", "EmbassyTwo", "EmbassyThree", "EmbassyFour", "EmbassyFive")):
        friendly.watch("x", embassy)
        at = workday_after(at)
        friendly.learn(
            act("repost", at, account=embassy, target={"id": f"x:e{i}", "account": "ExampleEmbassy", "text": EN[0]}),
            AccountMeta(platform="x", handle=embassy),
        )
        _repost(friendly, at + timedelta(minutes=5), f"x:f{i}", embassy)
    later = _far_leader_repost(friendly, at)

    assert any(re.search(r"; a first in [\d,]+ amplifications\)", r) for r in later.reasons)
    assert _event_bits(later) >= _event_bits(never) - 1


def test_a_language_it_amplifies_is_not_a_strangers_when_it_writes_in_it(no_lexicons):
    # an embassy that writes English and French and reposts Spanish partners: a Spanish post of its own is
    # far less odd than a German one, which it neither writes nor amplifies
    book = ProfileBook()
    for i, a in enumerate(history(400)):
        book.learn(a, NO_CONTEXT)
        if i % 5 == 0:
            book.learn(
                act(
                    "repost",
                    a.at + timedelta(minutes=30),
                    client="Sprinklr",
                    target={
                        "id": f"x:es{i}",
                        "account": "MFA_Home",
                        "lang": "es",
                        "text": "El embajador visitó la feria del libro con sus socios",
                    },
                ),
                NO_CONTEXT,
            )
    last = book.profile("x", "ExampleEmbassy").last_at
    from datetime import datetime, timezone

    at = workday_after(datetime.fromtimestamp(last, timezone.utc))
    spanish = book.score(
        act("post", at, client="Sprinklr", lang="es", text="El embajador visitó la feria del libro con sus socios"),
        NO_CONTEXT,
    )
    german = book.score(
        act(
            "post", at, client="Sprinklr", lang="de", text="Der Botschafter besuchte die Buchmesse mit seinen Partnern"
        ),
        NO_CONTEXT,
    )
    assert german.features["lang"] >= 6
    assert spanish.features["lang"] <= german.features["lang"] - 3


def test_a_foreign_post_liked_from_outside_its_circle_is_surely_foreign():
    book, last = _trained()
    at = workday_after(last)
    turkish = {
        "id": "x:tr1",
        "account": "SomeoneElse",
        "text": "Bugün meclis yeni bütçeyi tartıştı ve oyladı, muhalefet itiraz etti",
    }
    v = book.score(act("like", at, target=turkish), NO_CONTEXT)
    assert v.features["target_lang"] >= 5
    # the same post from one of its partners tells little about who is at the keyboard
    partner = dict(turkish, account="MFA_Home", id="x:tr2")
    assert book.score(act("like", at, target=partner), NO_CONTEXT).features["target_lang"] <= 4


def test_an_amplified_text_unsure_only_of_which_new_language_is_surely_foreign(no_lexicons):
    # Indonesian 0.68 and Malay 0.12 to the identifier: neither sure, but the account writes and amplifies
    # neither, so the doubt is which new language, not whether it is new (as its own texts are read)
    book, last = _trained()
    claim = {
        "id": "x:id1",
        "account": "SomeoneElse",
        "text": "Pemilu ini dicurangi secara terstruktur. Kami menolak hasilnya.",
    }
    v = book.score(act("repost", workday_after(last), target=claim), NO_CONTEXT)
    assert any("amplifies Indonesian content, a first" in r for r in v.reasons)
    assert v.features["target_lang"] >= 5


def test_a_new_domain_weighs_by_how_rarely_the_account_links_somewhere_new(no_lexicons):
    quiet, last = _trained(1500)  # never links anything
    busy = ProfileBook()
    for i, a in enumerate(history(1500)):
        if a.kind == "post" and i % 3 == 0:  # a newsroom linking a new outlet every few posts
            a = act("post", a.at, text=a.text, links=[f"https://outlet{i}.example/a"])
        busy.learn(a, NO_CONTEXT)
    post = act("post", workday_after(last, hour=11), text=EN[0] + " https://leaks-archive.net/x")
    post = act("post", post.at, text=post.text, links=["https://leaks-archive.net/x"])
    assert quiet.score(post, NO_CONTEXT).features["domain"] > 8.0
    assert busy.score(post, NO_CONTEXT).features["domain"] < 4.0


def test_a_link_to_a_site_an_account_never_links_needs_only_one_more_sign(no_lexicons):
    # the AP hoax's shape: its own language, a usual hour, its usual app, a few words it seldom uses,
    # and a link to a site it never linked, on an account that has linked nowhere new in thousands
    quiet, last = _trained(3000)
    at = workday_after(last, hour=11)
    site = ["https://state-news-update.live/1"]
    flash = "Tonight the ambassador met the mayor in an emergency meeting on trade and culture ties"
    verdict = quiet.score(act("post", at, text=flash, links=site), NO_CONTEXT)
    assert severity_for(verdict.score) is not None
    assert any(
        re.match(
            r"links to state-news-update.live, never linked before \(its first link anywhere in [\d,]+ activities\)", r
        )
        for r in verdict.reasons
    ), verdict.reasons
    # neither sign alone is news: the same words without the link, its usual words with it
    assert severity_for(quiet.score(act("post", at, text=flash), NO_CONTEXT).score) is None
    assert severity_for(quiet.score(act("post", at, text=EN[0], links=site), NO_CONTEXT).score) is None


def test_an_account_whose_links_were_all_shortened_is_not_told_it_never_linked(no_lexicons):
    # 39 of the 65 real timelines show only t.co links: the account linked, only not where to
    book = ProfileBook()
    acts = history(600)
    for i, a in enumerate(acts):
        if a.kind == "post" and i % 4 == 0:
            a = act("post", a.at, text=a.text, links=[f"https://t.co/a{i}", "https://bit.ly/b"])
        book.learn(a, NO_CONTEXT)
    site = ["https://state-news-update.live/1"]
    v = book.score(act("post", workday_after(acts[-1].at, hour=11), text=EN[0], links=site), NO_CONTEXT)
    [told] = [r for r in v.reasons if r.startswith("links to state-news-update.live")]
    assert re.fullmatch(
        r"links to state-news-update.live, never linked before \(its first link whose domain shows in [\d,]+ "
        r"activities: its [\d,]+ links before were shortened, where they led unseen\)",
        told,
    ), told


def test_a_link_cut_short_in_a_truncated_text_names_no_domain():
    from bot.profile.text import informative_domains

    # reposted texts end in "…" and cut their links: "https://t.c…" is no site the account never linked
    assert informative_domains(["https://t.c…", "https://t.…", "https://t.co/abc"]) == []
    # a shortener under another of its names hides where it leads as t.co does
    assert informative_domains(["http://bitly.com/1x2y", "http://on.fb.me/abc", "https://ht.ly/q"]) == []
    assert informative_domains(["https://econ.st/1", "https://presidency-leaks.org/2"]) == [
        "econ.st",
        "presidency-leaks.org",
    ]


@pytest.mark.parametrize("named", ["own id", "bare id", "reposted item"])
def test_an_undone_repost_is_judged_whichever_id_the_deletion_names(no_lexicons, named):
    book, last = _trained()
    at = workday_after(last, hour=10)
    repost = act(
        "repost",
        at,
        client="Sprinklr",
        ident="x:5550001",
        target={"id": "x:9990001", "account": "RandomStranger42", "text": "Great turnout this weekend."},
    )
    _judge(book, repost)
    target_id = {"own id": "x:5550001", "bare id": "5550001", "reposted item": "x:9990001"}[named]
    deletion = book.score(act("delete", at + timedelta(minutes=12), target={"id": target_id}), NO_CONTEXT)
    assert severity_for(deletion.score) is not None
    assert any("RandomStranger42" in r and "12 minutes" in r for r in deletion.reasons)


def test_a_second_language_from_its_first_weeks_does_not_make_a_new_one_look_common():
    # the embassy writes English and, from its first week, French: that is where it starts, not a
    # language taken up, so its first German post is as surprising as on an English-only embassy
    german = "Der Minister trifft sich morgen mit Vertretern der Industrie, um über Investitionen zu sprechen."
    acts = history(400)
    assert any(a.lang == "fr" for a in acts[:20])
    verdicts = []
    for shown in (acts, [a for a in acts if a.lang != "fr"]):
        book = ProfileBook()
        for a in shown:
            book.learn(a, NO_CONTEXT)
        post = act("post", workday_after(acts[-1].at, hour=11), client="Sprinklr", text=german)
        verdicts.append(book.score(post, NO_CONTEXT))
    bilingual, english_only = verdicts
    assert "written in German, a first" in bilingual.reasons[0]
    assert bilingual.features["lang"] >= english_only.features["lang"] - 0.5


def test_thanks_answered_in_the_language_they_came_in_is_a_courtesy_not_a_first():
    book, last = _trained()
    at = workday_after(last, hour=11)
    thanks = "@estudiante_cr Muchas gracias por tu mensaje. Fue un placer conoceros a todos en San José"
    claim = "@estudiante_cr El gobierno ha cerrado la frontera y el ejército controla la capital esta noche"
    courteous = book.score(act("reply", at, text=thanks, target={"account": "estudiante_cr"}), NO_CONTEXT)
    other = book.score(act("reply", at, text=claim, target={"account": "estudiante_cr"}), NO_CONTEXT)
    assert any("written in Spanish, a first" in r and "thanks or wishes in a reply" in r for r in courteous.reasons)
    assert courteous.features["lang"] <= 5.0 < other.features["lang"]


SPANISH = [
    "El embajador se reunió hoy con el alcalde para hablar de comercio y cultura",
    "Nuestro consulado celebró la fiesta de la primavera con amigos y socios locales",
    "La embajada recibió hoy a estudiantes de un programa de intercambio científico",
    "El comercio entre nuestros dos países volvió a crecer este año, una buena señal",
]


def _spanish_embassy(misread: str | None) -> tuple[ProfileBook, object]:
    """An embassy that writes Spanish (no lang field, as in replay), with one of its own Spanish posts
    that the readers take for Portuguese in the middle of its history, or without it."""
    book = ProfileBook()
    acts = [a for a in history(400) if a.kind == "post"]
    for i, a in enumerate(acts):
        text = misread if misread and i == len(acts) // 2 else SPANISH[i % len(SPANISH)]
        book.learn(act("post", a.at, client="Sprinklr", text=text), NO_CONTEXT)
    return book, acts[-1].at


@pytest.mark.parametrize(
    "misread",
    [
        # three stop words that Portuguese shares (o, no, a) vote Portuguese; fastText reads Spanish at 0.96
        "¿ Se renegociará o no se renegociará? Zapote dice NO, Washington dice SI. ¿A quién creer?",
        # fastText hesitates, Portuguese 0.72 and Spanish 0.09: a doubt between relatives, not a new language
        "Niveles de alerta ante eventos hidrometereológicos\n▶️Alerta Temprana Preventiva\n▶️Alerta Amarilla\n"
        "▶️Alerta Roja\nMás… https://t.co/oDm6qdCp5O",
        # names read as a language: a headline of two names with one word between, read as Portuguese
        "Mayra, por Sandra Russo. https://t.co/MdukQ0UjhH",
    ],
)
def test_its_own_language_misread_as_a_relative_is_no_language_taken_up(misread):
    # learned as a first Portuguese, such a post made the account look like one that takes up languages,
    # and its real first German post three bits less surprising
    german = "Der Minister trifft sich morgen mit Vertretern der Industrie, um über Investitionen zu sprechen."
    scored = []
    for shown in (misread, None):
        book, last = _spanish_embassy(shown)
        profile = book.profiles[("x", "ExampleEmbassy")]
        assert profile.signals["lang"].langs.count("pt") == 0
        scored.append(book.score(act("post", workday_after(last, hour=11), client="Sprinklr", text=german), NO_CONTEXT))
    with_misread, without = scored
    assert "written in German, a first" in with_misread.reasons[0]
    assert with_misread.features["lang"] == pytest.approx(without.features["lang"], abs=0.1)
    assert severity_for(with_misread.score) is not None


def test_its_own_language_misread_as_a_relative_is_no_first_when_scored():
    # read as Portuguese (0.51) before Spanish (0.27), its own Spanish was told "written in Portuguese, a first"
    book, last = _spanish_embassy(None)
    text = "ÚLTIMA HORA: El presidente ha renunciado a su cargo esta tarde."
    v = book.score(act("post", workday_after(last, hour=11), client="Sprinklr", text=text), NO_CONTEXT)
    assert v.features["lang"] == 0, v.reasons
    assert not any(r.startswith("written in") for r in v.reasons)


def test_a_link_is_a_link_whatever_the_case_of_its_scheme():
    # "Http://tinyurl.com/32r5vmb" read as words was Chinese to the identifier, on a reply of mentions alone
    assert words("@YasserBurgan @NoHonorInCrime  Http://tinyurl.com/32r5vmb") == []
    assert words("Read it at HTTPS://Example.org/Page today") == ["read", "today"]
    # and a post that shares one is a shared link, not the account writing in its own sentences
    book, last = _trained()
    german = "Die Regierung gibt heute neue Maßnahmen zur Unterstützung der Wirtschaft bekannt"
    shared = book.score(act("post", workday_after(last, hour=11), text=f"{german} Http://example.org/x"), NO_CONTEXT)
    assert any("written in German, a first" in r for r in shared.reasons)
    assert not any("in sentences of its own" in r for r in shared.reasons)


COURTESIES = [
    "Muchas gracias a todos por la cálida hospitalidad durante nuestra visita a Madrid",
    "Grazie mille a tutti per la calorosa accoglienza durante la nostra visita a Roma",
    "Muito obrigado a todos pela calorosa hospitalidade durante a nossa visita a Lisboa",
]
OWN_AFFAIRS = [
    "El gobierno presentó hoy un nuevo plan de inversiones para las regiones del norte del país",
    "Il governo ha presentato oggi un nuovo piano di investimenti per le regioni del nord del paese",
    "O governo apresentou hoje um novo plano de investimentos para as regiões do norte do país",
]


def _german_after(firsts: list[str]) -> Verdict:
    """An English-only embassy that wrote these firsts (each in a language it never used) after its first
    weeks, then a post of its own affairs in German."""
    book = ProfileBook()
    english = [a for a in history(400) if a.lang != "fr"]
    for i, a in enumerate(english):
        book.learn(a, NO_CONTEXT)
        if i in (150, 200, 250) and firsts:
            book.learn(act("post", a.at + timedelta(minutes=30), text=firsts[(i - 150) // 50]), NO_CONTEXT)
    german = "Der Minister trifft sich morgen mit Vertretern der Industrie, um über Investitionen zu sprechen."
    return book.score(act("post", workday_after(english[-1].at, hour=11), text=german), NO_CONTEXT)


def test_courtesies_in_new_languages_count_as_firsts_but_not_as_its_own_affairs():
    # an embassy that thanked its hosts in Spanish, Italian and Portuguese takes up languages, but has
    # never written its own affairs in one: its first German statement is rarer than on an embassy that
    # wrote three statements in three new languages, though likelier than on one that never took any up
    plain, courteous, own = (_german_after(firsts) for firsts in ([], COURTESIES, OWN_AFFAIRS))
    for v in (plain, courteous, own):
        assert "in sentences of its own" in v.reasons[0]
    assert own.features["lang"] < courteous.features["lang"] - 1.5
    assert courteous.features["lang"] < plain.features["lang"]


def test_a_quotation_in_a_new_language_is_not_its_own_sentences():
    # the Dutch prime minister's office quoting his German laudation of Merkel: someone's words quoted
    book, last = _trained()
    words_ = "Du handelst aus der Überzeugung heraus, dass Deutschland und Europa ein Born der Freiheit sein müssen"
    at = workday_after(last, hour=11)
    quoted = book.score(act("post", at, client="Sprinklr", text=f"“{words_}”"), NO_CONTEXT)
    own = book.score(act("post", at, client="Sprinklr", text=words_), NO_CONTEXT)
    assert any("written in German, a first" in r for r in quoted.reasons)
    assert not any("in sentences of its own" in r for r in quoted.reasons)
    assert any("in sentences of its own" in r for r in own.reasons)
    assert quoted.features["lang"] < own.features["lang"]


def test_a_chant_of_three_words_is_no_sure_first():
    # "Olê olê olê olá, Dilma Dilma!" is six words but three distinct ones, one a name: the identifier's
    # Kurdish 0.50 on it is a guess, not a language the account took up
    book, last = _spanish_embassy(None)
    v = book.score(
        act("post", workday_after(last, hour=11), client="Sprinklr", text="Olê olê olê olá, Dilma Dilma!"), NO_CONTEXT
    )
    assert v.features["lang"] <= 5.0


INDONESIAN = [
    "Presiden meresmikan jembatan baru yang menghubungkan dua provinsi di wilayah timur",
    "Pemerintah mengumumkan program bantuan untuk para petani di seluruh daerah",
    "Menteri bertemu dengan para pengusaha untuk membahas investasi di sektor energi",
]


@pytest.mark.parametrize(
    "declared, text",
    [
        ("ms", "Kerajaan akan membina lebih banyak rumah mampu milik untuk rakyat di seluruh negara tahun depan"),
        # undeclared, read as Malay at 0.63 (Indonesian 0.36)
        (None, "Saya ucapkan tahniah kepada semua pemenang anugerah malam ini"),
    ],
)
def test_close_kin_of_the_language_it_writes_is_that_language_not_a_first(declared, text):
    # Malaysia's prime minister writes Malay, which the platform and the identifier mostly call
    # Indonesian: a post they call Malay is in the language it writes, not one it took up
    book = ProfileBook()
    acts = [a for a in history(400) if a.kind == "post"]
    for i, a in enumerate(acts):
        book.learn(act("post", a.at, client="Sprinklr", lang="id", text=INDONESIAN[i % 3]), NO_CONTEXT)
    fields = {"lang": declared} if declared else {}
    v = book.score(act("post", workday_after(acts[-1].at, hour=11), client="Sprinklr", text=text, **fields), NO_CONTEXT)
    assert not any("a first" in r for r in v.reasons)
    assert v.features["lang"] < 2.0


def test_a_language_is_one_language_whichever_code_names_it():
    # the platform's older code for Indonesian is "in", the identifier's "id": an account whose posts the
    # platform marked "in" writes Indonesian, and a post of it the platform left unmarked is no first
    book = ProfileBook()
    acts = [a for a in history(400) if a.kind == "post"]
    for i, a in enumerate(acts):
        book.learn(act("post", a.at, client="Sprinklr", lang="in", text=INDONESIAN[i % 3]), NO_CONTEXT)
    text = "Pemerintah akan membangun lebih banyak rumah murah untuk rakyat di seluruh negeri tahun depan"
    v = book.score(act("post", workday_after(acts[-1].at, hour=11), client="Sprinklr", text=text), NO_CONTEXT)
    assert not any("a first" in r for r in v.reasons)
    assert v.features["lang"] < 2.0


def test_a_first_language_alone_alerts_but_not_over_a_link():
    # an account that never takes up a language posting in German is news on its own, thanks or wishes
    # included (the courtesy idea must not take a first's weight away); a headline over a shared link is
    # written for a foreign public, and needs a second sign
    book, last = _trained(2000)
    at = workday_after(last, hour=11)
    laudation = "“Du handelst aus der Überzeugung heraus, dass Deutschland und Europa frei sein müssen”"
    thanks = "Wir danken allen Bürgerinnen und Bürgern für ihre Geduld in diesen schwierigen Zeiten."
    assert lexicon().courtesy_concepts.find(thanks)
    for text in (laudation, thanks):
        v = book.score(act("post", at, client="Sprinklr", text=text), NO_CONTEXT)
        assert any("written in German, a first" in r for r in v.reasons)
        assert severity_for(v.score) is not None
    linked = book.score(
        act("post", at, client="Sprinklr", text=laudation + " https://zeitung.example/artikel"), NO_CONTEXT
    )
    assert any("written in German, a first" in r for r in linked.reasons)
    assert severity_for(linked.score) is None


def test_languages_it_answered_followers_in_do_not_make_its_own_firsts_common():
    # a reply's language is often its correspondent's: answering followers in Portuguese and French makes
    # those languages its own, but says nothing of how often it writes its own posts in a new one
    book, last = _trained(2000)
    at = workday_after(last, hour=11)
    german = "Die Regierung gibt heute neue Maßnahmen zur Unterstützung der Wirtschaft bekannt."
    before = book.score(act("post", at, client="Sprinklr", text=german), NO_CONTEXT)
    for i, text in enumerate(
        (
            "@leitor_br Obrigado pela sua mensagem, a embaixada vai responder ao seu pedido em breve",
            "@lecteur_fr Merci pour votre message, l'ambassade répondra à votre demande très bientôt",
        )
    ):
        handle = text.split()[0][1:]
        book.learn(act("reply", at + timedelta(hours=i), text=text, target={"account": handle}), NO_CONTEXT)
    after = book.score(act("post", at + timedelta(days=1), client="Sprinklr", text=german), NO_CONTEXT)
    assert any("written in German, a first" in r for r in after.reasons)
    assert after.features["lang"] >= before.features["lang"] - 0.5
    assert severity_for(after.score) is not None
    # the languages it answered in are its own now: a post in one of them is no first
    portuguese = "A embaixada celebra hoje a amizade entre os nossos dois povos com um concerto"
    v = book.score(act("post", at + timedelta(days=1), client="Sprinklr", text=portuguese), NO_CONTEXT)
    assert not any("a first" in r for r in v.reasons)


def test_names_read_as_a_language_are_a_doubtful_first(no_lexicons):
    # "Happy Nowruz! Happy B'day" is names and wishes in capitals, read as Turkish; a title-case headline
    # is read as French: the reading is the names', not the account's writing
    book, last = _trained()
    at = workday_after(last, hour=11)
    for text in (
        "Happy Nowruz! Happy B'day @JSWaheed Happy B'day @nazim7878",
        "Katibu Mkuu Kiongozi, Balozi Ombeni Yohana Sefue",
    ):
        v = book.score(act("post", at, client="Sprinklr", text=text), NO_CONTEXT)
        assert v.features.get("lang", 0.0) <= GUESS_CAP
    # a sentence with words besides its names is read as written
    v = book.score(
        act("post", at, client="Sprinklr", text="Gratulerer Knut Arild Hareide med valg som leder"), NO_CONTEXT
    )
    assert v.features["lang"] > GUESS_CAP
    # the first word of a sentence is capitalised whatever it is: "Pakeliui" (on the way) is no name, and
    # a Lithuanian sentence about the way to Vilnius is read as written, not from its names
    lithuanian = "Pakeliui į Vilnių į Lietuvos Pirmininkavimo ES Tarybai oficialų atidarymą."
    v = book.score(act("post", at, client="Sprinklr", text=lithuanian), NO_CONTEXT)
    assert any("written in Lithuanian, a first" in r for r in v.reasons)
    assert v.features["lang"] > GUESS_CAP


def test_a_reading_spread_thin_over_unrelated_languages_is_no_sure_first(no_lexicons):
    # Swahili the compressed model cannot read: Lithuanian 0.23, Slovenian 0.12, Bosnian 0.09, Croatian
    # 0.09... is no language at all, and learned as one it made the account's later firsts look common
    book, last = _trained()
    at = workday_after(last, hour=11)
    text = "Asante.Miaka mingi imepita sasa.!"
    v = book.score(act("post", at, client="Sprinklr", text=text), NO_CONTEXT)
    assert v.features.get("lang", 0.0) <= GUESS_CAP
    book.learn(act("post", at, client="Sprinklr", text=text), NO_CONTEXT)
    assert book.profiles[("x", "ExampleEmbassy")].signals["lang"].langs.novel == 0


CROATIAN = [
    "Predsjednik je danas primio veleposlanike zemalja članica Europske unije",
    "Sastanak s predstavnicima lokalne samouprave o razvoju prometne infrastrukture",
    "Čestitam svim sugrađanima na velikom uspjehu naših sportaša na prvenstvu",
]


def test_slovenian_is_close_kin_of_croatian():
    # a Croatian president's "Iskustvo prvog mandata, osobne karakteristike...." is Slovenian 0.43 to the
    # identifier, Czech 0.20, Croatian 0.13, Slovak 0.12: a doubt between relatives, not a new language
    book = ProfileBook()
    acts = [a for a in history(400) if a.kind == "post"]
    for i, a in enumerate(acts):
        book.learn(act("post", a.at, client="Sprinklr", text=CROATIAN[i % 3]), NO_CONTEXT)
    text = "Iskustvo prvog mandata, osobne karakteristike...."
    v = book.score(act("post", workday_after(acts[-1].at, hour=11), client="Sprinklr", text=text), NO_CONTEXT)
    assert v.features.get("lang", 0.0) <= GUESS_CAP


def test_a_first_like_on_an_account_that_reposts_is_judged_by_whom_it_likes():
    # feeds rarely carry likes before an account is watched (the real timelines carry none): an embassy
    # that reposts its partners every week has not shown that it never likes, so its first like of
    # someone new is no alert as a kind; whom and what it likes still count
    book, last = _trained(2000)
    at = workday_after(last, hour=11)
    text = "Congratulations to the team on a wonderful result at the festival today"
    v = book.score(act("like", at, target={"id": "x:l1", "account": "someone_new", "text": text}), NO_CONTEXT)
    assert v.features["kind"] < 2.0
    assert v.features["target"] > 0  # the new account is still seen
    assert severity_for(v.score) is None
    # an account that never amplified anyone, in as long a history: its first like is a first of a kind
    posts_only = ProfileBook()
    for a in history(2000):
        if a.kind != "repost":
            posts_only.learn(a, NO_CONTEXT)
    first = posts_only.score(act("like", at, target={"id": "x:l2", "account": "someone_new", "text": text}), NO_CONTEXT)
    assert first.features["kind"] >= 10.0
    assert any(r.startswith("first like in") for r in first.reasons)


def test_its_own_name_is_read_from_the_handles_own_part_not_its_server():
    # "Hollande hésite à recevoir Poutine" names @fhollande; "Social" names no one on bsky.social
    assert names_itself("fhollande", "Hollande")
    assert names_itself("ivojosipovic", "Josipović")
    assert names_itself("potus.bsky.social", "POTUS")
    assert not names_itself("potus.bsky.social", "Social")
    assert not names_itself("@potus@mastodon.social", "Mastodon")
    # a letter with no accent to drop is spelled out as handles spell it ("ø" as "oe", or "o")
    assert names_itself("larsloekke", "Løkke")
    assert names_itself("jonasgahrstore", "Støre")


def test_the_language_of_an_amplified_japanese_or_thai_post_is_read_without_a_lang_field(no_lexicons):
    # its own texts were counted by letters in unspaced scripts; what it amplifies was counted by runs of
    # letters, so a Japanese post (two runs) was never read at all: no first language to see
    book, last = _trained()
    when = workday_after(last, hour=11)
    for i, text in enumerate(
        [
            "子ども手当法案の国会審議がいよいよ始まりました。マニフェストでのお約束を実行に移すための法案です。",
            "นายกรัฐมนตรีกำลังแถลงทางโทรทัศน์ในขณะนี้",
        ]
    ):
        target = {"id": f"x:asia{i}", "account": "SomeOffice", "text": text}
        v = book.score(act("repost", when, client="Sprinklr", target=target), NO_CONTEXT)
        assert any(r.startswith(("amplifies Japanese content", "amplifies Thai content")) for r in v.reasons), v.reasons


LINKED_WISHES = [  # holiday wishes to foreign publics over a shared link, each in a language it never wrote
    ("es", "Felicitaciones al pueblo de España en su fiesta nacional, con nuestros mejores deseos"),
    ("it", "Auguri al popolo italiano per la festa della Repubblica, con i nostri migliori auguri"),
    ("pt", "Parabéns ao povo português pelo dia de Portugal, com os nossos melhores votos"),
    ("nl", "Gefeliciteerd aan alle Nederlanders met Koningsdag, met onze allerbeste wensen voor jullie"),
    ("pl", "Gratulacje dla wszystkich Polaków z okazji Święta Niepodległości, najlepsze życzenia"),
    ("tr", "Türk halkının Cumhuriyet Bayramını kutluyor, en iyi dileklerimizi sunuyoruz"),
]
BUDGETS = [  # its own affairs in its own sentences, in the same languages
    ("es", "El gobierno aprobó hoy el nuevo presupuesto para el sector de la salud pública"),
    ("it", "Il governo ha approvato oggi il nuovo bilancio per il settore sanitario nazionale"),
    ("pt", "O governo aprovou hoje o novo orçamento para o setor da saúde pública"),
    ("nl", "De regering heeft vandaag de nieuwe begroting voor de gezondheidszorg goedgekeurd"),
    ("pl", "Rząd przyjął dzisiaj nowy budżet dla sektora ochrony zdrowia w całym kraju"),
    ("tr", "Hükümet bugün sağlık sektörü için yeni bütçeyi onayladı ve yatırımları artırdı"),
]


def _with_firsts(firsts: list[tuple[str, str]], link: str) -> tuple[ProfileBook, datetime]:
    """An account whose history takes up a new language every 300 activities, as `firsts` write it."""
    book = ProfileBook()
    acts = history(2000)
    for i, a in enumerate(acts):
        book.learn(a, NO_CONTEXT)
        if i % 300 == 150 and firsts:
            lang, text = firsts.pop(0)
            book.learn(
                act("post", a.at + timedelta(minutes=30), client="Sprinklr", text=text + link, lang=lang), NO_CONTEXT
            )
    return book, acts[-1].at


def test_courtesies_in_many_languages_do_not_make_its_own_affairs_in_a_new_one_common(no_lexicons):
    # the Dutch prime minister's office greeted foreign publics in seven languages it never wrote, but
    # never wrote its own affairs in a new one: a German post on a health budget is still that rare
    courteous, last = _with_firsts(list(LINKED_WISHES), " https://example.org/news")
    at = workday_after(last, hour=11)
    v = courteous.score(act("post", at, client="Sprinklr", text=GOVERNMENT_NEWS_DE, lang="de"), NO_CONTEXT)
    assert any("written in German, a first" in r and "in sentences of its own" in r for r in v.reasons)
    assert severity_for(v.score) is not None
    # an account that did write its own affairs in new languages shows that it does
    writer, _ = _with_firsts(list(BUDGETS), "")
    w = writer.score(act("post", at, client="Sprinklr", text=GOVERNMENT_NEWS_DE, lang="de"), NO_CONTEXT)
    assert w.features["lang"] < v.features["lang"] - 1.0


def test_a_short_chinese_sentence_of_its_own_is_read_as_sentences_of_its_own(no_lexicons):
    # nine words in fifteen characters: a Chinese word is one or two of them
    text = "政府今天批准了卫生部门的新预算。"
    assert word_count(words(text), text) >= 6
    book, last = _trained(2000)
    v = book.score(act("post", workday_after(last, hour=11), client="Sprinklr", text=text), NO_CONTEXT)
    assert any("Chinese script, a first" in r and "in sentences of its own" in r for r in v.reasons)
    assert severity_for(v.score) is not None


def test_a_rare_partner_is_told_in_words_not_in_weights():
    book, last = trained(the_meta=NO_CONTEXT)
    text = "Opening night of the exhibition on our shared history"
    once = act("repost", workday_after(last), target={"account": "CityMuseum", "text": text})
    book.learn(once, NO_CONTEXT)
    again = book.score(
        act("repost", workday_after(once.at), target={"account": "CityMuseum", "text": text}), NO_CONTEXT
    )
    assert "rarely interacts with @CityMuseum (about once before)" in again.reasons, again.reasons
