"""Small generated histories: an embassy that posts in English (some French) on weekdays 08-17 UTC
from one client and reposts a few regular partners."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from bot.activity import Activity, parse_activity
from bot.profile import AccountMeta, ProfileBook

START = datetime(2020, 1, 6, tzinfo=timezone.utc)
PARTNERS = ["MFA_Home", "SpokespersonHome", "HomeMissionUN"]
EN = [
    "The ambassador met the mayor to discuss trade and culture ties",
    "Our consulate celebrated the spring festival with local friends and partners",
    "Today the embassy hosted students for an exchange program on science",
    "Trade between our two countries grew again this year, a good sign for cooperation",
    "The ambassador visited a factory built with our joint investment",
]
FR = [
    "L'ambassadeur a rencontré le maire pour parler de commerce et de culture",
    "Nous avons célébré la fête du printemps avec nos amis et partenaires",
]

meta = AccountMeta(platform="x", handle="ExampleEmbassy", role="embassy", country="China", host_country="US")


def act(kind: str, at: datetime, account: str = "ExampleEmbassy", ident: str | None = None, **fields) -> Activity:
    act.serial += 1  # type: ignore[attr-defined]  # a counter kept on the function (tests read it too)
    record = {
        "id": ident or f"x:{act.serial}",
        "platform": "x",
        "account": account,
        "kind": kind,  # type: ignore[attr-defined]
        "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        **fields,
    }
    return parse_activity(record)


act.serial = 0  # type: ignore[attr-defined]


def history(n: int = 400, seed: int = 7, account: str = "ExampleEmbassy") -> list[Activity]:
    rng = random.Random(seed)
    out = []
    at = START
    for i in range(n):
        at += timedelta(hours=rng.choice([3, 5, 20, 24]))
        while at.weekday() >= 5 or not 8 <= at.hour <= 17:
            at += timedelta(hours=1)
        roll = rng.random()
        if roll < 0.2:
            partner = rng.choice(PARTNERS)
            out.append(
                act(
                    "repost",
                    at,
                    account,
                    client="Sprinklr",
                    target={"id": f"x:p{i}", "account": partner, "text": rng.choice(EN), "lang": "en"},
                )
            )
        elif roll < 0.3:
            out.append(act("post", at, account, client="Sprinklr", lang="fr", text=rng.choice(FR)))
        else:
            out.append(
                act(
                    "post",
                    at,
                    account,
                    client="Sprinklr",
                    lang="en",
                    text=rng.choice(EN),
                    hashtags=["trade"] if rng.random() < 0.1 else [],
                )
            )
    return out


def trained(
    n: int = 400, account: str = "ExampleEmbassy", the_meta: AccountMeta = meta
) -> tuple[ProfileBook, datetime]:
    book = ProfileBook()
    acts = history(n, account=account)
    for a in acts:
        book.learn(a, the_meta)
    return book, acts[-1].at


def workday_after(at: datetime, hour: int = 10) -> datetime:
    day = at + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.replace(hour=hour, minute=12, second=0)
