"""Engagement with critics of the account's own government, recognised from generic signals (the
government named with words of condemnation, a handle naming a persecuted cause), and the
never-interacted-before check on its own."""

from datetime import timedelta

from bot.alerts import severity_for
from bot.profile.signals import surprisal
from bot.profile import AccountMeta
from bot.profile.lexicon import lexicon
from bot.profile.observe import observe

from .helpers import EN, act, meta, trained, workday_after


def test_government_named_with_condemnation_is_a_critic_without_any_slogan():
    hits = lexicon().critic_hits(
        "CN", "Thousands locked in camps while Beijing lectures the world about lies.", "someone_new"
    )
    assert "beijing" in hits and len(hits) >= 3


def test_government_defending_itself_is_not_a_critic():
    # an embassy's own line: the government named, one word of blame aimed at others
    assert (
        lexicon().critic_hits("CN", "Beijing firmly rejects the lies spread by some Western media.", "MFA_Home") == []
    )
    # a travel account whose handle names a region is no critic while its text blames nobody
    assert lexicon().critic_hits("CN", "Sunrise over the Potala Palace, what a view", "tibet_travel_guide") == []
    # the same words about another government say nothing about China's critics
    assert lexicon().critic_hits("CN", "Thousands locked in camps while Moscow lies.", "someone_new") == []


def test_handle_naming_a_persecuted_cause_counts_when_the_text_blames():
    hits = lexicon().critic_hits(
        "CN", "Families torn apart and nobody answers for it. Shameful lies.", "uyghur_voice_now"
    )
    assert hits[0] == "@uyghur_voice_now"


def test_night_like_of_a_never_seen_critic_is_at_least_medium():
    book, last = trained()
    v = book.score(
        act(
            "like",
            workday_after(last, hour=23),
            target={
                "id": "x:c9",
                "account": "voices_in_exile",
                "lang": "en",
                "text": "A million people locked in camps while Beijing's diplomats lecture the world about lies.",
            },
        ),
        meta,
    )
    assert v.features["critic"] >= 5
    assert severity_for(v.score) in ("medium", "high", "critical")
    assert any("criticises its own government" in r for r in v.reasons)


def test_a_spree_of_critic_likes_stays_at_least_medium_to_the_end():
    book, last = trained()
    at = workday_after(last, hour=23)
    texts = [
        "The CCP covered up the virus and silenced doctors.",
        "Beijing jails dissidents and calls it order. Stop the propaganda.",
        "No more deals with a regime that tortures. The CCP must answer.",
        "Xi Jinping's censorship machine lies again.",
    ]
    severities = []
    for i, text in enumerate(texts):
        like = act(
            "like", at + timedelta(minutes=3 * i), target={"id": f"x:s{i}", "account": f"watcher_{i}", "text": text}
        )
        severities.append(severity_for(book.score(like, meta).score))
        book.learn(like, meta)
    assert all(s in ("medium", "high", "critical") for s in severities), severities


def test_surprisal_is_positive_for_unlikely_events():
    assert surprisal(0.25) == 2.0
    assert surprisal(1.0) == 0.0


def test_never_interacted_before_fires_on_its_own():
    book, last = trained()
    # a repost of a stranger's ordinary text in its usual hours and client: only the target is new
    v = book.score(
        act(
            "repost",
            workday_after(last),
            client="Sprinklr",
            target={"id": "x:n1", "account": "UnknownCommentator", "text": EN[2], "lang": "en"},
        ),
        meta,
    )
    assert v.features["target"] >= 1.0
    assert any(r.startswith("never interacted with @UnknownCommentator before") for r in v.reasons)


def _criticises(text: str) -> bool:
    repost = act("repost", workday_after(trained()[1]), target={"id": "x:g1", "account": "someone", "text": text})
    found = observe(repost, AccountMeta(platform="x", handle="ExampleEmbassy"))
    return any(category == "critic" for category, _ in found.categories)


