"""An alert as a journalist reads it in a terminal. Feed text is inert there too: control characters
(ANSI escapes, OSC 8 hyperlinks, bells) and bidirectional overrides are shown as U+FFFD, never obeyed."""

from __future__ import annotations

import re
import textwrap

from bot.alerts import Alert, story_line

_ACTION = {
    "post": "posted",
    "reply": "replied",
    "repost": "reposted",
    "quote": "quoted",
    "like": "liked",
    "unlike": "un-liked",
    "follow": "followed",
    "unfollow": "unfollowed",
    "delete": "deleted a post",
    "profile": "changed its profile",
    "status": "changed status",
}
_MARK = {"low": "·", "medium": "!", "high": "!!", "critical": "!!!"}
# C0 and C1 controls, and the bidi embeddings, overrides and isolates that reorder what a line shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(line: str) -> str:
    """One line of terminal output with every control character made visible as U+FFFD."""
    return _CONTROL.sub("\ufffd", line.replace("\t", " "))


def headline(alert: Alert) -> str:
    action = _ACTION.get(alert.kind, alert.kind)
    if alert.target_account and alert.kind in ("repost", "quote", "like", "unlike", "follow", "unfollow", "reply"):
        action += f" @{alert.target_account}"
    who = ", ".join("@" + a for a in alert.accounts) if alert.grouped else "@" + alert.account
    return f"{who} {action}"


def render(alert: Alert, width: int = 100) -> str:
    lines = [
        f"[{alert.severity.upper()} {_MARK.get(alert.severity, '')}] {headline(alert)}  ({alert.platform}, {alert.at})"
    ]
    story = story_line(alert)
    if story:
        lines.append(f"  story: {story}")
    runner = ", ".join(x for x in (alert.owner, alert.role, alert.country) if x)
    if runner:
        lines.append(f"  run by: {runner}")
    if alert.text:
        excerpt = " ".join(alert.text.split())
        lines.extend(textwrap.wrap(f"“{excerpt}”", width=width, initial_indent="  ", subsequent_indent="   "))
    lines.append(f"  why unusual (score {alert.score:.2f}):")
    for reason in alert.reasons:
        lines.extend(textwrap.wrap(reason, width=width, initial_indent="   - ", subsequent_indent="     "))
    if alert.baseline:
        lines.extend(
            textwrap.wrap(f"baseline: {alert.baseline}", width=width, initial_indent="  ", subsequent_indent="    ")
        )
    if alert.thin_baseline:
        lines.append("  note: this account's baseline is still thin")
    for match in alert.similar[:3]:
        outcome = f" ({match['outcome']})" if match.get("outcome") else ""
        lines.append(
            f"  similar: {match.get('date', '')} {match.get('title', match.get('id'))}{outcome} {match.get('url', '')}".rstrip()
        )
    if alert.url:
        lines.append(f"  link: {alert.url}")
    return "\n".join(plain(line) for line in lines)
