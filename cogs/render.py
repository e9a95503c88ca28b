"""An alert as a Discord embed that a journalist reads in seconds, within every Discord embed limit.

Feed text is hostile input: markdown is escaped (so `**` or `[x](y)` shows as typed), mentions and
`<#channel>`, `</command:id>` style constructs are broken with a zero-width space (so `@everyone` shows as
text even if a message were sent without AllowedMentions.none()), bare URLs in feed text never link,
and every part is clipped so no input, however long, makes Discord refuse
the message. Lengths are counted in UTF-16 units, which is never less than what Discord counts.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Iterable

import discord
from discord.utils import escape_mentions

from bot.alerts import Alert, story_line
from bot.embed_rules import (  # shared with bot/webhook.py, which posts the same alerts without discord.py
    AUTHOR_MAX,
    DESCRIPTION_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    FOOTER_MAX,
    TITLE_MAX,
    TOTAL_MAX,
    clean_link,
    units,
)

EXCERPT_MAX = 1500  # an alert is read at a glance; the link has the rest
ELLIPSIS = "…"

SEVERITY_COLOURS = {
    "low": discord.Colour(0x3498DB),
    "medium": discord.Colour(0xF1C40F),
    "high": discord.Colour(0xE67E22),
    "critical": discord.Colour(0xE74C3C),
}

# kind -> (verb with a target, verb without one)
ACTIONS = {
    "post": ("posted", "posted"),
    "reply": ("replied to {target}", "replied"),
    "repost": ("reposted {target}", "reposted a post"),
    "quote": ("quoted {target}", "quoted a post"),
    "like": ("liked a post by {target}", "liked a post"),
    "unlike": ("removed a like from {target}", "removed a like"),
    "follow": ("followed {target}", "followed an account"),
    "unfollow": ("unfollowed {target}", "unfollowed an account"),
    "delete": ("deleted a post", "deleted a post"),
    "profile": ("changed its profile", "changed its profile"),
    "status": ("changed account status", "changed account status"),
}


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` units, ending in an ellipsis when cut; never ends in a lone backslash
    (which would escape the ellipsis) or half a surrogate pair."""
    if units(text) <= limit:
        return text
    if limit <= 0:
        return ""
    out = []
    used = 0
    for ch in text:
        width = 2 if ord(ch) > 0xFFFF else 1
        if used + width > limit - 1:
            break
        out.append(ch)
        used += width
    cut = "".join(out)
    while cut.endswith("\\") and not cut.endswith("\\\\"):
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS


# Every character Discord markdown gives a meaning anywhere in a line. Both brackets are escaped, so no
# masked link `[text](url)` can form (discord.py's escape_markdown escapes only the first of a line).
_MARKUP = re.compile(r"[\\*_~`|\[\]]")
# Meaningful only at the start of a line: quote, heading, subtext, list item.
_LINE_START = re.compile(r"^([ \t]*)([>#+-])", re.MULTILINE)
_NUMBERED = re.compile(r"^([ \t]*\d+)([.)])", re.MULTILINE)
ZWSP = "\u200b"


def safe(text: str | None) -> str:
    """Feed text made inert for display, shown as typed: markdown escaped; no `<...>` construct
    (channel, role, user or command mention, timestamp, emoji, suppressed link) can form, as a
    zero-width space follows every `<`; @everyone and @here are broken; and no bare URL autolinks,
    as `://` is broken, so the only links are those the renderer puts from the activity's URL fields."""
    if not text:
        return ""
    text = _MARKUP.sub(lambda m: "\\" + m.group(), text)
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    text = _NUMBERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    text = text.replace("<", "<" + ZWSP).replace("://", ":" + ZWSP + "//")
    return escape_mentions(text)


def code(text: str, limit: int = 60) -> str:
    """User input shown literally in a code span (where escapes would show as backslashes)."""
    return "`" + (clip(text.replace("`", "'"), limit) or " ") + "`"


def handle(account: str | None) -> str:
    return safe("@" + account.lstrip("@")) if account else ""


def title_for(alert: Alert) -> str:
    with_target, without = ACTIONS.get(alert.kind, (alert.kind, alert.kind))
    action = with_target.format(target=handle(alert.target_account)) if alert.target_account else without
    who = handle(alert.account)
    if alert.grouped and len(alert.accounts) > 1:
        others = len(alert.accounts) - 1
        who = f"{who} and {others} other account{'s' if others > 1 else ''}"
    return clip(f"{alert.severity.upper()}: {who} {action}", TITLE_MAX)


