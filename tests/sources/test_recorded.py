"""The adapters on recorded payloads in each platform's documented shape (fixtures/recorded/)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.activity import ActivityError
from bot.sources import bluesky, mastodon, rss, x
from bot.sources.http import BadPayload

RECORDED = Path(__file__).resolve().parents[2] / "fixtures" / "recorded"


def load(name: str):
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


def test_bluesky_author_feed_kinds_targets_and_labels():
    items = load("bluesky/getAuthorFeed.json")["feed"]
    repost = bluesky.feed_item_to_activity(items[0], "embassy-x.bsky.social")
    assert (repost.kind, repost.id) == ("repost", "at://did:plc:abc/app.bsky.feed.repost/3lrbbbbbbbb22")
    assert repost.at == datetime(2026, 5, 1, 11, 0, tzinfo=timezone.utc)  # when reposted, not when written
    assert repost.target["account"] == "statemedia.example"
    assert repost.target["lang"] == "ru"
    assert "graphic-media" in repost.target["labels"] and "sensitive" in repost.target["labels"]

    reply = bluesky.feed_item_to_activity(items[1], "embassy-x.bsky.social")
    assert reply.kind == "reply"
    assert reply.target == {
        "id": "at://did:plc:mfa/app.bsky.feed.post/3lpdddddddd22",
        "account": "mfa-x.bsky.social",
        "text": "Reception tonight",
        "url": "https://bsky.app/profile/mfa-x.bsky.social/post/3lpdddddddd22",
    }
    assert reply.mentions == ["mfa-x.bsky.social"] and reply.hashtags == ["diplomacy"] and reply.lang == "en"

    quote = bluesky.feed_item_to_activity(items[2], "embassy-x.bsky.social")
    assert quote.kind == "quote"
    assert (quote.target["account"], quote.target["text"]) == ("statemedia.example", "Our report")


def test_bluesky_item_without_any_time_is_refused_with_the_field():
    item = load("bluesky/getAuthorFeed.json")["feed"][3]
    with pytest.raises(ActivityError) as caught:
        bluesky.feed_item_to_activity(item, "embassy-x.bsky.social")
    assert caught.value.field == "record.createdAt"


def test_bluesky_profile_and_account_errors():
    profile = bluesky.profile_of(load("bluesky/getProfile.json"))
    assert profile["name"] == "Embassy of X" and profile["url"] == "https://x.gov/emb"
    assert profile["labels"] == ["verified:valid"]
    assert bluesky.account_status_from_error(400, load("bluesky/getProfile_takedown.json")) == "suspended"
    assert bluesky.account_status_from_error(400, load("bluesky/getProfile_deactivated.json")) == "deactivated"
    assert bluesky.account_status_from_error(400, load("bluesky/getProfile_not_found.json")) == "deleted"
    assert bluesky.account_status_from_error(400, {"error": "InvalidRequest", "message": "bad cursor"}) is None


def test_bluesky_records_and_did_document():
    like = bluesky.like_to_activity(load("bluesky/listRecords_like.json")["records"][0], "embassy-x.bsky.social", None)
    assert like.kind == "like" and like.target["account"] == "did:plc:other"
    follow = bluesky.follow_to_activity(
        load("bluesky/listRecords_follow.json")["records"][0], "embassy-x.bsky.social", "target.bsky.social"
    )
    assert follow.kind == "follow" and follow.target["account"] == "target.bsky.social"
    assert (
        bluesky.pds_endpoint(load("bluesky/did_plc_abc.json"), "did:plc:abc")
        == "https://morel.us-east.host.bsky.network"
    )
    with pytest.raises(BadPayload, match="#atproto_pds"):
        bluesky.pds_endpoint({"id": "did:plc:abc", "service": []}, "did:plc:abc")


def test_mastodon_boost_reply_and_broken_status():
    statuses = load("mastodon/statuses.json")
    boost = mastodon.status_to_activity(statuses[0], "embassy_x@mastodon.example")
    assert boost.kind == "repost" and boost.client == "Web"
    assert (boost.target["account"], boost.target["text"], boost.target["lang"]) == (
        "rt@mastodon.example",
        "Our position is clear",
        "ru",
    )
    reply = mastodon.status_to_activity(statuses[1], "embassy_x@mastodon.example")
    assert reply.kind == "reply" and reply.target == {"id": "108500000000000000", "account": "mfa_x"}
    # Mention and hashtag anchors are not outbound links; the real link is.
    assert reply.links == ["https://embassy.example/photos"]
    assert reply.text == "@mfa_x Thank you for the #diplomacy reception, photos: https://embassy.example/photos"
    assert reply.client == "Mastodon for iOS" and reply.media == [
        {"type": "image", "url": "https://files.mastodon.example/a.jpg"}
    ]
    with pytest.raises(ActivityError, match="created_at"):
        mastodon.status_to_activity(statuses[2], "embassy_x@mastodon.example")


def test_mastodon_profile_moved_and_suspended():
    profile = mastodon.profile_of(load("mastodon/account.json"))
    assert profile["bio"] == "Official account of the Embassy of X."
    assert profile["url"] == "https://x.gov/emb"
    assert "moved:embassy_x_new@social.x.gov" in profile["labels"]
    assert load("mastodon/account_suspended.json")["suspended"] is True


def test_x_timeline_older_field_names():
    body = load("x/timeline.json")
    includes = {
        "tweets": {t["id"]: t for t in body["includes"]["tweets"]},
        "users": {u["id"]: u for u in body["includes"]["users"]},
    }
    retweet = x.tweet_to_activity(body["data"][0], "EmbassyX", includes)
    assert retweet.kind == "repost"
    assert retweet.target["account"] == "MFA_X" and retweet.target["lang"] == "ru"
    assert retweet.links == ["https://mfa.example/statement"] and retweet.client is None
    reply = x.tweet_to_activity(body["data"][1], "EmbassyX", includes)
    assert reply.kind == "reply" and reply.target["account"] == "someone"
    assert reply.lang is None  # "und" is X's "undetermined", not a language
    with pytest.raises(ActivityError):
        x.tweet_to_activity(body["data"][2], "EmbassyX", includes)


def test_x_timeline_newer_field_names():
    body = load("x/timeline_new_names.json")
    includes = {
        "tweets": {t["id"]: t for t in body["includes"]["posts"]},
        "users": {u["id"]: u for u in body["includes"]["users"]},
    }
    quote = x.tweet_to_activity(body["data"][0], "EmbassyX", includes)
    assert quote.kind == "quote"
    assert (quote.target["account"], quote.target["text"]) == ("statemedia", "Our report")


def test_x_user_profile_and_errors():
    profile = x.profile_of(load("x/user.json")["data"])
    assert profile["url"] == "https://x.gov/emb"  # the t.co link expanded
    assert profile["labels"] == ["verified_type:government", "withheld:DE", "withheld:FR"]
    assert x.status_from_errors(load("x/user_suspended.json")["errors"]) == "suspended"
    assert x.status_from_errors(load("x/not_authorized.json")["errors"]) == "protected"


def test_rss_press_releases():
    parsed = rss.parse_feed((RECORDED / "rss/press.xml").read_bytes())
    now = datetime(2026, 5, 2, tzinfo=timezone.utc)
    first = rss.entry_to_activity(parsed.entries[0], "mfa-press", parsed.feed, now)
    assert first.id == "https://mfa.example/press/2026/05/summit"
    assert first.at == datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc)
    assert first.lang == "fr" and first.hashtags == ["summit"]
    assert first.links == ["https://mfa.example/press/2026/05/summit", "https://summit.example"]
    second = rss.entry_to_activity(parsed.entries[1], "mfa-press", parsed.feed, now)
    assert second.id == "mfa-press#4711"  # a bare guid is only unique within its feed
    assert second.at == datetime(2026, 4, 30, 13, 30, tzinfo=timezone.utc)
    assert rss.profile_of(parsed.feed)["name"] == "Ministry of Foreign Affairs: press releases"


def test_youtube_channel_atom():
    parsed = rss.parse_feed((RECORDED / "rss/youtube.xml").read_bytes())
    video = rss.entry_to_activity(parsed.entries[0], "statemedia-tv", parsed.feed, datetime.now(timezone.utc))
    assert video.id == "yt:video:dQw4w9WgXcQ"
    assert video.media[0] == {"type": "video", "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"}
    assert video.text.startswith("Candidate debate: our analysis")


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", "HTML page"),
        (b"not xml at all", "not an RSS or Atom feed"),
        ((RECORDED / "rss/press.xml").read_bytes()[:400], "malformed or truncated"),
    ],
)
def test_rss_refuses_what_is_not_a_whole_feed(body, reason):
    with pytest.raises(BadPayload, match=reason):
        rss.parse_feed(body)


def test_html_to_text_keeps_words_and_links_not_scripts():
    from bot.sources.common import html_to_text

    text, links = html_to_text(
        '<p>Hi <script>steal()</script>there <a href="https://a.example">link</a></p><style>p {}</style><p>next</p>'
    )
    assert (text, links) == ("Hi there link\nnext", ["https://a.example"])


def _one_entry(item: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>MFA</title>'
        f"<link>https://mfa.example/</link>{item}</channel></rss>"
    ).encode()


def test_rss_dates_a_release_by_what_the_feed_says_and_no_deprecated_fallback(recwarn):
    now = datetime(2026, 5, 2, 12, 0, tzinfo=timezone.utc)
    # a date nobody can read: the release is dated when it was fetched
    garbled = rss.parse_feed(
        _one_entry("<item><guid>a1</guid><title>Statement</title><pubDate>last week</pubDate></item>")
    )
    assert rss.entry_to_activity(garbled.entries[0], "mfa", garbled.feed, now).at == now
    # an Atom entry with only its update time is dated by it
    atom = rss.parse_feed(
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>MFA</title>'
        b"<id>urn:mfa</id><entry><id>urn:mfa:1</id><title>Statement</title>"
        b"<updated>2026-04-30T08:15:00Z</updated></entry></feed>"
    )
    assert rss.entry_to_activity(atom.entries[0], "mfa", atom.feed, now).at == datetime(
        2026, 4, 30, 8, 15, tzinfo=timezone.utc
    )
    # neither leans on feedparser's temporary mapping of a missing update time to the publication time,
    # which warns that it will go away
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]
