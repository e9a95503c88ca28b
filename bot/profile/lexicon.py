"""The curated word lists in data/lexicon.json, compiled once into matchers.

Used for what a baseline cannot learn from one account: who a foreign leader is, what an election
word in the host country is, what counts as adult or crypto-scam content, what a disclosure looks like.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any

from .text import label_key, shown_label

# found through the package, not __file__: a compiled lexicon module lives in build/mypyc (bot/compiled.py)
LEXICON_PATH = resources.files("bot.profile") / "data" / "lexicon.json"
BTC_ADDRESS_RE = re.compile(r"\b(?:bc1[a-z0-9]{25,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[a-fA-F0-9]{40})\b")
CASHTAG_RE = re.compile(r"(?<![\w$])\$[A-Za-z]{2,10}\b")


# ... and the "no one under eighteen" sign, the emoji of "18+", which adult posts carry as a label
TOKEN_RE = re.compile(r"[$]?\w+(?:-\w+)*\+?|\U0001F51E")
# A word with a year or a number glued on, as hashtags are written ("#Election2022", "#Wahl2021",
# "#Midterms2022"): read as the word and the number, or a state outlet's "#election2022" under a post on
# a Senate candidate named no election word.
GLUED_RE = re.compile(r"([^\W\d_]{3,})(\d{2,4})")


def tokens(text: str) -> list[str]:
    return _split(_lower(text))


def _lower(text: str) -> str:
    """The text lower-cased as the lists and ideas read it. "İ".lower() is "i" and a combining dot, which
    splits a word in two: without the dot, "İstifa etti" and "İÇME SUYU" hold their Turkish stems."""
    return text.lower().replace("\u0307", "")


def _split(lowered: str) -> list[str]:
    words = TOKEN_RE.findall(lowered)
    for word in words:
        if word[-1].isdigit():
            return _unglued(words)
    return words


def _unglued(words: list[str]) -> list[str]:
    """The words with a number glued to a word (GLUED_RE) split in two."""
    out: list[str] = []
    for word in words:
        glued = GLUED_RE.fullmatch(word) if word[-1].isdigit() else None
        if glued is None:
            out.append(word)
        else:
            out += glued.groups()
    return out


def _read(text: str) -> tuple[str, list[str]]:
    """The text lower-cased and its tokens: the phrases and the ideas of one activity read the same
    text in turn, so the last one is kept."""
    last = _LAST_READ[0]
    if last[0] is text:
        return last[1], last[2]
    lowered = _lower(text)
    words = _split(lowered)
    _LAST_READ[0] = (text, lowered, words)  # one assignment: a text is never paired with another's words
    return lowered, words


_LAST_READ: list[tuple[str | None, str, list[str]]] = [(None, "", [])]


class Scanner:
    """All word lists behind one index of phrases by their first word: a text is split into words once
    and each word looked up, whatever the number of lists asking (a regex alternation of ~600 phrases
    cost ~70 µs per activity; this costs a few)."""

    def __init__(self) -> None:
        # phrase words -> names of the lists holding it (a dict, not a set: the same order every run)
        self.lists: dict[tuple[str, ...], dict[str, None]] = {}
        self.first: dict[str, list[tuple[str, ...]]] = {}
        self.cache: dict[str, dict[str, list[str]]] = {}

    def add(self, name: str, phrases: list[str]) -> "Terms":
        for phrase in phrases:
            words = tuple(tokens(phrase))
            if not words:
                continue
            if words not in self.lists:
                self.lists[words] = {}
                self.first.setdefault(words[0], []).append(words)
                self.first[words[0]].sort(key=len, reverse=True)
            self.lists[words][name] = None
        return Terms(self, name, bool(phrases))

    def scan(self, text: str) -> dict[str, list[str]]:
        found = self.cache.get(text)
        if found is not None:
            return found
        found = {}
        words = _read(text)[1]
        first = self.first
        for i, word in enumerate(words):
            candidates = first.get(word)
            if not candidates:
                continue
            for phrase in candidates:
                if tuple(words[i : i + len(phrase)]) == phrase:
                    shown = " ".join(phrase)
                    for name in self.lists[phrase]:
                        hits = found.setdefault(name, [])
                        if shown not in hits:
                            hits.append(shown)
        self.remember(text, found)
        return found

    def remember(self, text: str, found: dict[str, list[str]]) -> None:
        """Keep what a scan of `text` found (here, or in the process that observed it: read_ahead.py)."""
        if len(self.cache) > 16:
            self.cache.clear()
        self.cache[text] = found


class Terms:
    """Case-insensitive whole-word matching of one list of phrases; `find` returns the distinct hits."""

    def __init__(self, scanner: Scanner, name: str, any_terms: bool):
        self.scanner = scanner
        self.name = name
        self.empty = not any_terms

    def find(self, text: str | None) -> list[str]:
        if not text or self.empty:
            return []
        return list(self.scanner.scan(text).get(self.name, ()))


# Scripts written without spaces between words (Japanese, Chinese, Thai; and Arabic, whose words take
# their articles and prepositions as prefixes): a stem there may stand anywhere in the text.
UNSPACED_RE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af\u0600-\u06ff\u0e00-\u0e7f]")
# ... one by one: a stem can stand in a text only if the text holds its script, so each script's stems
# are tried only on texts in it (an Arabic text is not searched for a hundred Chinese and Thai stems)
UNSPACED_SCRIPTS = (
    re.compile(r"[\u0600-\u06ff]"),  # Arabic
    re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]"),  # Japanese and Chinese
    re.compile(r"[\uac00-\ud7af]"),  # Korean
    re.compile(r"[\u0e00-\u0e7f]"),  # Thai
)


PREFIX, PHRASE, WHOLE = 0, 1, 2  # how an idea's stem matches: the start of a word, words of the text, a word

# what stands around a label's words: an emoji siren, a hashtag, brackets
FLASH_EDGES_RE = re.compile(r"^[\W_]+|[\W_]+$")
# Newsrooms set a label of urgent news off without a colon as often as with one: a hashtag ("#BREAKING
# The Prime Minister...", "#عاجل ..."), a siren ("🚨 BREAKING 🚨 ..."), capitals alone ("BREAKING NEWS
# The ..."). Only a label of the list counts in these forms: any capitalised first words or hashtag as a
# label would make every "NATO leaders meet" or "#Brexit is..." one.
FLASH_HEAD_RE = re.compile(r"^[^\w#]{0,6}#(\w+)|^[^\w#]{0,6}(\w+(?:['’]\w+)?(?: \w+(?:['’]\w+)?){0,2})")
IDEA = "idea: "  # how a concept's hit reads among the exact phrases ("alarming claim (idea: a leader resigns)")
# A label of urgent news the account heads its own text with: the news flash's form, whatever the claim
# ("URGENT: the capital's tap water is poisoned"), read as an alarm idea (signals/target_kind.py)
FLASH_IDEA = IDEA + "urgent news"


def claims_alarm(terms: list[str]) -> bool:
    """Whether an observation's terms hold an alarming claim besides the label of urgent news heading it."""
    return any(t.startswith("alarm:") and t != "alarm:" + FLASH_IDEA for t in terms)


