"""Alerts: what the scorer found, explained with numbers, ready for any way out (terminal, JSON, Discord)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("low", "medium", "high", "critical")
# Score thresholds (score is 0..1); calibrated in bot/profile/combine.py.
SEVERITY_FLOOR = {"low": 0.5, "medium": 0.7, "high": 0.85, "critical": 0.95}


def severity_for(score: float) -> str | None:
    """The severity for a score, or None when the score is below alerting."""
    result = None
    for name in SEVERITIES:
        if score >= SEVERITY_FLOOR[name]:
            result = name
    return result


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass(slots=True)
class Alert:
    activity_id: str
    account: str
    platform: str
    kind: str
    at: str  # RFC 3339, the activity's time
    score: float
    severity: str
    reasons: list[str]
    activity_ids: list[str] = field(default_factory=list)  # a grouped (coordinated) alert lists all
    accounts: list[str] = field(default_factory=list)
    text: str | None = None  # the excerpt: what was posted or amplified
    url: str | None = None  # link to the original
    target_account: str | None = None
    baseline: str = ""  # the baseline in one line
    owner: str | None = None  # who runs the account
    role: str | None = None
    country: str | None = None
    thin_baseline: bool = False
    similar: list[dict[str, Any]] = field(default_factory=list)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.activity_ids:
            self.activity_ids = [self.activity_id]
        if not self.accounts:
            self.accounts = [self.account]
        if not self.id:
            self.id = alert_id(self.platform, self.activity_ids)

    @property
    def grouped(self) -> bool:
        return len(self.activity_ids) > 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "activity_id": self.activity_id,
            "activity_ids": self.activity_ids,
            "account": self.account,
            "accounts": self.accounts,
            "platform": self.platform,
            "kind": self.kind,
            "at": self.at,
            "score": round(self.score, 4),
            "severity": self.severity,
            "reasons": self.reasons,
            "similar": self.similar,
            "text": self.text,
            "url": self.url,
            "target_account": self.target_account,
            "baseline": self.baseline,
            "owner": self.owner,
            "role": self.role,
            "country": self.country,
            "thin_baseline": self.thin_baseline,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Alert":
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})


def alert_id(platform: str, activity_ids: list[str]) -> str:
    """Stable id: the same activities always make the same alert id (delivery is idempotent on it)."""
    digest = hashlib.sha1(("|".join([platform, *sorted(activity_ids)])).encode()).hexdigest()
    return "A-" + digest[:10]
