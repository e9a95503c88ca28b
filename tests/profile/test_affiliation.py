"""State-run accounts posting about the host country's politics without saying who runs them (S4)."""

from datetime import timedelta

from bot.alerts import severity_for
from bot.profile import AccountMeta, ProfileBook

from .helpers import START, act, history

STATE_MEDIA = AccountMeta(
    platform="x",
    handle="ExampleEmbassy",
    role="state media",
    country="China",
    affiliation="state media",
    owner="MediaLinks TV",
    host_country="US",
)
PLAIN = AccountMeta(platform="x", handle="ExampleEmbassy", role="embassy", country="China", host_country="US")
RUBIO = "Rubio has done nothing for Florida. Time for a change in the midterms?"


def _book(meta, bio):
    book = ProfileBook()
    book.learn(act("profile", START, profile={"name": "Pandaorama", "bio": bio}), meta)
    for a in history(200):
        book.learn(a, meta)
    return book


def test_undisclosed_state_media_on_host_candidates_alerts():
    book = _book(STATE_MEDIA, "Fun facts and optimistic news from around the world")
    v = book.score(
        act("post", START + timedelta(days=400, hours=10), client="Sprinklr", lang="en", text=RUBIO), STATE_MEDIA
    )
    assert severity_for(v.score) in ("high", "critical")
    assert any("run by state media (MediaLinks TV)" in r and "does not disclose" in r for r in v.reasons)


def test_disclosed_state_media_is_not_an_affiliation_alert():
    book = _book(STATE_MEDIA, "State-affiliated media, distributed by MediaLinks TV")
    v = book.score(
        act("post", START + timedelta(days=400, hours=10), client="Sprinklr", lang="en", text=RUBIO), STATE_MEDIA
    )
    assert v.features["affiliation"] == 0.0


def test_account_without_affiliation_is_not_checked():
    book = _book(PLAIN, "Fun facts")
    v = book.score(act("post", START + timedelta(days=400, hours=10), client="Sprinklr", lang="en", text=RUBIO), PLAIN)
    assert v.features["affiliation"] == 0.0


def test_a_bare_place_name_is_not_host_politics():
    book = _book(STATE_MEDIA, "Fun facts")
    v = book.score(
        act(
            "post",
            START + timedelta(days=400, hours=10),
            client="Sprinklr",
            lang="en",
            text="Beautiful sunset over the Florida coast today",
        ),
        STATE_MEDIA,
    )
    assert v.features["affiliation"] == 0.0


def test_an_election_hashtag_with_its_year_glued_on_is_host_politics():
    # the demo's second wave: a Senate candidate named, and the election only in "#election2022"
    book = _book(STATE_MEDIA, "Fun facts")
    text = "Herschel Walker says he will fight for Georgia. His record says otherwise. #midterms #election2022"
    v = book.score(
        act("post", START + timedelta(days=400, hours=10), client="Sprinklr", lang="en", text=text), STATE_MEDIA
    )
    assert any("run by state media" in r and "midterms, election" in r for r in v.reasons)


def test_an_owner_described_in_brackets_is_named_once_and_found_in_a_profile():
    described = AccountMeta(
        platform="x",
        handle="ExampleEmbassy",
        role="state media",
        country="China",
        affiliation="state media: CCTV/CGTN via MediaLinks TV LLC",
        owner="MediaLinks TV LLC (registered foreign agent distributing CCTV/CGTN content)",
        host_country="US",
    )
    at = START + timedelta(days=400, hours=10)
    post = act("post", at, client="Sprinklr", lang="en", text=RUBIO)
    v = _book(described, "Fun facts").score(post, described)
    reason = next(r for r in v.reasons if "run by state media" in r)
    assert reason.count("MediaLinks TV LLC") == 1, reason
    # a profile naming the owner discloses it, whatever the watch list says of the owner
    v = _book(described, "A MediaLinks TV LLC channel of fun facts").score(post, described)
    assert v.features["affiliation"] == 0.0
