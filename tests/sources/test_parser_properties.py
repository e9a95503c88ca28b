"""Every source's payload parser, fed any JSON, mutated real payloads, any bytes and truncated documents:
out comes a valid, storable activity or one reject with its place and reason; nothing raises."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import httpx
from hypothesis import given
from hypothesis import strategies as st

from bot.feeds import Rejected
from bot.sources import bluesky, mastodon, rss, x
from bot.sources.common import parse_or_reject, safe_profile
from bot.sources.http import BadPayload, decode_json
from tests.properties import JSON, PROPERTY, assert_valid_or_kept_aside, mutations

RECORDED = Path(__file__).resolve().parents[2] / "fixtures" / "recorded"
NOW = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)


def load(name: str):
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


BSKY_ITEMS = load("bluesky/getAuthorFeed.json")["feed"]
BSKY_LIKE = load("bluesky/listRecords_like.json")["records"][0]
BSKY_FOLLOW = load("bluesky/listRecords_follow.json")["records"][0]
BSKY_PROFILE = load("bluesky/getProfile.json")
MASTO_STATUSES = load("mastodon/statuses.json")
MASTO_ACCOUNT = load("mastodon/account.json")
X_PAGE = load("x/timeline.json")
X_INCLUDES = {
    "tweets": {t["id"]: t for t in X_PAGE["includes"]["tweets"]},
    "users": {u["id"]: u for u in X_PAGE["includes"]["users"]},
}
X_USER = load("x/user.json")["data"]
RSS_DOCUMENTS = [(RECORDED / "rss" / name).read_bytes() for name in ("press.xml", "youtube.xml")]

PARSERS = {
    "bluesky feed item": (lambda i: bluesky.feed_item_to_activity(i, "embassy-x.bsky.social"), BSKY_ITEMS),
    "bluesky like": (lambda r: bluesky.like_to_activity(r, "embassy-x.bsky.social", None), [BSKY_LIKE]),
    "bluesky follow": (lambda r: bluesky.follow_to_activity(r, "embassy-x.bsky.social", None), [BSKY_FOLLOW]),
    "mastodon status": (lambda s: mastodon.status_to_activity(s, "embassy_x@mastodon.example"), MASTO_STATUSES),
    "x post": (lambda t: x.tweet_to_activity(t, "EmbassyX", X_INCLUDES), X_PAGE["data"]),
}
PROFILES = {
    "bluesky": (bluesky.profile_of, BSKY_PROFILE),
    "mastodon": (mastodon.profile_of, MASTO_ACCOUNT),
    "x": (x.profile_of, X_USER),
}


def _check(name: str, item) -> None:
    parse, _ = PARSERS[name]
    rejects: list[Rejected] = []
    assert_valid_or_kept_aside(parse_or_reject(parse, item, name, rejects), rejects)


def _seeds():
    return st.sampled_from([(name, seed) for name, (_, seeds) in PARSERS.items() for seed in seeds])


def test_the_real_payloads_parse():  # the mutations below start from valid items (and one recorded broken one)
    for name, (parse, seeds) in PARSERS.items():
        parsed = [parse_or_reject(parse, seed, name, []) for seed in seeds]
        assert sum(p is not None for p in parsed) >= max(1, len(seeds) - 1), name


@PROPERTY
@given(st.sampled_from(sorted(PARSERS)), JSON)
def test_any_json_item(name, item):
    _check(name, item)


@PROPERTY
@given(_seeds().flatmap(lambda pair: st.tuples(st.just(pair[0]), mutations(pair[1]))))
def test_mutated_real_items(pair):
    _check(*pair)


@PROPERTY
@given(st.sampled_from(sorted(PROFILES)).flatmap(lambda p: st.tuples(st.just(p), mutations(PROFILES[p][1]) | JSON)))
def test_profiles_of_odd_shapes(pair):
    platform, payload = pair
    rejects: list[Rejected] = []
    profile = safe_profile(PROFILES[platform][0], payload, platform, rejects)
    assert (profile is None) == bool(rejects)
    if profile is not None:
        assert all(isinstance(v, str) or k == "labels" for k, v in profile.items())


@PROPERTY
@given(
    st.binary(max_size=300)
    | st.sampled_from([json.dumps(p).encode() for p in (MASTO_STATUSES, X_PAGE, {"feed": BSKY_ITEMS})]).flatmap(
        lambda doc: st.integers(0, len(doc)).map(lambda cut: doc[:cut])
    )
)
def test_any_or_truncated_bytes_decode_or_are_a_bad_payload(body):
    try:
        value = decode_json(httpx.Response(200, content=body), "page")
    except BadPayload as exc:
        assert str(exc).startswith("page:")
        return
    items = (
        value if isinstance(value, list) else value.get("data") or value.get("feed") if isinstance(value, dict) else []
    )
    for item in items if isinstance(items, list) else []:
        for name in PARSERS:
            _check(name, item)


def _rss_entries(body: bytes):
    try:
        parsed = rss.parse_feed(body, {"Content-Type": "application/rss+xml"})
    except BadPayload:
        return
    rejects: list[Rejected] = []
    safe_profile(rss.profile_of, parsed.feed, "rss", rejects)
    for entry in parsed.entries:
        rejects = []
        result = parse_or_reject(lambda e: rss.entry_to_activity(e, "mfa", parsed.feed, NOW), entry, "rss", rejects)
        assert_valid_or_kept_aside(result, rejects)


@PROPERTY
@given(st.sampled_from(RSS_DOCUMENTS).flatmap(lambda doc: st.integers(0, len(doc)).map(lambda cut: doc[:cut])))
def test_truncated_rss_and_atom(body):
    _rss_entries(body)


@PROPERTY
@given(
    st.binary(max_size=400)
    | st.text(max_size=200).map(
        lambda t: (
            f"<rss version='2.0'><channel><item><title>{t}</title><guid>{t}</guid></item></channel></rss>".encode()
        )
    )
)
def test_any_bytes_as_rss(body):
    _rss_entries(body)


@PROPERTY
@given(st.sampled_from(RSS_DOCUMENTS), st.integers(0, 10_000), st.binary(min_size=1, max_size=20))
def test_mutated_rss_bytes(doc, at, noise):
    at = at % len(doc)
    _rss_entries(doc[:at] + noise + doc[at + len(noise) :])
