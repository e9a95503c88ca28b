"""The curated word lists in data/lexicon.json, compiled once into matchers.

Used for what a baseline cannot learn from one account: who a foreign leader is, what an election
word in the host country is, what counts as adult or crypto-scam content, what a disclosure looks like.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

LEXICON_PATH = Path(__file__).with_name("data") / "lexicon.json"
BTC_ADDRESS_RE = re.compile(r"\b(?:bc1[a-z0-9]{25,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[a-fA-F0-9]{40})\b")
CASHTAG_RE = re.compile(r"(?<![\w$])\$[A-Za-z]{2,10}\b")


class Terms:
    """Case-insensitive whole-word matching of a list of phrases; `find` returns the distinct hits."""

    def __init__(self, phrases: list[str]):
        phrases = sorted({p.lower() for p in phrases if p}, key=len, reverse=True)
        self.empty = not phrases
        body = "|".join(re.escape(p) for p in phrases) or r"(?!x)x"
        self.regex = re.compile(r"(?<![\w])(?:" + body + r")(?![\w])", re.IGNORECASE)

    def find(self, text: str | None) -> list[str]:
        if not text or self.empty:
            return []
        hits: list[str] = []
        for match in self.regex.finditer(text):
            word = match.group(0).lower()
            if word not in hits:
                hits.append(word)
        return hits


class Lexicon:
    def __init__(self, data: dict):
        self.aliases = {k.lower(): v for k, v in data["aliases"].items()}
        self.leaders = {k.lower(): v for k, v in data["leaders"].items()}
        self.politics = {
            code: Terms(entry.get("terms", []) + entry.get("names", [])) for code, entry in data["politics"].items()
        }
        self.critic_terms = {code: Terms(entry.get("terms", [])) for code, entry in data["critics"].items()}
        self.critic_handles = {
            code: {h.lower() for h in entry.get("handles", [])} for code, entry in data["critics"].items()
        }
        self.adult = Terms(data["adult"]["terms"])
        self.adult_handle_parts = tuple(data["adult"]["handle_parts"])
        self.crypto = Terms(data["crypto"]["terms"])
        self.scam_cues = Terms(data["crypto"]["scam_cues"])
        self.crypto_handle_parts = tuple(data["crypto"]["handle_parts"])
        self.celebrities = Terms(data["celebrities"])
        self.disclosure = Terms(data["disclosure"])
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

    def leader_country(self, handle: str | None) -> str | None:
        return self.leaders.get(handle.lower()) if handle else None

    def politics_hits(self, host: str | None, text: str | None) -> list[str]:
        terms = self.politics.get(host or "")
        return terms.find(text) if terms else []

    def critic_hits(self, country: str | None, text: str | None, handle: str | None) -> list[str]:
        if not country:
            return []
        hits = []
        if handle and handle.lower() in self.critic_handles.get(country, ()):
            hits.append("@" + handle)
        terms = self.critic_terms.get(country)
        if terms:
            hits.extend(terms.find(text))
        return hits

    def adult_hits(self, text: str | None, handle: str | None) -> list[str]:
        hits = self.adult.find(text)
        if handle:
            low = handle.lower()
            hits.extend("@" + handle for part in self.adult_handle_parts if part in low)
        return hits[:3]

    def crypto_scam(self, text: str | None, handle: str | None = None) -> list[str]:
        """Evidence of a crypto scam: a crypto word plus a scam cue, or a wallet address. [] if none."""
        if not text and not handle:
            return []
        text = text or ""
        coins = self.crypto.find(text) + [m.group(0) for m in CASHTAG_RE.finditer(text)][:2]
        if handle:
            low = handle.lower()
            coins.extend("@" + handle for part in self.crypto_handle_parts if part in low)
        address = BTC_ADDRESS_RE.search(text)
        if address:
            return (coins[:2] or []) + ["wallet address " + address.group(0)[:12] + "…"]
        if not coins:
            return []
        cues = self.scam_cues.find(text)
        if not cues:
            return []
        return coins[:2] + cues[:2]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon(json.loads(LEXICON_PATH.read_text(encoding="utf-8")))