# An attributed quote: up to six words, a colon, and what they said in quotation marks ('Presidenta
# @mbachelet: "Elaboramos..."'); without the marks, "The minister: a liar" is a label of its own.
ATTRIBUTION_RE = re.compile(r"^\W*((?:[^\s:]+\s+){0,5}[^\s:]+)\s*:\s*([\"“”«„'‘‹「].*)$", re.S)
# ... or the quotation first and its speaker after a dash ('"African Americans are more likely to be
# arrested..." —President Obama', a speech quoted by the president's own account).
TRAILING_ATTRIBUTION_RE = re.compile(r"^\W*([\"“”«„'‘‹「].*[\"“”»'’›」])\s*[—–―-]+\s*((?:\S+\s+){0,5}\S+)\s*$", re.S)


def attribution(text: str) -> tuple[str, str] | None:
    """(the speaker, what they said) of a text that is a quotation attributed at its head or after a
    dash, else None."""
    quoted = ATTRIBUTION_RE.match(text)
    if quoted is not None:
        return quoted.group(1), quoted.group(2)
    quoted = TRAILING_ATTRIBUTION_RE.match(text)
    return (quoted.group(2), quoted.group(1)) if quoted is not None else None


class Concepts:
    """Ideas that many wordings express ("a leader resigns": a word for a leader and a word for resigning,
    in any of a dozen languages): every class of stems must appear, a stem matching the start of a word,
    or anywhere for scripts without spaces. Stems are looked up by the first three letters of each word,
    so a text costs a few microseconds however many stems there are."""

    def __init__(self, entries: dict[str, list[list[str]]], index: Ideas | None = None):
        self.index = index if index is not None else Ideas()
        self.names: list[str] = []
        self.needs: list[frozenset[int]] = []  # per idea, the classes that must all appear
        self.firsts: list[int] = []  # per idea, its first class (who or what the idea is about)
        for name, classes in entries.items():
            if not classes or not all(classes):
                continue  # switched off (every list emptied) or half an idea
            self.names.append(name)
            numbers = [self.index.add_class(stems) for stems in classes]
            self.needs.append(frozenset(numbers))
            self.firsts.append(numbers[0])

    def find(self, text: str | None) -> list[str]:
        if not text or not self.names:
            return []
        found = self.index.read(text)
        if not found:
            return []
        return [IDEA + name for name, need in zip(self.names, self.needs, strict=True) if need <= found]

    def about_anyone(self, text: str | None) -> list[str]:
        """The ideas whose every class but the first (who or what the idea is about) the text holds: what
        it says, for a caller that knows by other means whom it says it of (the account's own name)."""
        if not text or not self.names:
            return []
        found = self.index.read(text)
        if not found:
            return []
        return [
            IDEA + name
            for name, need, first in zip(self.names, self.needs, self.firsts, strict=True)
            if need - {first} <= found
        ]

    def names_a_subject(self, word: str) -> bool:
        """Whether a word is one the ideas are about (a government, a president, a ministry): a title, not
        a name of one account's own."""
        return bool(self.names) and not set(self.firsts).isdisjoint(self.index.read(word))

    def spoken_by(self, text: str | None) -> bool:
        """Whether the ideas found in a text name their first class (a government, for criticism of one; a
        leader, for harm to one) only as the speaker of what it quotes: in its attribution, a few words and
        a colon before a quotation at its head ('Cumhurbaşkanı Erdoğan: "Yapılan hareket bir ihanet
        hareketidir..."', the president calling the coup treason) or a dash and a few words after it, and
        nowhere in the quotation. Read so, the blame or the harm is the speaker's words, not aimed at it."""
        if not text or not self.names:
            return False
        quoted = attribution(text)
        if quoted is None:
            return False
        speaker, said = quoted
        found = [first for first, need in zip(self.firsts, self.needs, strict=True) if need <= self.index.read(text)]
        if not found:
            return False
        head = self.index.read(speaker)
        rest = self.index.read(said)
        return all(first in head and first not in rest for first in found)