def _when(at: str) -> tuple[datetime | None, str]:
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None, safe(str(at))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    stamp = int(moment.timestamp())
    # Discord shows <t:..> in each reader's own time zone; the UTC text is for search and copy-paste.
    return moment, f"<t:{stamp}:f> ({moment.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC)"


def _lines(items: Iterable[str], limit: int) -> str:
    """Join lines until the limit, then say how many were left out."""
    items = list(items)
    out: list[str] = []
    for i, line in enumerate(items):
        rest = len(items) - i
        more = f"\n… and {rest} more" if rest > 1 else ""
        candidate = "\n".join([*out, line])
        if units(candidate) + units(more) <= limit:
            out.append(line)
            continue
        if not out:  # even the first line is too long on its own
            return clip(line, limit - units(more)) + more
        return "\n".join(out) + f"\n… and {rest} more"
    return "\n".join(out)


def similar_lines(similar: list[dict[str, Any]]) -> list[str]:
    """Up to three prior incidents: title, date, how it turned out, why it is similar, and the source."""
    lines = []
    for item in similar[:3]:
        title = safe(str(item.get("title") or item.get("id") or "incident"))
        bits = [f"**{clip(title, 200)}**"]
        if item.get("date"):
            bits.append(safe(str(item["date"])))
        if item.get("outcome"):
            bits.append(clip(safe(str(item["outcome"])), 120))
        line = " · ".join(bits)
        if item.get("id"):
            line += f" (`{clip(str(item['id']).replace('`', ''), 40)}`)"
        if item.get("why"):
            line += f"\n*{clip(safe(str(item['why'])), 160)}*"
        if clean_link(item.get("url")):  # no `>` inside: nothing can close the wrapper early
            line += f"\n<{item['url']}>"
        lines.append(line)
    return lines


def replying_to(message_id: int | None, channel_id: int) -> dict[str, Any]:
    """The `send` arguments that post a story's later alert as a reply to its first one's message (none
    when that message is unknown): posted as usual if the message is gone, and pinging no one as long
    as the send's allowed mentions are none."""
    if message_id is None:
        return {}
    return {
        "reference": discord.MessageReference(message_id=message_id, channel_id=channel_id, fail_if_not_exists=False)
    }


def alert_embed(alert: Alert) -> discord.Embed:
    """The alert message's embed."""
    moment, when = _when(alert.at)
    embed = discord.Embed(
        title=title_for(alert),
        colour=SEVERITY_COLOURS.get(alert.severity, discord.Colour.light_grey()),
        url=alert.url if clean_link(alert.url) else None,
        timestamp=moment,
    )
    who = [x for x in (alert.owner, alert.role, alert.country) if x]
    if who:
        embed.set_author(name=clip(" · ".join(who), AUTHOR_MAX))  # author names show as plain text
    if alert.text:
        quoted = "\n".join("> " + line for line in safe(alert.text).splitlines() or [""])
        embed.description = clip(quoted, EXCERPT_MAX)
    what = f"{title_for(alert).split(': ', 1)[-1]} on {safe(alert.platform)}, {when}"
    if alert.grouped:
        what += "\nAccounts: " + ", ".join(handle(a) for a in alert.accounts)
    story = story_line(alert)
    if story:
        what += "\n" + safe(story[0].upper() + story[1:])
    embed.add_field(name="What happened", value=clip(what, FIELD_VALUE_MAX), inline=False)
    reasons = [f"• {safe(r)}" for r in alert.reasons] or ["• (no reason recorded)"]
    embed.add_field(name="Why it is unusual", value=_lines(reasons, FIELD_VALUE_MAX), inline=False)
    baseline = safe(alert.baseline) or "no baseline yet"
    if alert.thin_baseline:
        baseline += " (thin baseline: few activities so far, treat with care)"
    embed.add_field(name="Baseline", value=clip(baseline, FIELD_VALUE_MAX), inline=False)
    if alert.similar:
        embed.add_field(
            name="Prior similar incidents", value=_lines(similar_lines(alert.similar), FIELD_VALUE_MAX), inline=False
        )
    if alert.url:
        link = alert.url if clean_link(alert.url) else safe(alert.url)
        embed.add_field(name="Original", value=clip(link, FIELD_VALUE_MAX), inline=False)
    embed.set_footer(text=f"alert {alert.id} · score {alert.score:.2f} · {alert.severity}")
    return fit(embed)