def test_a_government_fighting_corruption_is_its_own_line_not_an_attack_on_it():
    # real reposts of Ecuador's, the UK's and Brazil's own announcements had read as criticism
    assert not _criticises("Gobierno invitó a 13 personas al frente de transparencia y lucha contra la corrupción")
    assert not _criticises("Find out what the UK government is doing to tackle corruption on one page")
    assert not _criticises("Presidenta fala das medidas que serão apresentadas para o combate à corrupção")
    assert not _attacks_the_account("PMOIndia", "Contribute to a Digital India & corruption free India.")
    assert not _attacks_the_account("PMOIndia", "Let's pledge for a New India, free of corruption and casteism")
    # a tradition is no betrayal: "tradi" once stood for the Italian "tradimento"
    assert not _criticises("La Presidenta participa en la tradicional foto oficial con su Gabinete")
    # while calling the government corrupt, or a traitor's, still is
    assert _criticises("The most corrupt government in our history, and it lies every day")
    assert _criticises("Il governo ha commesso un tradimento contro il popolo")


def test_an_official_quoted_blaming_others_is_its_own_line_not_an_attack_on_it():
    # the real repost that read as criticism: Turkey's president quoted calling the coup attempt treason
    assert not _criticises(
        'Cumhurbaşkanı Erdoğan: "Yapılan hareket bir ihanet hareketidir. Vatana ihanet hareketinin bedelini '
        'çok ağır ödeyecekler."'
    )
    assert not _criticises("President Smith: “The opposition are liars and traitors”")
    # the government named in the quotation, or blamed in a label without one, is still attacked
    assert _criticises('#CristinaConVHM: "El gobierno pivotea sobre la propaganda política y la mentira permanente"')
    assert _criticises('On Museveni calling him a liar: "The President is fond of foul language, a disgrace"')
    assert _criticises("The minister: a liar and a clown.")


def _attacks_the_account(account: str, text: str) -> bool:
    like = act("like", workday_after(trained()[1]), account, target={"id": "x:a1", "account": "someone", "text": text})
    found = observe(like, AccountMeta(platform="x", handle=account))
    return any(evidence.startswith("attacks the account itself") for category, evidence in found.categories)


def test_blame_of_the_account_by_its_own_name_is_criticism_with_no_list_of_its_government():
    # S2's likes of posts attacking his own government, where no list knows that government's names:
    # the name the handle spells is the account's own, in any language the blame words cover
    assert _attacks_the_account("YLeterme", "Leterme has been lying to the people of Belgium for years.")
    assert _attacks_the_account("JDMahama", "Ghana deserves better than the corrupt clique around Mahama.")
    assert _attacks_the_account("larsloekke", "Løkke has been lying to the people of Denmark for years.")
    assert _attacks_the_account("cbabdullahgul", "Abdullah Gül yıllardır halka yalan söylüyor.")
    # its name without blame, a title in its handle, the speaker of a quotation, or its fight against
    # corruption is not an attack on it
    assert not _attacks_the_account("YLeterme", "Leterme meets farmers in Flanders to talk about prices.")
    assert not _attacks_the_account("eucopresident", "President Putin lies about Crimea.")
    assert not _attacks_the_account("RT_Erdogan", 'Erdoğan: "Yapılan hareket bir ihanet hareketidir."')
    assert not _attacks_the_account("dilmabr", "Dilma: o combate à corrupção começa com a educação")
    # nor one that denies something of it: the lie is its accusers' (a real repost of Piñera's account)
    assert not _attacks_the_account(
        "sebastianpinera", "La Moneda aclara que Piñera nunca tuvo un terminal Bloomberg en su oficina, otra mentira"
    )


def test_a_like_of_a_strangers_post_blaming_the_account_by_name_alerts():
    book, last = trained(account="JDMahama")
    mahama = AccountMeta(platform="x", handle="JDMahama")
    v = book.score(
        act(
            "like",
            workday_after(last),
            "JDMahama",
            target={"id": "x:m1", "account": "ghana_watch_77", "text": "Mahama has been lying to Ghana for years."},
        ),
        mahama,
    )
    assert v.features["critic"] >= 10
    assert severity_for(v.score) is not None
    assert any("attacks the account itself by name (Mahama" in r for r in v.reasons)


def test_lying_counts_in_the_forms_a_sentence_says_it_not_in_words_that_start_alike():
    assert _criticises("El gobierno miente al pueblo cada día")
    assert _criticises("Le gouvernement ment aux Français depuis des années")
    assert _attacks_the_account("larsloekke", "Løkke lyver for danskerne igen og igen")
    # "mientras" (while) starts as "miente" does, and is no blame
    assert not _criticises("El gobierno trabaja mientras la oposición protesta")
