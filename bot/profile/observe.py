"""Turn an Activity into the handful of values the feature models look at (computed once per activity)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.activity import Activity

from .lexicon import lexicon
from .text import guess_lang, informative_domains, words

# Kinds that make up the account's everyday behaviour (profile and status changes are events on top).
BEHAVIOUR_KINDS = ("post", "reply", "repost", "quote", "like", "unlike", "follow", "unfollow", "delete")
# Which interaction-target memory a kind consults: amplifying, answering or following someone.
TARGET_GROUP = {"repost": "amplify", "quote": "amplify", "like": "amplify", "unlike": "amplify",
                "reply": "reply", "follow": "follow", "unfollow": "follow"}
# Kinds whose own text speaks for the account.
OWN_TEXT_KINDS = ("post", "reply", "quote")
MASS_KINDS = ("like", "unlike", "follow", "unfollow", "delete", "repost")


@dataclass(slots=True)
class Observation:
    kind: str
    t: float  # epoch seconds
    hour: int  # UTC
    dow: int
    tokens: list[str]
    lang: str | None
    lang_declared: bool
    target: str | None  # handle as written
    target_key: str | None  # lower-cased
    target_text: str | None
    target_lang: str | None
    labels: list[str]
    client: str | None
    domains: list[str]
    hashtags: list[str]
    mentions: list[str]
    text: str  # own text, or the amplified text for reposts/likes
    categories: list[tuple[str, str]] = field(default_factory=list)  # (category, evidence)

    @property
    def behaviour(self) -> bool:
        return self.kind in BEHAVIOUR_KINDS


def observe(activity: Activity, meta) -> Observation:
    lex = lexicon()
    target = activity.target or {}
    target_account = target.get("account")
    target_text = target.get("text")
    own_text = activity.text if activity.kind in OWN_TEXT_KINDS or activity.kind == "post" else None
    tokens = words(own_text)
    lang = activity.lang.lower() if activity.lang else None
    declared = lang is not None
    if lang in ("und", "zxx", "qme", "qht", "qam", "qst"):
        lang, declared = None, False
    if lang is None and len(tokens) >= 4:
        lang = guess_lang(own_text, tokens)
    tlang = target.get("lang")
    if tlang is None and activity.kind in ("repost", "quote", "like") and target_text:
        ttokens = words(target_text)
        if len(ttokens) >= 4:
            tlang = guess_lang(target_text, ttokens)
    labels = [label.lower() for label in activity.labels]
    labels += [str(label).lower() for label in (target.get("labels") or [])]
    links = list(activity.links)
    if target.get("url") and activity.kind in ("repost", "quote", "like"):
        links.append(target["url"])
    text = own_text or target_text or ""
    if activity.kind == "quote" and target_text:
        text = f"{own_text or ''} {target_text}"
    at = activity.at
    obs = Observation(
        kind=activity.kind, t=at.timestamp(), hour=at.hour, dow=at.weekday(), tokens=tokens,
        lang=lang, lang_declared=declared, target=target_account,
        target_key=target_account.lower() if target_account else None, target_text=target_text,
        target_lang=tlang.lower() if tlang else None, labels=labels, client=activity.client,
        domains=informative_domains(links), hashtags=[h.lower() for h in activity.hashtags],
        mentions=[m.lower() for m in activity.mentions], text=text,
    )
    own_country = lex.country(meta.country)
    if target_account or text:
        leader = lex.leader_country(target_account)
        if leader and leader != own_country:
            obs.categories.append(("foreign_leader", f"@{target_account} is a {leader} leader's account"))
        critic = lex.critic_hits(own_country, target_text if activity.kind != "post" else None, target_account)
        if critic and activity.kind in ("repost", "quote", "like", "follow"):
            obs.categories.append(("critic", "criticises its own government (" + ", ".join(critic[:3]) + ")"))
        adult = lex.adult_hits(target_text, target_account) if activity.kind != "post" else []
        if adult:
            obs.categories.append(("adult", "adult content (" + ", ".join(adult[:3]) + ")"))
        host = lex.country(meta.host_country)
        politics = lex.politics_hits(host, text) if host else []
        if politics:
            obs.categories.append(("host_politics", f"{host} politics (" + ", ".join(politics[:3]) + ")"))
    return obs
