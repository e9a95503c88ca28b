"""Handles per platform: what is accepted, how it is normalized, and what the refusal says."""

import pytest

from bot.handles import HandleError, account_page, normalize_handle


@pytest.mark.parametrize(
    "platform,typed,stored",
    [
        ("x", "@ChineseEmbinUS", "ChineseEmbinUS"),
        ("fixture", "dailyglobe.bits", "dailyglobe.bits"),
        ("bluesky", "MFA.bsky.social", "mfa.bsky.social"),
        ("mastodon", "@EU_Commission@EC.Social-Network.Europa.EU", "EU_Commission@ec.social-network.europa.eu"),
        ("rss", "https://www.mfa.gov.cn/rss.xml", "https://www.mfa.gov.cn/rss.xml"),
        ("rss", "news/rss.xml", "news/rss.xml"),
        ("mastodon", "EU_Commission", "EU_Commission"),
        ("telegram", "mfarussia", "mfarussia"),
    ],
)
def test_valid_handles_are_normalized(platform, typed, stored):
    assert normalize_handle(platform, typed) == stored


@pytest.mark.parametrize(
    "platform,typed,says",
    [
        ("x", "this_is_far_too_long_for_x", "1-15 letters, digits or _"),
        ("x", "", "the handle is empty"),
        ("fixture", "../secrets", "a feed file name"),
        ("bluesky", "not a domain", "a domain handle"),
        ("mastodon", "nobody@not a host", "user@instance"),
        ("rss", "ftp://feeds.example/rss", "http(s) URL"),
        ("rss", "has spaces in it", "http(s) URL"),
    ],
)
def test_invalid_handles_say_what_would_be_right(platform, typed, says):
    with pytest.raises(HandleError) as err:
        normalize_handle(platform, typed)
    assert says in str(err.value) and platform in str(err.value)


def test_an_account_page_is_cited_where_the_platform_has_one():
    assert account_page("x", "@ChineseEmbinUS") == "https://x.com/ChineseEmbinUS"
    assert account_page("bluesky", "mfa.bsky.social") == "https://bsky.app/profile/mfa.bsky.social"
    assert account_page("mastodon", "EU_Commission@ec.social-network.europa.eu") == (
        "https://ec.social-network.europa.eu/@EU_Commission"
    )
    assert account_page("telegram", "MID_Russia") == "https://t.me/MID_Russia"
    assert account_page("rss", "https://www.mfa.gov.cn/rss.xml") is None  # a feed is no account page
    assert account_page("x", "not a handle](https://evil.example)") is None
