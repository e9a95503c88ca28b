"""Cheap text helpers for scoring: words, link domains, and a script + stop-word language guess.

They run on every activity (170k in a replay), so each stays in the low microseconds; a statistical
language identifier costs ~100x more and the feeds mostly carry `lang` when the platform knows it.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from urllib.parse import urlsplit

from .langid import identify


def _mark_ranges() -> str:
    """The combining marks of the Basic Multilingual Plane as a character-class body. The vowel signs
    of Devanagari, Thai, Bengali or Tamil are marks, not letters, and Python's \\w leaves them out:
    without them 'ऐतिहासिक' broke into fragments of one or two letters and a Hindi text had no word."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x300, 0x10000):
        if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(f"{chr(a)}-{chr(b)}" if b > a else chr(a) for a, b in ranges)


MARKS = _mark_ranges()


def _plain_letters() -> dict[int, int | None]:
    """What `readable` folds: Arabic's tatweel and vowel marks and invisible characters (dropped), and
    Latin letters and digits written full-width or in the mathematical alphabets (to the plain ones)."""
    # the invisible ones dropped too: a zero-width space, a word joiner, a byte-order mark or a soft hyphen
    # inside a word ("BRE\u200bAKING", "bit\u00adcoin") splits it for every reader and shows nothing
    table: dict[int, int | None] = {0x0640: None, 0x0670: None, 0x200B: None, 0x2060: None, 0xFEFF: None, 0xAD: None}
    table.update((code, None) for code in range(0x064B, 0x0660))  # fathatan .. the last Arabic vowel mark
    for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B), *range(0x1D400, 0x1D800)]:
        plain = unicodedata.normalize("NFKC", chr(code))
        if len(plain) == 1 and plain.isascii() and plain.isalnum():
            table[code] = ord(plain)
    return table


PLAIN_LETTERS = _plain_letters()
DECORATED_RE = re.compile(
    "[\u00ad\u200b\u2060\ufeff\u0640\u064b-\u065f\u0670\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\U0001d400-\U0001d7ff]"
)


def readable(text: str | None) -> str | None:
    """The text as its words are read: a word stretched or decorated is the same word. Arabic stretches
    a word for emphasis with the tatweel ("عــاجــل", urgent) and may write its vowels ("عَاجِل"); spam and
    hijackers write Latin in full-width or mathematical letters ("𝗕𝗥𝗘𝗔𝗞𝗜𝗡𝗚", "ＦＲＥＥ ＢＴＣ"). As
    written, none of them held a word of the lists, a label or a stem. Other text is returned as is."""
    if not text or text.isascii() or DECORATED_RE.search(text) is None:
        return text
    return text.translate(PLAIN_LETTERS)


WORD_RE = re.compile(rf"[^\W\d_][\w'’{MARKS}-]{{2,}}", re.UNICODE)
# Words of two letters or more, where WORD_RE keeps three: "la", "de", "en" are too short to be
# vocabulary but say that a text runs in sentences (lang._few_words).
SHORT_WORD_RE = re.compile(rf"[^\W\d_][\w'’{MARKS}-]+", re.UNICODE)
# a link's scheme in any case: "Http://tinyurl.com/32r5vmb" read as words was Chinese to the identifier
URLISH_RE = re.compile(r"(?i:https?)://\S+|[@#][\w_]+")
EMAIL_RE = re.compile(r"\S+@\S+\.\w+")
# The marks that open or close a quotation, in the scripts the watched accounts write: someone's words
# quoted are not the account's own (signals/lang.py, signals/style.py).
QUOTE_MARKS = frozenset("\"'“”„«»‘’‹›「」『』")
# What may come right before the first word of a sentence, which is capitalised whatever it is.
SENTENCE_OPENERS = ".!?:;\"“”‘’'(«»—–-"


def opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` of `text` is the first of a sentence: its capital says nothing of a name."""
    before = text[:start].rstrip()
    return not before or before[-1] in SENTENCE_OPENERS


# Shorteners hide the real domain: a t.co link says nothing about where it leads.
SHORTENERS = frozenset(
    {
        "t.co",
        "bit.ly",
        "ow.ly",
        "buff.ly",
        "goo.gl",
        "tinyurl.com",
        "dlvr.it",
        "fb.me",
        "ift.tt",
        "j.mp",
        "wp.me",
        "tiny.cc",
        "is.gd",
        "trib.al",
        "lnkd.in",
        # the same services under their other names, and others of the kind: a link through any of them
        # hides where it leads (a Croatian president's bitly.com link, among his t.co ones, was "a
        # domain never linked" and a real alert in two replays; on.fb.me is fb.me's)
        "bitly.com",
        "on.fb.me",
        "ht.ly",
        "bit.do",
        "cutt.ly",
        "rebrand.ly",
        "shorturl.at",
        "rb.gy",
        "tr.im",
        "su.pr",
        "po.st",
        "hubs.ly",
        "spr.ly",
    }
)
# Links to posts on the platform itself (quotes, threads) say nothing either, but hide nothing.
PLATFORM_HOSTS = frozenset({"twitter.com", "mobile.twitter.com", "x.com"})
OPAQUE_DOMAINS = SHORTENERS | PLATFORM_HOSTS

STOPWORDS = {
    "en": "the and of to in is for on that with this are was be at by it from we our have will you not".split(),
    "es": "el la los las de que en por con para una del se al es su como más pero sus lo muy".split(),
    "fr": "le la les des et est une dans pour pas que qui sur avec au aux du nous ce vous je il cette mais sont très".split(),
    "pt": "o os da do das dos em não com uma para que por mais se na no ao são".split(),
    "de": "der die das und ist nicht mit den dem ein eine zu auf für von sich wir ich".split(),
    "it": "il di che è per una sono della con non gli nel alla del anche più le".split(),
    "nl": "de het een en van is dat op te zijn met voor niet ook aan wij".split(),
    "tr": "ve bir bu için ile da de çok olan gibi daha ama değil biz kadar".split(),
    "id": "yang dan di ini itu dengan untuk tidak dari akan ada kami pada juga".split(),
    "tl": "ang ng mga sa na at ay para hindi ako natin po".split(),
    "sv": "och att det som är för på med inte har av till".split(),
    "da": "og det er til en af for på med ikke vi har som".split(),
    "pl": "i w na z że nie się do jest to jak dla od".split(),
    "ro": "și în care pentru este nu cu din la mai sunt".split(),
    "et": "ja on et see ei ka kui oma mis oli".split(),
    "lv": "un ir ar par uz kas no lai bet arī".split(),
    "hr": "je i u na da se za su od nije koji".split(),
    "sw": "na ya wa kwa la za katika ni kuwa hii".split(),
}
_WORD_LANGS: dict[str, list[str]] = {}
for _lang, _words in STOPWORDS.items():
    for _word in _words:
        _WORD_LANGS.setdefault(_word, []).append(_lang)
_STOPWORDS_ALL = frozenset(_WORD_LANGS)
_STOPWORDS_SHORT = frozenset(w for w in _WORD_LANGS if len(w) < 3)  # the ones words() leaves out

_SCRIPTS = (
    (0x3040, 0x30FF, "ja"),
    (0xAC00, 0xD7AF, "ko"),
    (0x1100, 0x11FF, "ko"),
    (0x4E00, 0x9FFF, "zh"),
    (0x0400, 0x04FF, "ru"),
    (0x0600, 0x06FF, "ar"),
    (0x0590, 0x05FF, "he"),
    (0x0370, 0x03FF, "el"),
    (0x0E00, 0x0E7F, "th"),
    (0x0900, 0x097F, "hi"),
    (0x10A0, 0x10FF, "ka"),
    (0x0530, 0x058F, "hy"),
)
_UKRAINIAN = set("іїєґ")
_PERSIAN = set("پچژگ")


_KEYS: dict[str, str] = {}  # word -> its key: the same words come back in every text
_KEYS_CAP = 200_000  # about 25 MB at most; emptied when full


def word_key(word: str) -> str:
    """A short stable stand-in for a word in a vocabulary (the state stays small and holds no text)."""
    key = _KEYS.get(word)
    if key is None:
        if len(_KEYS) >= _KEYS_CAP:
            _KEYS.clear()
        key = _KEYS[word] = format(zlib.crc32(word.encode("utf-8")), "x")
    return key


def _no_links(text: str) -> str:
    """The text with its links, mentions and hashtags blanked out (the same text when it has none: the
    regex never runs on most texts). Words and the stop-word vote both read it, so the last one is kept."""
    last = _last_stripped[0]
    if last[0] is text:
        return last[1]
    stripped = URLISH_RE.sub(" ", text) if ("@" in text or "#" in text or "://" in text) else text
    _last_stripped[0] = (text, stripped)  # one assignment: a text is never paired with another's result
    return stripped


_last_stripped: list[tuple[str | None, str]] = [(None, "")]


def prose(text: str | None) -> str:
    """What a text says in its own sentences: its links, mentions and hashtags blanked out. A claim is
    read from these, not from tags: Morsi signed his decrees "#الرئيس" (the President), and his
    acceptance of a transport minister's resignation read as "a leader resigns"."""
    return _no_links(text) if text else ""


def words(text: str | None) -> list[str]:
    """Lower-cased words of three or more letters, without links, mentions and hashtags."""
    if not text:
        return []
    return list(map(str.lower, WORD_RE.findall(_no_links(text))))


_LATIN_VOWELS = set("aeiouyàáâãäåèéêëìíîïòóôõöùúûüýæøœ")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")
_CONSONANTS_RE = re.compile(r"[b-df-hj-np-tv-xz]{6,}")


# A letter drawn out three times or more ("Arghhhhh", "Yessssss!", "Gooooool"): an interjection shouted,
# read as the word it stretches. Drawn out, its consonants ran to six and "Arghhhhh" was a keyboard mash
# on the real timelines (Queen Noor's), as were Chávez's "Yessssss!" and his goal.
_DRAWN_OUT_RE = re.compile(r"(.)\1{2,}")


def _plausible(run: str) -> bool:
    """Could this run of letters be a word? Other scripts are given the benefit of the doubt."""
    if any(not ("a" <= c <= "z" or c in _LATIN_VOWELS or c in "ñçßšžčćđłő") for c in run):
        return True
    run = _DRAWN_OUT_RE.sub(r"\1", run)
    vowels = sum(c in _LATIN_VOWELS for c in run)
    if vowels / len(run) < 0.1 or _CONSONANTS_RE.search(run):
        return False
    return not (len(run) >= 5 and any(run in row or run[::-1] in row for row in _KEYBOARD_ROWS))


def gibberish(text: str | None) -> bool:
    """A text with letters in it but no plausible word: a stray keyboard mash (I43, ';l;;gmlxzssaw')."""
    if not text:
        return False
    if "@" in text:  # an address, a mention: neither is a word (the regexes match nothing without one)
        text = URLISH_RE.sub(" ", EMAIL_RE.sub(" ", text))
    else:
        text = _no_links(text)  # as words() blanked them in the same text
    # one plausible word (of three letters or more, or of another script) clears it: most texts at the first
    letters, judged = 0, False
    known = _PLAUSIBLE
    for match in _LETTER_RUN_RE.finditer(text.lower()):
        run = match.group()
        letters += len(run)
        if len(run) >= 3 or not run.isascii():
            plausible = known.get(run)
            if plausible is None:
                if len(known) >= _PLAUSIBLE_CAP:
                    known.clear()
                plausible = known[run] = _plausible(run)
            if plausible:
                return False
            judged = True
    return judged and letters >= 5


_PLAUSIBLE: dict[str, bool] = {}  # run of letters -> _plausible(run): the same words come back in every text
_PLAUSIBLE_CAP = 100_000


def domain(url: str) -> str | None:
    try:
        host = urlsplit(url if "://" in url else "http://" + url).hostname
    except ValueError:
        return None
    if not host:
        return None
    if host.startswith("www."):
        host = host[4:]
    return host


# A host name worth remembering: labels of letters, digits and hyphens, and a top-level label of two or
# more letters. A link cut short in a truncated text ("https://t.c…") names no place at all.
HOST_RE = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")


# Nine links in ten are the platform's own shortener: known opaque without parsing the URL.
_SHORTENED = ("https://t.co/", "http://t.co/")


def informative_domains(links: list[str]) -> list[str]:
    return link_domains(links)[0]


def link_domains(links: list[str]) -> tuple[list[str], int]:
    """The domains the links name, and how many links a shortener hides the destination of (t.co, bit.ly):
    an account whose links are all shortened has linked, though no domain of its shows."""
    out = []
    shortened = 0
    for link in links:
        if link.startswith(_SHORTENED):
            shortened += 1
            continue
        host = domain(link)
        if host and host not in OPAQUE_DOMAINS and HOST_RE.match(host):
            out.append(host)
        elif host in SHORTENERS:
            shortened += 1
    return out, shortened


SURE_LANG = 0.8  # the identifier's probability for a guess that counts as much as a declared language
MAYBE_LANG = 0.4


def guess_lang(text: str | None, tokens: list[str] | None = None) -> str | None:
    """Best guess at the language of a short text, or None when the text gives too little to go on."""
    return guess_lang_sure(text, tokens)[0]


def stopword_vote(text: str, tokens: list[str]) -> str | None:
    """The language whose stop words the text uses, when that is clear: three or more distinct ones of
    one language, twice as many as any other. Each distinct word votes once: "je ... je ... je" is one
    French word, not three Croatian votes."""
    # the distinct voters, found by set intersections in C: the words, and the text's short pieces
    # (links blanked as words() blanked them: the same text when it has none)
    voters = _STOPWORDS_ALL.intersection(tokens) | _STOPWORDS_SHORT.intersection(_no_links(text).lower().split())
    found = _tally(voters)
    if found is None:
        # short words glued to punctuation ("pekee,ni vya taifa", "Gvt. is,however") are not among the
        # pieces; the letter runs find them. Asked only when the pieces gave no clear vote (the text then
        # goes to fastText, at 60 us): a clear vote stands as it was and costs no regex
        runs = _STOPWORDS_SHORT.intersection(_LETTER_RUN_RE.findall(_no_links(text).lower()))
        if not runs <= voters:
            found = _tally(voters | runs)
    return found


def _tally(voters: frozenset[str]) -> str | None:
    """The language with three distinct voters or more, twice any other's; None when none is clear."""
    if len(voters) < 3:
        return None  # no language can have three
    votes: dict[str, int] = {}
    for token in voters:
        for lang in _WORD_LANGS[token]:
            votes[lang] = votes.get(lang, 0) + 1
    # the order the votes came in does not matter: a tie for the most is no clear winner
    ranked = sorted(votes.values(), reverse=True)
    best = max(votes, key=votes.__getitem__)
    runner_up = ranked[1] if len(ranked) > 1 else 0
    return best if votes[best] >= 3 and votes[best] >= 2 * runner_up else None


def guess_lang_sure(text: str | None, tokens: list[str] | None = None) -> tuple[str | None, bool]:
    """The guess and whether it is sure: a non-Latin script is, and so are three or more stop words of
    one language with twice as many as any other; one or two stop words are only a hint."""
    if not text:
        return None, False
    script = _script(text)
    if script:
        if script == "ja" or script == "zh":
            return ("ja" if any(0x3040 <= ord(c) <= 0x30FF for c in text) else "zh"), True
        if script == "ru" and any(c in _UKRAINIAN for c in text.lower()):
            return "uk", True
        if script == "ar" and any(c in _PERSIAN for c in text):
            return "fa", True
        return script, True
    # Latin script: a vote of stop words when it is clear, else fastText's identifier
    # (bot/profile/langid.py), which costs about 60 us a text; benchmarks/langid_bench.py measures both
    # against the real timelines' declared languages
    tokens = tokens if tokens is not None else words(text)
    voted = stopword_vote(text, tokens)
    if voted:
        return voted, True
    found, prob = identify(text)
    if found is None or prob < MAYBE_LANG:
        return None, False
    return found, prob >= SURE_LANG and len(tokens) >= 3


_NON_LATIN_RE = re.compile("[" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high, _ in _SCRIPTS) + "]")


# Scripts written without spaces between words: one "word" of Thai, Chinese or Japanese is a phrase or a
# whole sentence ("การลงพื้นทีหากทำได้ราบรื่น..." is one), so they are counted by letters: about this
# many say as much as a word of a spaced script. A Chinese word is one or two characters, a Japanese
# one two with its kana: at three letters a word, "政府今天批准了卫生部门的新预算。" (the government
# approved the health budget today: nine words) counted five, too few to be read as sentences of its own.
LETTERS_PER_WORD = {"zh": 2, "ja": 2, "th": 3}


def word_count(tokens: list[str], text: str | None) -> int:
    """How many words a text says: its words, or for a script without spaces its letters in words."""
    # (_script keeps its answer for the last text: script_of asks again right after, for free)
    script = None if not tokens or text is None or text.isascii() else _script(text)
    letters = LETTERS_PER_WORD.get(script) if script else None
    if letters is None:
        return len(tokens)
    return max(len(tokens), sum(map(len, tokens)) // letters)


# a lower-case word of one letter standing alone (not a contraction's, a link's or a handle's piece)
LETTER_WORD_RE = re.compile(r"(?<![\w'’@#/.&-])[^\W\d_](?![\w'’/-])")


def sentence_words(text: str) -> int:
    """How many words its sentences hold, the short ones too: "er på grensen til Tyskland, skal på
    Dagsnytt18 nå" is nine words, though only five have three letters (`words` keeps those, for what a
    text is about); a script without spaces counts its letters, as `word_count` does."""
    short = len(SHORT_WORD_RE.findall(text)) + sum(1 for w in LETTER_WORD_RE.findall(text) if w.islower())
    return max(short, word_count(words(text), text))


def script_of(text: str | None) -> str | None:
    """The writing system of a text: 'latin', or the language its non-Latin script points to."""
    if not text:
        return None
    return _script(text) or ("latin" if any(c.isalpha() for c in text[:80]) else None)


_last_script: list = [None, None]  # the last text asked about and its answer: observe asks twice


def _script(text: str) -> str | None:
    """The non-Latin script that dominates the letters of the text, if any."""
    if text.isascii() or not _NON_LATIN_RE.search(text):
        return None
    if _last_script[0] is text:
        return _last_script[1]
    _last_script[0], _last_script[1] = text, _count_script(text)
    return _last_script[1]


# Letters below U+0250 (Latin and its supplements) and each script's characters, as character classes:
# counting with one findall each costs a few microseconds where a loop over the characters cost ~150.
_LATIN_LETTERS_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x250) if chr(c).isalpha()) + "]")
_SCRIPT_RES: dict[str, re.Pattern[str]] = {}
for _low, _high, _name in _SCRIPTS:
    _ranges = [f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi, n in _SCRIPTS if n == _name]
    _SCRIPT_RES.setdefault(_name, re.compile("[" + "".join(_ranges) + "]"))


def _count_script(text: str) -> str | None:
    head = _no_links(text)[:280]  # links, mentions and hashtags are Latin letters in every language
    found: list[tuple[int, str, int]] = []  # (first position, script, characters)
    for name, pattern in _SCRIPT_RES.items():
        hits = pattern.findall(head)
        if hits:
            found.append((head.index(hits[0]), name, len(hits)))
    if not found:
        return None
    # the most frequent script; on a tie the one met first in the text
    found.sort()
    counts = {name: n for _, name, n in found}
    if "ja" in counts and "zh" in counts:
        counts["ja"] += counts.pop("zh")  # Japanese writes its kanji (Han) with its kana
    name = max(counts, key=counts.__getitem__)
    latin = len(_LATIN_LETTERS_RE.findall(head))
    # CJK packs a word into one or two characters: weigh them up against Latin letters.
    weight = counts[name] * (3 if name in ("zh", "ja", "ko") else 1)
    return name if weight >= latin else None


# How a text is written, apart from what it says: a takeover's news flash or proclamation tends to be
# written unlike the account's own texts. Each account learns how often it writes each way.
# "Breaking: ...", "ATTENTION: ...", and the other ways newsrooms set a label off: "BREAKING | ...",
# "[AHORA] ...", "[DIRECT] ..."; a dash only after capitals ("LIVE - ...", "EXCLUSIVE — ..."): it joins
# the parts of a sentence as often ("Задача государства - создать..." is one)
OPENER_RE = re.compile(r"^\W{0,3}([^\W\d_][^\n:.!?|\[\]]{0,20}?)\s*(?::|\s\|)\s|^\[([^\W\d_][^\]\n]{0,20})\]\s")
DASH_OPENER_RE = re.compile(r"^\W{0,3}([^\W\d_][^\n:.!?|\[\]\-–—]{0,20}?)\s+[-–—]\s")
# Japanese, Chinese and Korean set a label off with a full-width colon or lenticular brackets and no
# space after them ("速報：首相が辞任", "【速報】..."): read as the others, they were never labels at all,
# so a news flash on those accounts showed no label it never used. Only a label in those scripts, which
# no link, time or ratio is ("http:", "10:30").
CJK_OPENER_RE = re.compile(
    r"^【([^】\n]{1,20})】|^\W{0,3}([\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af][\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af ]{0,11})[:：]"
)


def _opener(text: str) -> str | None:
    """The label a text opens with, as written ("🚨 BREAKING", "AHORA"), or None."""
    found = OPENER_RE.match(text)
    if found is not None:
        if found.group(1) is not None:
            return text[: found.end(1)]  # with what stands before it: "🚨 BREAKING"
        return found.group(2)  # "[AHORA]"
    dashed = DASH_OPENER_RE.match(text)
    if dashed is not None and dashed.group(1).isupper() and sum(c.isalpha() for c in dashed.group(1)) >= 4:
        return text[: dashed.end(1)]
    cjk = CJK_OPENER_RE.match(text)
    if cjk is not None:
        return cjk.group(1) if cjk.group(1) is not None else text[: cjk.end(2)]
    return None


# An all-capital word of four letters or more, and a first-person word: I, I'm, I am, my, je, j'ai, yo, ich, я.
# Written to start with a letter, the word boundary before it a look back (no word character before that
# letter), so the regex engine skips ahead to a letter that can start one instead of trying every position:
# the same matches as r"\b[A-ZÀ-ÖØ-ÞА-Я]{4,}\b" and r"\b(?:I|I'm|I am|my|je|j'ai|yo|ich|я)\b", in a third
# of the time.
_CAPITAL = "A-ZÀ-ÖØ-ÞА-Я"
SHOUT_RE = re.compile(f"[{_CAPITAL}](?<!\\w[{_CAPITAL}])[{_CAPITAL}]{{3,}}\\b")
FIRST_PERSON_RE = re.compile(
    r"(?:I(?<!\w.)(?:'m| am)?|m(?<!\w.)y|j(?<!\w.)(?:e|'ai)|y(?<!\w.)o|i(?<!\w.)ch|я(?<!\w.))\b"
)
EMOJI_RE = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")


def label_key(label: str) -> str:
    """A label as written at a text's head ("🚨 BREAKING") as its account learns it: lower-cased, its
    first twenty letters."""
    return label.strip().lower()[:20]


def label_of(styles: tuple[str, ...]) -> str | None:
    """The label among a text's style flags (style_flags: "label:breaking"), or None."""
    return next((flag[6:] for flag in styles if flag.startswith("label:")), None)


def shown_label(label: str) -> str:
    """A label as told and as the lists spell it: without the combining dot that lower-casing a Turkish
    "İ" leaves ("son daki̇ka"); the learned key keeps it."""
    return label.replace("\u0307", "")


def told_label(label: str, text: str | None) -> str:
    """A label as a reason quotes it: with its colon when the text sets it off with one ("breaking:"),
    as written when a hashtag, a siren or capitals do ("#breaking")."""
    after = (text or "").lower().lstrip()[len(label) :]
    if after[:1].isalnum():
        return shown_label(label) + "…"  # a long label is kept by its first letters (label_key)
    rest = after.lstrip()
    return shown_label(label) + (":" if rest[:1] in (":", "：") else "")


def style_flags(text: str | None) -> tuple[str, ...]:
    """The ways of writing a text shows: 'opener' (a label and a colon first), 'shout' (two or more
    all-capital words), 'exclaim', 'first_person', 'emoji' (three or more)."""
    if not text:
        return ()
    flags = []
    label = _opener(text)
    if label is not None:
        flags.append("opener")
        # which label: "Video:" every week is a habit, "BREAKING:" once is not
        flags.append("label:" + label_key(label))
    if len(SHOUT_RE.findall(text)) >= 2:
        flags.append("shout")
    if "!" in text or "¡" in text:
        flags.append("exclaim")
    if FIRST_PERSON_RE.search(text):
        flags.append("first_person")
    if not text.isascii() and len(EMOJI_RE.findall(text)) >= 3:
        flags.append("emoji")
    return tuple(flags)
