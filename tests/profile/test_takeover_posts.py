"""Takeover posts in the account's own words and language (I07, I10, I11, I43, I47): alarming claims,
an account turning on its own government, keyboard mash; and the real posts that look like them."""

import dataclasses
import re
from datetime import datetime

import pytest

from bot.alerts import severity_for
from bot.profile import ProfileBook
from bot.profile.lexicon import lexicon
from bot.profile.text import gibberish, label_of, style_flags

from .helpers import act, history, meta, trained, workday_after


def _post(book, last, text, **fields):
    return book.score(act("post", workday_after(last), client="Sprinklr", text=text, **fields), meta)


def _repost(book, last, text):
    """A repost of a news desk's post: what its text reads as, not who wrote it."""
    return book.score(act("repost", workday_after(last), target={"account": "NewsDesk", "text": text}), meta)


def test_several_alarming_claims_weigh_more_than_one():
    book, last = trained()
    one = _post(book, last, "Soldiers must surrender now.", lang="en")
    three = _post(book, last, "Soldiers must surrender now, the war is lost, lay down your weapons.", lang="en")
    assert three.features["target_kind"] >= one.features["target_kind"] + 3.5
    assert severity_for(three.score) is not None


def test_a_false_bulletin_at_a_usual_hour_from_the_usual_client_alerts():
    book, last = trained()
    v = _post(book, last, "Breaking: Two explosions in the White House and the President is injured.", lang="en")
    assert severity_for(v.score) is not None
    # the listed phrases first, then the ideas that read the claim in any wording
    assert any("alarming claim (explosions, injured, idea: a leader harmed)" in r for r in v.reasons)
    # how new that is, told with the count it is new among
    assert any(re.search(r"idea: a leader harmed\): a first in [\d,]+ activities", r) for r in v.reasons), v.reasons


def test_several_kinds_of_engagement_all_new_are_told_new_once():
    book, last = trained()
    v = _repost(book, last, "Democrats cheated like never before. Why hasn't the election been overturned?")
    told = next(r for r in v.reasons if r.startswith("partisan claim"))
    assert "takes sides in US politics" in told
    assert re.search(r": each a first in [\d,]+ activities$", told), told
    assert "such before" not in told


def _labelled(every: int, label) -> tuple[ProfileBook, datetime]:
    """An account whose English posts open with `label(i)` one time in `every`, and its last moment."""
    book = ProfileBook()
    acts = history()
    for i, a in enumerate(acts):
        if a.kind == "post" and a.lang == "en" and i % every == 0:
            a = dataclasses.replace(a, text=f"{label(i)}: {a.text}")
        book.learn(a, meta)
    return book, acts[-1].at