# What a word brings to the ideas: a class it matches, or a stem of several words the text must hold.
Hit = int | tuple[str, int, re.Pattern[str]]
Stem = tuple[str, int, int, Hit]  # (stem, class, how it matches, its hit)


class Ideas:
    """The sets of ideas (alarm, partisan claim, critic) behind one reading of a text: an activity asks two
    or three of them about the same text, and each word's hits in every set are kept, as the same words come
    back in every text. Each set's classes have numbers of their own, so its hits are what it alone finds."""

    def __init__(self) -> None:
        self.classes = 0
        # every set's stems together: a word's first three letters -> (stem, class, how it matches, its hit)
        self.by_prefix: dict[str, list[Stem]] = {}
        self.short: dict[str, list[Hit]] = {}  # a word under three letters -> its hits
        self.unspaced: list[list[tuple[str, int]]] = [[] for _ in UNSPACED_SCRIPTS]  # per script, as listed
        self.words: dict[str, tuple[Hit, ...]] = {}  # token -> its words' hits in every set
        self.last: tuple[str | None, set[int]] = (None, set())  # the last text read and its classes
        # the same stems filed once: the word for a leader is one class of every idea about a leader
        # (resigning, harmed, dying), and filing it again for each would look for each of its phrases
        # ("prime minister", "perdana menteri") once more in every text
        self.filed: dict[frozenset[str], int] = {}

    def add_class(self, stems: list[str]) -> int:
        """File a class of stems under a number of its own (numbered across the index: each set's classes
        stay its own; the same stems, once, under one), and return the number."""
        key = frozenset(stems)
        same = self.filed.get(key)
        if same is not None:
            return same
        self.classes += 1
        cid = self.filed[key] = self.classes
        for stem in (s.lower() for s in stems):
            whole = stem.endswith("$")  # "istifa$": the word itself, not "istifadə" (use, in Azerbaijani)
            stem = stem.rstrip("$")
            if UNSPACED_RE.search(stem):
                script = next(i for i, found in enumerate(UNSPACED_SCRIPTS) if found.search(stem))
                self.unspaced[script].append((stem, cid))
            elif len(stem) < 3:
                self.short.setdefault(stem, []).append(cid)
            else:
                how = WHOLE if whole else PHRASE if re.search(r"[^\w]", stem) else PREFIX  # "behind bars"
                hit: Hit = (stem, cid, re.compile(r"(?<!\w)" + re.escape(stem))) if how == PHRASE else cid
                # a phrase is looked up by its first word as a text's words are read, runs of letters:
                # by its first three characters, "se retira", "w szpitalu", "с праздником" or "từ chức" were
                # never looked up at all (no word of a text starts "se ")
                first = (WORD_RE.findall(stem) or [stem])[0] if how == PHRASE else stem
                if len(first) < 3:
                    self.short.setdefault(first, []).append(hit)
                else:
                    # (a phrase under its first word, which a word of the text must start with: filed
                    # under three letters alone, "prelievi sospesi" was looked for at every "presidente")
                    self.by_prefix.setdefault(first[:3], []).append((first if how == PHRASE else stem, cid, how, hit))
        self.words.clear()  # what a word brings has changed
        self.last = (None, set())
        return cid

    def _learn(self, token: str) -> tuple[Hit, ...]:
        """What a token brings: what each of its runs of letters matches itself (a class), and the stems
        of several words (PHRASE) that the whole text must then hold."""
        hits: list[Hit] = []
        by_prefix = self.by_prefix
        for word in (token,) if token.isalpha() else WORD_RE.findall(token):  # letters alone: one run
            if len(word) < 3:
                hits += self.short.get(word, ())
                continue
            for stem, _, how, hit in by_prefix.get(word[:3], ()):
                if how == PREFIX:
                    if word.startswith(stem):
                        hits.append(hit)
                elif how == WHOLE:
                    if word == stem:
                        hits.append(hit)
                elif word.startswith(stem):  # a phrase's first word
                    hits.append(hit)
        if len(self.words) >= WORDS_CAP:
            self.words.clear()
        known = self.words[token] = tuple(hits)
        return known

    def read(self, text: str) -> set[int]:
        """The classes of every set that the text holds (the same set object for the same text in a row:
        callers only read it)."""
        last = self.last
        if last[0] is text:
            return last[1]
        lowered, words = _read(text)
        # the words of the text are those of its tokens ("anti-government": anti, government), and a word
        # is a token of its own: each token's hits are those of its words; most were met before
        hits = list(map(self.words.get, words))
        if None in hits:
            hits = [known if known is not None else self._learn(word) for word, known in zip(words, hits, strict=True)]
        found: set[int] = set()
        for word_hits in filter(None, hits):
            for hit in word_hits:
                if isinstance(hit, int):
                    found.add(hit)
                elif hit[1] not in found and hit[0] in lowered and hit[2].search(lowered):
                    found.add(hit[1])
        if UNSPACED_RE.search(text):
            for stems, script in zip(self.unspaced, UNSPACED_SCRIPTS, strict=True):
                if stems and script.search(text):
                    for stem, cid in stems:
                        if cid not in found and stem in text:
                            found.add(cid)
        self.last = (text, found)
        return found


