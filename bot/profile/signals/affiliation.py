"""S4: a state-run account posting about the host country's politics while its profile does not say
who runs it. Needs the watch list's affiliation."""

from __future__ import annotations

from ..lexicon import lexicon
from .base import Finding, Signal


def _owner_name(owner: str | None) -> str:
    """Who runs it, without what the watch list says of them in brackets ("MediaLinks TV LLC (registered
    foreign agent distributing CCTV/CGTN content)"): a profile discloses the name, not the description."""
    return (owner or "").split(" (", 1)[0].strip().lower()


class AffiliationSignal(Signal):
    name = "affiliation"
    learned = False
    kinds = frozenset({"post", "reply", "quote", "repost"})

    def score_one(self, p, o, a, meta, world):
        if not meta.affiliation or "affiliation" in p.exempt:
            return None
        politics = [ev for cat, ev in o.categories if cat == "host_politics"]
        if not politics:
            return None
        profile = p.profile or {}
        shown = f"{profile.get('name') or ''} {profile.get('bio') or ''} {' '.join(profile.get('labels') or [])}"
        disclosed = lexicon().disclosure.find(shown)
        owner_name = _owner_name(meta.owner)
        if disclosed or (owner_name and owner_name in shown.lower()):
            return None
        where = "its profile does not disclose it" if p.profile else "no profile on record discloses it"
        # the owner once, where the affiliation does not already name it
        owner = f" ({meta.owner})" if owner_name and owner_name not in meta.affiliation.lower() else ""
        return Finding(
            "affiliation",
            18.0,
            f"run by {meta.affiliation}{owner}, posting about {politics[0]}; {where}",
            "affiliation",
        )
