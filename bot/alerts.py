"""Alerts: what the scorer found, explained with numbers, ready for any way out (terminal, JSON, Discord)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from bot.activity import parse_time

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
    # An alert minutes after another on the same account continues that story (pipeline._place_in_story):
    # the story's first alert, its time, and this alert's place in it (2 for the second). None alone.
    story_of: str | None = None
    story_at: str | None = None
    story_place: int = 0

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
            # only in a story's later alerts: every other alert keeps the shape it always had
            **(
                {"story_of": self.story_of, "story_at": self.story_at, "story_place": self.story_place}
                if self.story_of
                else {}
            ),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Alert":
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})


def story_line(alert: Alert) -> str | None:
    """How a story's later alert reads beside its first ("the 3rd alert on @X in one story, which began
    with alert A-1 at 23:12 UTC, 6 minutes before"), or None for an alert that stands alone."""
    if not alert.story_of or not alert.story_at:
        return None
    place = alert.story_place
    nth = f"{place}{'th' if 10 <= place % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(place % 10, 'th')}"
    began = parse_time(alert.story_at)
    minutes = max(0, round((parse_time(alert.at) - began).total_seconds() / 60))
    before = "under a minute" if minutes == 0 else f"{minutes} minute{'' if minutes == 1 else 's'}"
    return (
        f"the {nth} alert on @{alert.account} in one story, which began with alert {alert.story_of} "
        f"at {began:%H:%M} UTC, {before} before"
    )


def alert_id(platform: str, activity_ids: list[str]) -> str:
    """Stable id: the same activities always make the same alert id (delivery is idempotent on it)."""
    digest = hashlib.sha1(("|".join([platform, *sorted(activity_ids)])).encode()).hexdigest()
    return "A-" + digest[:10]
