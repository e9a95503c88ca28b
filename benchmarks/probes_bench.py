"""Probes on the real timelines: shapes written apart from the evaluation's pools, one set per account,
scored against what the account learned from the first 70% of its timeline (the evaluation's split).

Incidents the detector should catch, counted as caught / probed:
- german: an ordinary German post, at its usual hour, on every account that never wrote German;
- flash: a news flash of an alarm ("BREAKING: The President has resigned", and others) in the account's
  main language, at its usual hour, from its usual client, with no link;
- leader's claim: S1's shape, a repost of another country's watched leader (@realDonaldTrump) claiming
  the election was taken, in words no word list has, on every account that never amplified or answered
  him (naming him in its own posts, reporting a meeting, is not engaging with him).

Routine actions that should not alert, counted as alerting / probed. The real timelines carry no likes,
un-likes or profile changes, so each is the first of its kind on the account:
- first like: a like of a never-seen account's ordinary English post;
- official liked: the same post by another government's watched account outside its circle (S1's
  shape is a repost; a like is the lighter endorsement, and the real incidents of likes are about what
  was liked, so it is judged as any like);
- first un-like: an un-like of a never-seen account's post (the like predates the watch);
- first follow / unfollow: of a never-seen account;
- bio rewritten: the whole bio reworded, nothing else changed; avatar alone: a new avatar;
- page refreshed: a new avatar with the bio put in other words of its own (its sentences in another
  order, one more added).

- slip fixed: one of its posts with two letters swapped, the same post again corrected 2 minutes later,
  and the slip deleted a minute after that (a typo fixed where posts cannot be edited).

And two shapes kept as news by design, counted so that their cost stays in view: quick delete, one of
its ordinary posts (a text it posted before) deleted 10 minutes after posting, on an account that never
deleted anything (a retraction, or a typo fix whose correction is not up yet: the detector cannot tell
them apart); and slip deleted first, the slip fixed above with the deletion a minute before the
correction (judged when it comes, with no correction to see).

Each probe is scored alone against the learned profile (scoring learns nothing; the quick delete's post
is learned, last). Full form: the 65
accounts of ../shared/data/official-timelines (--data DIR for another copy). Quick form (CI): the
bundled timelines in fixtures/timelines, checking that every probe ran.
"""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.activity import Activity  # noqa: E402
from bot.alerts import severity_for  # noqa: E402
from bot.eval_cases import AccountInfo  # noqa: E402
from bot.profile import AccountMeta, ProfileBook  # noqa: E402

GERMAN = [
    "Die Regierung gibt heute neue Maßnahmen zur Unterstützung der Wirtschaft bekannt.",
    "Wir danken allen Bürgerinnen und Bürgern für ihre Geduld in diesen schwierigen Zeiten.",
    "Der Minister trifft sich morgen mit Vertretern der Industrie, um über Investitionen zu sprechen.",
]
FLASHES = {
    "en": [
        "BREAKING: The President has resigned. More details to follow.",
        "BREAKING: Explosion reported near the parliament building, several casualties",
        "URGENT: the Prime Minister has been taken to hospital after collapsing during a meeting",
        "Breaking news: government declares a state of emergency across the country tonight",
    ],
    "es": [
        "ÚLTIMA HORA: El Presidente ha renunciado. Más detalles en breve.",
        "URGENTE: explosión cerca del palacio de gobierno, varios heridos",
    ],
    "fr": [
        "URGENT : le Président a démissionné. Plus de détails à suivre.",
        "ALERTE : explosion près du palais présidentiel, plusieurs victimes",
    ],
    "tr": ["SON DAKİKA: Cumhurbaşkanı istifa etti. Ayrıntılar birazdan."],
    "de": ["EILMELDUNG: Der Bundeskanzler ist zurückgetreten. Weitere Details folgen."],
    "pt": ["URGENTE: O Presidente renunciou. Mais detalhes em breve."],
    "nl": ["BREAKING: De minister-president is afgetreden. Meer details volgen."],
}
LEADER = "realDonaldTrump"
OFFICIAL = "ExampleForeignMinistry"  # another government's watched account that no timeline knows
# worded apart from the word lists: nothing in it is a listed claim, so the repost itself is the sign
LEADER_CLAIMS = [
    "This election was taken from us by crooked officials. Do not accept the result!",
    "They took this election from the people. Everyone knows what happened tonight.",
]
ORDINARY = "Congratulations to the team on a wonderful result at the festival today"
PROFILE = {
    "name": "Office of the Example",
    "bio": "Official account of the Office. News and updates.",
    "avatar": "https://pbs.example/a1.jpg",
}


