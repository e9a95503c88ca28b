"""Free-text search over the library: words, account, country, kind of action, outcome or id.

An inverted index over the short fields (id, accounts, owner, country, role, kinds, title, tags,
outcome) finds candidates; each query word counts once per incident, prefixes count (so 'embass'
or 'hack' work), and the summary's wording breaks ties. Built on the first search only.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from typing import Iterable

import numpy as np
from rapidfuzz import fuzz, process, utils

from bot.incidents.library import Incident

_WORD = re.compile(r"[\w$]+", re.UNICODE)
_STOPWORDS = frozenset("a an and the of in on at to by for from with its it is was be or as".split())
# What people type -> the word the library uses.
ALIASES = {
    "retweet": "repost",
    "retweets": "repost",
    "retweeted": "repost",
    "reposts": "repost",
    "reposted": "repost",
    "rt": "repost",
    "shared": "repost",
    "favourite": "like",
    "favorite": "like",
    "favourited": "like",
    "favorited": "like",
    "liked": "like",
    "likes": "like",
    "unliked": "unlike",
    "posts": "post",
    "posted": "post",
    "tweet": "post",
    "tweets": "post",
    "tweeted": "post",
    "replies": "reply",
    "replied": "reply",
    "follows": "follow",
    "followed": "follow",
    "unfollowed": "unfollow",
    "deleted": "delete",
    "deletion": "delete",
    "removed": "delete",
    "deactivation": "deactivated",
    "deactivate": "deactivated",
    "suspension": "suspended",
    "suspend": "suspended",
    "ban": "suspended",
    "banned": "suspended",
    "rename": "profile",
    "renamed": "profile",
    "hack": "hacked",
    "hijack": "hacked",
    "hijacked": "hacked",
    "takeover": "hacked",
    "compromised": "hacked",
    "embassies": "embassy",
    "ambassadors": "ambassador",
    "twitter": "x",
    "usa": "us",
    "american": "us",
    "british": "uk",
    "chinese": "china",
    "russian": "russia",
    "indian": "india",
    "israeli": "israel",
    "iranian": "iran",
    "pakistani": "pakistan",
    "saudi": "saudi",
    "venezuelan": "venezuela",
    "ukrainian": "ukraine",
}
# Extra words an incident is found by, from its structured fields.
COUNTRY_WORDS = {"united states": ("us",), "united kingdom": ("uk", "britain"), "holy see": ("vatican",)}


def words(text: str) -> list[str]:
    out = []
    for word in _WORD.findall(text.lower().lstrip("@")):
        word = word.lstrip("@")
        if word and word not in _STOPWORDS:
            out.append(ALIASES.get(word, word))
    return out


def _incident_words(incident: Incident) -> set[str]:
    found = set(
        words(
            " ".join(
                (
                    incident.id,
                    incident.title,
                    incident.owner,
                    incident.country,
                    incident.role,
                    incident.outcome,
                    " ".join(incident.kinds),
                    incident.status or "",
                    " ".join(incident.tags).replace("-", " "),
                    " ".join(incident.platforms),
                    " ".join(incident.accounts),
                    " ".join(incident.targets).replace("-", " "),
                )
            )
        )
    )
    found |= {account.lower() for account in incident.accounts}
    found.add(incident.id.lower())
    found.update(COUNTRY_WORDS.get(incident.country.lower(), ()))
    return found


class TextIndex:
    def __init__(self, incidents: Iterable[Incident]):
        self.incidents = list(incidents)
        postings: dict[str, list[int]] = defaultdict(list)
        for position, incident in enumerate(self.incidents):
            for word in _incident_words(incident):
                postings[word].append(position)
        self.vocabulary = sorted(postings)
        self.by_id = {incident.id.casefold(): incident for incident in self.incidents}
        self.postings = {word: np.asarray(ids, dtype=np.int32) for word, ids in postings.items()}

    def _matching(self, word: str) -> np.ndarray:
        """Incidents having the word, or (for 3+ letters) a word starting with it."""
        if len(word) < 3:
            return self.postings.get(word, np.zeros(0, dtype=np.int32))
        start = bisect.bisect_left(self.vocabulary, word)
        found = []
        for vocab_word in self.vocabulary[start : start + 200]:
            if not vocab_word.startswith(word):
                break
            found.append(self.postings[vocab_word])
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int32)

    def search(self, query: str, k: int = 10) -> list[tuple[Incident, float, str]]:
        exact = self.by_id.get(query.strip().casefold())
        if exact is not None:  # an id as shown in an alert, e.g. C-3fa9c1d2e4
            return [(exact, 1.0, "this id")]
        terms = list(dict.fromkeys(words(query)))
        if not terms or not self.incidents:
            return []
        hits = np.zeros(len(self.incidents), dtype=np.float32)
        matched_terms: dict[int, list[str]] = defaultdict(list)
        for term in terms:
            ids = self._matching(term)
            hits[ids] += 1
            if len(ids) <= 5000:
                for position in ids.tolist():
                    matched_terms[position].append(term)
        candidates = np.flatnonzero(hits)
        if len(candidates) == 0:
            return self._by_wording(query, k)
        # Best word coverage first; wording of title and summary decides among equals.
        best = candidates[np.argsort(-hits[candidates], kind="stable")][: max(k * 20, 200)]
        wording = {
            position: score
            for _, score, position in process.extract(
                query,
                [self._text(self.incidents[i]) for i in best],
                scorer=fuzz.partial_token_set_ratio,
                processor=utils.default_process,
                limit=None,
            )
        }
        ranked = sorted(range(len(best)), key=lambda j: (-hits[best[j]], -wording.get(j, 0), j))[:k]
        out = []
        for j in ranked:
            position = int(best[j])
            coverage = hits[position] / len(terms)
            terms_hit = matched_terms.get(position)
            why = (
                "matches " + ", ".join(terms_hit)
                if terms_hit
                else f"matches {int(hits[position])} of {len(terms)} words"
            )
            out.append((self.incidents[position], float(0.8 * coverage + 0.2 * wording.get(j, 0) / 100), why))
        return out

    def _by_wording(self, query: str, k: int) -> list[tuple[Incident, float, str]]:
        """No word of the query is an indexed word: fall back to fuzzy wording over title and summary."""
        found = process.extract(
            query,
            [self._text(i) for i in self.incidents],
            scorer=fuzz.partial_token_set_ratio,
            processor=utils.default_process,
            limit=k,
            score_cutoff=70,
        )
        return [(self.incidents[position], score / 100 * 0.6, "similar wording") for _, score, position in found]

    @staticmethod
    def _text(incident: Incident) -> str:
        return f"{incident.title} {incident.summary}"
