"""The incident library: prior cases an alert is compared with.

One incident per line of a JSON Lines file (format in docs/incidents.md). Loading never stops at a
bad line: each malformed entry becomes a `LoadError` naming the file, the line and the field, and
every other entry still loads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, overload

from bot.incidents.vocab import KINDS, OUTCOMES, ROLES, STATUSES, TARGET_KINDS, normalize_platform

LIBRARY_NAME = Path("fixtures") / "incidents" / "library.jsonl"


def _default_library() -> Path:
    """The checkout's library; an installed package (the Docker image) reads it from the working directory."""
    beside_package = Path(__file__).resolve().parents[2] / LIBRARY_NAME
    return beside_package if beside_package.exists() else LIBRARY_NAME


DEFAULT_LIBRARY = _default_library()

REQUIRED = (
    "id",
    "title",
    "date",
    "platform",
    "owner",
    "country",
    "role",
    "kinds",
    "summary",
    "explanation",
    "outcome",
    "source_url",
)
OPTIONAL = (
    "other_platforms",
    "account",
    "other_accounts",
    "account_note",
    "status",
    "targets",
    "tags",
    "alert_id",
    "alert_link",
)


class IncidentError(ValueError):
    """One entry that is not a valid incident; `field` names the offending field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(slots=True, frozen=True)
class LoadError:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass(slots=True)
class Incident:
    id: str
    title: str
    date: str  # YYYY-MM-DD
    platform: str
    owner: str
    country: str
    role: str
    kinds: tuple[str, ...]
    summary: str
    explanation: str
    outcome: str
    source_url: str
    other_platforms: tuple[str, ...] = ()
    account: str | None = None
    other_accounts: tuple[str, ...] = ()
    account_note: str | None = None
    status: str | None = None
    targets: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    alert_id: str | None = None  # set when a moderator-confirmed alert joined the library
    alert_link: str | None = None

    @property
    def platforms(self) -> tuple[str, ...]:
        return (self.platform, *self.other_platforms)

    @property
    def accounts(self) -> tuple[str, ...]:
        return ((self.account,) if self.account else ()) + self.other_accounts

    @property
    def undisclosed(self) -> bool:
        return self.outcome == "undisclosed affiliation" or "undisclosed-affiliation" in self.tags

    @property
    def url(self) -> str:
        """Where a reader checks the facts: the published source, or the alert it came from."""
        return self.source_url or self.alert_link or ""

    @property
    def source(self) -> str:
        return "confirmed" if self.alert_id else "library"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "title": self.title, "date": self.date, "platform": self.platform}
        if self.other_platforms:
            out["other_platforms"] = list(self.other_platforms)
        out["account"] = self.account
        if self.other_accounts:
            out["other_accounts"] = list(self.other_accounts)
        if self.account_note:
            out["account_note"] = self.account_note
        out.update(owner=self.owner, country=self.country, role=self.role, kinds=list(self.kinds))
        if self.status:
            out["status"] = self.status
        out.update(
            targets=list(self.targets),
            summary=self.summary,
            explanation=self.explanation,
            outcome=self.outcome,
            tags=list(self.tags),
            source_url=self.source_url,
        )
        if self.alert_id:
            out["alert_id"] = self.alert_id
            out["alert_link"] = self.alert_link
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


@dataclass(slots=True)
class LoadResult:
    incidents: list[Incident] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)


@overload
def _text(data: dict, name: str, *, required: Literal[True]) -> str: ...
@overload
def _text(data: dict, name: str, *, required: bool) -> str | None: ...
def _text(data: dict, name: str, *, required: bool) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise IncidentError(name, "is required")
        return None
    if not isinstance(value, str):
        raise IncidentError(name, f"must be a string, got {json.dumps(value)[:40]}")
    value = value.strip()
    if required and not value:
        raise IncidentError(name, "must not be empty")
    return value or None


def _texts(data: dict, name: str, allowed: dict | tuple | None = None) -> tuple[str, ...]:
    value = data.get(name)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise IncidentError(name, "must be a list of non-empty strings")
    items = tuple(item.strip() for item in value)
    if allowed is not None:
        unknown = [item for item in items if item not in allowed]
        if unknown:
            raise IncidentError(name, f"{unknown[0]!r} is not one of {', '.join(allowed)}")
    return items


def parse_incident(data: Any) -> Incident:
    """Validate one decoded entry; raise IncidentError naming the first field that is wrong."""
    if not isinstance(data, dict):
        raise IncidentError("record", "must be a JSON object")
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise IncidentError(unknown[0], "is not a field of the incident format (see docs/incidents.md)")
    ident = _text(data, "id", required=True)
    title = _text(data, "title", required=True)
    when = _text(data, "date", required=True)
    try:
        date.fromisoformat(when)
    except ValueError:
        raise IncidentError("date", f"{when!r} is not a date in the form YYYY-MM-DD") from None
    platform = normalize_platform(_text(data, "platform", required=True))
    role = _text(data, "role", required=True)
    if role not in ROLES:
        raise IncidentError("role", f"{role!r} is not one of {', '.join(ROLES)}")
    kinds = _texts(data, "kinds", KINDS)
    if not kinds:
        raise IncidentError("kinds", "needs at least one activity kind")
    status = _text(data, "status", required=False)
    if "status" in kinds and status not in STATUSES:
        raise IncidentError("status", f"kind 'status' needs status one of {', '.join(STATUSES)}")
    if status and "status" not in kinds:
        raise IncidentError("status", "only incidents with kind 'status' carry a status")
    outcome = _text(data, "outcome", required=True)
    if outcome not in OUTCOMES:
        raise IncidentError("outcome", f"{outcome!r} is not one of {', '.join(OUTCOMES)}")
    source_url = _text(data, "source_url", required=True)
    if not source_url.startswith(("http://", "https://")):
        raise IncidentError("source_url", "must be an http(s) address")
    account = _text(data, "account", required=False)
    return Incident(
        id=ident,
        title=title,
        date=when,
        platform=platform,
        owner=_text(data, "owner", required=True),
        country=_text(data, "country", required=True),
        role=role,
        kinds=kinds,
        summary=_text(data, "summary", required=True),
        explanation=_text(data, "explanation", required=True),
        outcome=outcome,
        source_url=source_url,
        other_platforms=tuple(normalize_platform(p) for p in _texts(data, "other_platforms")),
        account=account.lstrip("@") if account else None,
        other_accounts=tuple(a.lstrip("@") for a in _texts(data, "other_accounts")),
        account_note=_text(data, "account_note", required=False),
        status=status,
        targets=_texts(data, "targets", TARGET_KINDS),
        tags=tuple(tag.lower() for tag in _texts(data, "tags")),
        alert_id=_text(data, "alert_id", required=False),
        alert_link=_text(data, "alert_link", required=False),
    )


def load_library(path: str | Path = DEFAULT_LIBRARY) -> LoadResult:
    """Every valid incident of a JSONL file, plus one error per malformed line (file, line, field).

    A file that cannot be read at all raises OSError: that is the caller's clear error to report.
    """
    path = Path(path)
    result = LoadResult()
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8-sig") as handle:  # tolerate a BOM from Windows editors
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                result.errors.append(
                    LoadError(str(path), number, "record", f"not valid JSON ({exc.msg}, column {exc.colno})")
                )
                continue
            try:
                incident = parse_incident(data)
            except IncidentError as exc:
                result.errors.append(LoadError(str(path), number, exc.field, exc.message))
                continue
            if incident.id in seen:
                result.errors.append(
                    LoadError(str(path), number, "id", f"{incident.id!r} already used on line {seen[incident.id]}")
                )
                continue
            seen[incident.id] = number
            result.incidents.append(incident)
    return result
