"""Turn an Activity into the handful of values the feature models look at (computed once per activity)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

from bot.activity import Activity

from .langid import candidates, lang_code
from .lexicon import FLASH_IDEA, attribution, lexicon
from .text import _KEYS, WORD_RE, word_key
from .text import gibberish, guess_lang_sure, label_of, link_domains, prose, script_of, told_label
from .text import readable, sentence_words, style_flags, word_count, words

from .signals.base import BEHAVIOUR_KINDS
from .signals.naming import cased, names_itself
from .signals.crypto import KINDS as CRYPTO_KINDS

# Kinds whose own text speaks for the account.
OWN_TEXT_KINDS = ("post", "reply", "quote")


@dataclass(slots=True)
class Observation:
    kind: str
    t: float  # epoch seconds
    hour: int  # UTC
    dow: int
    tokens: list[str]
    lang: str | None
    lang_declared: bool  # declared by the platform, or surely read by us (`lang_guessed`)
    script: str | None  # writing system of its own text
    target: str | None  # handle as written
    target_key: str | None  # lower-cased
    target_text: str | None
    target_lang: str | None
    target_lang_sure: bool  # declared by the platform or surely identified
    labels: list[str]
    client: str | None
    domains: list[str]
    hashtags: list[str]
    mentions: list[str]
    text: str  # own text, or the amplified text for reposts/likes
    categories: list[tuple[str, str]] = field(default_factory=list)  # (category, evidence)
    terms: list[str] = field(default_factory=list)  # "category:term" for the categories judged term by term
    keys: tuple[str, ...] = ()  # its distinct words as vocabulary keys, in order (sums come out the same every run)
    styles: tuple[str, ...] = ()  # how its own text is written (shouting, a news-flash opener, ...)
    styled: bool = False  # its own text was read for its way of writing (three words or more)
    deleted_id: str | None = None  # for a deletion: the id of its own item it removed
    item_id: str | None = None  # for a repost or quote: the id of the item it amplified
    partners: tuple[str, ...] = ()  # whom it amplified, answered, followed or mentioned (lower-cased, distinct)
    # an unsure reading of its own Latin-script text: the identifier's likeliest languages, so that a
    # text split between two languages the account never wrote in still counts as a sure first
    lang_options: tuple[tuple[str, float], ...] = ()
    lang_guessed: bool = False  # `lang` is our own reading (text.guess_lang_sure), not the platform's
    shortened: int = 0  # its links whose destination a shortener hides (t.co, bit.ly), unseen in `domains`
    word_figures: tuple[float, float] | None = None  # wording's figures, worked out once (signals/wording.py)
    # for a deletion, the slip of the fingers its item held, as scoring read it (signals/delete.py):
    # learning asks the same, and only scoring can ask the other accounts whether the word is theirs
    typo: tuple[str, str] | None = None
    typo_read: bool = False
    # what the signals that judge the text alone read (worked out here, so a replay's reading process
    # does it ahead of scoring): a keyboard mash (signals/gibberish.py), a crypto scam's evidence
    # (signals/crypto.py), what a translation of its own post would keep (signals/lang.py)
    gibberish: bool = False
    crypto: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()
    # the word lists that phrases of `text` are in (lexicon.Scanner): a process that receives this
    # observation from the one that made it (bot/read_ahead.py) need not scan the text again
    lists: dict[str, list[str]] | None = None

    @property
    def behaviour(self) -> bool:
        return self.kind in BEHAVIOUR_KINDS


# Engagements where a generic attack on "the government" counts as criticism of its own (S2, I08).
# Only the generic references count there: news naming a government is often about a foreign one.
GENERIC_CRITIC_KINDS = ("like", "repost", "quote")


def _foreign_politics(lex, own_country: str | None, text: str) -> str | None:
    """The first country other than its own whose politicians or party words the text names."""
    for code in lex.politics:
        if code != own_country and lex.politics_hits(code, text):
            return code
    return None


# "Nunca renuncio à luta", "I will never resign": a first-person alarm that is denied is the opposite
# of an alarm. A negation within the three words before the phrase denies it.
NEGATIONS = r"(?:never|not|no|won't|wont|nunca|jamás|jamas|jamais|não|nao|ne|nicht|niemals|non|mai|не|никогда|asla)"
NEGATION_RE = re.compile(r"(?<!\w)" + NEGATIONS + r"(?:\W+\w+){0,2}\W+$")


# A government announcing its fight against corruption is its own line, not an attack on it ("lucha
# contra la corrupción", "to tackle corruption", "combate à corrupção": Chile's, Ecuador's, Brazil's and
# the UK's own reposts on the real timelines read as criticism of their governments), and so is a country
# it promises free of corruption ("a Digital India & corruption free India", reposted by PMOIndia).
FIGHTS_CORRUPTION_RE = re.compile(
    r"(?<!\w)(?:(?:against|anti|fight\w*|combat\w*|tackl\w*|prevent\w*|curb\w*|lucha\w*|luta\w*|lutte\w*|"
    r"lutter|frenar|contra|contre|gegen|bekämpf\w*|против|борьб\w*)"
    r"(?:\W+\w+){0,2}?\W*(?:corrup|yolsuz|коррупц)|corrupt\w*[- ]free|free (?:of|from) corrupt)"
)


# Fraud of the everyday kind (tax, VAT, welfare, identity fraud) is what governments announce they
# fight, not a claim that an election was stolen: "fraud" alone read John Key's "new tools to help
# prevent, deter and detect welfare fraud" and the EU's "#VAT fraud" as partisan claims (25 real texts).
EVERYDAY_FRAUD_RE = re.compile(
    r"(?<!\w)(?:tax|vat|welfare|benefits?|id|identity|insurance|card|bank|banking|investment|mortgage|pension|"
    r"subsidy|subsidies|customs|online|phone|internet|cyber|financial|fiscal)\W+fraud(?!\w)"
)
FRAUD_RE = re.compile(r"(?<!\w)fraud(?!\w)")


def _everyday_fraud(text: str) -> bool:
    """Whether every "fraud" in the text is of the everyday kind (EVERYDAY_FRAUD_RE)."""
    lowered = text.lower()
    return len(EVERYDAY_FRAUD_RE.findall(lowered)) >= len(FRAUD_RE.findall(lowered))


def _attacks_itself(lex, handle: str, text: str) -> str | None:
    """Blame aimed at the account itself by the name its handle spells ("Leterme has been lying to the
    people of Belgium", liked by @YLeterme; "the corrupt clique around Mahama", by @JDMahama): S2's likes
    of posts attacking its own government, told with no list of that government's names. A title in the
    handle (president, government, ministry) is no name of its own: blame of "the president" is the
    generic idea's. The name only as the speaker of a quotation it heads or closes is not the one blamed
    ('Cumhurbaşkanı Erdoğan: "... ihanet ..."'), nor one a negation follows: the text denies something
    of it, and its blame is of the accusers (a real repost by Piñera's account: "La Moneda aclara que
    Piñera nunca tuvo un terminal Bloomberg ..., otra mentira"). The names it blames and the idea, or None."""
    if not text or not cased(text):
        return None
    concepts = lex.critic_concepts
    blame = concepts.about_anyone(text)  # the text was just read for the critic ideas: a cached reading
    if not blame:
        return None
    named = [
        word
        for word in dict.fromkeys(m.group(0) for m in WORD_RE.finditer(text))
        if word[0].isupper() and names_itself(handle, word) and not concepts.names_a_subject(word)
    ]
    if not named:
        return None
    quoted = attribution(text)
    if quoted is not None and not any(word in quoted[1] for word in named):
        return None
    if any(_denied(word, text) for word in named):
        return None
    return ", ".join(named[:2]) + "; " + blame[0]


def _denied(word: str, text: str) -> bool:
    """Whether a negation follows the word within two words ("Piñera nunca tuvo", "Leterme did not")."""
    return re.search(r"(?<!\w)" + re.escape(word) + r"\W+(?:\w+\W+)?" + NEGATIONS + r"(?!\w)", text) is not None


def _fights_corruption(text: str | None) -> bool:
    return text is not None and FIGHTS_CORRUPTION_RE.search(text.lower()) is not None


# "We lift the state of emergency after 30 years": the end of an emergency is no alarm. A verb of ending
# or lifting within the two words before the phrase takes it back (a real post of Peru's presidency).
ENDED_RE = re.compile(
    r"(?<!\w)(?:lift|lifts|lifted|lifting|ends|ended|ending|end|levant\w*|lève|lèvent|levée|levé|"
    r"aufgehoben|aufheb\w*|отмен\w*|снят\w*|kaldır\w*)"
    r"(?:\W+\w+){0,2}\W+$"
)


def _negated(text: str | None, phrase: str, pattern: re.Pattern[str] = NEGATION_RE) -> bool:
    lowered = (text or "").lower()
    at = lowered.find(phrase)
    while at >= 0:
        if not pattern.search(lowered[max(0, at - 60) : at]):
            return False
        at = lowered.find(phrase, at + 1)
    return True


HOST_SPLIT_RE = re.compile(r"[.\-]")
NUMBER_RE = re.compile(r"\d{2,}")


def _crypto(lex, obs: Observation) -> tuple[str, ...]:
    # scam links name themselves ("btc-double.io", "cryptogift.site"): their domains' words count as text
    words = " ".join(
        word for host in obs.domains for part in HOST_SPLIT_RE.split(host) for word in lex.host_words(part)
    )
    return tuple(lex.crypto_scam(f"{obs.text} {words}", obs.target if obs.kind != "post" else None))


def _anchors(obs: Observation) -> tuple[str, ...]:
    """What a translation keeps of its original: whom it names, its hashtags and its numbers."""
    found = ["@" + m for m in obs.mentions] + ["#" + h for h in obs.hashtags]
    if obs.text:
        # not years: "2017" in two posts of one morning says nothing of one being the other's translation
        found += [n for n in NUMBER_RE.findall(obs.text) if not (len(n) == 4 and n[:2] in ("19", "20"))]
    return tuple(found)


def _alarm_ideas(lex, text: str | None) -> list[str]:
    """The alarming ideas in a text, but none whose leader is only the speaker it quotes: '"...more likely
    to be arrested..." —President Obama' is the president's speech, not the president arrested."""
    said = prose(text)
    found = lex.alarm_concepts.find(said)
    return [] if found and lex.alarm_concepts.spoken_by(said) else found


def observe(activity: Activity, meta) -> Observation:
    lex = lexicon()
    target = activity.target or {}
    target_account = target.get("account")
    # read with its decorations folded (text.readable): the words the lists and ideas know
    target_text = readable(target.get("text"))
    own_text = readable(activity.text) if activity.kind in OWN_TEXT_KINDS or activity.kind == "post" else None
    tokens = words(own_text)
    lang = lang_code(activity.lang) if activity.lang else None
    declared = lang is not None
    if lang in ("und", "zxx", "qme", "qht", "qam", "qst"):
        lang, declared = None, False
    said = word_count(tokens, own_text)  # Thai, Chinese and Japanese counted by letters
    guessed = lang is None and (said >= 4 or sentence_words(prose(own_text)) >= 4)
    if guessed:
        lang, declared = guess_lang_sure(own_text, tokens)  # a sure guess counts as much as a declared lang
    tlang = lang_code(target["lang"]) if target.get("lang") else None
    tsure = tlang is not None
    if activity.kind == "repost" and not own_text:
        # a platform's lang on a repost describes the reposted text, not the account's own writing
        tlang, tsure = (tlang, tsure) if tlang else (lang, declared)
        lang, declared, guessed = None, False, False
    if tlang is None and activity.kind in ("repost", "quote", "like") and target_text:
        ttokens = words(target_text)
        # counted as its own texts are: a Japanese, Chinese or Thai post is one or two runs of letters
        if word_count(ttokens, target_text) >= 4:
            tlang, tsure = guess_lang_sure(target_text, ttokens)
    labels = [label.lower() for label in activity.labels]
    labels += [str(label).lower() for label in (target.get("labels") or [])]
    links = list(activity.links)
    if target.get("url") and activity.kind in ("repost", "quote", "like"):
        links.append(target["url"])
    domains, shortened = link_domains(links)
    text = own_text or target_text or ""
    if activity.kind == "quote" and target_text:
        text = f"{own_text or ''} {target_text}"
    at = activity.at
    obs = Observation(
        kind=activity.kind,
        t=at.timestamp(),
        hour=at.hour,
        dow=at.weekday(),
        tokens=tokens,
        lang=lang,
        lang_declared=declared,
        script=script_of(own_text) if said >= 3 else None,
        target=target_account,
        target_key=target_account.lower() if target_account else None,
        target_text=target_text,
        target_lang=tlang,
        target_lang_sure=tsure,
        labels=labels,
        client=activity.client,
        domains=list(dict.fromkeys(domains)),
        hashtags=list(dict.fromkeys(h.lower() for h in activity.hashtags)),
        mentions=[m.lower() for m in activity.mentions],
        text=text,
    )
    obs.lang_guessed = guessed and lang is not None
    obs.shortened = shortened
    obs.labels = list(dict.fromkeys(labels))
    partners = [target_account.lower()] if target_account else []
    obs.partners = tuple(dict.fromkeys(partners + obs.mentions))
    if activity.kind == "delete":
        obs.deleted_id = target.get("id")
    elif activity.kind in ("repost", "quote") and target.get("id"):
        obs.item_id = str(target["id"])
    if activity.kind in OWN_TEXT_KINDS:
        obs.gibberish = gibberish(own_text)  # read as its words are (OWN_TEXT_KINDS hold an own text)
        obs.anchors = _anchors(obs)
    if activity.kind in CRYPTO_KINDS:  # the kinds the signal judges
        obs.crypto = _crypto(lex, obs)
    # four distinct words at least: "Olê olê olê olá, Dilma Dilma!" is three, and read as Kurdish
    if not declared and obs.script == "latin" and len(tokens) >= 4 and len(set(tokens)) >= 4:
        obs.lang_options = tuple(candidates(own_text))
    if len(tokens) >= 3:
        # most words were met before: their keys looked up in C, a call only for the new ones
        distinct = list(dict.fromkeys(tokens))
        keys: list[str | None] = list(map(_KEYS.get, distinct))
        if None in keys:
            keys = [k or word_key(t) for t, k in zip(distinct, keys, strict=True)]
        obs.keys = tuple(dict.fromkeys(cast("list[str]", keys)))
    # how it is written, of three words or more: counted by letters where words run together, or a
    # Japanese or Chinese text (a sentence is one or two runs of letters) was never read for a label
    if said >= 3:
        obs.styles = style_flags(own_text)
        obs.styled = True
        if own_text and label_of(obs.styles) is None:
            head = lex.flash_head(own_text)
            if head is not None:
                obs.styles = ("opener", "label:" + head, *obs.styles)
    # without a watch list's country, a leader's own account is still known by the list of leaders: its
    # own office, its ministers and its own government's critics are then told from a foreign one's
    own_country = lex.country(meta.country) or lex.leader_country(activity.account)
    if target_account or text:
        leader = lex.leader_country(target_account)
        if leader and leader != own_country:
            obs.categories.append(("foreign_leader", f"@{target_account} is a leader's account ({leader})"))
        critic = lex.critic_hits(own_country, target_text if activity.kind != "post" else None, target_account)
        if not critic and activity.kind in GENERIC_CRITIC_KINDS:
            # no lexicon for this government: shame or blame aimed at "your government" or "the ministry"
            target_prose = prose(target_text)
            critic = lex.disown_hits(own_country, target_text, by_name=False) or lex.critic_concepts.find(target_prose)
            # its government fighting corruption, or its government speaking (an official's words quoted,
            # the blame theirs), is its own line, not an attack on it
            if critic and (_fights_corruption(target_text) or lex.critic_concepts.spoken_by(target_prose)):
                critic = []
            if not critic:
                attacked = _attacks_itself(lex, activity.account, target_prose)
                if attacked and not _fights_corruption(target_text):
                    obs.categories.append(("critic_self", "attacks the account itself by name (" + attacked + ")"))
        if critic and activity.kind in ("repost", "quote", "like", "follow"):
            obs.categories.append(("critic", "criticises its own government (" + ", ".join(critic[:3]) + ")"))
        adult = lex.adult_hits(target_text, target_account) if activity.kind != "post" else []
        if adult:
            obs.categories.append(("adult", "adult content (" + ", ".join(adult[:3]) + ")"))
        claims = (
            lex.partisan.find(text) + lex.claim_concepts.find(prose(text))
            if activity.kind != "like" or target_text
            else []
        )
        if "fraud" in claims and _everyday_fraud(text):
            claims.remove("fraud")
        if claims:
            obs.categories.append(("partisan_claim", "partisan claim (" + ", ".join(claims[:3]) + ")"))
            obs.terms.extend("partisan_claim:" + c for c in claims[:4])
            foreign = _foreign_politics(lex, own_country, text)
            if leader and leader != own_country and activity.kind != "post":
                foreign = foreign or leader
            if foreign:
                # S1: an official account amplifying another country's partisan fight
                obs.categories.append(("foreign_partisan", f"takes sides in {foreign} politics"))
        if lex.crypto_handle(target_account):
            obs.categories.append(("crypto_promoter", f"@{target_account} promotes crypto"))
        # an alarm is a claim in its own words (a hijacker's fake bulletin); a news report of a shooting or
        # an assassination that it reposts is news work, judged by whom it amplifies: the real timelines'
        # reposted "alarms" were all reports (a demonstrator shot dead, an assassinated police officer)
        alarm = (
            [hit for hit in lex.alarm.find(text) if not _negated(text, hit, ENDED_RE)] + _alarm_ideas(lex, text)
            if activity.kind in ("post", "reply", "quote")
            else []
        )
        alarm += [hit for hit in lex.alarm_own.find(own_text) if not _negated(own_text, hit)]
        # its own text headed as urgent news ("URGENT: the capital's tap water is poisoned"): the news
        # flash's form asserts an alarm whatever the claim, one the lists may never have read
        label = label_of(obs.styles) if activity.kind in OWN_TEXT_KINDS else None
        flash = lex.news_flash(label)
        if flash:
            alarm.append(FLASH_IDEA)
        if alarm and lex.condolence.find(text):
            alarm = []  # reporting a tragedy with sympathy is not an alarm of its own making
        if alarm == [FLASH_IDEA]:
            obs.categories.append(("alarm", f"announced as urgent news ('{told_label(label or '', own_text)}')"))
            obs.terms.append("alarm:" + FLASH_IDEA)
        elif alarm:
            claims = [c for c in alarm if c != FLASH_IDEA]  # the label is told by the style check
            obs.categories.append(("alarm", "alarming claim (" + ", ".join(claims[:3]) + ")"))
            obs.terms.extend("alarm:" + c for c in claims[:4] + ([FLASH_IDEA] if flash else []))
        if activity.kind in ("post", "reply", "quote"):
            disown = lex.disown_hits(own_country, own_text)
            if disown and not _fights_corruption(own_text):
                obs.categories.append(("disown", "turns on its own government (" + ", ".join(disown) + ")"))
        host = lex.country(meta.host_country)
        politics = lex.politics_hits(host, text) if host else []
        if politics:
            obs.categories.append(("host_politics", f"{host} politics (" + ", ".join(politics[:3]) + ")"))
    if text:
        obs.lists = lex.scanner.scan(text)  # scanned above already: the cache answers
    return obs