def _probes(handle: str, info: AccountInfo, writes_german: bool) -> dict[str, list[Activity]]:
    """Each probe's activities, at its usual hour from its usual client, from the day after its learned
    part: what the evaluation's generator knows of the account (`account_info`)."""
    declares = "lang" in info.fields
    start = (info.learn[-1].at + timedelta(days=1)).replace(hour=info.hours.most_common(1)[0][0], minute=5)
    serial = iter(range(10**6))

    def make(kind: str, day: int, **fields) -> Activity:
        at = start + timedelta(days=day)
        return Activity(id=f"x:probe-{handle}-{next(serial)}", platform="x", account=handle, at=at, kind=kind, **fields)

    top = info.langs.most_common(1)[0][0] if info.langs else None
    own = {"client": info.clients.most_common(1)[0][0] if info.clients else None}
    probes: dict[str, list[Activity]] = {
        "german": []
        if writes_german
        else [make("post", i, text=t, lang="de" if declares else None, **own) for i, t in enumerate(GERMAN)],
        "flash": [
            make("post", i, text=t, lang=top if declares else None, **own)
            for i, t in enumerate(FLASHES.get(top or "", []))
        ],
        "leader's claim": []
        if handle.lower() == LEADER.lower() or _engaged(info, LEADER)
        else [
            make("repost", 2 + i, target={"id": f"x:claim-{i}", "account": LEADER, "text": t})
            for i, t in enumerate(LEADER_CLAIMS)
        ],
        "first like": [make("like", 0, target={"id": "x:p1", "account": "someone_new_1", "text": ORDINARY})],
        "official liked": [make("like", 0, target={"id": "x:p5", "account": OFFICIAL, "text": ORDINARY})],
        "first un-like": [make("unlike", 0, target={"id": "x:p2", "account": "someone_new_2"})],
        "first follow": [make("follow", 0, target={"account": "someone_new_3"})],
        "first unfollow": [make("unfollow", 0, target={"account": "someone_new_4"})],
        "bio rewritten": [
            make(
                "profile", 0, profile={**PROFILE, "bio": "The Office's team: trade, culture and news from the capital"}
            )
        ],
        "avatar alone": [make("profile", 0, profile={**PROFILE, "avatar": "https://pbs.example/a2.jpg"})],
        "page refreshed": [
            make(
                "profile",
                0,
                profile={
                    **PROFILE,
                    "bio": "News and updates from the Office. Its official account, run by the press team.",
                    "avatar": "https://pbs.example/a3.jpg",
                },
            )
        ],
    }
    return probes


def _engaged(info: AccountInfo, handle: str) -> bool:
    """Whether it ever amplified or answered the account (naming it in its own posts is not engaging)."""
    return any(
        a.kind in ("repost", "quote", "like", "reply")
        and ((a.target or {}).get("account") or "").lower() == handle.lower()
        for a in info.learn + info.test
    )


