"""Tier 2, hypothesis over markdown: feed text in an alert is fully inert in Discord and in a terminal.
No masked link, channel, role, user or command mention, @everyone or bare link survives escaping; the
only links are the ones the renderer puts from the activity's own URL fields; and the text still reads
as typed once Discord has consumed the escapes."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.render_text import render
from cogs.render import ZWSP, alert_embed, safe
from tests.cogs.test_render import make_alert
from tests.properties import PROPERTY

TOKENS = [
    "[",
    "]",
    "(",
    ")",
    "[Ministry of Foreign Affairs](https://phish.example/login)",
    "https://phish.example/x",
    "<#123456789012345678>",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<@&123456789012345678>",
    "</vote:123456789012345678>",
    "<t:1607483520:R>",
    "<:emoji:123>",
    "<https://phish.example>",
    "@everyone",
    "@here",
    "*",
    "**",
    "_",
    "__",
    "`",
    "```",
    "~~",
    "||",
    "\\",
    ">",
    ">>> ",
    "# ",
    "-# ",
    "- ",
    "1. ",
    "\n",
    " ",
    "a",
    "Ministry",
    "://",
    "<",
    "\u200b",
    "\x1b]8;;https://phish.example\x07",
    "\x1b[2J",
    "\u202e",
]
MARKDOWN = st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=30).map("".join)
# Discord consumes a backslash before any character that is not a letter, digit or space.
ESCAPED = re.compile(r"\\([^0-9A-Za-z\s])")


def active(text: str) -> str:
    """What Discord's parser acts on: every escaped character replaced by an inert placeholder."""
    return ESCAPED.sub("\x00", text)


def live(text: str) -> list[str]:
    """The constructs Discord would render live in `text` (outside the ones asserted separately)."""
    shown = active(text)
    found = re.findall(r"\[[^\]]*\]\([^)]*\)", shown)  # masked link
    found += re.findall(r"<(?!" + ZWSP + r")[^>]*>?", shown)  # <#id> <@id> <@&id> </cmd:id> <t:..>
    found += re.findall(r"https?://[^\s<>]+", shown)  # autolinked bare URL
    found += re.findall(r"@(?:everyone|here)", shown)
    return found


@PROPERTY
@given(MARKDOWN)
def test_escaped_feed_text_has_nothing_live_and_reads_as_typed(text):
    shown = safe(text)
    assert live(shown) == []
    assert ESCAPED.sub(r"\1", shown).replace(ZWSP, "") == text.replace(ZWSP, "")


def _strings(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str) and key not in ("url", "icon_url", "type"):
        yield value


@PROPERTY
@given(MARKDOWN, MARKDOWN, MARKDOWN, MARKDOWN)
def test_links_in_an_alert_embed_come_only_from_the_activity_url_fields(text, reason, baseline, account):
    alert = make_alert(text=text, reasons=[reason], baseline=baseline, target_account=account or None)
    data = alert_embed(alert).to_dict()
    assert data["url"] == alert.url
    own = {alert.url, f"<{alert.similar[0]['url']}>", alert.similar[0]["url"]}
    for value in _strings(data):
        for construct in live(value):
            # The renderer's own: the activity's link, the incident's link, and the Discord timestamp.
            assert construct in own or re.fullmatch(r"<t:\d+:f>", construct), (construct, value)


@PROPERTY
@given(MARKDOWN, MARKDOWN)
def test_the_terminal_alert_obeys_no_control_character(text, reason):
    shown = render(make_alert(text=text, reasons=[reason], baseline=reason))
    for line in shown.split("\n"):
        assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", line), repr(line)


def test_the_masked_link_that_reached_discord_is_now_plain_text():
    shown = safe("Read [this](https://a.example) and [Ministry of Foreign Affairs](https://phish.example/login)")
    assert live(shown) == [] and shown.count("\\[") == 2 and shown.count("\\]") == 2
    assert live(safe("see <#1> and </cmd:2> and <@&3>")) == []
