"""The Telegram channel preview parser (tier 1): the hand-written page in the documented markup shape,
and hypothesis properties: any bytes, any HTML and any damaged page are read without raising, and a
message that cannot be read is kept aside with its place."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.activity import ActivityError, checked
from bot.sources.telegram import (
    TelegramPageError,
    TelegramSource,
    check_page,
    message_to_activity,
    parse_count,
    parse_page,
)
from tests.properties import PROPERTY

PAGE = Path(__file__).resolve().parents[2] / "fixtures" / "recorded" / "telegram" / "mfa_ruritania.html"
HTML = PAGE.read_text(encoding="utf-8")
CHANNEL = "mfa_ruritania"


def test_the_recorded_page_gives_posts_forwards_replies_media_views_and_the_channel_header():
    page = parse_page(PAGE.read_bytes())
    check_page(page, CHANNEL)
    check_page(page, "MFA_Ruritania")  # usernames compare case-insensitively
    assert page.profile == {
        "name": "MFA of Ruritania",
        "avatar": "https://cdn4.telesco.pe/file/ruritania-avatar.jpg",
        "bio": "Official channel of the Ministry of Foreign Affairs of Ruritania\nmfa.ruritania.example",
        "labels": ["verified"],
    }
    assert page.before == 1200 and page.span == (1200, 1207) and page.service_ids == [1201]
    activities = {}
    for message in page.messages:
        try:
            activities[message.number] = checked(message_to_activity(message, CHANNEL))
        except ActivityError as exc:
            assert message.number == 1207 and exc.field == "at"  # the message without a time
    post, forward, hidden, reply, video = (activities[n] for n in (1200, 1202, 1203, 1205, 1206))
    assert post.kind == "post" and post.id == "mfa_ruritania/1200" and post.hashtags == ["diplomacy", "Graustark"]
    assert post.links == ["https://mfa.ruritania.example/news/1200"] and post.raw["views"] == 12_300
    assert post.at.isoformat() == "2026-05-01T09:00:00+00:00"
    # A forward is a repost whose target is the channel forwarded from (the detector's amplification shape).
    assert forward.kind == "repost" and forward.target == {
        "account": "statenews_ruritania",
        "id": "statenews_ruritania/88231",
        "url": "https://t.me/statenews_ruritania/88231",
        "text": "Western media ignore the truth about the border incident. Watch the full report.",
    }
    assert forward.media == [{"type": "image", "url": "https://cdn4.telesco.pe/file/forwarded-photo.jpg"}]
    assert hidden.kind == "repost" and hidden.target["account"] == "Ivan Petrov"  # a hidden user: the name only
    assert reply.kind == "reply" and reply.target["id"] == "mfa_ruritania/1200" and reply.raw["edited"] is True
    assert reply.mentions == ["spokesperson_ruritania"] and "Strelsau" in reply.text
    assert video.media == [{"type": "video", "url": "https://cdn4.telesco.pe/file/briefing.mp4"}]


def test_pages_that_are_not_a_preview_are_refused_with_the_reason():
    with pytest.raises(TelegramPageError, match="no public preview, or the page layout changed"):
        check_page(parse_page(HTML.replace("tgme_", "tgx_").replace("data-post", "data-item")), CHANNEL)
    with pytest.raises(TelegramPageError, match="about @mfa_ruritania, not @other_channel"):
        check_page(parse_page(HTML), "other_channel")
    with pytest.raises(TelegramPageError):
        check_page(parse_page(b"<html><body><div class='tgme_page'>Contact @x</div></body></html>"), CHANNEL)


def test_view_counts():
    assert [parse_count(t) for t in ("902", "12.3K", "1.2M", "3B", "1,234", "", "K", "n/a", "-5")] == [
        902,
        12_300,
        1_200_000,
        3_000_000_000,
        1234,
        None,
        None,
        None,
        None,
    ]


def test_a_channel_handle_must_be_a_public_username():
    assert TelegramSource("@MFA_Ruritania", fetcher=None).handle == "MFA_Ruritania"
    assert TelegramSource("https://t.me/s/mfa_ruritania", fetcher=None).handle == "mfa_ruritania"
    with pytest.raises(ValueError, match="public channel username"):
        TelegramSource("a b", fetcher=None)


def _read_all(page) -> None:
    """Every message becomes an activity or an error the source keeps aside; never anything else."""
    for message in page.messages:
        try:
            checked(message_to_activity(message, CHANNEL))
        except (ActivityError, ValueError):
            pass


@PROPERTY
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_without_raising(body):
    _read_all(parse_page(body))


@PROPERTY
@given(
    st.text(alphabet=st.sampled_from(list("<>/=\"' abcdivspanclass-_tgmewidgetmessagedatapost123:&#;\n")), max_size=400)
)
def test_any_tag_soup_is_read_without_raising(body):
    _read_all(parse_page(body))


@PROPERTY
@given(
    cut=st.integers(0, len(HTML)),
    length=st.integers(0, 400),
    insert=st.sampled_from(
        [
            "",
            "<div",
            '"',
            "</div></div>",
            "<time datetime='x'>",
            "\ud800",
            "\x00",
            'data-post="mfa_ruritania/²"',
            '<a class="tgme_widget_message_forwarded_from_name">',
        ]
    ),
)
def test_a_damaged_recorded_page_keeps_the_messages_it_can_and_names_the_rest(cut, length, insert):
    damaged = HTML[:cut] + insert + HTML[cut + length :]
    page = parse_page(damaged.encode("utf-8", errors="surrogatepass"))
    _read_all(page)
    for position, reason, _ in page.bad:
        assert position >= 0 and reason  # kept aside with its place on the page and why
    # Messages outside the damage are read exactly as from the intact page.
    intact = {m.number: m for m in parse_page(HTML).messages}
    untouched = [
        m
        for m in page.messages
        if m.number in intact
        and HTML.find(f'data-post="{m.post}"') > cut + length
        and damaged.count(f'data-post="{m.post}"') == 1
    ]
    for message in untouched[:-1]:  # the last one may have swallowed what the damage left open
        assert message.text == intact[message.number].text
