"""Coordinated activity across watched accounts (COMPA's campaign step).

Several accounts doing the same unusual thing within a short window become one group: the same item
(or the same account's post) reposted, quoted or liked within two minutes, or near-identical texts
within ten. Routine shared amplification (every embassy reposting its ministry) is not unusual for
any of them, so it never gets here: only activities their own profiles found at least a little odd
take part, or an amplification of an author it hardly knows, which groups only across governments.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from bot.activity import Activity

from .types import CoordinatedGroup, Verdict

SAME_TARGET_WINDOW = 120.0  # seconds
SAME_TEXT_WINDOW = 600.0
TEXT_SIMILARITY = 88.0
MIN_TEXT = 30
MIN_WORDS_TEXT = 20  # characters of words left once links, case and punctuation are set aside
URL = re.compile(r"https?://\S+")
ODD_SCORE = 0.15  # a member must be at least this unusual for its own account
# Accounts of one government post the same statement routinely (a leader and their office): a text
# match takes members that are clearly odd for themselves.
ODD_TEXT_SCORE = 0.2
# ... or a crowd: this many accounts or more posting the same words within SAME_TEXT_WINDOW form a group
# even when each post is ordinary for its account and they know each other, unless the watch list puts
# two of them in one country. Without countries, governments that like and follow one another look like
# one circle, and four of them posting one sentence within two minutes stayed apart (an independent
# check's copy of "Foreign interference in the internal affairs of sovereign nations must stop now" by
# four leaders' accounts). The real timelines hold copies only in pairs (Number 10 and David Cameron, 32
# times; Barroso and the European Council's president, twice), never three accounts at once.
CROWD = 3
# An item from an account it never amplified is not odd enough on its own for an account that takes up
# new accounts every week, but the same such item amplified by accounts of different governments within
# SAME_TARGET_WINDOW is: each took up the same stranger's post at the same minute. (A follow is left out:
# a new leader's account gains every official's follow on the day it opens.)
NEW_TARGET_KINDS = frozenset({"repost", "quote", "like"})
FAMILIAR = 1.0  # faded count of amplifications, mentions and answers at which an author is known to it
# Feeds are polled at different moments, so activities of different accounts arrive out of time order
# (by up to a poll interval, more after an outage or a slow feed): what was seen, and the groups it
# made, stay this long behind the newest activity, and two activities pair by how far apart they were
# posted, whichever came in first (a late copy joins its group, not a new group of two). Without it, a
# later post of one account polled first pushed another's earlier one out, and the third account's
# copy of that earlier post, polled after, found nothing to pair with.
ARRIVAL_SLACK = 3600.0
KEPT_FOR = SAME_TEXT_WINDOW + ARRIVAL_SLACK  # seconds behind the newest activity


@dataclass(slots=True)
class _Seen:
    t: float
    account: str
    platform: str
    activity_id: str
    kind: str
    target: str | None
    text: str  # as compared: its words, without links, case or punctuation (comparable_text)
    score: float
    reason: str
    mild: bool = False  # here only because its target was new to it: groups only with another government


class CoordinationTracker:
    def __init__(self, country_of=None, in_circle=None, familiarity=None) -> None:
        # (platform, handle) -> the account's country, when known: one government's accounts sharing a
        # statement is routine, different governments' accounts posting the same words is not
        self.country_of = country_of or (lambda platform, handle: None)
        # (platform, a, b) -> whether a and b amplify, mention or answer each other: without a watch
        # list's countries, that is how a leader and their office tell themselves apart from strangers
        self.in_circle = in_circle or (lambda platform, a, b: False)
        # (platform, a, b) -> how often a amplified, mentioned or answered b, faded (0 for never)
        self.familiarity = familiarity or (lambda platform, a, b: 0.0)
        self.window: deque[_Seen] = deque()
        self.groups: dict[str, CoordinatedGroup] = {}
        self.group_time: dict[str, float] = {}
        # activity id -> the group it is in, and each group's ids and best member score: a flood of one
        # text from thousands of accounts costs the same per activity as the first few (no list scans)
        self.member_of: dict[str, str] = {}
        self.group_ids: dict[str, set[str]] = {}
        self.group_top: dict[str, float] = {}

    def observe(self, activity: Activity, verdict: Verdict) -> CoordinatedGroup | None:
        t = activity.at.timestamp()
        self._expire(t)
        text_kind = activity.kind in ("post", "reply", "quote") and len(activity.text or "") >= MIN_TEXT
        odd = (
            text_kind
            or verdict.score >= ODD_SCORE
            or verdict.features.get("target", 0.0) >= 1.0
            or verdict.features.get("affiliation", 0.0) > 0
            or verdict.features.get("target_kind", 0.0) > 0
        )
        mild = False
        if not odd and activity.kind in NEW_TARGET_KINDS:
            # else an amplification of an author it hardly knows (less than once in its faded memory)
            author = (activity.target or {}).get("account")
            mild = bool(author) and self.familiarity(activity.platform, activity.account, author) < FAMILIAR
        if not (odd or mild) or activity.kind in ("profile", "status"):
            return None
        target = activity.target or {}
        target_key = None
        if activity.kind in ("repost", "quote", "like", "follow") and (target.get("id") or target.get("account")):
            target_key = f"{activity.kind}:{target.get('id') or ''}:{(target.get('account') or '').lower()}"
        text = comparable_text(activity.text) if text_kind else ""
        me = _Seen(
            t,
            activity.account,
            activity.platform,
            activity.id,
            activity.kind,
            target_key,
            text,
            verdict.score,
            verdict.reasons[0] if verdict.reasons else "",
            mild,
        )
        match_key, why = None, ""
        copies: list[_Seen] = []  # copies of its text that paired with it by neither rule, newest first
        for other in reversed(self.window):
            apart = abs(t - other.t)
            if apart > SAME_TEXT_WINDOW or other.account == me.account or other.platform != me.platform:
                continue
            if (
                target_key
                and other.target == target_key
                and apart <= SAME_TARGET_WINDOW
                and (not (me.mild or other.mild) or self._foreign(me, other))
            ):
                shown = target.get("account") or target.get("id")
                match_key = "target:" + target_key
                why = f"{activity.kind} of the same item by @{shown} within {int(apart)} s"
                break
            if (
                text
                and other.text
                and _similar_length(text, other.text)
                and fuzz.token_set_ratio(text, other.text, score_cutoff=TEXT_SIMILARITY)
            ):
                if min(me.score, other.score) < ODD_TEXT_SCORE and not self._foreign(me, other):
                    copies.append(other)  # one government's, as far as is known: a crowd may still make it one
                    continue
                match_key = "text:" + other.activity_id
                why = f"near-identical texts within {int(apart)} s"
                # join the group the other one already belongs to
                joined = self.member_of.get(other.activity_id)
                if joined is not None and joined.startswith("text:"):
                    match_key = joined
                break
        crowd: list[_Seen] = []
        if match_key is None and copies:
            crowd = self._crowd(me, copies)
            if crowd:
                joined = next((self.member_of[s.activity_id] for s in crowd if s.activity_id in self.member_of), None)
                match_key = (
                    joined if joined is not None and joined.startswith("text:") else "text:" + crowd[0].activity_id
                )
                why = f"near-identical texts within {int(me.t - crowd[0].t)} s"
        self.window.append(me)
        if match_key is None:
            return None
        group = self.groups.get(match_key)
        if group is None:
            group = CoordinatedGroup(
                key=match_key, activity_ids=[], accounts=[], reason="", score=0.0, platform=activity.platform
            )
            self.groups[match_key] = group
            self.group_time[match_key] = t
            self.group_ids[match_key] = set()
            self.group_top[match_key] = 0.0
            if match_key.startswith("target:"):
                members = [s for s in self.window if s.target == target_key]
            else:
                members = [*crowd, me] if crowd else [other, me]
        else:
            members = [*crowd, me]
        ids, accounts = self.group_ids[match_key], set(group.accounts)
        if match_key.startswith("text:"):
            members += self._earlier_copies(me, ids, accounts)
        for s in members:
            if s.activity_id not in ids:
                ids.add(s.activity_id)
                group.activity_ids.append(s.activity_id)
                self.member_of[s.activity_id] = match_key
                self.group_top[match_key] = max(self.group_top[match_key], s.score)
            if s.account not in accounts:
                accounts.add(s.account)
                group.accounts.append(s.account)
        top = self.group_top[match_key]
        n = len(group.accounts)
        group.score = min(0.99, max(top, 0.6 + 0.1 * n))
        group.reason = f"{n} watched accounts: {why} (" + ", ".join("@" + a for a in group.accounts[:8]) + ")"
        self.group_time[match_key] = t
        return group

    # ---- rollback: a transaction that does not commit takes back what its activities added -----------
    def snapshot(self) -> Any:
        """All of the tracker's state (window, groups, group_time, member_of, group_ids, group_top), for
        `restore`. Cheap: C-level copies of the containers, no deep copy (see _copied)."""
        return _copied((self.window, self.groups, self.group_time, self.member_of, self.group_ids, self.group_top))

    def restore(self, snap: Any) -> None:
        """Back to the state of `snapshot`; the snapshot stays usable (copied again)."""
        (self.window, self.groups, self.group_time, self.member_of, self.group_ids, self.group_top) = _copied(snap)

    def _earlier_copies(self, me: _Seen, ids: set[str], accounts: set[str]) -> list[_Seen]:
        """Posts of the same text already seen that pair with this newest member but with no one before
        it: the first poster, whose post was ordinary for it and whose next copier was of its own circle,
        belongs in the group the later copies made (a journalist asks who posted it first). Asked only
        when a text group forms or grows, which is rare."""
        found = []
        for s in self.window:
            if (
                s is not me
                and s.text
                and s.activity_id not in ids
                and s.account not in accounts
                and s.account != me.account
                and s.platform == me.platform
                and abs(me.t - s.t) <= SAME_TEXT_WINDOW
                and _similar_length(me.text, s.text)
                and fuzz.token_set_ratio(me.text, s.text, score_cutoff=TEXT_SIMILARITY)
                and (min(me.score, s.score) >= ODD_TEXT_SCORE or self._foreign(me, s))
            ):
                found.append(s)
        return found

    def _crowd(self, me: _Seen, copies: list[_Seen]) -> list[_Seen]:
        """The `copies` of this text (found by the pairing, newest first) when CROWD - 1 other accounts or
        more made them and the watch list puts no two of them, this one included, in one country: each
        account's latest, oldest first; empty otherwise."""
        latest = {s.account: s for s in reversed(copies)}  # oldest first: each account's newest stays
        if len(latest) < CROWD - 1:
            return []
        known = [c for c in (self.country_of(me.platform, a) for a in [me.account, *latest]) if c]
        if len(known) != len(set(known)):
            return []
        return sorted(latest.values(), key=lambda s: s.t)

    def _foreign(self, a: _Seen, b: _Seen) -> bool:
        one, two = self.country_of(a.platform, a.account), self.country_of(b.platform, b.account)
        if one and two:
            return one != two
        # no countries known: strangers to each other are taken for different governments
        return not self.in_circle(a.platform, a.account, b.account)

    def _expire(self, now: float) -> None:
        while self.window and now - self.window[0].t > KEPT_FOR:
            self.window.popleft()
        for key in [k for k, at in self.group_time.items() if now - at > KEPT_FOR]:
            del self.group_time[key]
            del self.groups[key]
            del self.group_top[key]
            for activity_id in self.group_ids.pop(key):
                if self.member_of.get(activity_id) == key:
                    del self.member_of[activity_id]


def _copied(state: Any) -> Any:
    """A copy of the tracker's containers that later observations cannot change: a _Seen is never
    changed once made, so the window shares them; a group grows in place, so each gets its own lists;
    each group's id set is copied; the rest are flat dicts of str and float."""
    window, groups, group_time, member_of, group_ids, group_top = state
    return (
        deque(window),
        {
            key: replace(group, activity_ids=list(group.activity_ids), accounts=list(group.accounts))
            for key, group in groups.items()
        },
        dict(group_time),
        dict(member_of),
        {key: set(ids) for key, ids in group_ids.items()},
        dict(group_top),
    )


def comparable_text(text: str | None) -> str:
    """The words of a text, as copies of one statement share them: each account's own link, a label
    or tag put in front ("BREAKING:", "#Breaking"), case, punctuation and emoji set aside. Empty when
    too little is left to tell a copy from a coincidence."""
    words = default_process(URL.sub(" ", text or ""))
    return words if len(words) >= MIN_WORDS_TEXT else ""


def _similar_length(one: str, two: str) -> bool:
    # a cheap test first, and what keeps one text inside a longer one from counting as a copy of it
    return abs(len(one) - len(two)) <= 0.3 * max(len(one), len(two))
