"""The usual-hours chart: an account's activity by hour of day, the alerted activity's hour marked.

Drawn with Pillow at the size Discord shows an embed image without scaling it down (400 px wide), so the
hour labels stay legible; in the account's local time when its zone is known, else in UTC. Used by
/watch show and by every alert (bot, webhook). Pure drawing: no database, no discord.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone, tzinfo

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 400, 220  # Discord shows embed images at most 400 x 300 without scaling them
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 30, 46  # margins around the plot: y labels, title, hour labels and legend
SLOT = (WIDTH - LEFT - RIGHT) // 24  # one hour's column
GAP = 3
PLOT_LEFT = WIDTH - RIGHT - 24 * SLOT  # the plot is right-aligned so the columns are whole pixels
BASELINE = HEIGHT - BOTTOM

BACKGROUND = (43, 45, 49)  # Discord's dark embed, so the chart sits in it without a frame
GRID = (63, 66, 72)
TEXT = (181, 186, 193)
FAINT = (128, 132, 142)
BARS = (88, 101, 242)
MARK = (250, 166, 26)  # the hour of the alerted activity
MARK_BACKDROP = (66, 58, 45)  # its whole column, so an hour with no history at all still shows
QUIET = (79, 84, 92)  # a hour with no activity still gets a tick on the baseline

PNG_LIMIT = 10 * 1024 * 1024  # Discord's upload limit for a server without boosts


def column(hour: int) -> tuple[int, int]:
    """The x range (inclusive) of an hour's bar."""
    x0 = PLOT_LEFT + hour * SLOT + GAP // 2
    return x0, x0 + SLOT - GAP - 1


def hour_counts(times: Iterable[datetime], tz: tzinfo | None = None) -> list[int]:
    """Activities per hour of day, in `tz` (each activity converted at its own date, so DST is right)."""
    hours = [0] * 24
    zone = tz or timezone.utc
    for at in times:
        hours[at.astimezone(zone).hour] += 1
    return hours


def zone_label(tz: tzinfo | None, at: datetime | None = None) -> str:
    """'UTC', or the zone's name and its offset at `at` (now when not given)."""
    if tz is None:
        return "UTC"
    offset = (at or datetime.now(timezone.utc)).astimezone(tz).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    shown = f"UTC{sign}{hours:02d}" + (f":{rest:02d}" if rest else "")
    return f"{getattr(tz, 'key', None) or tz}, {shown}"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)  # Pillow's own font: nothing to install


def hours_png(
    hours: Sequence[int], *, zone: str = "UTC", marked_hour: int | None = None, marked_text: str | None = None
) -> bytes:
    """24 bars (00-23 in the zone named by `zone`), each as tall as its share of the busiest hour."""
    if len(hours) != 24:
        raise ValueError(f"need 24 hourly counts, got {len(hours)}")
    if marked_hour is not None and not 0 <= marked_hour < 24:
        raise ValueError(f"the marked hour must be 0-23, got {marked_hour}")
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    small, label = _font(11), _font(12)
    total, top = sum(hours), max(hours)
    plot_height = BASELINE - TOP

    title = f"Hour of day, {'local time (' + zone + ')' if zone != 'UTC' else 'UTC'}"
    draw.text((PLOT_LEFT, 8), title, font=label, fill=TEXT)

    if marked_hour is not None:
        x0, x1 = column(marked_hour)
        draw.rectangle((x0 - 1, TOP, x1 + 1, BASELINE - 1), fill=MARK_BACKDROP)
    # Grid lines at the top, half and quarter of the busiest hour, labelled with their counts.
    for share in (1.0, 0.5):
        y = BASELINE - round(share * plot_height)
        draw.line((PLOT_LEFT, y, WIDTH - RIGHT, y), fill=GRID)
        if top:
            value = top * share
            text = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
            draw.text((PLOT_LEFT - 4, y), text, font=small, fill=FAINT, anchor="rm")
    draw.line((PLOT_LEFT, BASELINE, WIDTH - RIGHT, BASELINE), fill=GRID)

    for hour, value in enumerate(hours):
        x0, x1 = column(hour)
        colour = MARK if hour == marked_hour else BARS
        if value and top:
            height = max(2, round(value / top * plot_height))
            draw.rectangle((x0, BASELINE - height, x1, BASELINE - 1), fill=colour)
        else:
            draw.line((x0, BASELINE - 1, x1, BASELINE - 1), fill=MARK if hour == marked_hour else QUIET)
        beside_mark = marked_hour is not None and abs(hour - marked_hour) == 1  # its label would overlap
        if (hour % 3 == 0 and not beside_mark) or hour == marked_hour:
            centre = (x0 + x1) // 2
            draw.text(
                (centre, BASELINE + 4),
                f"{hour:02d}",
                font=label,
                fill=MARK if hour == marked_hour else TEXT,
                anchor="ma",
            )

    legend_y = HEIGHT - 14
    draw.rectangle((PLOT_LEFT, legend_y - 4, PLOT_LEFT + 8, legend_y + 4), fill=BARS)
    draw.text((PLOT_LEFT + 13, legend_y), "activities in that hour", font=small, fill=FAINT, anchor="lm")
    if marked_hour is not None:
        x = PLOT_LEFT + 145
        draw.rectangle((x, legend_y - 4, x + 8, legend_y + 4), fill=MARK)
        draw.text((x + 13, legend_y), marked_text or "this alert", font=small, fill=FAINT, anchor="lm")
    count = f"{total:,} activit{'y' if total == 1 else 'ies'}"
    draw.text((WIDTH - RIGHT, legend_y), count, font=small, fill=FAINT, anchor="rm")

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def chart(times: Iterable[datetime], tz: tzinfo | None = None, marked_at: datetime | None = None) -> bytes:
    """The chart of these activity times, in `tz` (UTC when None), marking `marked_at`'s hour."""
    marked_hour = marked_text = None
    if marked_at is not None:
        local = marked_at.astimezone(tz or timezone.utc)
        marked_hour, marked_text = local.hour, f"this alert, {local:%H:%M}"
    return hours_png(
        hour_counts(times, tz), zone=zone_label(tz, marked_at), marked_hour=marked_hour, marked_text=marked_text
    )