def with_decision(embed: discord.Embed, line: str) -> discord.Embed:
    """The same embed with a 'Decisions' field that lists who decided what (newest last)."""
    data = embed.to_dict()
    fields = data.get("fields", [])
    decisions = [f for f in fields if f.get("name") == "Decisions"]
    if decisions:
        decisions[0]["value"] = _tail(decisions[0]["value"] + "\n" + line, FIELD_VALUE_MAX)
    else:
        fields.append({"name": "Decisions", "value": clip(line, FIELD_VALUE_MAX), "inline": False})
    data["fields"] = fields
    return fit(discord.Embed.from_dict(data))


def _tail(text: str, limit: int) -> str:
    """Keep the newest lines of a log-like field."""
    lines = text.splitlines()
    while len(lines) > 1 and units("\n".join(lines)) > limit:
        lines.pop(0)
    return clip("\n".join(lines), limit)


def fit(embed: discord.Embed) -> discord.Embed:
    """Clip an embed into every Discord limit: each part first, then the total (longest parts shrink)."""
    if embed.title:
        embed.title = clip(embed.title, TITLE_MAX)
    if embed.description:
        embed.description = clip(embed.description, DESCRIPTION_MAX)
    if embed.author.name:
        embed.set_author(name=clip(embed.author.name, AUTHOR_MAX), url=embed.author.url, icon_url=embed.author.icon_url)
    if embed.footer.text:
        embed.set_footer(text=clip(embed.footer.text, FOOTER_MAX), icon_url=embed.footer.icon_url)
    fields = embed.fields[:FIELDS_MAX]
    embed.clear_fields()
    for f in fields:
        embed.add_field(
            name=clip(f.name or "-", FIELD_NAME_MAX) or "-",
            value=clip(f.value or "-", FIELD_VALUE_MAX) or "-",
            inline=f.inline,
        )
    # Shrink the longest part (any text counted in the total) until the whole fits.
    while total_units(embed) > TOTAL_MAX:
        over = total_units(embed) - TOTAL_MAX
        parts = [
            ("description", -1, units(embed.description or "")),
            ("title", -1, units(embed.title or "")),
            ("footer", -1, units(embed.footer.text or "")),
            ("author", -1, units(embed.author.name or "")),
        ]
        parts += [("value", i, units(f.value or "")) for i, f in enumerate(embed.fields)]
        parts += [("name", i, units(f.name or "")) for i, f in enumerate(embed.fields)]
        kind, index, size = max(parts, key=lambda p: p[2])
        if size <= 1:
            break
        target = max(1, size - over)
        if kind == "description":
            embed.description = clip(embed.description or "", target)
        elif kind == "title":
            embed.title = clip(embed.title or "", target)
        elif kind == "footer":
            embed.set_footer(text=clip(embed.footer.text or "", target), icon_url=embed.footer.icon_url)
        elif kind == "author":
            embed.set_author(
                name=clip(embed.author.name or "", target), url=embed.author.url, icon_url=embed.author.icon_url
            )
        else:
            f = embed.fields[index]
            name = clip(f.name or "", target) if kind == "name" else f.name
            value = clip(f.value or "", target) if kind == "value" else f.value
            embed.set_field_at(index, name=name or "-", value=value or "-", inline=f.inline)
    return embed


def total_units(embed: discord.Embed) -> int:
    total = units(embed.title or "") + units(embed.description or "")
    total += units(embed.footer.text or "") + units(embed.author.name or "")
    total += sum(units(f.name or "") + units(f.value or "") for f in embed.fields)
    return total


def limit_problems(embed: discord.Embed) -> list[str]:
    """Every Discord limit the embed breaks (empty when it would be accepted)."""
    problems = []
    if units(embed.title or "") > TITLE_MAX:
        problems.append("title")
    if units(embed.description or "") > DESCRIPTION_MAX:
        problems.append("description")
    if len(embed.fields) > FIELDS_MAX:
        problems.append("fields")
    for i, f in enumerate(embed.fields):
        if not f.name or units(f.name) > FIELD_NAME_MAX:
            problems.append(f"fields[{i}].name")
        if not f.value or units(f.value) > FIELD_VALUE_MAX:
            problems.append(f"fields[{i}].value")
    if units(embed.footer.text or "") > FOOTER_MAX:
        problems.append("footer")
    if units(embed.author.name or "") > AUTHOR_MAX:
        problems.append("author")
    if total_units(embed) > TOTAL_MAX:
        problems.append("total")
    return problems
