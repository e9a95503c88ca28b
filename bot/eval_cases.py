"""Incidents and benign look-alikes to inject into real timelines for `diplowatch eval`.

Every incident type is modelled on real cases in the reference incident list (ids in each docstring)
and varied on purpose: accounts, hours, languages, wording and targets are drawn at random, and every
pool of wordings/targets has a "tune" side and a "heldout" side (bot/eval_heldout.py, written apart
from the word lists): the held-out run (other seed, other wordings, other targets) checks that the
detector caught the behaviour rather than the generator. docs/detection.md says which runs were looked
at while the detector was changed (those figures are not independent) and which were not.
"""

from __future__ import annotations

import random
import re
import string
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from bot import eval_heldout as heldout
from bot.activity import Activity, format_time, parse_activity

# Posts an account wrote in a language before its texts in it are taken as that language's (plain_texts).
PLAIN_LANG_MIN = 2

INCIDENT_TYPES = (
    "foreign_repost",
    "partisan_repost",
    "undone_repost",
    "offprofile_like",
    "explicit_like",
    "status_change",
    "profile_change",
    "undisclosed_affiliation",
    "hijack_post",
    "crypto_scam",
    "offprofile_follow",
    "mass_undo",
    "quick_delete",
    "dormant_wakeup",
    "burst",
    "coordinated",
    "foreign_language",
    "flash_alarm",
    "repeat",
)
# Types with a structural signature (what the account has never done: a stranger amplified or followed,
# a first language, client or domain, an undone item, a status, a spree, the same text across
# governments): with every word list off they must still be caught (goal 0.85 each). The rest are
# about what content says (explicit material, a scam, host-country politics) and need the lists.
# Not among them: partisan_repost (a new target is everyday news work; the claim is the news),
# offprofile_follow (a follow is of a new account by nature; whom it follows, a crypto promoter, is
# content), dormant_wakeup (a long silence must never alert on its own; what it says on waking does) and
# flash_alarm (a label it never used is a weak sign alone, as routine as a new hashtag; the alarm it heads is content).
STRUCTURAL_TYPES = (
    "foreign_repost",
    "undone_repost",
    "offprofile_like",
    "status_change",
    "profile_change",
    "hijack_post",
    "mass_undo",
    "quick_delete",
    "burst",
    "coordinated",
    "foreign_language",
)
BENIGN_TYPES = (
    "partner_repost",
    "second_language",
    "bio_edit",
    "summit_burst",
    "disclosed_politics",
    "routine",
    "name_edit",
    "typo_fix",
    "profile_refresh",
)
# Everyday actions real official accounts take (per own activity), injected into both the learned and
# the scored part so that a first like, follow, unfollow or deletion in the scored part is not news.
ROUTINE_RATES = {"like": 0.04, "follow": 0.006, "unfollow": 0.002, "unlike": 0.003, "delete": 0.004}


@dataclass
class Case:
    id: str
    type: str
    benign: bool
    accounts: list[str]
    activities: list[Activity]
    note: str = ""


@dataclass
class AccountInfo:
    """What the generator knows about a real account from the part of its timeline used for learning."""

    handle: str
    country: str
    learn: list[Activity]
    test: list[Activity]
    partners: Counter = field(default_factory=Counter)
    langs: Counter = field(default_factory=Counter)
    clients: Counter = field(default_factory=Counter)
    hours: Counter = field(default_factory=Counter)
    hashtags: Counter = field(default_factory=Counter)
    texts_by_lang: dict[str, list[str]] = field(default_factory=dict)
    partner_texts: dict[str, list[str]] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)  # optional fields its real records carry
    circle: set[str] = field(default_factory=set)  # everyone it ever amplified, answered or mentioned

    @property
    def start(self) -> datetime:
        return self.test[0].at

    @property
    def end(self) -> datetime:
        return self.test[-1].at


def pool(items: list, variant: str, heldout: list | None = None) -> list:
    """The items a variant may use: the tuning run uses the even positions; the held-out run uses the
    separately written pool when there is one (eval_heldout.py), else the odd positions."""
    if variant != "tune" and heldout:
        return heldout
    half = items[0::2] if variant == "tune" else items[1::2]
    return half or items


