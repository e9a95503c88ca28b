"""The baseline in brief that /watch show prints, from stored activities."""

from datetime import datetime, timedelta, timezone

from bot.activity import parse_activity
from storage import activities as activity_store
from storage.account_summary import AccountSummary, summarize
from storage.db import Database


def test_usual_hours_wrap_past_midnight():
    summary = AccountSummary()
    for hour in (22, 23, 0, 1, 2):
        summary.hours[hour] = 10
    summary.hours[12] = 1
    assert summary.usual_hours() == (22, 2)
    assert AccountSummary().usual_hours() is None


async def test_summary_counts_kinds_languages_partners_for_that_account_only(database):
    db = await Database.open(database)
    start = datetime(2021, 3, 1, 8, tzinfo=timezone.utc)
    records = []
    for i in range(10):
        records.append(
            {
                "id": f"x:{i}",
                "platform": "x",
                "account": "AmbLiuXiaoMing",
                "at": (start + timedelta(hours=i)).isoformat(),
                "kind": "repost" if i % 2 else "post",
                "lang": "en" if i < 8 else "zh",
                "client": "Twitter Web App",
                **({"target": {"account": "SpokespersonCHN"}} if i % 2 else {}),
            }
        )
    records.append(
        {"id": "x:other", "platform": "x", "account": "someone_else", "kind": "post", "at": start.isoformat()}
    )
    async with db.transaction() as tx:
        await activity_store.store_new(tx, [parse_activity(r) for r in records])
    summary = await summarize(db, "@amblIUxiaoming", "fixture")  # fixture feeds carry the real platform
    await db.close()
    assert summary.total == 10
    assert summary.kinds == {"post": 5, "repost": 5}
    assert summary.langs.most_common(1) == [("en", 8)]
    assert summary.partners == {"SpokespersonCHN": 5}
    assert summary.first_at.startswith("2021-03-01T08") and summary.last_at.startswith("2021-03-01T17")
