"""The feature models: each looks at one side of an activity against the account's profile and returns
its evidence in bits (how surprising this is for this account; 0 = in character) with the reason in
words and numbers. combine.py turns the evidence into one calibrated score.

Two families:
- learned checks compare with the account's own history (action mix, targets, hours, languages,
  clients, domains, hashtags, wording, pace, dormancy, deletions) and are muted while the baseline is
  thin;
- absolute checks need no history (status and profile changes, explicit content, crypto scams, mass
  actions, adult or critic targets, undisclosed affiliation) and always count.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from rapidfuzz import fuzz

from bot.activity import Activity

from .account import AccountProfile, gap_bin, pace_bin
from .lexicon import lexicon
from .observe import MASS_KINDS, TARGET_GROUP, Observation
from .text import gibberish

LEARNED = ("kind", "target", "target_kind", "hour", "weekday", "lang", "target_lang", "client", "domain",
           "hashtag", "wording", "style", "pace", "dormancy", "delete")
ABSOLUTE = ("labels", "adult", "critic", "crypto", "hack_claim", "gibberish", "mass", "profile", "status",
            "affiliation")
FEATURES = LEARNED + ABSOLUTE


@dataclass(slots=True)
class Finding:
    feature: str
    bits: float
    reason: str
    exempt_key: str | None = None  # what a moderator's "false alarm" makes normal


def surprisal(p: float) -> float:
    """Bits of surprise at an event of probability p: -log2(p), never negative (0 for a certainty)."""
    return -math.log2(max(p, 1e-12))


def kind_name(kind: str) -> str:
    return {"reply": "reply", "repost": "repost", "quote": "quote post", "like": "like", "unlike": "un-like",
            "follow": "follow", "unfollow": "unfollow", "delete": "deletion", "post": "post"}.get(kind, kind)


def plural(kind: str) -> str:
    return {"reply": "replies", "quote": "quote posts", "delete": "deletions",
            "unlike": "un-likes"}.get(kind, kind + "s")


# ---- learned checks ---------------------------------------------------------------------------------
def check_kind(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    kinds = p.counters["kinds"]
    total = kinds.mass()
    if total <= 0:
        return None
    related = {"repost": "quote", "quote": "repost", "unlike": "like"}.get(o.kind)
    own = kinds.count(o.kind)
    prob = (own + 0.3 * (kinds.count(related) if related else 0.0) + 0.5) / (total + 5.0)
    bits = surprisal(prob) - 3.0
    if own < 0.5 and not (related and kinds.count(related) >= 1.0):
        # never once in its history: the longer the history, the stronger (a first like in 3,000 activities)
        # a first like, follow, un-like, unfollow or deletion is news by itself; a first reply is not
        cap = 13.0 if o.kind in ("like", "unlike", "follow", "unfollow", "delete") else 10.0
        bits = max(bits, min(cap, math.log2(p.n / 2.0 + 1.0) + 3.0))
    if bits <= 0:
        return None
    since = p.kinds_since(o.kind)
    if since is None or own < 0.5:
        reason = f"first {kind_name(o.kind)} in {p.n if since is None else since:,} activities"
    else:
        reason = (f"{plural(o.kind)} are {100 * own / total:.1f}% of its activity "
                  f"(last one {since:,} activities ago)")
    return Finding("kind", bits, reason, f"kind:{o.kind}")


TARGET_CAP = 10.0  # a never-seen target for an account whose targets are almost never new: a first outside its circle


def check_target(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    group = TARGET_GROUP.get(o.kind)
    if not (o.target_key and group):
        return None
    memory = p.counters[group]
    if memory.mass() < 3:
        return None  # nothing to compare with yet: the kind check speaks for a first-ever action
    seen = memory.count(o.target_key) + 0.5 * p.counters["partners"].count(o.target_key)
    p_new = memory.p_new()
    bits = surprisal(p_new) / (1.0 + 2.0 * seen)
    if o.kind in ("unlike", "unfollow"):
        bits = 0.0 if seen > 0 else bits  # undoing something it did is in character
    if bits < 0.5:
        return None
    verb = {"amplify": "amplified", "reply": "replied to", "follow": "followed"}[group]
    if seen < 0.05:
        reason = (f"never interacted with @{o.target} before ({len(memory.weights):,} accounts {verb}; "
                  f"{100 * p_new:.0f}% of its {verb.split()[0]} targets are new)")
    else:
        reason = f"rarely interacts with @{o.target} ({seen:.1f} times in its faded memory)"
    return Finding("target", min(bits, TARGET_CAP), reason, f"target:{o.target_key}")


TERM_CATEGORIES = ("alarm", "partisan_claim")
# Bits of surprisal a kind of engagement needs before it counts (tried lower for alarms: real
# condolences after attacks use the same words, see docs/detection.md).
CATEGORY_FLOOR: dict[str, float] = {"alarm": 1.0}
TARGET_KIND_BITS = {"foreign_leader": 6.0, "host_politics": 3.0, "partisan_claim": 8.0, "alarm": 11.0,
                    "crypto_promoter": 8.0, "foreign_partisan": 8.0, "disown": 6.0}
# An account with a short history has not had the chance to show that it never does these things: its
# rate is judged as if it had this many more activities without them (official accounts rarely do).
CATEGORY_PRIOR_ACTIVITIES = 100.0
# Several distinct alarming or partisan claims in one text ("surrender", "the war is lost", "lay down
# your weapons") are more than one: each one beyond the first adds this, twice at most.
EXTRA_TERM_BITS = 2.0


def _distinct_terms(terms: list[str]) -> int:
    """Distinct terms, not counting one inside another ("resigning" inside "i am resigning")."""
    words = [t.split(":", 1)[-1] for t in terms]
    return sum(1 for t in words if not any(t != u and t in u for u in words))


def check_target_kind(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    """Who or what it engages with, by kind: a foreign leader, a partisan claim, the host's politics.
    Each kind counts in proportion to how new it is for this account; the kinds add up."""
    tcats = p.counters["tcats"]
    parts: list[tuple[float, str, str]] = []
    for category, evidence in o.categories:
        base = TARGET_KIND_BITS.get(category)
        if base is None:
            continue
        if category == "host_politics" and (meta.affiliation or o.kind == "post"):
            continue  # its own posts on host politics are diplomatic work; the affiliation check judges the rest
        if category == "partisan_claim" and o.kind == "post":
            base /= 2  # in its own words it is a matter of tone; amplifying someone else's claim is the case
        seen = tcats.count(category)
        extra = 0.0
        if category in TERM_CATEGORIES:
            # judged by its rarest term: often "resigning" in the news is no licence for "nuclear leak"
            terms = [t for t in o.terms if t.startswith(category + ":")]
            if terms:
                seen = min(tcats.count(t) for t in terms)
                if seen < 1.5:
                    extra = EXTRA_TERM_BITS * min(2, _distinct_terms(terms) - 1)
        # surprisal of engaging with this kind at all, against all its activity (floored: some is normal)
        prior = CATEGORY_PRIOR_ACTIVITIES if category in TERM_CATEGORIES else 1.0
        rate = (seen + 0.5) / (p.counters["kinds"].mass() + prior)
        bits = min(base, surprisal(rate) - CATEGORY_FLOOR.get(category, 3.0)) + extra
        if f"target_kind:{category}" in p.exempt:
            continue
        if bits >= 0.5:
            parts.append((bits, f"{evidence}; {seen:.0f} such before", category))
    if not parts:
        return None
    parts.sort(reverse=True)
    bits = parts[0][0] + 0.7 * sum(b for b, _, _ in parts[1:])
    return Finding("target_kind", bits, "; ".join(text for _, text, _ in parts), f"target_kind:{parts[0][2]}")


def _local(at: datetime, meta) -> tuple[datetime, str]:
    if meta.tz:
        try:
            from zoneinfo import ZoneInfo

            return at.astimezone(ZoneInfo(meta.tz)), "local"
        except Exception:  # an unknown zone name must not stop scoring
            pass
    return at, "UTC"


def check_hour(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    shares = p.hours.shares()
    if p.hours.mass() < 20:
        return None
    smooth = [0.25 * shares[(h - 1) % 24] + 0.5 * shares[h] + 0.25 * shares[(h + 1) % 24] for h in range(24)]
    here = smooth[o.hour]
    tail = sum(s for s in smooth if s <= here + 1e-12)
    bits = surprisal(max(tail, 0.5 / (p.hours.mass() + 1))) - 3.0
    if bits <= 0:
        return None
    local, label = _local(a.at, meta)
    usual = p.usual_hours()
    usual_text = ""
    if usual:
        from .account import _hours_text

        usual_text = ", usual hours " + _hours_text(usual, _zone(meta), a.at)
    reason = f"{local:%H:%M} {label}{usual_text} ({100 * shares[o.hour]:.1f}% of its activity in this hour)"
    return Finding("hour", min(bits, 6.0), reason, f"hour:{o.hour}")


def _zone(meta):
    if not meta.tz:
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(meta.tz)
    except Exception:
        return None


def check_weekday(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    if p.days.mass() < 50:
        return None
    share = p.days.shares()[o.dow]
    bits = surprisal(max(share, 0.5 / (p.days.mass() + 1))) - 5.0
    if bits <= 0:
        return None
    return Finding("weekday", min(bits, 3.0), f"on a {a.at:%A}, when it rarely acts ({100 * share:.1f}%)",
                   f"weekday:{o.dow}")


KNOWN_VALUE_COUNT = 2.0
KNOWN_VALUE_DISCOUNT = 2.0


def _categorical(p: AccountProfile, name: str, value: str | None, feature: str, cap: float,
                 describe: Callable[[str, float, list], str], floor: float = 4.0) -> Finding | None:
    if not value:
        return None
    memory = p.counters[name]
    if memory.mass() < 5:
        return None
    share = memory.share(value)
    if share > 0:
        # a value it has used a few times is one of its own, however rarely (a French president's
        # English posts): only a first, or a lone earlier use, is strong evidence
        known = memory.count(value) >= KNOWN_VALUE_COUNT
        bits = surprisal(share) - floor - (KNOWN_VALUE_DISCOUNT if known else 0.0)
    else:
        bits = surprisal(memory.p_new())
    if bits < 0.5:
        return None
    return Finding(feature, min(bits, cap), describe(value, share, memory.top(2)), f"{feature}:{value}")


def _usual(top: list) -> str:
    return ", ".join(f"{k} {100 * s:.0f}%" for k, s in top)


SCRIPT_NAMES = {"latin": "Latin", "ru": "Cyrillic", "ar": "Arabic", "zh": "Chinese", "ja": "Japanese",
                "ko": "Korean", "he": "Hebrew", "el": "Greek", "th": "Thai", "hi": "Devanagari", "ka": "Georgian",
                "hy": "Armenian"}


def check_lang(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    """The language of its own words; a writing system it never uses counts even when the language
    itself is only a guess (a Cyrillic-only account suddenly writing in Latin letters)."""
    script = _categorical(
        p, "scripts", o.script, "lang", 8.0,
        lambda v, s, top: (f"written in {SCRIPT_NAMES.get(v, v)} script, "
                           + (f"{100 * s:.1f}% of its texts" if s else "a first")
                           + " (usually " + ", ".join(f"{SCRIPT_NAMES.get(k, k)} {100 * x:.0f}%" for k, x in top) + ")"),
    )
    cap = 8.0 if o.lang_declared else 5.0
    lang = _lang(p, o, cap)
    if script and (lang is None or script.bits > lang.bits):
        return script
    return lang


def _lang(p: AccountProfile, o: Observation, cap: float) -> Finding | None:
    return _categorical(
        p, "langs", o.lang, "lang", cap,
        lambda v, s, top: (f"written in {v}, " + (f"{100 * s:.1f}% of its texts" if s else "a first")
                           + f" (usually {_usual(top)})"),
    )


def check_target_lang(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    return _categorical(
        p, "tlangs", o.target_lang, "target_lang", 4.0,
        lambda v, s, top: (f"amplifies {v} content, " + (f"{100 * s:.1f}% of what it amplifies" if s else "a first")
                           + f" (usually {_usual(top)})"),
    )


def check_client(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    return _categorical(
        p, "clients", o.client, "client", 9.0,
        lambda v, s, top: (f"sent from {v!r}, " + (f"{100 * s:.1f}% of its activity" if s else "never used before")
                           + f" (usually {_usual(top)})"),
        floor=5.0,
    )


def check_domain(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    memory = p.counters["domains"]
    if memory.mass() < 5 or not o.domains:
        return None
    best = None
    for host in o.domains:
        if memory.count(host) > 0:
            continue
        bits = surprisal(memory.p_new())
        if bits >= 0.5 and (best is None or bits > best.bits):
            best = Finding("domain", min(bits, 6.0),
                           f"links to {host}, never linked before ({len(memory.weights):,} domains known)",
                           f"domain:{host}")
    return best


def check_hashtag(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    memory = p.counters["hashtags"]
    if memory.mass() < 10 or not o.hashtags:
        return None
    new = [h for h in o.hashtags if memory.count(h) == 0]
    if not new:
        return None
    bits = 0.5 * surprisal(memory.p_new())
    if bits < 0.5:
        return None
    return Finding("hashtag", min(bits, 3.0), f"new hashtag #{new[0]}", f"hashtag:{new[0]}")


def check_wording(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    """Topic and wording against its own history: how surprising its words are under its own faded
    vocabulary, as a z-score against how surprising its texts usually are."""
    if len(o.keys) < 4 or p.surprisal.mass() < 30:
        return None
    bits_per_word = p.word_bits(o.keys)
    mean, sd = p.surprisal.mean_sd()
    z = (bits_per_word - mean) / max(sd, 0.5)
    bits = 1.5 * (z - 2.0)
    share = p.unfamiliar(o.keys)
    usual, spread = p.novelty.mean_sd()
    # nearly all of its words new, where its texts usually reuse most of theirs: someone else's words
    novel = 1.2 * ((share - usual) / max(spread, 0.1) - 2.5)
    bits = max(bits, novel)
    if bits < 0.5:
        return None
    return Finding("wording", min(bits, 7.0),
                   f"{100 * share:.0f}% of its words never used before (usually {100 * usual:.0f}%)")


STYLE_NAMES = {"opener": "opens with a label and a colon", "shout": "shouts in capitals",
               "exclaim": "exclaims", "first_person": "speaks in the first person", "emoji": "is full of emoji"}


def check_style(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    """How its own text is written against how it usually writes: an account that never shouts in
    capitals, never opens with 'Breaking:' or never says 'I' writing so is a sign of another author."""
    if not o.styles:
        return None
    styles = p.counters["styles"]
    texts = styles.count("text")
    if texts < 30:
        return None
    parts = []
    for flag in o.styles:
        seen = styles.count(flag)
        bits = surprisal((seen + 0.5) / (texts + 1.0)) - 3.5
        if bits >= 0.5:
            parts.append((bits, f"{STYLE_NAMES[flag]} ({100 * seen / texts:.1f}% of its texts do)"))
    if not parts:
        return None
    parts.sort(reverse=True)
    bits = parts[0][0] + 0.5 * sum(b for b, _ in parts[1:])
    return Finding("style", min(bits, 5.0), "; ".join(text for _, text in parts), f"style:{o.styles[0]}")


def check_pace(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    count = p.pace(o.t)
    if count < 4 or p.paces.mass() < 30:
        return None
    tail = p.paces.tail_from(pace_bin(count))
    bits = surprisal(max(tail, 0.2 / (p.paces.mass() + 1))) - 3.0
    if bits < 0.5:
        return None
    return Finding("pace", min(bits, 6.0),
                   f"{count} activities in 10 minutes; that pace is {100 * tail:.2f}% of its history")


def check_dormancy(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    if p.last_at is None or o.t <= p.last_at:
        return None
    gap = o.t - p.last_at
    if gap < 30 * 86400:
        return None  # holidays and quiet months are ordinary; dormancy is measured in months
    tail = p.gaps.tail_from(gap_bin(gap)) if p.gaps.mass() > 0 else 0.0
    # rarer than its usual gaps, and the longer the silence the stronger (months count, not weeks)
    bits = surprisal(max(tail, 0.2 / (p.gaps.mass() + 1))) - 2.0 + math.log2(gap / (30 * 86400))
    if p.n < 30:
        bits = max(bits, 6.0 if gap > 180 * 86400 else 0.0)
    if bits < 0.5:
        return None
    # a long silence alone is a holiday or a change of staff; it takes something else odd to alert
    return Finding("dormancy", min(bits, 9.0),
                   f"first activity in {gap / 86400:,.0f} days (gaps that long: {100 * tail:.2f}% of its history)")


QUICK_DELETE_PRIOR = 5.0  # deletions assumed slow before its own say otherwise (officials rarely retract)
QUICK_DELETE_BITS = 3.0  # a retraction within hours is news in itself, more so from an account that never does
DELETED_SHARE = 0.8  # how much of the deleted item's own oddity the deletion carries


def check_delete(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    """A deletion judged by how fast it came, against how fast this account usually deletes, and by what
    it deleted: a repost of an account it never amplified, undone 12 minutes later, is S1's shape."""
    if o.kind != "delete":
        return None
    posted = p.posts.get(o.deleted_id) if o.deleted_id else None
    if posted is None:
        return None
    at, what, odd = posted
    delay = max(0.0, o.t - at)
    if delay > 6 * 3600:
        return None
    # share of its deletions at least this fast (a prior of slow ones: officials rarely retract)
    shares = p.delays.shares()
    mass = p.delays.mass()
    fast = mass * sum(shares[: gap_bin(delay) + 1])
    bits = min(9.0, QUICK_DELETE_BITS + surprisal((fast + 0.5) / (mass + QUICK_DELETE_PRIOR)))
    bits += DELETED_SHARE * min(odd, 12.0)
    if bits < 0.5:
        return None
    minutes = delay / 60
    when = f"{minutes:.0f} minutes" if minutes < 120 else f"{minutes / 60:.1f} hours"
    item = f"its repost of @{what}" if what else "its own post"
    share = f"{100 * fast / mass:.0f}% of its {mass:.0f} deletions were this fast" if mass >= 1 else "no deletions before"
    reason = f"deleted {item} {when} after posting ({share})"
    if odd >= 2.0:
        reason += f"; the deleted item scored {odd:.1f} bits itself"
    return Finding("delete", bits, reason)


