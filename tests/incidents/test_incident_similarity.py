import pytest

from bot.activity import parse_activity
from bot.alerts import Alert
from bot.incidents.similarity import SimilarityIndex

AT = "2020-12-09T15:04:05Z"


def activity(**fields):
    return parse_activity({"id": "x:1", "platform": "x", "account": "someone", "at": AT, **fields})


# An activity shaped like each founding incident, with the watch-list metadata of its account.
FOUNDING = {
    "S1": (
        activity(
            account="ChineseEmbinUS",
            kind="repost",
            target={
                "account": "realDonaldTrump",
                "id": "x:1336",
                "text": "Why hasn't the 2020 election been overturned? Democrats cheated!",
            },
        ),
        {
            "role": "embassy",
            "country": "China",
            "host_country": "United States",
            "owner": "Embassy of the PRC in the United States",
        },
        ["first repost in 2,314 activities", "never interacted with @realDonaldTrump before"],
    ),
    "S2": (
        activity(
            account="AmbLiuXiaoMing",
            kind="like",
            target={"account": "randomclips", "id": "x:77", "text": "watch this", "labels": ["porn"]},
        ),
        {"role": "ambassador", "country": "China", "owner": "Liu Xiaoming"},
        ["first like of explicit content", "02:10 local, usual hours 08-19"],
    ),
    "S3": (
        activity(account="realDonaldTrump", kind="status", status="deactivated"),
        {"role": "head of state", "country": "United States"},
        ["account deactivated"],
    ),
    "S4": (
        activity(
            platform="tiktok",
            account="NewsTokss",
            kind="post",
            text="Rubio has done nothing for Florida, remember that on November 8",
        ),
        {"role": "state media", "country": "China", "affiliation": "MediaLinks TV (CCTV distributor)"},
        ["first post about US candidates"],
    ),
}


@pytest.mark.parametrize("expected", sorted(FOUNDING))
def test_each_founding_incident_is_the_first_match(index, expected):
    act, meta, reasons = FOUNDING[expected]
    matches = index.similar(act, meta, reasons, k=3)
    assert matches[0].id == expected, [(m.id, m.score, m.why) for m in matches]
    assert 0 < matches[0].score <= 1
    assert matches[0].score >= matches[-1].score


def test_embassy_repost_of_foreign_leader_finds_2020_case_with_no_shared_words(index):
    act = activity(
        account="RusEmbassyNL",
        kind="repost",
        target={"account": "narendramodi", "id": "x:9", "text": "Namaste, grateful for the warm welcome"},
    )
    matches = index.similar(act, {"role": "Embassy", "country": "Russia", "host_country": "Netherlands"}, [], k=3)
    assert matches[0].id == "S1"
    assert "same action: repost of a foreign leader" in matches[0].why


def test_why_names_what_is_shared(index):
    act, meta, reasons = FOUNDING["S1"]
    why = index.similar(act, meta, reasons, k=1)[0].why
    assert why.startswith("same action: repost of a foreign leader")
    assert "embassy" in why and "China" in why


# (incident replayed, the activity it would have produced, its account's metadata)
REPLAYED = {
    "I05": (
        dict(kind="profile", profile={"name": "Hacked by Anonymous", "avatar": "https://img/anon.png"}),
        {"role": "state media", "country": "North Korea"},
    ),
    "I08": (
        dict(kind="like", target={"account": "troll", "id": "x:5", "text": "Hague joke"}),
        {"role": "head of government", "country": "United Kingdom"},
    ),
    "I09": (dict(kind="follow", target={"account": "london_escorts"}), {"role": "leader's office", "country": "UK"}),
    "I16": (
        dict(kind="post", text="Despite the constant negative press covfefe"),
        {"role": "head of state", "country": "United States"},
    ),
    "I30": (
        dict(kind="unfollow", target={"account": "narendramodi"}),
        {"role": "leader's office", "country": "United States"},
    ),
    "I36": (
        dict(kind="reply", text="you look great", target={"account": "adultstar", "id": "x:6", "labels": ["sexual"]}),
        {"role": "military", "country": "United States"},
    ),
    "I40": (dict(kind="status", status="suspended"), {"role": "head of state", "country": "United States"}),
    "I46": (dict(kind="delete", target={"id": "x:8"}), {"role": "head of state", "country": "Nigeria"}),
    "I50": (
        dict(kind="profile", profile={"name": "Elon Musk", "avatar": "https://img/rocket.png"}),
        {"role": "ministry", "country": "India"},
    ),
    "I57": (
        dict(kind="post", text="The SEC grants approval for #Bitcoin ETFs for listing on all registered exchanges"),
        {"role": "government agency", "country": "United States"},
    ),
}