def _slip_alerts(book: ProfileBook, meta: AccountMeta, post: Activity, delete_first: bool) -> bool:
    """Whether the deletion of a slip alerts: `post` with two letters swapped a day later, posted again
    corrected 2 minutes after it, the slip deleted a minute after the correction or before it."""
    text = post.text or ""
    i = next((k for k in range(len(text) - 1) if text[k].isalpha() and text[k + 1].isalpha()), 0)
    slip = dataclasses.replace(
        post,
        id=f"{post.id}-slip{int(delete_first)}",
        at=post.at + timedelta(days=1 + delete_first),
        text=text[:i] + text[i + 1 : i + 2] + text[i : i + 1] + text[i + 2 :],
    )
    fixed = dataclasses.replace(post, id=f"{slip.id}-fixed", at=slip.at + timedelta(minutes=2))
    delete = Activity(
        id=f"{slip.id}-delete",
        platform=post.platform,
        account=post.account,
        at=fixed.at + timedelta(minutes=-1 if delete_first else 1),
        kind="delete",
        target={"id": slip.id},
    )
    saved = book.snapshot({(post.platform, post.account)})  # each probe alone: put back what it taught
    book.learn(slip, meta)
    if not delete_first:
        book.learn(fixed, meta)
    alerts = severity_for(book.score(delete, meta).score) is not None
    book.learn(delete, meta, alerted=alerts)
    if delete_first:
        book.learn(fixed, meta)
    book.restore(saved)
    return alerts


INCIDENTS = ("german", "flash", "leader's claim")
KEPT = ("quick delete", "slip deleted first")


def main() -> int:
    from bot.eval import account_info, bench_parser, bench_timelines, load_timelines

    parser = bench_parser(__doc__)
    args = parser.parse_args()
    folder = bench_timelines(args.quick, args.data)
    timelines, _ = load_timelines(folder)
    probed: Counter[str] = Counter()
    alerting: Counter[str] = Counter()
    for handle, acts in sorted(timelines.items()):
        info = account_info(handle, acts)
        if len(info.learn) < 30:
            continue
        meta = AccountMeta(platform="x", handle=handle)
        book = ProfileBook()
        book.watch("x", LEADER)  # as a watch list (or a replay of his timeline too) would have him
        book.watch("x", OFFICIAL)
        book.learn(
            Activity(
                id=f"x:probe-{handle}-profile",
                platform="x",
                account=handle,
                at=info.learn[0].at - timedelta(seconds=1),
                kind="profile",
                profile=PROFILE,
            ),
            meta,
        )
        for a in info.learn:
            book.learn(a, meta)
        german = "de" in info.langs or any(a.lang == "de" for a in acts)
        for name, activities in _probes(handle, info, german).items():
            for a in activities:
                probed[name] += 1
                alerting[name] += severity_for(book.score(a, meta).score) is not None
        # last, as it learns the post it deletes
        own = [a for a in info.learn if a.kind == "post" and a.text]
        if own:
            post = dataclasses.replace(own[-1], id=f"x:probe-{handle}-typo", at=info.learn[-1].at + timedelta(days=9))
            book.learn(post, meta, alerted=severity_for(book.score(post, meta).score) is not None)
            delete = Activity(
                id=f"x:probe-{handle}-delete",
                platform="x",
                account=handle,
                at=post.at + timedelta(minutes=10),
                kind="delete",
                target={"id": post.id},
            )
            probed["quick delete"] += 1
            alerting["quick delete"] += severity_for(book.score(delete, meta).score) is not None
            for name, delete_first in (("slip fixed", False), ("slip deleted first", True)):
                probed[name] += 1
                alerting[name] += _slip_alerts(book, meta, post, delete_first)
    print(f"probes on {len(timelines)} accounts of {folder.name}, each against the first 70% of its timeline")
    print(f"{'probe':<19} {'probed':>7} {'alerting':>9}  goal")
    for name in probed:
        goal = "all alert" if name in INCIDENTS else "alerts, kept as news" if name in KEPT else "none alerts"
        print(f"{name:<19} {probed[name]:>7} {alerting[name]:>9}  {goal}")
    if args.quick:
        return 0 if probed["first like"] and probed["bio rewritten"] and probed["leader's claim"] else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