# ---- absolute checks --------------------------------------------------------------------------------
def check_labels(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    if not o.labels:
        return None
    lex = lexicon()
    explicit = sorted({lab for lab in o.labels if lab in lex.explicit_labels})
    spam = sorted({lab for lab in o.labels if lab in lex.spam_labels})
    sensitive = sorted({lab for lab in o.labels if lab in lex.sensitive_labels})
    what = "posted" if o.kind in ("post", "reply", "quote") else f"{kind_name(o.kind)}d" if o.kind.endswith("e") else f"{kind_name(o.kind)}ed"
    labels = p.counters["labels"]
    for found, bits, name in ((explicit, 30.0, "explicit"), (spam, 14.0, "spam"), (sensitive, 6.0, "sensitive")):
        if not found:
            continue
        seen = max(labels.count(lab) for lab in found)
        if f"labels:{found[0]}" in p.exempt:
            continue
        bits = bits / (1.0 + seen) if name != "explicit" else bits / (1.0 + 0.2 * seen)
        return Finding("labels", bits, f"{what} content labelled {', '.join(found)}"
                       + (f" ({seen:.0f} times before)" if seen >= 1 else " (never before)"), f"labels:{found[0]}")
    return None


def check_adult(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    for category, evidence in o.categories:
        if category == "adult" and o.kind in ("like", "repost", "quote", "follow", "reply"):
            seen = p.counters["tcats"].count("adult")
            if "target_kind:adult" in p.exempt:
                return None
            return Finding("adult", 20.0 / (1.0 + seen), f"{kind_name(o.kind)} of {evidence}", "target_kind:adult")
    return None


def check_critic(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    for category, evidence in o.categories:
        if category == "critic":
            seen = p.counters["tcats"].count("critic")
            if "target_kind:critic" in p.exempt:
                return None
            # fades slowly: a state account engaging critics of its own government is never routine, and a
            # hijacker's spree of such likes must not teach the profile that the fourth one is normal
            return Finding("critic", 10.0 / (1.0 + 0.25 * seen), f"{kind_name(o.kind)} of content that {evidence}",
                           "target_kind:critic")
    return None


def check_hack_claim(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    """I05, I06, I10, I12: takeovers that sign their work ('Hacked by ...', 'Tango down')."""
    if o.kind not in ("post", "reply", "quote") or not o.text:
        return None
    hits = lexicon().hack_claims.find(o.text)
    if not hits or "hack_claim" in p.exempt:
        return None
    return Finding("hack_claim", 16.0, "its own text claims a takeover (" + ", ".join(hits[:2]) + ")", "hack_claim")


def check_gibberish(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    """I43 (@USSTRATCOM posts ';l;;gmlxzssaw'): an official post with no word in it is someone else at
    the keyboard, or nobody."""
    if o.kind not in ("post", "reply", "quote") or "gibberish" in p.exempt or not gibberish(a.text):
        return None
    return Finding("gibberish", 14.0, f"posted a string with no word in it ({a.text.strip()[:40]!r})", "gibberish")


def check_crypto(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    if o.kind not in ("post", "reply", "quote", "repost", "like"):
        return None
    # scam links name themselves ("btc-double.io"): their domains' words count as text
    words = " ".join(part for host in o.domains for part in re.split(r"[.\-]", host))
    hits = lexicon().crypto_scam(f"{o.text} {words}", o.target if o.kind != "post" else None)
    if not hits or "crypto" in p.exempt:
        return None
    wallet = any(h.startswith("wallet address") for h in hits)
    return Finding("crypto", 20.0 if wallet else 16.0,
                   "crypto-scam pattern (" + ", ".join(hits[:4]) + ")", "crypto")


def check_mass(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    """Mass actions (S2's wiped likes, I30's unfollows): many of one kind in 15 minutes, far beyond its
    earlier sprees. Needs no baseline. Fires when the spree crosses its threshold and again at double
    and four times it, so a spree makes a few alerts, not one per action."""
    if o.kind not in MASS_KINDS:
        return None
    count = p.same_kind(o.kind, o.t)
    peak = p.mass_peak.get(o.kind, 0.0)
    if o.kind == "repost":
        threshold = max(20, math.ceil(4 * peak))  # repost sprees happen on election nights and summits
    else:
        threshold = max(5, math.floor(1.5 * peak) + 1)
    if count not in (threshold, 2 * threshold, 4 * threshold):
        return None
    bits = 12.5 + 3.0 * math.log2(count / threshold)  # alerts alone: no baseline needed
    return Finding("mass", min(bits, 19.0),
                   f"{count} {plural(o.kind)} within 15 minutes (its most before: {peak:.0f})")


def check_status(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    if o.kind != "status":
        return None
    before = p.status
    now = a.status
    if now in ("deactivated", "suspended", "deleted"):
        return Finding("status", 40.0, f"account {now}" + (f" (was {before})" if before else ""))
    if now == "protected":
        return Finding("status", 20.0, "account made protected: its posts are hidden from the public")
    if now == "active" and before and before != "active":
        return Finding("status", 20.0, f"account reactivated (was {before})")
    return None


def check_profile(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    if o.kind != "profile":
        return None
    new = a.profile or {}
    old = p.profile
    lex = lexicon()
    risky = lex.celebrities.find(f"{new.get('name') or ''} {new.get('bio') or ''}")
    risky += lex.crypto_scam(f"{new.get('name') or ''} {new.get('bio') or ''}")
    if old is None:
        if risky:
            return Finding("profile", 30.0, "profile shows " + ", ".join(risky[:3]))
        return None
    changes: list[tuple[float, str]] = []
    if (new.get("name") or "") != (old.get("name") or ""):
        changes.append((16.0, f"renamed from {old.get('name')!r} to {new.get('name')!r}"))
    if new.get("avatar") != old.get("avatar") and new.get("avatar") is not None:
        changes.append((12.0, "avatar changed"))
    if sorted(new.get("labels") or []) != sorted(old.get("labels") or []):
        changes.append((12.0, f"labels changed from {old.get('labels') or []} to {new.get('labels') or []}"))
    old_bio, new_bio = old.get("bio") or "", new.get("bio") or ""
    if new_bio != old_bio:
        similarity = fuzz.ratio(old_bio, new_bio)
        dropped = lex.disclosure.find(old_bio) and not lex.disclosure.find(new_bio)
        if dropped and meta.affiliation:
            changes.append((18.0, f"bio no longer discloses its {meta.affiliation} link "
                                  f"(dropped: {', '.join(lex.disclosure.find(old_bio)[:2])})"))
        elif similarity < 60:
            changes.append((13.0, f"bio rewritten ({similarity:.0f}% similar to before)"))
        else:
            changes.append((2.0, f"bio edited ({similarity:.0f}% similar to before)"))
    for field in ("location", "url"):
        if (new.get(field) or "") != (old.get(field) or "") and new.get(field) is not None:
            changes.append((4.0, f"{field} changed to {new.get(field)!r}"))
    if risky:
        changes.append((30.0, "profile now shows " + ", ".join(risky[:3])))
    if not changes:
        return None
    changes.sort(key=lambda c: -c[0])
    bits = changes[0][0] + 0.3 * sum(c[0] for c in changes[1:])
    return Finding("profile", bits, "profile change: " + "; ".join(c[1] for c in changes[:3]))


def check_affiliation(p: AccountProfile, o: Observation, a: Activity, meta) -> Finding | None:
    if not meta.affiliation or o.kind not in ("post", "reply", "quote", "repost"):
        return None
    politics = [ev for cat, ev in o.categories if cat == "host_politics"]
    if not politics:
        return None
    profile = p.profile or {}
    shown = f"{profile.get('name') or ''} {profile.get('bio') or ''} {' '.join(profile.get('labels') or [])}"
    lex = lexicon()
    disclosed = lex.disclosure.find(shown)
    if meta.owner and meta.owner.lower() in shown.lower():
        disclosed.append(meta.owner)
    if disclosed or "affiliation" in p.exempt:
        return None
    where = "its profile does not disclose it" if p.profile else "no profile on record discloses it"
    owner = f" ({meta.owner})" if meta.owner and meta.owner.lower() not in meta.affiliation.lower() else ""
    return Finding("affiliation", 18.0,
                   f"run by {meta.affiliation}{owner}, posting about {politics[0]}; {where}", "affiliation")


LEARNED_CHECKS = (check_kind, check_target, check_target_kind, check_hour, check_weekday, check_lang,
                  check_target_lang, check_client, check_domain, check_hashtag, check_wording, check_style, check_pace,
                  check_dormancy, check_delete)
ABSOLUTE_CHECKS = (check_labels, check_adult, check_critic, check_crypto, check_hack_claim, check_gibberish, check_mass,
                   check_profile, check_status, check_affiliation)
