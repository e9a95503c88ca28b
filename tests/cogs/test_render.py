"""Tier 2: the alert embed a journalist reads, built with the real discord.Embed, against Discord's limits."""

import re
from typing import Any

import discord
import pytest

from bot.alerts import Alert
from bot.embed_rules import clean_link
from bot.incidents.library import Incident
from bot.incidents.similarity import Match
from cogs.incidents import incident_embed, result_line
from cogs.render import (
    FIELD_VALUE_MAX,
    TOTAL_MAX,
    alert_embed,
    clip,
    fit,
    limit_problems,
    total_units,
    units,
    with_decision,
)


def make_alert(**overrides) -> Alert:
    values: dict[str, Any] = dict(
        activity_id="x:1336",
        account="ChineseEmbinUS",
        platform="x",
        kind="repost",
        at="2020-12-09T03:12:00Z",
        score=0.97,
        severity="critical",
        reasons=[
            "first repost of a head of state in 2,314 activities",
            "never interacted with @realDonaldTrump before",
            "03:12 local, usual hours 08-19",
        ],
        text="This claim about the election is false",
        url="https://x.com/ChineseEmbinUS/status/1336",
        target_account="realDonaldTrump",
        baseline="2,314 activities since 2019; 91% posts; zh/en; 08-19 ET",
        owner="Embassy of China in the US",
        role="embassy",
        country="CN",
        similar=[
            {
                "id": "S1",
                "title": "Embassy reposts election claim",
                "date": "2020-12-09",
                "score": 0.9,
                "url": "https://example.org/inc",
                "outcome": "hacked",
                "why": "same action: repost; embassy; China",
            }
        ],
    )
    values.update(overrides)
    return Alert(**values)


def test_embed_names_account_action_severity_and_reasons():
    embed = alert_embed(make_alert())
    data = embed.to_dict()
    assert data["title"] == "CRITICAL: @ChineseEmbinUS reposted @realDonaldTrump"
    assert data["color"] == 0xE74C3C
    names = [f["name"] for f in data["fields"]]
    assert names == ["What happened", "Why it is unusual", "Baseline", "Prior similar incidents", "Original"]
    why = data["fields"][1]["value"]
    assert "2,314 activities" in why and "03:12 local" in why
    assert data["fields"][3]["value"] == (
        "**Embassy reposts election claim** · 2020-12-09 · hacked (`S1`)\n"
        "*same action: repost; embassy; China*\n<https://example.org/inc>"
    )
    assert data["fields"][4]["value"] == "https://x.com/ChineseEmbinUS/status/1336"
    assert data["url"] == "https://x.com/ChineseEmbinUS/status/1336"
    assert data["author"]["name"] == "Embassy of China in the US · embassy · CN"
    assert "<t:1607483520:f>" in data["fields"][0]["value"]


def test_severity_sets_colour():
    colours = {s: alert_embed(make_alert(severity=s)).colour.value for s in ("low", "medium", "high", "critical")}
    assert len(set(colours.values())) == 4


def test_mentions_and_markdown_in_feed_text_show_as_text():
    hostile = "@everyone @here <@&123456789012345678> <@123456789012345678> **bold** [click](https://evil.example)"
    embed = alert_embed(make_alert(text=hostile, reasons=["mentions @everyone"], account="evil_*account*"))
    data = embed.to_dict()
    assert "@everyone" not in data["description"] and "@\u200beveryone" in data["description"]
    assert "@\u200bhere" in data["description"]
    assert "<@&123456789012345678>" not in data["description"]
    assert "<@123456789012345678>" not in data["description"]
    assert "\\*\\*bold\\*\\*" in data["description"]
    assert "@\u200beveryone" in data["fields"][1]["value"]
    assert "evil\\_\\*account\\*" in data["title"]


def test_hostile_long_input_stays_within_every_limit():
    long = "A" * 50_000
    emoji = "🇨🇳" * 5_000  # two UTF-16 units per code point
    alert = make_alert(
        account="x" * 3000,
        target_account="y" * 3000,
        text=(long + "\n") * 3 + emoji,
        reasons=[long] + [f"reason {i} " + "z" * 400 for i in range(200)],
        baseline=emoji,
        owner="o" * 1000,
        role="r" * 1000,
        country="c" * 1000,
        url="https://example.org/" + "p" * 5000,
        similar=[{"id": "i" * 500, "title": "t" * 5000, "date": "d" * 500, "url": "https://e.org/" + "u" * 600}] * 10,
        accounts=[f"acct{i}" for i in range(500)],
        activity_ids=[f"x:{i}" for i in range(500)],
    )
    embed = alert_embed(alert)
    assert limit_problems(embed) == []
    assert total_units(embed) <= TOTAL_MAX
    assert len(embed.title) <= 256
    assert all(units(f.value) <= FIELD_VALUE_MAX for f in embed.fields)
    assert "… and" in embed.fields[1].value  # the reader is told reasons were left out


