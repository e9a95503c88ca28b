"""The account deactivated, suspended, deleted, protected or back (S3's 11 minutes)."""

from __future__ import annotations

from .base import Finding, Signal


class StatusSignal(Signal):
    name = "status"
    learned = False
    kinds = frozenset({"status"})

    def score_one(self, p, o, a, meta, world):
        before, now = p.status, a.status
        if now in ("deactivated", "suspended", "deleted"):
            return Finding("status", 40.0, f"account {now}" + (f" (was {before})" if before else ""))
        if now == "protected":
            return Finding("status", 20.0, "account made protected: its posts are hidden from the public")
        if now == "active" and before and before != "active":
            return Finding("status", 20.0, f"account reactivated (was {before})")
        return None
