"""Tier 2: the usual-hours chart is a PNG Discord shows unscaled, its bars follow the counts in the account's
local time, and the alerted activity's hour stands out in its own colour."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot.activity import parse_activity
from bot.alert_chart import account_hours, alert_chart
from bot.alerts import Alert
from bot.chart import BARS, BASELINE, MARK, PNG_LIMIT, TOP, column, hour_counts, hours_png, zone_label
from bot.watch import WatchedAccount
from storage import activities as activity_store
from storage import watch as watch_store
from storage.db import Database

EMBED_IMAGE_MAX = (400, 300)  # Discord shows an embed image at most this size; larger ones are scaled down


def decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image.convert("RGB")


def bar_height(image: Image.Image, hour: int, colour: tuple[int, int, int]) -> int:
    """Pixels of `colour` in the middle of an hour's column, from the baseline up."""
    x0, x1 = column(hour)
    x = (x0 + x1) // 2
    return sum(1 for y in range(TOP, BASELINE) if image.getpixel((x, y)) == colour)


def test_it_fits_an_embed_image_and_bars_follow_the_counts():
    hours = [0] * 24
    hours[9], hours[15] = 40, 10
    png = hours_png(hours)
    image = decode(png)
    assert image.size[0] <= EMBED_IMAGE_MAX[0] and image.size[1] <= EMBED_IMAGE_MAX[1]
    assert image.size[0] >= 300  # wide enough for the hour labels to be read
    assert len(png) < PNG_LIMIT and len(png) < 64 * 1024  # small: it goes with every alert
    tallest = bar_height(image, 9, BARS)
    assert tallest == BASELINE - TOP  # the busiest hour fills the plot
    assert bar_height(image, 15, BARS) == pytest.approx(tallest / 4, abs=1)
    assert bar_height(image, 3, BARS) == 0
    assert bar_height(image, 9, MARK) == 0  # nothing marked when no hour is