def _labelling_account():
    """An account that opens one post in ten with a label of its own ("Video:", "Statement:", ...), so
    that a label it never used is nothing rare in itself."""
    labels = ["Video", "Statement", "Photos", "Live", "Read", "Watch", "Op-ed", "Interview"]
    return _labelled(10, lambda i: labels[(i // 10) % len(labels)])


def test_a_news_flash_of_an_alarm_under_a_label_it_never_used_alerts():
    # I07 without its link, I11: its own language, a usual hour, its usual client; the flash is the sign
    book, last = _labelling_account()
    # (its own everyday words around the claim: only the flash and the claim are new)
    flash = "BREAKING: The President has resigned. The embassy will discuss trade and culture ties with local partners"
    v = _post(book, last, flash, lang="en")
    assert severity_for(v.score) is not None
    assert any("opens an alarming claim with 'breaking:', a news-flash label it never used" in r for r in v.reasons)
    # a Turkish flash is told as written: lower-casing its dotted capital leaves no stray dot on the i
    turkish = _post(book, last, "SON DAKİKA: Cumhurbaşkanlığı Külliyesi'nde patlama, yaralılar var.")
    assert any("opens an alarming claim with 'son dakika:'" in r for r in turkish.reasons), turkish.reasons
    # and it is a label of urgent news, whatever the dot its capital İ leaves when lower-cased
    schools = _post(book, last, "SON DAKİKA: Bütün okullar yarın kapalı kalacak, veliler çocuklarını evde tutsun.")
    assert any("announced as urgent news ('son dakika:')" in r for r in schools.reasons), schools.reasons
    # set off by a bar, in brackets or by a dash, as newsrooms also write it, the flash is the same
    for other in ("BREAKING | ", "[BREAKING] ", "BREAKING — "):
        barred = _post(book, last, flash.replace("BREAKING: ", other), lang="en")
        assert severity_for(barred.score) is not None
    # the same new label on its own everyday news announces urgent news, which is not enough alone
    plain = _post(
        book, last, "BREAKING: The embassy will discuss trade and culture ties with local partners", lang="en"
    )
    assert severity_for(plain.score) is None
    assert any("announced as urgent news ('breaking:')" in r for r in plain.reasons)
    assert plain.features["target_kind"] < v.features["target_kind"]


def test_a_news_flash_of_the_army_seizing_power_alerts():
    # a takeover's fake coup, in its own language, at a usual hour, from its usual client: the new label
    # heads a claim that the army took power, read from its words, not from the word "coup"
    book, last = _labelling_account()
    v = _post(book, last, "URGENT: Soldiers have seized the presidential palace and the national radio", lang="en")
    assert severity_for(v.score) is not None
    assert any("idea: the army seizes power" in r for r in v.reasons), v.reasons
    # the army at work, under a label it uses, is no alarm: soldiers are not the army seizing power
    plain = _post(book, last, "Statement: Soldiers have been deployed to help the flooded villages", lang="en")
    assert severity_for(plain.score) is None
    assert not any("idea: the army seizes power" in r for r in plain.reasons)


def test_a_news_flash_label_it_never_used_heading_a_claim_no_list_knows_alerts():
    # the lists never read every alarm a hijacker can invent: "URGENT:" or "عاجل:" heading its own text,
    # from an account that never used it, asserts urgent news whatever the claim
    book, last = _labelling_account()
    claim = "URGENT: All flights from the capital are cancelled, stay away from the airport"
    v = _post(book, last, claim, lang="en")
    assert severity_for(v.score) is not None
    assert any("announced as urgent news ('urgent:')" in r for r in v.reasons), v.reasons
    assert any("opens its text with 'urgent:', a news-flash label it never used" in r for r in v.reasons)
    # a label it never used that announces nothing urgent ("Replay:") is only a new label
    watch = _post(book, last, "Replay: All flights from the capital are cancelled, stay away from the airport")
    assert not any("urgent news" in r for r in watch.reasons)
    # an account that heads its news "BREAKING:" every week has made the label its own
    habit, at = _labelled(5, lambda i: "BREAKING")
    usual = _post(habit, at, claim.replace("URGENT", "BREAKING"), lang="en")
    assert severity_for(usual.score) is None


@pytest.mark.parametrize(
    "text",
    [
        # the usual labels of the watched accounts' languages and their neighbours'
        "TƏCİLİ: Prezident istefa verib.",
        "STEIDZAMI: Ministru prezidents atkāpjas no amata.",
        "خبر عاجل: استقالة رئيس الوزراء",
        "ХИТНО: Председник је поднео оставку.",
        "बड़ी खबर: प्रधानमंत्री ने इस्तीफा दिया",
        "DE ULTIMĂ ORĂ: Premierul a demisionat.",
    ],
)
def test_a_label_of_urgent_news_is_known_in_the_watched_accounts_languages(text):
    assert lexicon().news_flash(label_of(style_flags(text))), label_of(style_flags(text))


@pytest.mark.parametrize(
    "flash",
    [
        "#BREAKING The President has resigned. The embassy will discuss trade and culture ties with local partners",
        "🚨 BREAKING 🚨 The President has resigned. The embassy will discuss trade and culture ties with local partners",
        "BREAKING NEWS The President has resigned. The embassy will discuss trade and culture ties with local partners",
        "Breaking 🔴 The President has resigned. The embassy will discuss trade and culture ties with local partners",
    ],
)
def test_a_news_flash_label_set_off_without_a_colon_alerts(flash):
    # newsrooms set the label off with a hashtag, a siren or capitals as often as with a colon
    book, last = _labelling_account()
    v = _post(book, last, flash, lang="en")
    assert severity_for(v.score) is not None, v.reasons
    assert any("a news-flash label it never used" in r for r in v.reasons), v.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Breaking the silence, the President has resigned himself to a long negotiation with local partners",
        "DEVELOPING countries need the embassy to discuss trade and culture ties with local partners",
        "#Brexit The embassy will discuss trade and culture ties with local partners",
    ],
)
def test_a_sentence_that_opens_with_a_labels_word_is_no_label(text):
    book, last = _labelling_account()
    assert not any("label it never used" in r for r in _post(book, last, text, lang="en").reasons)


def test_a_news_flash_asserts_the_alarm_idea_it_heads():
    # an account that labels one post in four, with a new label every few weeks: a new label costs it
    # little. The idea of a resignation in free words is loose evidence ("the minister who stepped down
    # last year..."), but headed by a flash label it is asserted as news, as a listed phrase would be
    book, at = _labelled(4, lambda i: f"Label{(i // 4) % 40}")
    tail = " The embassy will discuss trade and culture ties with local partners"
    flash = _post(book, at, "BREAKING: The Prime Minister steps down." + tail, lang="en")
    plain = _post(book, at, "The Prime Minister steps down." + tail, lang="en")
    assert plain.features["target_kind"] <= 7.0
    assert flash.features["target_kind"] > 8.0
    assert severity_for(flash.score) is not None
    # on an account that heads its news "BREAKING:" every week the label is no surprise, but it still
    # asserts as news the claim it heads
    habit, at = _labelled(5, lambda i: "BREAKING")
    told = _post(habit, at, "BREAKING: The Prime Minister steps down." + tail, lang="en")
    assert told.features["style"] == 0.0
    assert (
        told.features["target_kind"]
        > _post(habit, at, "The Prime Minister steps down." + tail).features["target_kind"] + 3.0
    )


def test_a_quoted_alarm_under_a_name_is_no_news_flash():
    # "Minister: "..."": a quotation introduced by its speaker, as palaces quote their ministers
    book, last = _labelling_account()
    quoted = '.@Minister: "the attack killed more than 80 people and injured many more"'
    flash = "URGENT: the attack killed more than 80 people and injured many more"
    assert (
        _post(book, last, quoted, lang="en").features["style"] < _post(book, last, flash, lang="en").features["style"]
    )


def test_a_news_flash_label_is_no_alarm_by_itself():
    # "Última hora" is how news outlets head any news: the real timelines' reposts of a wildfire
    # evacuation lifted or a tax decree under it read as alarms, and four of them alerted
    book, last = trained()
    for text in (
        "ÚLTIMA HORA | El delegado del Gobierno ha desactivado el nivel 1, los desalojados vuelven a casa",
        "[Última hora] Francia publica decreto que reinstaura a Panamá como paraíso fiscal",
    ):
        assert _repost(book, last, text).features["target_kind"] == 0, text


def test_an_alarm_is_what_it_says_itself_not_a_news_report_it_reposts():
    # the real timelines' reposted alarms were news: Queen Noor's of a demonstrator shot dead, Trump's of
    # a union head on a vigil for an assassinated police officer; each a real alert
    book, last = trained()
    for text in (
        "PHOTOS: Palestinian demonstrator shot dead among 5 killed in clashes across the West Bank",
        "Head of the NYPD union slams Mayor de Blasio for skipping vigil for assassinated cop",
    ):
        assert _repost(book, last, text).features["target_kind"] == 0, text
        # the same words in its own post are its own claim
        assert _post(book, last, text, lang="en").features["target_kind"] > 0, text


def test_a_takeover_signs_at_the_head_of_its_post_not_in_reported_speech():
    book, last = trained()
    signed = _post(book, last, "Hacked by @ShadowCrew. Your security is a joke, we will be back.", lang="en")
    assert signed.features["hack_claim"] > 0
    assert severity_for(signed.score) is not None
    # the real timelines' one hit: a president on a committee "supposedly hacked by Russia"
    reported = _post(
        book,
        last,
        "The committee would not allow the FBI to see its computer info after it was supposedly hacked by Russia",
        lang="en",
    )
    assert reported.features["hack_claim"] == 0


@pytest.mark.parametrize(
    "text",
    [
        "Questo account è stato hackerato. Saluti dalla resistenza digitale.",
        "Bu hesap hacklendi. Güvenliğiniz bir şaka.",
        "Dieses Konto wurde gehackt, wir sind überall.",
        "Esta cuenta fue hackeada por el ejército cibernético.",
    ],
)
def test_a_takeover_signs_in_the_accounts_own_language(text):
    book, last = trained()
    assert _post(book, last, text).features["hack_claim"] > 0


def test_words_with_an_everyday_meaning_are_no_partisan_claim():
    # "golpe" is a blow as often as a coup, "stolen" a theft as often as an election, "fraud" the welfare
    # or tax fraud a government fights as often as a vote's: a heavy blow to a guerrilla group, stolen
    # land and John Key's new tools against welfare fraud are news, not claims (real alerts of the replays)
    book, last = trained()
    for text in (
        "Fuerte golpe al ELN en Año Nuevo, nuestras fuerzas no descansan",
        "The site considered for the new embassy is stolen private property, say the owners",
        "I've just announced new tools to help prevent, deter and detect welfare fraud. #nzpol",
        "Calling for progress on #energy and #tax #fraud and evasion at the European Council",
    ):
        assert not any("partisan claim" in r for r in _repost(book, last, text).reasons), text
    coup = _repost(book, last, "¡Esto tiene un nombre: golpe de Estado!")
    assert any("partisan claim (golpe de estado" in r for r in coup.reasons)
    for text in (
        "Dead people voted in the thousands. This result is a fraud, throw it out.",
        "They jail tax fraudsters, yet this result is a fraud and everyone knows it.",
    ):
        vote = _repost(book, last, text)
        assert any("partisan claim (fraud" in r for r in vote.reasons), vote.reasons


def test_the_end_of_an_emergency_is_no_alarm():
    # Peru's presidency, 2016: "after 30 years, we lift the state of emergency in the Alto Huallaga"
    book, last = trained()
    lifted = _post(book, last, "Después de 30 años, levantamos el Estado de Emergencia en el Alto Huallaga")
    assert lifted.features["target_kind"] == 0
    declared = _post(book, last, "El gobierno declara el Estado de Emergencia en todo el país")
    assert declared.features["target_kind"] > 0


def test_a_ministers_resignation_is_government_business_not_an_alarm():
    # India's prime minister's office and Morsi's decrees announced ministers' resignations; a head of
    # state or government resigning is the hoax's claim
    book, last = trained()
    for text in (
        "Shri Venkaiah Naidu has resigned from his ministerial responsibilities",
        "قررت قبول استقالة وزير النقل",  # "I decided to accept the resignation of the transport minister"
        # "... and of the head of the railway authority": a head (رئيس) of any body is no leader, and a
        # signature hashtag (#الرئيس, the President) is no part of the claim
        "قررت الآتي : 1- قبول استقالة وزير النقل ورئيس هيئة السكة الحديد #الرئيس",
    ):
        assert _post(book, last, text).features["target_kind"] == 0, text
    assert _post(book, last, "The President has resigned. More details to follow.").features["target_kind"] > 0
    # the Dutch words for it: a prime minister "afgetreden", not a tax "aftrek"
    assert _post(book, last, "De minister-president is afgetreden.").features["target_kind"] > 0
    assert _post(book, last, "De minister-president over de aftrek van kosten").features["target_kind"] == 0


def test_alarm_words_in_a_message_of_sympathy_do_not_count():
    book, last = trained()
    for text in (
        "My thoughts with all those affected by the explosions at the factory.",
        "Russia shares the sorrow of those who lost their loved ones; we wish the injured a speedy recovery.",
        "La France condamne l'explosion qui a fait des blessés à Beyrouth.",
    ):
        assert _post(book, last, text).features["target_kind"] == 0, text


def test_victims_named_in_a_flash_are_a_report_not_sympathy():
    # sympathy is said in words of sympathy ("nos pensées", "condamne"); "plusieurs victimes" in a flash
    # reports the claim, and no longer takes the alarm back
    book, last = trained()
    flash = _post(book, last, "ALERTE : explosion près du palais présidentiel, plusieurs victimes")
    sympathy = _post(book, last, "Nos pensées vont aux victimes de l'explosion près du palais présidentiel")
    assert flash.features["target_kind"] > 0
    assert sympathy.features["target_kind"] == 0


def test_alarm_lists_cover_the_watched_accounts_main_languages():
    lex = lexicon()
    assert lex.alarm.find("URGENTE: El presidente fue trasladado de emergencia al hospital. Toque de queda.")
    assert lex.alarm.find("SON DAKİKA: Cumhurbaşkanlığı Külliyesi'nde patlama, yaralılar var.")  # dotted capital İ
    assert lex.alarm.find("عاجل: استقالة الحكومة وإعلان حالة الطوارئ")
    assert lex.alarm_own.find("Ухожу в отставку.")


def test_i_resign_alarms_in_its_own_words_but_not_in_someone_elses():
    book, last = trained()
    own = _post(book, last, "I resign. I cannot serve this cabinet any longer.", lang="en")
    repost = book.score(
        act(
            "repost",
            workday_after(last),
            client="Sprinklr",
            target={
                "id": "x:r1",
                "account": "MFA_Home",
                "lang": "en",
                "text": "I resign. I cannot serve this cabinet any longer.",
            },
        ),
        meta,
    )
    assert own.features["target_kind"] >= 8
    assert not any("alarming claim" in r for r in repost.reasons)


def test_a_post_turning_on_its_own_government_adds_to_an_alarm():
    book, last = trained()
    resign = _post(book, last, "I am resigning today.", lang="en")
    ashamed = _post(book, last, "I am resigning today. I am ashamed of this government and its lies.", lang="en")
    assert any("turns on its own government (this government, ashamed" in r for r in ashamed.reasons)
    assert ashamed.features["target_kind"] > resign.features["target_kind"] + 3
    assert severity_for(ashamed.score) is not None
    # the government named without blame is ordinary diplomatic news
    calm = _post(book, last, "The government announced new scholarships for students this year.", lang="en")
    assert not any("turns on" in r for r in calm.reasons)


def test_a_like_of_blame_aimed_at_your_government_is_criticism_of_its_own():
    book, last = trained()
    v = book.score(
        act(
            "like",
            workday_after(last, hour=22),
            target={
                "id": "x:l1",
                "account": "angry_citizen_42",
                "lang": "en",
                "text": "Your government is run by thugs and liars.",
            },
        ),
        meta,
    )
    assert v.features["critic"] >= 5
    assert severity_for(v.score) is not None


def test_keyboard_mash_is_flagged_and_other_scripts_are_not():
    assert gibberish(";l;;gmlxzssaw")
    assert gibberish("asdfghjkl")
    assert gibberish("sssdddfff")  # a mash held down is still a mash
    ordinary = (
        # interjections drawn out (real posts of Queen Noor and Chávez)
        "Arghhhhh https://t.co/zPsFhhzdT5",
        "@Pablo1830. Yessssss!",
        "Gooooooooooooooooooooooooollllllllllll!!!!!!",
        "Thank you!",
        "まもなく始まります！第175回UIチャンネル",
        "เพิ่งกลับจากไปเยี่ยมพี่น้องที่หาดใหญ่มาครับ",
        "@someone Szr@szr.jo",
        "Obrigada,companheira https://t.co/x",
        "Hmm.",
        "Ελλάδα",
        "12:30",
    )
    for text in ordinary:
        assert not gibberish(text), text
    book, last = trained()
    v = _post(book, last, ";l;;gmlxzssaw")
    assert severity_for(v.score) is not None
    assert any("no word in it" in r for r in v.reasons)