def test_replayed_incidents_find_a_same_kind_incident_in_top_three(library):
    hits = []
    for ident, (fields, meta) in REPLAYED.items():
        others = SimilarityIndex([incident for incident in library if incident.id != ident])  # leave it out
        act = activity(**fields)
        matches = others.similar(act, meta, [], k=3)
        if any(act.kind in match_incident.kinds for match_incident in (others.get(m.id) for m in matches)):
            hits.append(ident)
    assert len(hits) >= 8, f"only {hits} found a same-kind incident"


def test_replayed_incident_finds_itself_first(index):
    fields, meta = REPLAYED["I57"]
    assert index.similar(activity(**fields), meta, [], k=3)[0].id == "I57"


def test_finder_gives_alert_similar_entries(index):
    act, meta, reasons = FOUNDING["S3"]
    alert = Alert(
        activity_id=act.id,
        account=act.account,
        platform="x",
        kind="status",
        at=AT,
        score=0.97,
        severity="critical",
        reasons=reasons,
    )
    similar = index.finder(k=2)(act, meta, alert)
    assert len(similar) == 2
    assert similar[0]["id"] == "S3"
    assert {"id", "title", "date", "score", "url", "outcome", "why"} <= set(similar[0])
    assert similar[0]["url"].startswith("http")


def test_score_grows_with_what_is_shared(index):
    act, meta, reasons = FOUNDING["S1"]
    described = index.similar(act, meta, reasons, k=1)[0]
    bare = index.similar(activity(kind="repost", target={"account": "nobody_known", "id": "x:2"}), {}, [], k=1)[0]
    assert described.score > bare.score
    assert bare.why == "same action: repost"


def test_affiliation_counts_only_for_accounts_that_do_not_present_as_official():
    from bot.incidents.features import features_for

    post = activity(kind="post", text="Great turnout at the trade fair")
    assert features_for(post, {"role": "state media", "affiliation": "state media: CCTV"}, []).undisclosed
    assert not features_for(post, {"role": "embassy", "affiliation": "state"}, []).undisclosed
    assert not features_for(post, {"role": "state media", "affiliation": "CCTV", "disclosed": True}, []).undisclosed
    reasons = ["run by state media (CCTV), posting about Rubio; its profile does not disclose it"]
    assert features_for(post, {"role": "embassy"}, reasons).undisclosed


def test_the_detectors_reasons_become_shared_traits(index):
    from bot.incidents.features import features_for

    reasons = [
        "23:48 UTC, usual hours 13-21 UTC (0.1% of its activity in this hour)",
        "written in Chinese, a first (usually English 89%)",
        "deleted its own post 14 minutes after posting",
    ]
    query = features_for(activity(kind="post", text="hello"), {}, reasons)
    assert query.tags == {"unusual-hours", "language-switch", "deleted"}
    liked = activity(kind="like", target={"account": "clips", "id": "x:3", "labels": ["porn"]})
    cruz = next(m for m in index.similar(liked, {"role": "senator"}, reasons[:1], k=5) if m.id == "I19")
    assert "odd hours" in cruz.why and "legislator" in cruz.why


def test_empty_library_gives_no_match():
    assert SimilarityIndex([]).similar(activity(kind="post", text="hello"), {}, [], k=3) == []


def test_added_incident_is_found_from_then_on(library):
    from dataclasses import replace

    index = SimilarityIndex(library)
    act = activity(
        platform="bluesky",
        account="mfa_xx",
        kind="quote",
        text="Ruritania's navy is a disgrace",
        target={"account": "ruritania_navy", "id": "b:1"},
    )
    meta = {"role": "foreign ministry", "country": "Freedonia"}
    new = replace(
        library[0],
        id="C-1",
        title="Freedonia MFA quotes Ruritanian navy",
        kinds=("quote",),
        country="Freedonia",
        role="foreign ministry",
        platform="bluesky",
        targets=(),
        summary="Ruritania navy disgrace quote",
        alert_id="A-1",
        alert_link="https://discord.com/channels/1/2/3",
    )
    assert index.add(new) is True
    assert index.similar(act, meta, [], k=1)[0].id == "C-1"
    assert index.search("Freedonia", k=1)[0].id == "C-1"
    assert index.add(new) is False and len(index) == len(library) + 1


@pytest.mark.parametrize(
    "query, expected",
    [
        ("@ChineseEmbinUS", {"S1", "I41"}),
        ("s3", {"S3"}),
        ("bitcoin", {"I34", "I35", "I49", "I57"}),
        ("deactivation", {"S3", "I04"}),
        ("Pakistan embassy", {"I47"}),
        ("retweet foreign leader", {"S1"}),
    ],
)
def test_search_by_account_id_words_country_and_kind(index, query, expected):
    found = [match.id for match in index.search(query, k=5)]
    assert expected <= set(found), found


def test_search_without_any_match_is_empty(index):
    assert index.search("qwxzzy", k=5) == []