def test_the_marked_hour_is_drawn_in_its_own_colour_even_without_history():
    hours = [0] * 24
    hours[9], hours[10] = 30, 30
    image = decode(hours_png(hours, marked_hour=10))
    assert bar_height(image, 10, MARK) == BASELINE - TOP and bar_height(image, 10, BARS) == 0
    assert bar_height(image, 9, BARS) == BASELINE - TOP
    # An alert at an hour the account never used: that hour is still marked on the baseline.
    quiet = decode(hours_png(hours, marked_hour=3))
    x0, x1 = column(3)
    assert quiet.getpixel(((x0 + x1) // 2, BASELINE - 1)) == MARK
    assert bar_height(quiet, 3, BARS) == 0


def test_hours_are_counted_in_local_time_across_daylight_saving():
    new_york = ZoneInfo("America/New_York")
    winter = datetime(2021, 1, 15, 14, 30, tzinfo=timezone.utc)  # 09:30 EST (UTC-5)
    summer = datetime(2021, 7, 15, 13, 30, tzinfo=timezone.utc)  # 09:30 EDT (UTC-4)
    hours = hour_counts([winter, summer], new_york)
    assert hours[9] == 2 and sum(hours) == 2
    assert hour_counts([winter, summer])[13:15] == [1, 1]  # in UTC they are an hour apart


def test_the_zone_is_named_with_its_offset():
    assert zone_label(None) == "UTC"
    assert zone_label(ZoneInfo("Asia/Shanghai")) == "Asia/Shanghai, UTC+08"
    assert zone_label(ZoneInfo("Asia/Kolkata")) == "Asia/Kolkata, UTC+05:30"
    assert zone_label(ZoneInfo("America/New_York"), datetime(2021, 1, 1, tzinfo=timezone.utc)) == (
        "America/New_York, UTC-05"
    )


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="24 hourly counts"):
        hours_png([1, 2, 3])
    with pytest.raises(ValueError, match="0-23"):
        hours_png([0] * 24, marked_hour=24)


async def test_an_alerts_chart_is_its_accounts_history_before_it_in_local_time(tmp_path):
    start = datetime(2020, 11, 1, 1, tzinfo=timezone.utc)  # 09:00 in Shanghai
    records = [
        {
            "id": f"x:{i}",
            "platform": "x",
            "account": "ChineseEmbinUS",
            "kind": "post",
            "at": (start + timedelta(days=i, hours=i % 2)).isoformat(),
        }
        for i in range(30)
    ]
    later = {"id": "x:99", "platform": "x", "account": "ChineseEmbinUS", "kind": "post", "at": "2021-06-01T20:00:00Z"}
    async with await Database.open(tmp_path / "chart.db") as db:
        async with db.transaction() as tx:
            await activity_store.store_new(tx, [parse_activity(r) for r in [*records, later]])
            await watch_store.add(tx, WatchedAccount("x", "ChineseEmbinUS", tz="Asia/Shanghai"))
        hours, zone = await account_hours(db, "x", "ChineseEmbinUS", "Asia/Shanghai")
        assert zone == "Asia/Shanghai, UTC+08" and hours[9] == 15 and hours[10] == 15 and hours[4] == 1
        # 2020-12-09 19:12 UTC is 03:12 the next morning in Shanghai: an hour it never posted at.
        alert = Alert(
            activity_id="x:1336",
            account="ChineseEmbinUS",
            platform="x",
            kind="repost",
            at="2020-12-09T19:12:00Z",
            score=0.97,
            severity="critical",
            reasons=["03:12 local"],
        )
        png = await alert_chart(db, alert)
    assert png is not None
    image = decode(png)
    x0, x1 = column(3)
    assert image.getpixel(((x0 + x1) // 2, BASELINE - 1)) == MARK  # the alert's local hour
    # Only what came before the alert: 30 activities, 15 at 09 and 15 at 10, none from the later one at 04.
    assert bar_height(image, 9, BARS) == bar_height(image, 10, BARS) == BASELINE - TOP
    assert bar_height(image, 4, BARS) == 0


async def test_without_a_zone_the_chart_is_in_utc(tmp_path):
    async with await Database.open(tmp_path / "utc.db") as db:
        async with db.transaction() as tx:
            await activity_store.store_new(
                tx,
                [
                    parse_activity(
                        {"id": "x:1", "platform": "x", "account": "mfa", "kind": "post", "at": "2021-01-01T12:00:00Z"}
                    )
                ],
            )
            await watch_store.add(tx, WatchedAccount("x", "mfa"))
        alert = Alert(
            activity_id="x:2",
            account="mfa",
            platform="x",
            kind="post",
            at="2021-01-02T03:00:00Z",
            score=0.9,
            severity="high",
            reasons=["r"],
        )
        image = decode(await alert_chart(db, alert) or b"")
    assert bar_height(image, 12, BARS) == BASELINE - TOP
    x0, x1 = column(3)
    assert image.getpixel(((x0 + x1) // 2, BASELINE - 1)) == MARK


async def test_an_alert_whose_chart_cannot_be_drawn_gets_none_not_an_error(tmp_path, caplog):
    async with await Database.open(tmp_path / "bad.db") as db:
        alert = Alert(
            activity_id="x:3",
            account="mfa",
            platform="x",
            kind="post",
            at="yesterday",
            score=0.9,
            severity="high",
            reasons=["r"],
        )
        assert await alert_chart(db, alert) is None
    assert "no chart" in caplog.text


async def test_each_server_sees_the_chart_in_the_zone_it_gave_the_account(tmp_path):
    """Two servers watch one account with zones of their own: each alert's chart is drawn in the zone of
    the server it goes to, never another server's; a scope that gave none gets UTC."""
    activity = {"id": "x:1", "platform": "x", "account": "mfa", "kind": "post", "at": "2020-12-01T12:00:00Z"}
    async with await Database.open(tmp_path / "zones.db") as db:
        async with db.transaction() as tx:
            await activity_store.store_new(tx, [parse_activity(activity)])
            await watch_store.add(tx, WatchedAccount("x", "mfa", tz="Asia/Shanghai", guild_id=111))
            await watch_store.add(tx, WatchedAccount("x", "mfa", tz="America/New_York", guild_id=222))
            await watch_store.add(tx, WatchedAccount("x", "mfa", guild_id=333))
        alert = Alert(
            activity_id="x:2",
            account="mfa",
            platform="x",
            kind="post",
            at="2020-12-09T19:12:00Z",
            score=0.9,
            severity="high",
            reasons=["r"],
        )
        charts = {guild: decode(await alert_chart(db, alert, guild) or b"") for guild in (111, 222, 333)}
    for guild, hour in ((111, 3), (222, 14), (333, 19)):  # 19:12 UTC: 03:12 in Shanghai, 14:12 in New York
        x0, x1 = column(hour)
        assert charts[guild].getpixel(((x0 + x1) // 2, BASELINE - 1)) == MARK, guild
        x0, x1 = column(19 if hour != 19 else 3)
        assert charts[guild].getpixel(((x0 + x1) // 2, BASELINE - 1)) != MARK, guild  # one hour marked only