WORDS_CAP = 100_000  # tokens whose hits are kept (a few MB); emptied when full

# Words as the ideas read them: runs of letters, so "l'élection" and "anti-government" hold a word that
# starts with the stem.
WORD_RE = re.compile(r"[^\W\d_]+")


WHOLE_WORD_BELOW = 5  # letters: a shorter handle part counts only as a whole word of the handle
HOST_START_MIN = 4  # letters of a scam cue read apart where it opens a domain's part ("freebtc")


class Lexicon:
    def __init__(self, data: dict):
        scan = self.scanner = Scanner()
        self.aliases = {k.lower(): v for k, v in data["aliases"].items()}
        self.leaders = {k.lower(): v for k, v in data["leaders"].items()}
        self.politics = {
            code: scan.add("politics:" + code, entry.get("terms", []) + entry.get("names", []))
            for code, entry in data["politics"].items()
        }
        self.politics_generic = scan.add("generic", data.get("politics_generic", []))
        self.critic_terms = {
            code: scan.add("critic:" + code, entry.get("terms", [])) for code, entry in data["critics"].items()
        }
        self.critic_handles = {
            code: {h.lower() for h in entry.get("handles", [])} for code, entry in data["critics"].items()
        }
        self.critic_handle_parts = {
            code: tuple(entry.get("handle_parts", [])) for code, entry in data["critics"].items()
        }
        self.government = {
            code: scan.add("government:" + code, entry.get("government", [])) for code, entry in data["critics"].items()
        }
        self.condemnation = scan.add("condemnation", data.get("condemnation", []))
        self.adult = scan.add("adult", data["adult"]["terms"])
        self.adult_handle_parts = tuple(data["adult"]["handle_parts"])
        self.adult_handle_hints = tuple(data["adult"].get("handle_hints", []))
        self.crypto = scan.add("crypto", data["crypto"]["terms"])
        self.scam_cues = scan.add("scam_cues", data["crypto"]["scam_cues"])
        # a handle word may start with a long part ("bitcoinking", "tokenpresale"); a short one must be the
        # whole word, or "eth" makes Ethiopian embassies, "Ethan" and "MouvETHIC" crypto promoters
        parts = data["crypto"]["handle_parts"]
        self.crypto_handle_prefixes = tuple(p for p in parts if len(p) >= WHOLE_WORD_BELOW)
        self.crypto_handle_words = frozenset(p for p in parts if len(p) < WHOLE_WORD_BELOW)
        # the same long words open a scam's domain, and so do its cues ("giveawayhq", "doublebtc")
        cues = [c for c in data["crypto"]["scam_cues"] if " " not in c and len(c) >= HOST_START_MIN]
        self.crypto_host_starts = tuple(sorted({*self.crypto_handle_prefixes, *cues}, key=len, reverse=True))
        self.celebrities = scan.add("celebrities", data["celebrities"])
        self.disclosure = scan.add("disclosure", data["disclosure"])
        self.partisan = scan.add("partisan", data.get("partisan_claims", []))
        self.alarm = scan.add("alarm", data.get("alarm", []))
        # "I resign" is alarming in its own words; in a repost it is someone else's news
        self.alarm_own = scan.add("alarm_own", data.get("alarm_own", []))
        # the labels of urgent news ("BREAKING", "ÚLTIMA HORA", "عاجل"): heading a text, they assert it as news
        self.news_flash_labels = frozenset(label.lower() for label in data.get("news_flash_labels", []))
        # ... as hashtags write them: "#últimahora", "#sondakika", "#justin"
        self.news_flash_tags = frozenset(re.sub(r"[\s'’]", "", label) for label in self.news_flash_labels)
        self.condolence = scan.add("condolence", data.get("condolence", []))
        self.hack_claims = scan.add("hack_claims", data.get("hack_claims", []))
        self.own_government = scan.add("own_government", data.get("own_government", []))
        self.disown = scan.add("disown", data.get("disown", []))
        concepts = data.get("concepts") or {}
        ideas = Ideas()  # the three sets read a text once between them
        self.alarm_concepts = Concepts(concepts.get("alarm") or {}, ideas)
        self.claim_concepts = Concepts(concepts.get("partisan_claim") or {}, ideas)
        self.critic_concepts = Concepts(concepts.get("critic") or {}, ideas)
        # thanks, wishes, welcomes, condolences: what an official writes to a foreign public in its language
        # (an index of its own: it is asked of a first language only, so the other sets' reads skip its stems)
        self.courtesy_concepts = Concepts(concepts.get("courtesy") or {})
        self.explicit_labels = frozenset(data["explicit_labels"])
        self.sensitive_labels = frozenset(data["sensitive_labels"])
        self.spam_labels = frozenset(data["spam_labels"])

    def country(self, name: str | None) -> str | None:
        """ISO code for a country name or code as written in a watch list, or None."""
        if not name:
            return None
        found = self.aliases.get(name.strip().lower())
        if found is None and len(name.strip()) == 2 and name.strip().isalpha():
            return name.strip().upper()
        return found

    def news_flash(self, label: str | None) -> bool:
        """Whether a text's opening label (text.style_flags: "🚨 breaking", "#última hora") announces
        urgent news."""
        return label is not None and FLASH_EDGES_RE.sub("", shown_label(label)) in self.news_flash_labels

    def flash_head(self, text: str) -> str | None:
        """The label of urgent news a text opens with when no colon sets it off (FLASH_HEAD_RE), keyed as
        text.style_flags keys a label, what stands before it included ("🚨 breaking")."""
        if not self.news_flash_labels:
            return None
        found = FLASH_HEAD_RE.match(text)
        if found is None:
            return None
        if found.group(1) is not None:
            tag = shown_label(found.group(1).lower())
            return label_key(text[: found.end(1)]) if tag in self.news_flash_tags else None
        heads = found.group(2).split(" ")
        for size in range(len(heads), 0, -1):
            label = " ".join(heads[:size])
            if shown_label(label.lower()) not in self.news_flash_labels:
                continue
            rest = text[found.start(2) + len(label) :].lstrip()
            # set off by a sign after it ("Breaking 🚨 The..."), by capitals before a sentence of its own
            # ("BREAKING The..."), or in a script without capitals: "Breaking the silence, the minister..."
            # and "DEVELOPING countries..." are sentences
            signed = bool(rest) and unicodedata.category(rest[0])[0] == "S"
            shouted = label.isupper() and bool(rest) and not rest[0].islower()
            if signed or shouted or label.upper() == label.lower():
                return label_key(text[: found.start(2) + len(label)])
            return None
        return None

    def leader_country(self, handle: str | None) -> str | None:
        return self.leaders.get(handle.lower()) if handle else None

    def politics_hits(self, host: str | None, text: str | None) -> list[str]:
        """Evidence that a text is about the host country's politics: one of its own names or terms, and
        a second hit (another of those, or a generic election word). [] when there is not enough."""
        terms = self.politics.get(host or "")
        if not terms or not text:
            return []
        specific = terms.find(text)
        if not specific:
            return []
        if len(specific) >= 2:
            return specific
        generic = self.politics_generic.find(text)
        return specific + generic[:2] if generic else []

    def critic_hits(self, country: str | None, text: str | None, handle: str | None) -> list[str]:
        """Evidence that content attacks the government of `country`: a known critic's handle or a
        handle naming a cause it persecutes, a critic's slogan, or the government named together with
        two words of condemnation ('Beijing ... camps ... lies')."""
        if not country:
            return []
        hits = []
        if handle and handle.lower() in self.critic_handles.get(country, ()):
            hits.append("@" + handle)
        terms = self.critic_terms.get(country)
        if terms:
            hits.extend(terms.find(text))
        government = self.government.get(country)
        if hits or not text or government is None:
            return hits
        named, blame = government.find(text), self.condemnation.find(text)
        if named and len(blame) >= 2:
            return named[:1] + blame[:2]
        parts = self.critic_handle_parts.get(country)
        if handle and parts and (named or blame) and any(w.startswith(parts) for w in handle_words(handle)):
            # a handle naming a cause the government persecutes counts when its text blames someone
            return ["@" + handle] + (named + blame)[:2]
        return []

    def disown_hits(self, country: str | None, text: str | None, by_name: bool = True) -> list[str]:
        """Evidence that an account's own words turn on its own government (I11: the prime minister's
        account 'ashamed' of the government; I47: an embassy saying the prime minister abandoned it):
        that government named, and a word of shame or blame. [] when not both. by_name=False: only the
        generic references ("this government", "the ministry"), for someone else's words."""
        if not text:
            return []
        named = self.own_government.find(text)
        if not named and by_name and country in self.government:
            named = self.government[country].find(text)
        if not named:
            return []
        blame = self.disown.find(text) + self.condemnation.find(text)
        return named[:1] + blame[:2] if blame else []

    def crypto_handle(self, handle: str | None) -> bool:
        return handle is not None and any(
            t in self.crypto_handle_words or t.startswith(self.crypto_handle_prefixes) for t in handle_words(handle)
        )

    def host_words(self, part: str) -> tuple[str, ...]:
        """A part of a link's domain as words: a scam's domain glues its words ("cryptogift",
        "giveawayhq"), so a long crypto word or scam cue opening it is read apart from the rest."""
        if part.startswith(self.crypto_host_starts):  # one call rejects nearly every domain
            for start in self.crypto_host_starts:
                if part.startswith(start) and len(part) > len(start):
                    return (start, part[len(start) :])
        return (part,)

    def adult_hits(self, text: str | None, handle: str | None) -> list[str]:
        """Evidence of adult content: its words, or its author's handle. A hint in a handle ("sexy") is
        marketing as often as sex: it counts only where there is no post to read (a follow). Naomi Wu's
        @RealSexyCyborg, a hardware maker, posts on face recognition."""
        hits = self.adult.find(text)
        if "xxx" in hits and text and _numbered(text):
            hits.remove("xxx")
        if handle:
            parts = self.adult_handle_parts if text else self.adult_handle_parts + self.adult_handle_hints
            if any(token.startswith(parts) for token in handle_words(handle)):
                hits.append("@" + handle)
        return hits[:3]

    def crypto_scam(self, text: str | None, handle: str | None = None) -> list[str]:
        """Evidence of a crypto scam: a crypto word plus a scam cue, or a wallet address. [] if none."""
        if not text and not handle:
            return []
        # a caller adding its links' words to the text adds a space when there are none: without it, the
        # text is the one observing the activity already scanned (no words nor matches differ)
        text = (text or "").rstrip(" ")
        coins = self.crypto.find(text)
        if "$" in text:  # a cashtag, else the regex need not look
            coins += [m.group(0) for m in CASHTAG_RE.finditer(text)][:2]
        if handle is not None and self.crypto_handle(handle):
            coins.append("@" + handle)
        address = BTC_ADDRESS_RE.search(text)
        if address:
            return (coins[:2] or []) + ["wallet address " + address.group(0)[:12] + "…"]
        if not coins:
            return []
        cues = self.scam_cues.find(text)
        if not cues:
            return []
        return coins[:2] + cues[:2]


