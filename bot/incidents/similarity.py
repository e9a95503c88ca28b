"""Prior similar incidents for an alert, fast enough for every alert of a 100,000-incident library.

Each incident is encoded once into two signatures: what was done (kind bits, status, target bits,
affiliation, tags) and who did it (role, country, platforms), stored as numpy columns. A lookup
scores the few distinct signatures, gathers those scores for every incident in two vector
operations, keeps the best hundred or so, and only those are compared on wording with rapidfuzz.
The structured parts carry most of the weight, so "an embassy reposting a foreign leader's election
claim" finds the 2020 case even when no word is shared.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable

import numpy as np
from rapidfuzz import fuzz, process, utils

from bot.activity import Activity
from bot.incidents.features import QUERY_TAGS, Features, features_for, incident_tags
from bot.incidents.library import Incident
from bot.incidents.vocab import KINDS, ROLES, STATUSES, TARGET_KINDS, normalize_country, role_group

if TYPE_CHECKING:  # built on first use (see search): no import at load time
    from bot.incidents.search import TextIndex

# Share of the score each part can bring; they sum to 1. A part the query does not know (no role,
# no country) counts as not shared, so a match on the kind alone stays a weak match. Parts that
# cannot apply to the action (the wording of a deactivation) are left out of the denominator.
WEIGHTS = {
    "kind": 0.30,
    "target": 0.22,
    "role": 0.14,
    "country": 0.08,
    "affiliation": 0.08,
    "tags": 0.05,
    "platform": 0.03,
    "text": 0.10,
}
# Kinds that are near each other (symmetric): a like is close to an unlike, a repost to a quote.
RELATED_KINDS = {
    ("like", "unlike"): 0.7,
    ("repost", "quote"): 0.8,
    ("post", "quote"): 0.5,
    ("post", "reply"): 0.5,
    ("reply", "quote"): 0.5,
    ("follow", "unfollow"): 0.7,
    ("post", "repost"): 0.3,
    ("profile", "status"): 0.3,
}
SECONDARY_KIND = 0.85  # the action matched only a follow-up kind of the incident (e.g. its deletion)
OTHER_STATUS = 0.6  # both accounts vanished, one deactivated, the other suspended
TEXT_CANDIDATES = 128  # how many structural best matches are re-ranked on wording
TEXT_CUTOFF = 40  # rapidfuzz scores below this are noise for our purposes
MIN_SCORE = 0.2
NO_TEXT_KINDS = frozenset({"status", "follow", "unfollow", "delete"})
NO_TARGET_KINDS = frozenset({"status"})

_KIND_CODE = {kind: i for i, kind in enumerate(KINDS)}
_KIND_BIT = {kind: 1 << i for i, kind in enumerate(KINDS)}
_STATUS_CODE = {status: i + 1 for i, status in enumerate(STATUSES)}
# Row m: which kinds the kind bit mask m has (for the follow-up-kind lookup).
_KIND_BITS_MATRIX = ((np.arange(1 << len(KINDS))[:, None] >> np.arange(len(KINDS))) & 1).astype(np.float32)
_POPCOUNT = np.bitwise_count(np.arange(1 << max(len(TARGET_KINDS), 9))).astype(np.float32)
_TARGET_BIT = {target: 1 << i for i, target in enumerate(TARGET_KINDS)}
_TAG_BIT = {tag: 1 << i for i, tag in enumerate(QUERY_TAGS)}
_ROLE_CODE = {role: i for i, role in enumerate(ROLES)}
_STOPWORDS = frozenset(
    "a an and are as at be by for from has have i in is it its of on or our that the this "
    "to was we were will with you your rt".split()
)

TARGET_PHRASES = {
    "foreign-leader": "a foreign leader",
    "host-politics": "host-country politics",
    "foreign-government": "another government",
    "critic": "criticism of its own government",
    "explicit-content": "explicit content",
    "crypto": "crypto",
    "election": "election content",
    "political": "partisan politics",
    "false-news": "fabricated news",
    "extremist": "extremist content",
    "abusive": "abusive content",
    "disinformation": "disinformation",
}
TAG_PHRASES = {
    "unusual-hours": "odd hours",
    "language-switch": "language switch",
    "new-client": "new client",
    "dormant-account": "dormant account",
    "rename": "rename",
    "avatar-change": "new avatar",
    "profile-change": "profile change",
    "deleted": "deleted afterwards",
    "mass-compromise": "several accounts at once",
}


def _kind_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return RELATED_KINDS.get((a, b)) or RELATED_KINDS.get((b, a)) or 0.0


def _mask(items: Iterable[str], bits: dict[str, int]) -> int:
    out = 0
    for item in items:
        out |= bits.get(item, 0)
    return out


@dataclass(slots=True)
class Match:
    id: str
    title: str
    date: str
    score: float
    url: str
    outcome: str
    why: str
    source: str = "library"
    alert_link: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "score": self.score,
            "url": self.url,
            "outcome": self.outcome,
            "why": self.why,
        }
        if self.alert_link:
            out["alert_link"] = self.alert_link
        return out


class SimilarityIndex:
    """All incidents, encoded for structured scoring; `add` keeps it current as alerts are confirmed.

    Incidents share few distinct combinations of structured values, so each incident only points to
    two signatures: *what* was done (kinds, status, targets, affiliation, tags) and *who* did it
    (role, country, platforms). A lookup scores the signatures (a few thousand at most) and then
    gathers the two scores per incident.
    """

    _WHAT = ("primary", "kinds", "status", "targets", "undisclosed", "tags")
    _WHO = ("role", "country", "platform")

    def __init__(self, incidents: Iterable[Incident] = ()):
        self.incidents: list[Incident] = []
        self._by_id: dict[str, int] = {}
        self._countries: dict[str, int] = {}
        self._platforms: dict[str, int] = {}
        self._what_ids: dict[tuple[int, ...], int] = {}
        self._who_ids: dict[tuple[int, ...], int] = {}
        # Growable columns; numpy views over them are made lazily (and dropped before growing).
        self._what_columns = {name: array(code) for name, code in zip(self._WHAT, "bhbhbh", strict=True)}
        self._who_columns = {name: array(code) for name, code in zip(self._WHO, "biq", strict=True)}
        self._what_code = array("i")
        self._who_code = array("i")
        self._np: dict[str, np.ndarray] | None = None
        self._text_index: TextIndex | None = None
        self.extend(incidents)

    def __len__(self) -> int:
        return len(self.incidents)

    def get(self, ident: str) -> Incident | None:
        pos = self._by_id.get(ident.strip().casefold())
        return None if pos is None else self.incidents[pos]

    def extend(self, incidents: Iterable[Incident]) -> None:
        for incident in incidents:
            self.add(incident)

    def add(self, incident: Incident) -> bool:
        """Add one incident; an id already present is replaced in place. True when it was new."""
        self._np = None  # release the views before the columns may reallocate
        self._text_index = None
        what, who = self._encode(incident)
        what_code = self._signature(self._what_ids, self._what_columns, what)
        who_code = self._signature(self._who_ids, self._who_columns, who)
        key = incident.id.casefold()
        pos = self._by_id.get(key)
        if pos is None:
            self._by_id[key] = len(self.incidents)
            self.incidents.append(incident)
            self._what_code.append(what_code)
            self._who_code.append(who_code)
            return True
        self.incidents[pos] = incident
        self._what_code[pos] = what_code
        self._who_code[pos] = who_code
        return False

    @staticmethod
    def _signature(ids: dict[tuple[int, ...], int], columns: dict[str, array], values: tuple[int, ...]) -> int:
        code = ids.get(values)
        if code is None:
            code = ids[values] = len(ids)
            for column, value in zip(columns.values(), values, strict=True):
                column.append(value)
        return code

    def _code(self, table: dict[str, int], value: str | None, limit: int | None = None) -> int:
        if not value:
            return -1
        if value not in table:
            table[value] = len(table) if limit is None else min(len(table), limit)
        return table[value]

    def _encode(self, incident: Incident) -> tuple[tuple[int, ...], tuple[int, ...]]:
        platform_mask = 0
        for platform in incident.platforms:
            platform_mask |= 1 << self._code(self._platforms, platform, limit=62)
        what = (
            _KIND_CODE[incident.kinds[0]],
            _mask(incident.kinds, _KIND_BIT),
            _STATUS_CODE.get(incident.status or "", 0),
            _mask(incident.targets, _TARGET_BIT),
            int(incident.undisclosed),
            _mask(incident_tags(incident.tags), _TAG_BIT),
        )
        who = (
            _ROLE_CODE.get(incident.role, -1),
            self._code(self._countries, normalize_country(incident.country)),
            platform_mask,
        )
        return what, who

    def _arrays(self) -> dict[str, np.ndarray]:
        if self._np is None:

            def view(column: array) -> np.ndarray:
                return np.frombuffer(column, dtype=column.typecode) if len(column) else np.zeros(0, column.typecode)

            self._np = {
                name: view(column) for name, column in [*self._what_columns.items(), *self._who_columns.items()]
            }
            self._np["what_code"] = view(self._what_code)
            self._np["who_code"] = view(self._who_code)
        return self._np

    # -- lookups -----------------------------------------------------------------------------

    def similar(
        self,
        activity: Activity,
        meta: Any = None,
        reasons: Iterable[str] = (),
        k: int = 3,
        min_score: float = MIN_SCORE,
    ) -> list[Match]:
        """The k incidents most like this activity by this account, best first."""
        return self.similar_to(features_for(activity, meta, reasons), k=k, min_score=min_score)

    def finder(self, k: int = 3) -> Callable[[Activity, Any, Any], list[dict]]:
        """A callable for the pipeline: (activity, account meta, alert) -> alert.similar dicts."""

        def find(activity: Activity, meta: Any, alert: Any) -> list[dict]:
            reasons = getattr(alert, "reasons", None) or []
            return [match.to_dict() for match in self.similar(activity, meta, reasons, k=k)]

        return find

    def similar_to(self, query: Features, k: int = 3, min_score: float = MIN_SCORE) -> list[Match]:
        if not self.incidents or k <= 0:
            return []
        structured, denominator, text_query = self._structured(query)
        n = len(structured)
        w_text = WEIGHTS["text"] if text_query else 0.0
        if n <= TEXT_CANDIDATES:
            candidates = np.arange(n)
        else:
            kth = np.partition(structured, n - k)[n - k] if k < n else structured.min()
            candidates = np.flatnonzero(structured >= kth - w_text)
            if len(candidates) > TEXT_CANDIDATES:
                keep = np.argpartition(structured[candidates], len(candidates) - TEXT_CANDIDATES)
                candidates = np.sort(candidates[keep[-TEXT_CANDIDATES:]])
        totals = structured[candidates].astype(np.float64)
        text_scores = np.zeros(len(candidates))
        if text_query:
            choices = [self._match_text(self.incidents[i]) for i in candidates]
            for _, score, position in process.extract(
                text_query,
                choices,
                scorer=fuzz.token_set_ratio,
                processor=utils.default_process,
                limit=None,
                score_cutoff=TEXT_CUTOFF,
            ):
                text_scores[position] = score / 100.0
            totals += w_text * text_scores
        order = np.lexsort((candidates, -totals))[:k]
        matches = []
        for pos in order:
            score = float(totals[pos]) / denominator
            if score < min_score:
                break
            incident = self.incidents[candidates[pos]]
            matches.append(
                Match(
                    id=incident.id,
                    title=incident.title,
                    date=incident.date,
                    score=round(min(score, 1.0), 3),
                    url=incident.url,
                    outcome=incident.outcome,
                    why=explain(query, incident, text_scores[pos]),
                    source=incident.source,
                    alert_link=incident.alert_link,
                )
            )
        return matches

    @staticmethod
    def _match_text(incident: Incident) -> str:
        return f"{incident.title} {incident.summary}"

    def _structured(self, q: Features) -> tuple[np.ndarray, float, str]:
        """Weighted structured score of every incident, the weight the query can reach, its words."""
        a = self._arrays()
        what = np.zeros(len(self._what_ids), dtype=np.float32)  # per *what* signature
        who = np.zeros(len(self._who_ids), dtype=np.float32)  # per *who* signature
        denominator = 1.0
        if q.kind in NO_TEXT_KINDS:
            denominator -= WEIGHTS["text"]
        if q.kind in NO_TARGET_KINDS:
            denominator -= WEIGHTS["target"]
        if not q.undisclosed:
            denominator -= WEIGHTS["affiliation"]  # a rare trait: lacking it is no evidence either way

        # Each part is scored once per signature, mostly as a lookup in a small per-query table
        # indexed by a code or bit mask; the incidents then gather their two signatures' scores.
        similarity = np.array([_kind_similarity(q.kind, kind) for kind in KINDS], dtype=np.float32)
        follow_up = (_KIND_BITS_MATRIX * (similarity * SECONDARY_KIND)).max(axis=1)
        kind_score = np.maximum(similarity[a["primary"]], follow_up[a["kinds"]])
        status = q.was or q.status  # a reactivation is compared with what it came back from
        if q.kind == "status" and status:
            status_factor = np.full(len(STATUSES) + 1, OTHER_STATUS, dtype=np.float32)
            status_factor[0] = 1.0
            status_factor[_STATUS_CODE.get(status, 0)] = 1.0
            kind_score *= status_factor[a["status"]]
        what += WEIGHTS["kind"] * kind_score

        target_mask = _mask(q.targets, _TARGET_BIT)
        if target_mask:
            shared = _POPCOUNT[: 1 << len(TARGET_KINDS)]
            dice = 2 * shared[np.arange(len(shared)) & target_mask] / (shared + shared[target_mask])
            what += (WEIGHTS["target"] * dice).astype(np.float32)[a["targets"]]

        if q.role in _ROLE_CODE:
            by_role = np.zeros(len(ROLES) + 1, dtype=np.float32)  # last slot: role not known (-1)
            for role, code in _ROLE_CODE.items():
                if role == q.role:
                    by_role[code] = WEIGHTS["role"]
                elif role_group(role) == role_group(q.role):
                    by_role[code] = WEIGHTS["role"] * 0.5
            who += by_role[a["role"]]

        if q.country:
            country_code = self._countries.get(q.country)
            if country_code is not None:
                who += WEIGHTS["country"] * (a["country"] == country_code)

        platform_code = self._platforms.get(q.platform or "")
        if platform_code is not None:
            who += WEIGHTS["platform"] * ((a["platform"] & (1 << platform_code)) != 0)

        if q.undisclosed:
            what += WEIGHTS["affiliation"] * a["undisclosed"]

        tag_mask = _mask(q.tags, _TAG_BIT)
        if tag_mask:
            shared = _POPCOUNT[: 1 << len(QUERY_TAGS)]
            by_tags = WEIGHTS["tags"] * shared[np.arange(len(shared)) & tag_mask] / shared[tag_mask]
            what += by_tags.astype(np.float32)[a["tags"]]

        score = what[a["what_code"]]
        score += who[a["who_code"]]
        words = [word for word in utils.default_process(q.text).split() if word not in _STOPWORDS]
        return score, denominator, " ".join(words)

    # -- free-text search ----------------------------------------------------------------------

    def search(self, query: str, k: int = 10) -> list[Match]:
        """Incidents by words, account, country, kind or id (the `/incident search` command)."""
        from bot.incidents.search import TextIndex  # built on first use: lookups never need it

        if self._text_index is None:
            self._text_index = TextIndex(self.incidents)
        return [
            Match(
                id=incident.id,
                title=incident.title,
                date=incident.date,
                score=round(score, 3),
                url=incident.url,
                outcome=incident.outcome,
                why=why,
                source=incident.source,
                alert_link=incident.alert_link,
            )
            for incident, score, why in self._text_index.search(query, k)
        ]


def explain(query: Features, incident: Incident, text_score: float = 0.0) -> str:
    """A few words on why an incident resembles the query: 'same action: repost of a foreign leader; embassy; China'."""
    parts = []
    shared_targets = [TARGET_PHRASES[t] for t in TARGET_KINDS if t in query.targets and t in incident.targets]
    action = query.kind
    status = query.was or query.status
    if query.kind == "status" and query.status:
        action = f"status change ({query.status}" + (f", was {query.was})" if query.was else ")")
    if query.kind in incident.kinds:
        same = query.kind != "status" or incident.status == status
        head = ("same action: " if same else "similar action: ") + action
        if query.kind == "status" and not same and incident.status:
            head += f" ~ {incident.status}"
    else:
        near = [kind for kind in incident.kinds if _kind_similarity(query.kind, kind) > 0]
        head = f"similar action: {action} ~ {near[0]}" if near else ""
    if head and shared_targets:
        head += " of " + " and ".join(shared_targets[:2])
    elif shared_targets:
        head = "also " + " and ".join(shared_targets[:2])
    if head:
        parts.append(head)
    if query.role and query.role == incident.role:
        parts.append(incident.role)
    elif query.role and role_group(query.role) and role_group(query.role) == role_group(incident.role):
        parts.append(f"{role_group(incident.role)} account")
    if query.country and query.country == normalize_country(incident.country):
        parts.append(incident.country)
    if query.undisclosed and incident.undisclosed:
        parts.append("undisclosed state affiliation")
    shared_tags = [TAG_PHRASES[t] for t in QUERY_TAGS if t in query.tags and t in incident_tags(incident.tags)]
    parts.extend(shared_tags[:2])
    if text_score >= 0.6:
        parts.append("similar wording")
    return "; ".join(parts) or "loosely related"