def test_decisions_are_added_and_stay_within_limits():
    embed = alert_embed(make_alert(text="t" * 4000, reasons=["r" * 1000] * 5))
    for i in range(100):
        embed = with_decision(embed, f"Confirmed as an incident by moderator{i}")
    assert limit_problems(embed) == []
    decisions = [f for f in embed.fields if f.name == "Decisions"]
    assert len(decisions) == 1 and decisions[0].value.endswith("moderator99")


def test_fit_repairs_any_embed():
    embed = discord.Embed(title="T" * 1000, description="D" * 9000)
    for _ in range(40):
        embed.add_field(name="N" * 300, value="V" * 2000)
    embed.set_footer(text="F" * 3000)
    assert limit_problems(embed)
    assert limit_problems(fit(embed)) == []


@pytest.mark.parametrize("text,limit", [("abc", 3), ("abcd", 3), ("ab\\*cd", 4), ("🇨🇳🇨🇳", 3), ("", 5)])
def test_clip_never_exceeds_and_never_leaves_a_dangling_escape(text, limit):
    out = clip(text, limit)
    assert units(out) <= limit
    assert not out.rstrip("…").endswith("\\") or out.rstrip("…").endswith("\\\\")
    if units(text) <= limit:
        assert out == text


HOSTILE = "https://a.example/x>[Official](https://evil.example)"  # `>` would close the `<url>` wrapper early
MASKED = re.compile(r"(?<!\\)\]\(")  # a masked link `[text](url)` needs an unescaped `](`


@pytest.mark.parametrize(
    "url,ok",
    [
        ("https://x.com/ChineseEmbinUS/status/1336", True),
        ("http://example.org/a_b?c=1&d=%20#frag", True),
        ("https://münchen.example/straße", True),
        (HOSTILE, False),
        ("[Official statement](https://evil.example)", False),
        ('https://a.example/"onmouseover', False),
        ("https://a.example/<x", False),
        ("https://a.example/ x", False),
        ("https://a.example/\nx", False),
        ("https://a.example/\u202ex", False),  # a bidi override reorders what the reader sees
        ("https://a.example/\u200bx", False),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", False),  # parentheses: shown as text, never a link
        ("https://a.example\\@evil.example", False),
        ("https://gov.example@evil.example/", False),
        ("https://a.example:99999/", False),
        ("https://", False),
        ("https:evil.example", False),
        ("javascript:alert(1)", False),
        ("ftp://a.example/x", False),
        ("https://a.example/" + "p" * 600, False),
        (None, False),
        ("", False),
    ],
)
def test_only_a_clean_http_link_is_shown_as_a_link(url, ok):
    assert clean_link(url) is ok


def test_a_url_that_is_not_clean_never_becomes_a_link_in_the_alert_embed():
    similar = {**make_alert().similar[0], "url": HOSTILE}
    embed = alert_embed(make_alert(url=HOSTILE, similar=[similar]))
    assert embed.url is None
    for value in [f.value or "" for f in embed.fields]:
        assert not MASKED.search(value) and "https://evil.example" not in value
    assert "Official" in next(f.value or "" for f in embed.fields if f.name == "Original")  # shown as text


def test_incident_links_that_are_not_clean_show_as_text():
    incident = Incident(
        id="C-1",
        title="t",
        date="2020-01-01",
        platform="x",
        owner="o",
        country="c",
        role="embassy",
        kinds=("post",),
        summary="s",
        explanation="e",
        outcome="unexplained",
        source_url=HOSTILE,  # as a record stored before sources were checked may carry
        alert_id="A-1",
        alert_link="[Official statement](https://evil.example)",
    )
    embed = incident_embed(incident)
    shown = {f.name: f.value or "" for f in embed.fields}
    assert embed.url is None and "Official" in shown["Source"] and "Official" in shown["From alert"]
    match = Match(id="C-1", title="t", date="2020-01-01", score=1.0, url=HOSTILE, outcome="unexplained", why="")
    for value in [*shown.values(), result_line(match)]:
        assert not MASKED.search(value) and "https://evil.example" not in value