# "XXX" before a capitalised word is a Roman thirty: "XXX Aniversario de la Creación del 1° Cuerpo de
# Ejército", "XXX Олимпийские игры" (the real timelines hold several, and a like of one alerted critical)
ROMAN_XXX_RE = re.compile(r"(?<!\w)XXX\s+(\w)")


def _numbered(text: str) -> bool:
    """Whether a text's "XXX" numbers something (a Roman thirty), as in "XXX Aniversario"."""
    return any(m.group(1).isupper() for m in ROMAN_XXX_RE.finditer(text))


HANDLE_WORD_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@lru_cache(maxsize=8192)
def handle_words(handle: str) -> tuple[str, ...]:
    """The words of a handle: 'LondonEscorts24' -> london, escorts, 24 (so 'AkaiXxXx' has no 'xxx').
    Kept per handle: the same few thousand accounts are amplified again and again."""
    return tuple(w.lower() for w in HANDLE_WORD_RE.findall(handle))


_ENABLED = [True]


def use_lexicons(enabled: bool) -> None:
    """Switch every word list on or off (the evaluation's ablation: what the structural signals catch
    alone). Off, each list is empty, so every lexicon check finds nothing."""
    if _ENABLED[0] != enabled:
        _ENABLED[0] = enabled
        lexicon.cache_clear()


PLATFORM_KEYS = frozenset({"explicit_labels", "sensitive_labels", "spam_labels"})


def _emptied(value: Any) -> Any:
    """Every list empty and every mapping of names (leaders' handles -> country) empty, the shape kept;
    platform content labels are not word lists (the platform sets them) and stay."""
    if isinstance(value, dict):
        return {
            k: _emptied(v) if k not in PLATFORM_KEYS else v
            for k, v in value.items()
            if isinstance(v, (dict, list)) or k in PLATFORM_KEYS
        }
    if isinstance(value, list):
        return []
    return value


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    return Lexicon(data if _ENABLED[0] else _emptied(data))