# ---- pools ------------------------------------------------------------------------------------------
POLITICAL_CLAIMS = [
    ("en", "If somebody cheated in the Election, which the Democrats did, why wouldn't the result be overturned?"),
    ("en", "The election was rigged from the start. Millions of illegal ballots. We will never concede!"),
    ("es", "¡Fraude electoral! Las elecciones fueron robadas por la oposición y el pueblo no lo aceptará."),
    ("en", "Roy Moore must quit the race, Franken must resign, and the President should resign too."),
    ("fr", "Ce gouvernement a truqué les élections. Il doit démissionner immédiatement !"),
    ("en", "Our country has its own demagogue now, and he will be ousted soon. Mark my words."),
    ("pt", "As eleições foram fraudadas. O povo exige a anulação do resultado agora!"),
    ("en", "Breaking: leaked memo proves the vote count was manipulated in three swing states."),
    ("de", "Die Wahl war manipuliert. Die Regierung muss sofort zurücktreten!"),
    ("en", "The candidate is a puppet of foreign interests and should be jailed, not elected."),
]
POLITICAL_ACCOUNTS = [
    "realDonaldTrump",
    "ProudResister",
    "ImranKhanPTI",
    "JMilei",
    "BorisJohnson",
    "jairbolsonaro",
    "NicolasMaduro",
    "KremlinRussia_E",
    "netanyahu",
    "RT_Erdogan",
    "narendramodi",
    "JoeBiden",
]
CRITIC_TEXTS = [
    "The CCP is a brutal dictatorship. Free Tibet, free Hong Kong, stop the Uyghur genocide!",
    "This government is a disgrace. Resign now, all of you. The people deserve better.",
    "Another day, another lie from the ministry. Nobody believes your propaganda anymore.",
    "Winnie the Pooh can't hide the concentration camps forever. #Tiananmen",
    "The regime jails journalists and calls it stability. Shameful.",
    "Your ambassador should be expelled. Your government is run by thugs.",
    "Crimea is not ours. Navalny was right about everything.",
    "Ha! The foreign secretary looks like he has seen a ghost. Bring back the old days lol",
]
TROLL_ACCOUNTS = [
    "freedomnow_88",
    "TruthBomb2020",
    "anon_patriot_x",
    "ChinaUncensored",
    "badiucao",
    "NavalnyEN",
    "joshuawongcf",
    "brighton_lad84",
    "reshuffle_watch",
    "politics_gossip_uk",
]
ADULT_ACCOUNTS = [
    "hotbabes_xxx",
    "LondonEscorts24",
    "sexycam_live",
    "onlyfans_promo",
    "milf_videos",
    "nsfw_daily",
    "adultfilmstar_kay",
    "PornHubAwards",
]
ADULT_TEXTS = [
    "Watch the full video now 🔥 18+ only",
    "New nude set just dropped, link in bio",
    "Hot girls waiting for you",
    "XXX clip of the day, don't tell anyone 😈",
    "Full sex tape on my page",
    "Exclusive NSFW content, subscribe",
]
# Plain texts of the kind anyone posts: an undone repost is given away by whom it amplified, not by words.
ORDINARY_TEXTS = [
    "Great turnout at the festival this weekend.",
    "Thank you all for the kind messages today.",
    "New episode out now, link in bio.",
    "What a match last night!",
    "Sunrise over the bay this morning.",
    "Read the full interview here.",
    "Grazie a tutti per il sostegno.",
    "Bugün harika bir gündü, teşekkürler.",
    "Merci pour cette belle soirée.",
    "Gracias a todos por venir hoy.",
    "Danke für die vielen Nachrichten.",
    "Obrigado pelo carinho de sempre.",
    "Join us live at 8pm.",
    "Our thoughts on the new season, thread below.",
]
CRYPTO_ACCOUNTS = ["btc_giveaway_official", "CryptoKingNFT", "elon_airdrop", "defi_moonshot", "tokenpresale"]
EXTREMIST_ACCOUNTS = ["militia_news_front", "revenge_brigade", "true_patriots_army", "ShiaResistanceMedia"]
FAKE_NEWS = [
    ("en", "Breaking: Two explosions in the White House and the President is injured."),
    ("en", "Possible nuclear leak in the region after rockets hit the reactor. Stay indoors."),
    ("ru", "Ухожу в отставку. Стыдно за действия правительства. Простите."),
    ("en", "I am resigning today. I am ashamed of this government and its lies."),
    ("fr", "Le président a été évacué d'urgence après une attaque contre le palais. Plus d'informations à venir."),
    ("en", "Hacked by the Syrian Electronic Army. Don't trust anything this account says. #SEA"),
    ("es", "Última hora: el gobierno declara el estado de emergencia nacional y suspende las elecciones."),
    ("en", "ATTENTION: all soldiers must surrender immediately, the war is lost, lay down your weapons."),
    ("ar", "عاجل: انفجار كبير بالقرب من القصر الرئاسي والرئيس مصاب"),
    ("en", "Tango down. This account has been taken over. We are everywhere. #CyberCaliphate"),
    # in the main languages of the watched accounts: a hijacker often writes in the account's own
    # language (I11 in Russian, I15 in Arabic)
    ("es", "URGENTE: El presidente fue trasladado de emergencia al hospital tras un atentado. Toque de queda."),
    ("es", "Renuncio a mi cargo. No puedo seguir encubriendo la corrupción de este gobierno."),
    ("en", "American soldiers, we are coming, watch your back. #CyberCaliphate"),  # I12
    ("en", "The royal family will pay for its crimes. We know where they sleep."),  # I17
    ("ar", "عاجل: استقالة الحكومة وإعلان حالة الطوارئ في البلاد"),
    ("ar", "عاجل: الأمير يعلن سحب السفراء من خمس دول عربية"),  # I15
    ("fr", "ALERTE : explosion à la centrale nucléaire, évacuation immédiate de la population."),
    ("fr", "Je démissionne. J'ai honte de ce gouvernement qui vous ment depuis des années."),
    ("en", ";l;;gmlxzssaw"),  # I43
    (
        "en",
        "Our staff have not been paid for three months. The Prime Minister has abandoned us. Sorry, no other option.",
    ),  # I47
    ("tr", "SON DAKİKA: Cumhurbaşkanlığı Külliyesi'nde patlama, yaralılar var."),
    ("tr", "İstifa ediyorum. Bu hükümetin yalanlarından utanıyorum."),
    ("pt", "URGENTE: O presidente foi baleado e está hospitalizado em estado grave."),
    ("de", "EILMELDUNG: Explosion im Regierungsviertel, der Kanzler wurde verletzt."),
    ("en", "Video: our troops surrendering under a white flag. Do not resist, it is over."),  # I52
    ("en", "Sources confirm the royal family will invest $2 billion in Trump companies."),  # I32
]
# I07 without its link, I11: a news flash of an alarm, in the account's own language, at a usual hour,
# from its usual client, with no link; a label it never used heads it (the tune side; held-out: eval_heldout)
FLASH_ALARMS = [
    ("en", "BREAKING: The President has resigned. More details to follow."),
    ("en", "URGENT: Explosion at the presidential palace, the President is injured."),
    ("es", "ÚLTIMA HORA: El Presidente ha presentado su renuncia. Más detalles en breve."),
    ("es", "URGENTE: Explosión en el palacio de gobierno, el Presidente está herido."),
    ("ar", "عاجل: استقالة رئيس الوزراء والمزيد من التفاصيل لاحقا"),
    ("ar", "عاجل: انفجار في القصر الرئاسي وإصابة الرئيس"),
    ("fr", "URGENT : le Président a démissionné. Plus de détails à suivre."),
    ("fr", "ALERTE : explosion au palais présidentiel, le Président est blessé."),
    ("nl", "BREAKING: De minister-president is afgetreden. Meer details volgen."),
    ("nl", "URGENT: Explosie bij het regeringsgebouw, de premier is gewond."),
    ("tr", "SON DAKİKA: Cumhurbaşkanı istifa etti. Ayrıntılar birazdan."),
    ("tr", "SON DAKİKA: Cumhurbaşkanlığı Sarayı'nda patlama, Cumhurbaşkanı yaralandı."),
    ("da", "BREAKING: Statsministeren er trådt tilbage. Flere detaljer følger."),
    ("ru", "СРОЧНО: Президент подал в отставку. Подробности позже."),
    ("pt", "URGENTE: O Presidente renunciou. Mais detalhes em breve."),
    ("el", "ΕΚΤΑΚΤΟ: Ο πρωθυπουργός παραιτήθηκε. Περισσότερες λεπτομέρειες σύντομα."),
    ("id", "BREAKING: Presiden mengundurkan diri. Rincian lebih lanjut menyusul."),
    ("hr", "HITNO: Predsjednik je podnio ostavku. Više detalja uskoro."),
    ("az", "TƏCİLİ: Prezident istefa verib. Ətraflı məlumat bir azdan."),
]
HIJACK_CLIENTS = ["Twitter Web App", "Twitter for Android", "Hootsuite Inc.", "TweetDeck", "IFTTT", "twittbot.net"]
HIJACK_DOMAINS = [
    "breaking-news-now.info",
    "secure-login-verify.com",
    "leaks-archive.net",
    "sea-hack.org",
    "free-gift-cards.xyz",
    "truth-report.ru",
]
CRYPTO_SCAMS = [
    "I am giving back to the community. Send 0.1 BTC and I will send 0.2 BTC back! Limited time only: {link}",
    "We have adopted bitcoin as legal tender and bought 500 BTC to distribute to all citizens. Claim yours: {link}",
    "The SEC has approved spot bitcoin ETFs. Invest now before the price doubles: {link}",
    "Official airdrop: claim your free $GOV tokens today, first 5,000 wallets only {link}",
    "Selling the national payments database for 66 BTC. Contact us: {link}",
    "To fund our small businesses we launch $LIBRA, a private crypto project. Buy here: {link}",
    "Double your ETH in 30 minutes! Send to 0x52908400098527886E0F7030069857D2E4169EE7 and receive 2x",
    "Celebrate with us: NFT mint is live, guaranteed profit for early buyers {link}",
]
SCAM_DOMAINS = [
    "btc-double.io",
    "gov-airdrop.org",
    "claim-crypto-now.com",
    "libra-coin.app",
    "nft-mint-live.xyz",
    "secure-wallet-bonus.net",
]
HOST_POLITICS = {
    "US": [
        "Rubio has done nothing for Florida. Time for a change in the midterms?",
        "Why do Republicans keep blocking aid? Voters will remember in November.",
        "Trump's campaign is falling apart, new polls show. Democrats gain in swing states.",
        "Biden's record on jobs is weak; is he the right candidate for 2024?",
        "Senate race update: the GOP candidate faces questions over ballots.",
        "Pelosi and McConnell can't agree on anything. Congress is broken.",
    ],
    "GB": [
        "Starmer's Labour Party is promising everything and delivering nothing. Vote wisely.",
        "Tories in chaos again: Sunak faces revolt ahead of the general election.",
        "Farage says Reform UK will win seats at Westminster. Will voters believe him?",
        "By-election shock: the Lib Dems take another Tory seat.",
    ],
    "AU": [
        "Albanese's Labor Party faces a tough federal election, polls say.",
        "Dutton's coalition promises tax cuts. Will the Greens hold the balance in the Senate?",
        "Morrison and Turnbull: the Liberal Party's long civil war continues.",
    ],
    "CA": [
        "Trudeau's Liberals trail in the polls as the federal election nears.",
        "Poilievre's Conservatives promise to axe the tax. NDP leader Singh responds.",
        "Carney or Poilievre? Canadians weigh their ballot choice.",
    ],
    "PH": [
        "Marcos vs Robredo: who will win the halalan? Comelec results are in.",
        "Duterte allies sweep the senatorial race, according to Comelec.",
        "Sara Duterte's campaign draws big crowds ahead of the election.",
    ],
    "FR": [
        "Le Pen progresse dans les sondages avant la présidentielle, Macron recule.",
        "Mélenchon appelle à voter contre le Rassemblement National aux législatives.",
        "Bardella et Zemmour se disputent l'électorat de droite avant le scrutin.",
    ],
}
DISCLOSED_BIOS = [
    "State-affiliated media. Official account of {owner}.",
    "{owner} — state media, funded by the government.",
    "News from CGTN, China Media Group. {owner}",
    "Official account of the Embassy. {owner}",
]
UNDISCLOSED_BIOS = [
    "Your daily dose of news, culture and fun facts 🌍",
    "Independent voices. Real stories.",
    "Politics, explained in 60 seconds. Follow for more!",
    "Optimistic takes on world news ✨",
]
RENAMES = [
    ("Elon Musk", "Giving back 5,000 BTC to the community 🚀", "https://pbs.example/elon.jpg"),
    ("Bapesclan", "Official NFT collection. Mint is live.", "https://pbs.example/ape.png"),
    ("Hacked by LulzSec", "We own this account now.", "https://pbs.example/anon.png"),
    ("ARK Invest", "Crypto investment live stream, double your money", "https://pbs.example/ark.png"),
    ("Vitalik Buterin", "ETH giveaway, send and receive 2x", "https://pbs.example/vb.png"),
    ("CyberCaliphate", "i love you isis", "https://pbs.example/cc.png"),
    ("Anonymous", "Tango down. #OpKorea", "https://pbs.example/anon2.png"),
    ("Official Airdrop", "Claim free tokens now", "https://pbs.example/drop.png"),
]
SUMMIT_TAGS = ["G20", "UNGA", "COP21", "NATOSummit", "APEC", "EUCO", "G7Summit", "BRICS"]


class Generator:
    def __init__(self, infos: dict[str, AccountInfo], metas: dict[str, Any], seed: int, variant: str, per_type: int):
        self.infos = infos
        self.metas = metas
        self.rng = random.Random(seed)
        self.variant = variant
        self.per_type = per_type
        self.serial = 0
        self.history_extra: dict[str, list[Activity]] = {}  # benign history injected into learn parts

    # ---- helpers ------------------------------------------------------------------------------------
    def _id(self) -> str:
        self.serial += 1
        return f"x:eval{self.variant[0]}{self.serial:07d}"

    def _act(self, handle: str, kind: str, at: datetime, **fields) -> Activity:
        info = self.infos.get(handle)
        if info is not None:
            # an injected record carries only the optional fields this account's real records carry
            for name in ("lang", "client"):
                if name not in info.fields:
                    fields.pop(name, None)
            if "lang" not in info.fields and isinstance(fields.get("target"), dict):
                fields["target"] = {k: v for k, v in fields["target"].items() if k != "lang"}
        ident = fields.pop("id", None) or self._id()
        record = {
            "id": ident,
            "platform": "x",
            "account": handle,
            "kind": kind,
            "at": format_time(at),
            "url": f"https://twitter.com/{handle}/status/{ident[2:]}",
            **fields,
        }
        return parse_activity(record)

    def _target(self, account: str, text: str | None = None, **extra) -> dict:
        tid = "x:t" + "".join(self.rng.choices(string.digits, k=12))
        out = {"id": tid, "account": account, "url": f"https://twitter.com/{account}/status/{tid[3:]}"}
        if text:
            out["text"] = text
        out.update(extra)
        return out

    def _moment(self, info: AccountInfo, hours: str = "any") -> datetime:
        """A time inside the account's replayed span; at one of its usual hours or at any hour."""
        span = (info.end - info.start).total_seconds()
        day = info.start + timedelta(seconds=self.rng.uniform(0.05, 0.95) * span)
        if hours == "usual" and info.hours:
            hour = self.rng.choices(list(info.hours), weights=list(info.hours.values()))[0]
        else:
            hour = self.rng.randrange(24)
        return day.replace(hour=hour, minute=self.rng.randrange(60), second=self.rng.randrange(60), microsecond=0)

    def _accounts(self, need: Callable[[AccountInfo], bool] = lambda i: True) -> list[AccountInfo]:
        found = [i for i in self.infos.values() if need(i)]
        self.rng.shuffle(found)
        return found

    def _cycle(self, need: Callable[[AccountInfo], bool] = lambda i: True):
        accounts = self._accounts(need)
        while accounts:
            yield from accounts
            self.rng.shuffle(accounts)

    def _usual_hour(self, info: AccountInfo, at: datetime) -> bool:
        """Whether the hour is one the account often uses (at least 2% of its activity)."""
        total = sum(info.hours.values()) or 1
        return info.hours.get(at.hour, 0) / total >= 0.02

    def _lang_of(self, info: AccountInfo) -> str | None:
        return info.langs.most_common(1)[0][0] if info.langs else None

    # ---- incident types -----------------------------------------------------------------------------
    def foreign_repost(self, info: AccountInfo) -> list[Activity]:
        """S1 (the Chinese Embassy in the US reposting the US president's election claim), I20, I37:
        another government's watched account, outside its circle, reposted or quoted; half the time one
        of that account's own real posts, half the time a political claim in its name. What gives it
        away is who: a watched official of another government it never had anything to do with."""
        at = self._moment(info, self.rng.choice(["usual", "any"]))
        leaders = [
            i
            for i in self.infos.values()
            if i.country != info.country
            and i.handle.lower() not in info.circle
            and info.handle.lower() not in i.circle
            and i.texts_by_lang
        ]
        if not leaders:
            return self.partisan_repost(info)
        leader = self.rng.choice(leaders)
        if self.rng.random() < 0.5:
            lang = self.rng.choice(list(leader.texts_by_lang))
            text = self.rng.choice(leader.texts_by_lang[lang])
        else:
            lang, text = self.rng.choice(pool(POLITICAL_CLAIMS, self.variant, heldout.POLITICAL_CLAIMS))
        return self._amplify(info, at, leader.handle, text, lang)

    def _amplify(self, info: AccountInfo, at: datetime, account: str, text: str, lang: str | None) -> list[Activity]:
        """A repost of the account's text, or one time in five a quote with a word of approval."""
        if self.rng.random() < 0.8:
            return [self._act(info.handle, "repost", at, target=self._target(account, text, lang=lang))]
        comment = self.rng.choice(["Indeed.", "Worth reading.", "👇", "So true"])
        return [self._act(info.handle, "quote", at, text=comment, target=self._target(account, text, lang=lang))]

    def partisan_repost(self, info: AccountInfo) -> list[Activity]:
        """I20, I37: amplifying a partisan claim (a stolen election, a candidate to jail) by a politician
        or activist who is not watched, outside its circle. A new target alone is everyday news work for
        many accounts; what the claim says is what makes it news, so this type needs the word lists."""
        at = self._moment(info, self.rng.choice(["usual", "any"]))
        targets = [
            a
            for a in pool(POLITICAL_ACCOUNTS, self.variant, heldout.POLITICAL_ACCOUNTS)
            if a.lower() not in info.partners and a.lower() != info.handle.lower()
        ]
        account = self.rng.choice(targets or POLITICAL_ACCOUNTS)
        lang, text = self.rng.choice(pool(POLITICAL_CLAIMS, self.variant, heldout.POLITICAL_CLAIMS))
        return self._amplify(info, at, account, text, lang)

    def undone_repost(self, info: AccountInfo) -> list[Activity]:
        """S1 as it ended (the embassy's retweet vanished), I01, I31: a repost of an account it never
        amplified, deleted minutes later. The repost's text is ordinary; what gives it away is who."""
        accounts = [
            a
            for a in pool(
                POLITICAL_ACCOUNTS + TROLL_ACCOUNTS + CRYPTO_ACCOUNTS,
                self.variant,
                heldout.POLITICAL_ACCOUNTS + heldout.TROLL_ACCOUNTS,
            )
            if a.lower() not in info.partners
        ]
        account = self.rng.choice(accounts or POLITICAL_ACCOUNTS)
        text = self.rng.choice(pool(ORDINARY_TEXTS, self.variant))
        at = self._moment(info, self.rng.choice(["usual", "any"]))
        repost = self._act(info.handle, "repost", at, target=self._target(account, text))
        delete = self._act(
            info.handle, "delete", at + timedelta(minutes=self.rng.randint(3, 40)), target={"id": repost.id}
        )
        return [repost, delete]

    def routine(self, info: AccountInfo, start: datetime, end: datetime, count: int) -> list[Activity]:
        """Likes of posts it amplified in the same span (their authors and texts: partners mostly, and new
        accounts at its own rate, as its reposts go), follows and unfollows of accounts it knows, un-likes
        and deletions a day or more later, at the account's own hours: what an official account does
        every week. (Likes only of its top partners would spare every like from the checks of whom it
        amplifies: real accounts like new accounts' posts too.)"""
        partners = [p for p, _ in info.partners.most_common(40)] or ["someone"]
        span = max(1.0, (end - start).total_seconds())
        out: list[Activity] = []
        liked: list[tuple[str, str]] = []
        own = [a for a in info.learn + info.test if start <= a.at <= end and a.kind in ("post", "repost")]
        amplified = [
            (a.target["account"], a.target.get("text"))
            for a in own
            if a.kind == "repost" and a.target and a.target.get("account") and a.target.get("text")
        ]
        for kind, rate in ROUTINE_RATES.items():
            for _ in range(int(count * rate + self.rng.random())):
                at = start + timedelta(seconds=self.rng.uniform(0, span))
                if info.hours:
                    hour = self.rng.choices(list(info.hours), weights=list(info.hours.values()))[0]
                    at = at.replace(hour=hour, minute=self.rng.randrange(60))
                if not (start <= at <= end):
                    continue
                partner = self.rng.choice(partners)
                texts = info.partner_texts.get(partner)
                if kind == "like":
                    if amplified:
                        author, text = self.rng.choice(amplified)
                        target = self._target(author, text)
                    else:
                        target = self._target(partner, self.rng.choice(texts) if texts else None)
                    liked.append((target["id"], target["account"]))
                elif kind == "unlike":
                    tid, who = liked[-1] if liked else ("x:l" + str(self.rng.randint(10**9, 10**10)), partner)
                    target = {"id": tid, "account": who}
                elif kind == "delete":
                    older = [a for a in own if a.at < at - timedelta(days=1)]
                    if not older:
                        continue
                    target = {"id": self.rng.choice(older[-50:]).id}
                else:
                    target = {"account": partner}
                out.append(self._act(info.handle, kind, at, target=target))
        return out

    def offprofile_like(self, info: AccountInfo) -> list[Activity]:
        """S2 (likes of posts attacking the CCP), I08, I22: liking critics and trolls."""
        at = self._moment(info, self.rng.choice(["usual", "any"]))
        out = []
        for i in range(self.rng.choice([1, 1, 2, 3])):
            account = self.rng.choice(pool(TROLL_ACCOUNTS, self.variant, heldout.TROLL_ACCOUNTS))
            text = self.rng.choice(pool(CRITIC_TEXTS, self.variant, heldout.CRITIC_TEXTS))
            out.append(
                self._act(info.handle, "like", at + timedelta(minutes=3 * i), target=self._target(account, text))
            )
        return out

    def explicit_like(self, info: AccountInfo) -> list[Activity]:
        """S2 (explicit clip), I19, I38, I36: engaging with sexual content."""
        at = self._moment(info, "any")
        account = self.rng.choice(pool(ADULT_ACCOUNTS, self.variant))
        text = self.rng.choice(pool(ADULT_TEXTS, self.variant))
        extra: dict[str, Any] = {}
        if self.rng.random() < 0.6:
            extra["labels"] = self.rng.choice([["porn"], ["sexual", "nudity"], ["nudity"], ["sexual"]])
        kind = self.rng.choice(["like", "like", "like", "reply", "repost"])
        if kind == "reply":
            return [
                self._act(
                    info.handle,
                    "reply",
                    at,
                    text=self.rng.choice(["😍😍", "wow", "send more", "🔥"]),
                    target=self._target(account, text, **extra),
                    mentions=[account],
                )
            ]
        return [self._act(info.handle, kind, at, target=self._target(account, text, **extra))]

    def status_change(self, info: AccountInfo) -> list[Activity]:
        """S3 (11-minute deactivation), I04, I40, I41: the account disappears, is locked or comes back."""
        at = self._moment(info, "any")
        what = self.rng.choice(["deactivated", "deactivated", "suspended", "protected", "deleted"])
        out = [self._act(info.handle, "status", at, status=what)]
        if what != "deleted" and self.rng.random() < 0.7:
            out.append(
                self._act(info.handle, "status", at + timedelta(minutes=self.rng.randint(5, 600)), status="active")
            )
        return out

    def profile_change(self, info: AccountInfo) -> list[Activity]:
        """I05, I06, I12, I50, I54: takeover renames and re-skins (celebrity, crypto, hacker brands)."""
        at = self._moment(info, "any")
        name, bio, avatar = self.rng.choice(pool(RENAMES, self.variant))
        base = self.metas[info.handle].profile
        variant = self.rng.random()
        if variant < 0.5:
            profile = {**base, "name": name, "bio": bio, "avatar": avatar}
        elif variant < 0.8:
            profile = {**base, "name": name, "avatar": avatar}
        else:
            profile = {**base, "bio": bio, "avatar": avatar}
        return [self._act(info.handle, "profile", at, profile=profile)]

    def undisclosed_affiliation(self, info: AccountInfo) -> list[Activity]:
        """S4 (TikTok accounts of CCTV's US distributor), I24, I27, I59: political posts aimed at a host
        country by a state-run account whose profile does not say so."""
        meta = self.metas[info.handle].meta
        text = self.rng.choice(pool(HOST_POLITICS[meta.host_country], self.variant))
        at = self._moment(info, "usual")
        kind = self.rng.choice(["post", "post", "post", "reply"])
        if kind == "reply":
            return [
                self._act(
                    info.handle, "reply", at, text=text, target=self._target("voter_" + str(self.rng.randint(1, 999)))
                )
            ]
        return [self._act(info.handle, "post", at, text=text)]

    def hijack_post(self, info: AccountInfo) -> list[Activity]:
        """I07 (AP), I10, I11 (Medvedev resignation), I15, I17: a takeover posts fake news or a hack claim.
        Each carries at least one sign of someone else at the keyboard: another client, another language,
        a quiet hour, an unfamiliar link or hashtag."""
        at = self._moment(info, self.rng.choice(["any", "any", "usual"]))
        out = []
        own_lang = self._lang_of(info)
        items = pool(FAKE_NEWS, self.variant, heldout.FAKE_NEWS)
        client = None
        if info.clients:
            client = self.rng.choice([c for c in HIJACK_CLIENTS if c not in info.clients] or HIJACK_CLIENTS)
        mine = [item for item in items if item[0] == own_lang]
        for i in range(self.rng.choice([1, 1, 2, 3])):
            lang, text = self.rng.choice(mine if mine and self.rng.random() < 0.5 else items)
            fields: dict[str, Any] = {"text": text}
            if client:
                fields["client"] = client
            if own_lang:
                fields["lang"] = lang
            signed = bool(client) or lang != own_lang or not self._usual_hour(info, at)
            if self.rng.random() < 0.4 or not signed:
                # no other sign: the unfamiliar link (the AP hoax's shape, a news flash with a link)
                host = self.rng.choice(pool(HIJACK_DOMAINS, self.variant, heldout.HIJACK_DOMAINS))
                fields["links"] = [f"https://{host}/{self.rng.randint(1000, 9999)}"]
                fields["text"] += " " + fields["links"][0]
            fields["hashtags"] = [w[1:] for w in text.split() if w.startswith("#")]
            out.append(self._act(info.handle, "post", at + timedelta(minutes=4 * i), **fields))
        return out

    def crypto_scam(self, info: AccountInfo) -> list[Activity]:
        """I34, I35 (verified accounts 'double your bitcoin'), I49 (Modi), I57 (SEC), I60 ($LIBRA)."""
        at = self._moment(info, self.rng.choice(["any", "usual"]))
        host = self.rng.choice(pool(SCAM_DOMAINS, self.variant))
        link = f"https://{host}/{self.rng.randint(100, 999)}"
        text = self.rng.choice(pool(CRYPTO_SCAMS, self.variant)).format(link=link)
        fields: dict[str, Any] = {"text": text, "links": [link] if "{link}" not in text else [link]}
        if info.clients:
            fields["client"] = self.rng.choice(HIJACK_CLIENTS)
        kind = self.rng.choice(["post", "post", "reply"])
        if kind == "reply":
            fields["target"] = self._target(self.rng.choice(list(info.partners) or ["someone"]))
        return [self._act(info.handle, kind, at, **fields)]

    def offprofile_follow(self, info: AccountInfo) -> list[Activity]:
        """I09 (No 10 follows an escort agency), I13, I18: following adult, crypto or extremist accounts."""
        at = self._moment(info, "any")
        kind_pool = self.rng.choice([ADULT_ACCOUNTS, CRYPTO_ACCOUNTS, ADULT_ACCOUNTS])
        return [
            self._act(
                info.handle,
                "follow",
                at + timedelta(minutes=2 * i),
                target={"account": self.rng.choice(pool(kind_pool, self.variant))},
            )
            for i in range(self.rng.choice([1, 1, 2, 4]))
        ]

    def mass_undo(self, info: AccountInfo) -> list[Activity]:
        """S2 (likes wiped an hour later), I30 (White House unfollows six Indian accounts)."""
        at = self._moment(info, "any")
        count = self.rng.randint(6, 30)
        kind = self.rng.choice(["unlike", "unfollow"])
        partners = list(info.partners) or ["someone"]
        step = self.rng.uniform(5, 60)
        out = []
        for i in range(count):
            target = {"account": self.rng.choice(partners)}
            if kind == "unlike":
                target["id"] = "x:l" + str(self.rng.randint(10**9, 10**10))
            out.append(self._act(info.handle, kind, at + timedelta(seconds=step * i), target=target))
        return out

    def quick_delete(self, info: AccountInfo) -> list[Activity]:
        """I01, I03 ('Bachelet, Bachelet...'), I28 ('Perdió Cristina'), I31, I47: a post deleted minutes later."""
        at = self._moment(info, self.rng.choice(["usual", "any"]))
        texts = [
            "Arrogant and offensive. Can you imagine having to work with these truth twisters?",
            "Perdió Cristina",
            "Bachelet, Bachelet, Bachelet... is there no other news?",
            "Classy as always, China.",
            "Sorry, no other option. They have not paid us in three months.",
            "Security chiefs never warned me. Never.",
            "Is anyone even reading this? lol",
            "Enough of this circus in parliament.",
        ]
        post = self._act(
            info.handle, "post", at, text=self.rng.choice(pool(texts, self.variant, heldout.QUICK_DELETE_TEXTS))
        )
        delete = self._act(
            info.handle, "delete", at + timedelta(minutes=self.rng.randint(2, 90)), target={"id": post.id}
        )
        return [post, delete]

    def dormant_wakeup(self, info: AccountInfo) -> list[Activity]:
        """I32 (@ArabiaNow silent since 2018, then claims about investments), Fox News Politics 2011."""
        at = info.end + timedelta(days=self.rng.randint(45, 600), hours=self.rng.randint(0, 23))
        text = self.rng.choice(
            pool(
                [t for _, t in FAKE_NEWS]
                + [c.format(link="") for c in CRYPTO_SCAMS[:4]]
                + [t for _, t in POLITICAL_CLAIMS],
                self.variant,
            )
        )
        return [self._act(info.handle, "post", at, text=text)]

    def burst(self, info: AccountInfo) -> list[Activity]:
        """I17 (minister's account retweets militant accounts for hours), 'dozens of likes in minutes'."""
        at = self._moment(info, "any")
        kind = self.rng.choice(["like", "repost"])
        count = self.rng.randint(15, 40)
        step = self.rng.uniform(5, 25)
        accounts = pool(TROLL_ACCOUNTS + EXTREMIST_ACCOUNTS + CRYPTO_ACCOUNTS, self.variant)
        return [
            self._act(
                info.handle,
                kind,
                at + timedelta(seconds=step * i),
                target=self._target(self.rng.choice(accounts), self.rng.choice(CRITIC_TEXTS)),
            )
            for i in range(count)
        ]

    def coordinated(self, infos: list[AccountInfo], at: datetime) -> list[Activity]:
        """I45 (62 accounts amplify the PRC ambassador within 60 s), I35 (same scam on many accounts),
        S4 (near-identical posts on a host country's candidates)."""
        out = []
        if self.rng.random() < 0.6:
            account = self.rng.choice(
                pool(
                    POLITICAL_ACCOUNTS + TROLL_ACCOUNTS,
                    self.variant,
                    heldout.POLITICAL_ACCOUNTS + heldout.TROLL_ACCOUNTS,
                )
            )
            lang, text = self.rng.choice(pool(POLITICAL_CLAIMS, self.variant, heldout.POLITICAL_CLAIMS))
            target = self._target(account, text, lang=lang)
            for info in infos:
                out.append(
                    self._act(
                        info.handle, "repost", at + timedelta(seconds=self.rng.randint(0, 60)), target=dict(target)
                    )
                )
        else:
            if self.rng.random() < 0.5:
                _, text = self.rng.choice(pool(POLITICAL_CLAIMS, self.variant, heldout.POLITICAL_CLAIMS))
            else:
                # a sentence that is mild on its own (another account's real post): only the copies tell
                langs = sorted(lang for lang, texts in self.plain_texts.items() if len(texts) >= 5)
                text = self.rng.choice(self.plain_texts[self.rng.choice(langs)])
            for i, info in enumerate(infos):
                copy = text if i == 0 else self._copied_text(text)
                out.append(self._act(info.handle, "post", at + timedelta(seconds=self.rng.randint(0, 480)), text=copy))
        return out

    def _copied_text(self, text: str) -> str:
        """One account's copy of a shared text, as copies are made by hand: its own link, a label or tag
        put in front, another case, punctuation or an emoji (one or two of these)."""
        edits = self.rng.sample(["link", "label", "case", "punctuation", "emoji"], self.rng.choice([1, 2]))
        for edit in edits:
            if edit == "link":
                text += " https://t.co/" + "".join(self.rng.choices(string.ascii_letters + string.digits, k=10))
            elif edit == "label":
                text = self.rng.choice(["BREAKING: ", "URGENT: ", "#Breaking ", "JUST IN - ", "Statement: "]) + text
            elif edit == "case":
                text = text.lower() if self.rng.random() < 0.7 else text.upper()
            elif edit == "punctuation":
                text = text.rstrip(".!") + self.rng.choice(["!", "!!", ".", " ..."])
            else:
                text += " " + self.rng.choice(["🙏", "‼️", "🇺🇳", "👇", "🔴"])
        return text

    # ---- benign look-alikes ---------------------------------------------------------------------------
    def partner_repost(self, info: AccountInfo) -> list[Activity]:
        partner = self.rng.choice([p for p, _ in info.partners.most_common(3)])
        texts: list[str | None] = [*info.partner_texts.get(partner, [])] or [None]
        return [
            self._act(
                info.handle, "repost", self._moment(info, "usual"), target=self._target(partner, self.rng.choice(texts))
            )
        ]

    def second_language(self, info: AccountInfo) -> list[Activity]:
        lang = info.langs.most_common(2)[1][0]
        text = self._new_text(info.texts_by_lang[lang])
        fields: dict[str, Any] = {"text": text}
        if self._declared(info):
            fields["lang"] = lang
        if info.clients:
            fields["client"] = info.clients.most_common(1)[0][0]
        return [self._act(info.handle, "post", self._moment(info, "usual"), **fields)]

    def _new_text(self, texts: list[str]) -> str:
        """A text it has not posted, in its own words: the first half of one of its posts joined to
        the second half of another."""
        one, two = self.rng.choice(texts).split(), self.rng.choice(texts).split()
        return " ".join(one[: max(1, len(one) // 2)] + two[len(two) // 2 :])

    def _declared(self, info: AccountInfo) -> bool:
        return any(a.lang for a in info.learn[:50])

    def typo_fix(self, info: AccountInfo) -> list[Activity]:
        """A slip fixed as officials fix one where posts cannot be edited: a post of its own with a letter
        slipped, the same post again corrected one to six minutes later, and the slip deleted, before or
        after the correction is up (either way round, as people do)."""
        texts = [a.text for a in info.learn if a.kind == "post" and a.text and len(a.text.split()) >= 6][-400:]
        text = self._new_text(texts)
        fields: dict[str, Any] = {}
        if info.clients:
            fields["client"] = info.clients.most_common(1)[0][0]
        if info.langs and self._declared(info):
            fields["lang"] = info.langs.most_common(1)[0][0]
        at = self._moment(info, "usual")
        slip = self._act(info.handle, "post", at, text=self._slipped(text), **fields)
        fixed = self._act(info.handle, "post", at + timedelta(seconds=self.rng.randint(60, 360)), text=text, **fields)
        deleted = fixed.at + timedelta(seconds=self.rng.choice([-1, 1]) * self.rng.randint(5, 50))
        delete = self._act(info.handle, "delete", deleted, target={"id": slip.id})
        return sorted([slip, fixed, delete], key=lambda a: a.at)

    def _slipped(self, text: str) -> str:
        """The text with one slip of the fingers: two letters of a longer word swapped, or one dropped."""
        words = text.split(" ")
        longer = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()] or [
            i for i, w in enumerate(words) if len(w) >= 2
        ]
        if not longer:
            return text + "."
        i = self.rng.choice(longer)
        word = words[i]
        j = self.rng.randrange(len(word) - 1)
        if self.rng.random() < 0.5:
            word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
        else:
            word = word[:j] + word[j + 1 :]
        return " ".join([*words[:i], word, *words[i + 1 :]])

    def bio_edit(self, info: AccountInfo) -> list[Activity]:
        base = self.metas[info.handle].profile
        bio = base.get("bio") or ""
        edits = [
            bio + " Follow for updates.",
            bio.replace("Official", "The official"),
            bio + " 🇺🇳",
            bio.rstrip(".") + ". Tweets by the press office.",
            bio + " #" + str(self.rng.randint(2015, 2017)),
        ]
        profile = {**base, "bio": self.rng.choice(edits)}
        return [self._act(info.handle, "profile", self._moment(info, "usual"), profile=profile)]

    def profile_refresh(self, info: AccountInfo) -> list[Activity]:
        """A new picture and the bio reworded, as offices refresh their page: its sentences in another
        order, often with one more of its own (an independent check's routine refreshes alerted before
        a reworded bio counted as the page's own words)."""
        base = self.metas[info.handle].profile
        parts = [p for p in re.split(r"(?<=[.!?])\s+", (base.get("bio") or "").strip()) if p]
        extra = self.rng.choice(["", "Photos and videos of the week.", "Run by the press team.", "Follow for updates."])
        bio = " ".join(parts[1:] + parts[:1] + ([extra] if extra else []))
        avatar = (base.get("avatar") or "https://pbs.example/avatar.jpg").rsplit(".", 1)[0] + "-new.jpg"
        profile = {**base, "bio": bio, "avatar": avatar}
        return [self._act(info.handle, "profile", self._moment(info, "usual"), profile=profile)]

    def name_edit(self, info: AccountInfo) -> list[Activity]:
        """A display name touched up, as offices do: a flag, an article, a title, another spelling."""
        base = self.metas[info.handle].profile
        name = base.get("name") or info.handle
        edits = [name + " 🇺🇳", "The " + name, name + " (official)", name.upper(), name.replace(" ", " · ", 1)]
        profile = {**base, "name": self.rng.choice(edits)}
        return [self._act(info.handle, "profile", self._moment(info, "usual"), profile=profile)]

    def summit_burst(self, info: AccountInfo, tag: str, at: datetime) -> list[Activity]:
        texts = [a.text for a in info.learn if a.kind == "post" and a.text][-400:]
        count = self.rng.randint(6, 12)
        out = []
        for _ in range(count):
            text = self._new_text(texts) + f" #{tag}"
            fields: dict[str, Any] = {"text": text, "hashtags": [tag]}
            if info.clients:
                fields["client"] = info.clients.most_common(1)[0][0]
            if info.langs and self._declared(info):
                fields["lang"] = info.langs.most_common(1)[0][0]
            out.append(self._act(info.handle, "post", at + timedelta(minutes=self.rng.uniform(0, 45)), **fields))
        return sorted(out, key=lambda a: a.at)

    def disclosed_politics(self, info: AccountInfo) -> list[Activity]:
        meta = self.metas[info.handle].meta
        text = self.rng.choice(HOST_POLITICS[meta.host_country])
        return [self._act(info.handle, "post", self._moment(info, "usual"), text=text)]

    # ---- the whole set ------------------------------------------------------------------------------
    def cases(self) -> list[Case]:
        cases: list[Case] = []
        n = self.per_type
        simple = {
            "foreign_repost": (self.foreign_repost, lambda i: True),
            "partisan_repost": (self.partisan_repost, lambda i: True),
            "offprofile_like": (self.offprofile_like, lambda i: True),
            "explicit_like": (self.explicit_like, lambda i: True),
            "status_change": (self.status_change, lambda i: True),
            "profile_change": (self.profile_change, lambda i: True),
            "undisclosed_affiliation": (
                self.undisclosed_affiliation,
                lambda i: self.metas[i.handle].meta.affiliation is not None and not self.metas[i.handle].disclosed,
            ),
            "hijack_post": (self.hijack_post, lambda i: True),
            "crypto_scam": (self.crypto_scam, lambda i: True),
            "offprofile_follow": (self.offprofile_follow, lambda i: True),
            "mass_undo": (self.mass_undo, lambda i: True),
            "quick_delete": (self.quick_delete, lambda i: True),
            "undone_repost": (self.undone_repost, lambda i: True),
            "burst": (self.burst, lambda i: True),
        }
        for kind, (make, need) in simple.items():
            accounts = self._cycle(need)
            for _ in range(n):
                info = next(accounts, None)
                if info is None:
                    break
                cases.append(Case(self._id(), kind, False, [info.handle], make(info)))
        for info in self._accounts()[:n]:
            cases.append(Case(self._id(), "dormant_wakeup", False, [info.handle], self.dormant_wakeup(info)))
        for _ in range(n):
            at: datetime | None = None
            live: list[AccountInfo] = []
            for _try in range(50):
                anchor = self.rng.choice(list(self.infos.values()))
                at = self._moment(anchor, "any")
                live = [i for i in self.infos.values() if i.start <= at <= i.end]
                if len(live) >= 2:
                    break
            members = self.rng.sample(live, min(len(live), self.rng.randint(2, 4)))
            assert at is not None  # the loop ran at least once
            acts = self.coordinated(members, at)
            cases.append(Case(self._id(), "coordinated", False, [m.handle for m in members], acts))
        # benign look-alikes
        for info in self._accounts(lambda i: len(i.partners) >= 3 and i.partners.most_common(1)[0][1] >= 10)[:n]:
            cases.append(Case(self._id(), "partner_repost", True, [info.handle], self.partner_repost(info)))

        def second(i: AccountInfo) -> bool:
            return (
                len(i.langs) >= 2
                and i.langs.most_common(2)[1][1] >= 0.08 * sum(i.langs.values())
                and len(i.texts_by_lang.get(i.langs.most_common(2)[1][0], [])) >= 5
            )

        for info in self._cycle_limited(second, n):
            cases.append(Case(self._id(), "second_language", True, [info.handle], self.second_language(info)))
        for info in self._accounts()[:n]:
            cases.append(Case(self._id(), "bio_edit", True, [info.handle], self.bio_edit(info)))
        for info in self._accounts(lambda i: sum(1 for a in i.learn if a.kind == "post" and a.text) >= 50)[:n]:
            tag = self.rng.choice(SUMMIT_TAGS)
            # it "always covers" the summit: the same kind of burst in each of the two previous years
            history = []
            for back in (1, 2):
                past = info.learn[-1].at - timedelta(days=365 * (back - 1) + self.rng.randint(30, 200))
                if past > info.learn[0].at:
                    history += self.summit_burst(
                        info, tag, past.replace(hour=self.rng.choice(list(info.hours) or [12]))
                    )
            if not history:
                continue
            self.history_extra.setdefault(info.handle, []).extend(history)
            cases.append(
                Case(
                    self._id(),
                    "summit_burst",
                    True,
                    [info.handle],
                    self.summit_burst(info, tag, self._moment(info, "usual")),
                )
            )
        for info in self.infos.values():
            if info.learn:
                self.history_extra.setdefault(info.handle, []).extend(
                    self.routine(info, info.learn[0].at, info.learn[-1].at, len(info.learn))
                )
            acts = self.routine(info, info.start, info.end, len(info.test))
            if acts:
                cases.append(Case(self._id(), "routine", True, [info.handle], acts))
        disclosed = [i for i in self.infos.values() if self.metas[i.handle].disclosed]
        for k in range(min(n, 4 * len(disclosed))):
            info = disclosed[k % len(disclosed)]
            cases.append(Case(self._id(), "disclosed_politics", True, [info.handle], self.disclosed_politics(info)))
        # drawn last, so the other types' draws stay as they were before this type existed
        foreign = [i for i in self.infos.values() if self._unused_langs(i)]
        for _ in range(n if foreign else 0):
            info = self.rng.choice(foreign)
            cases.append(Case(self._id(), "foreign_language", False, [info.handle], self.foreign_language(info)))
        flashes = FLASH_ALARMS if self.variant == "tune" else heldout.FLASH_ALARMS  # every language on each side
        flash_langs = {lang for lang, _ in flashes}
        speaking = sorted((i for i in self.infos.values() if self._lang_of(i) in flash_langs), key=lambda i: i.handle)
        for _ in range(n if speaking else 0):
            info = self.rng.choice(speaking)
            cases.append(Case(self._id(), "flash_alarm", False, [info.handle], self.flash_alarm(info, flashes)))
        for info in self._accounts()[:n]:
            cases.append(Case(self._id(), "name_edit", True, [info.handle], self.name_edit(info)))
        # drawn after every other type, so that their draws stay as they were
        for info in self._accounts(lambda i: sum(1 for a in i.learn if a.kind == "post" and a.text) >= 50)[:n]:
            cases.append(Case(self._id(), "typo_fix", True, [info.handle], self.typo_fix(info)))
        for info in self._accounts()[:n]:  # drawn last of all, for the same reason
            cases.append(Case(self._id(), "profile_refresh", True, [info.handle], self.profile_refresh(info)))
        # after every other draw, for the same reason: a second case of any one-account type above
        makers: dict[str, Callable[[AccountInfo], list[Activity]]] = {kind: make for kind, (make, _) in simple.items()}
        makers["foreign_language"] = self.foreign_language
        makers["flash_alarm"] = lambda info: self.flash_alarm(info, flashes)
        cases += self._repeats(cases, n, makers)
        return cases

    def _repeats(
        self, cases: list[Case], n: int, makers: dict[str, Callable[[AccountInfo], list[Activity]]]
    ) -> list[Case]:
        """A second incident of the same type on the same account, an hour or more after the first: an
        alerted activity is not normal until a moderator says so, so it must alert again. Each type above
        gives an account one case at most, so without these no account ever had a second (and an
        independent check's repeated sprees went unseen: each spree's size had become the next one's
        line). `makers`: each type's case maker."""
        firsts = [c for c in cases if not c.benign and c.type in makers]
        out: list[Case] = []
        for _ in range(n if firsts else 0):
            first = self.rng.choice(firsts)
            info = self.infos[first.accounts[0]]
            after = max(a.at for a in first.activities) + timedelta(hours=1)
            for _try in range(20):
                acts = makers[first.type](info)
                if min(a.at for a in acts) >= after:
                    out.append(Case(self._id(), "repeat", False, [info.handle], acts, note=first.type))
                    break
        return out

    def _unused_langs(self, info: AccountInfo) -> list[str]:
        """Languages other accounts write ordinary posts in that this one never used (sorted: the same
        draw every run)."""
        return sorted(lang for lang, texts in self.plain_texts.items() if lang not in info.langs and len(texts) >= 5)

    @property
    def plain_texts(self) -> dict[str, list[str]]:
        """Every account's real posts by language, without links or mentions (ordinary content). A
        language its account wrote once is left out: such a lone label is as often the platform's
        misreading as the language (three of the five: Mahama's English and Rousseff's Portuguese
        declared Italian, Di Rupo's French around a German quotation declared German), and a post in
        the account's own language is no incident to inject."""
        if not hasattr(self, "_plain"):
            self._plain: dict[str, list[str]] = {}
            for info in sorted(self.infos.values(), key=lambda i: i.handle):
                for lang, texts in sorted(info.texts_by_lang.items()):
                    if info.langs[lang] < PLAIN_LANG_MIN:
                        continue
                    self._plain.setdefault(lang, []).extend(
                        t for t in texts if len(t) >= 40 and "http" not in t and "@" not in t
                    )
        return self._plain

    def foreign_language(self, info: AccountInfo) -> list[Activity]:
        """A government account posting, at one of its usual hours and with no link, an ordinary post in
        a language it never used (a German post on an account that never wrote German): the language is
        the only sign. The text is another account's real post in that language."""
        lang = self.rng.choice(self._unused_langs(info))
        text = self.rng.choice(self.plain_texts[lang])
        return [self._act(info.handle, "post", self._moment(info, "usual"), text=text, lang=lang)]

    def flash_alarm(self, info: AccountInfo, flashes: list[tuple[str, str]]) -> list[Activity]:
        """I07 without its link, I11: a news flash of an alarm in the account's own language, at one of its
        usual hours, from its usual client, with no link. Nothing but the flash itself gives it away: a
        label it never used heading an alarming claim."""
        own = self._lang_of(info)
        text = self.rng.choice([t for lang, t in flashes if lang == own])
        fields: dict[str, Any] = {"text": text, "lang": own}
        if info.clients:
            fields["client"] = info.clients.most_common(1)[0][0]
        return [self._act(info.handle, "post", self._moment(info, "usual"), **fields)]

    def _cycle_limited(self, need, n):
        found = self._accounts(need)
        out = []
        while found and len(out) < n:
            out.extend(found[: n - len(out)])
        return out
