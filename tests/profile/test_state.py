"""Profiles persist as small JSON and come back the same; the book tracks which ones changed."""

import json
from datetime import timedelta

from bot.alerts import severity_for
from bot.profile import ProfileBook

from .helpers import act, meta, trained, workday_after


def test_state_round_trip_gives_the_same_verdicts():
    book, last = trained()
    state = json.loads(json.dumps(book.state("x", "ExampleEmbassy")))
    copy = ProfileBook()
    copy.load("x", "ExampleEmbassy", state)
    probe = act(
        "repost",
        workday_after(last, hour=4),
        client="Twitter Web App",
        target={"id": "x:p", "account": "Stranger", "text": "hello there"},
    )
    # weights are stored to two decimals: the same verdict, to rounding
    assert abs(copy.score(probe, meta).score - book.score(probe, meta).score) < 1e-3
    assert copy.summary("x", "ExampleEmbassy")["activities"] == 400


def test_state_stays_small_however_many_partners():
    book, last = trained(50)
    for i in range(5000):
        book.learn(
            act("repost", last, target={"id": f"x:r{i}", "account": f"account{i}", "text": f"word{i} other{i}"}), meta
        )
    size = len(json.dumps(book.state("x", "ExampleEmbassy")))
    assert size < 120_000


def test_dirty_tracks_learned_accounts_until_cleared():
    book, last = trained(20)
    assert book.dirty() == {("x", "ExampleEmbassy")}
    book.clear_dirty()
    assert book.dirty() == set()
    book.score(act("post", last, text="a score alone changes nothing"), meta)
    assert book.dirty() == set()


def test_summary_for_watch_show():
    book, _ = trained()
    summary = book.summary("x", "ExampleEmbassy")
    assert len(summary["hours"]) == 24
    assert summary["counts_by_kind"]["post"] > summary["counts_by_kind"]["repost"] > 0
    assert summary["languages"][0][0] == "en"
    assert summary["top_partners"][0][0] in ("mfa_home", "spokespersonhome", "homemissionun")
    assert "activities since 2020-" in book.baseline("x", "ExampleEmbassy")


def test_loading_a_foreign_state_is_a_clear_error():
    import pytest

    with pytest.raises(ValueError, match="not version"):
        ProfileBook().load("x", "ExampleEmbassy", {"v": 99})


def test_state_stays_under_its_documented_bound_after_50000_activities():
    # #15: one busy account, its usual shapes but ever-new words, partners, links and hashtags
    import random

    from bot.profile.account import STATE_BOUND

    from .helpers import history

    rng = random.Random(5)
    book = ProfileBook()
    base = history(1)[0].at
    for i in range(50_000):
        at = base + timedelta(minutes=37 * i)
        roll = rng.random()
        if roll < 0.3:
            a = act(
                "repost",
                at,
                target={
                    "id": f"x:r{i}",
                    "account": f"partner{rng.randrange(3000)}",
                    "text": f"news {i} item{rng.randrange(10**6)}",
                    "lang": "en",
                },
            )
        elif roll < 0.35:
            a = act("delete", at, target={"id": f"x:{act.serial - rng.randrange(1, 300)}"})
        else:
            a = act(
                "post",
                at,
                lang=rng.choice(["en", "fr", "es"]),
                client=f"client{rng.randrange(60)}",
                text=" ".join(f"word{rng.randrange(20000)}" for _ in range(12)),
                links=[f"https://site{rng.randrange(5000)}.example/x"],
                hashtags=[f"tag{rng.randrange(4000)}"],
            )
        book.learn(a, meta)
    size = len(json.dumps(book.state("x", "ExampleEmbassy")))
    assert book.summary("x", "ExampleEmbassy")["activities"] == 50_000
    assert size < STATE_BOUND, f"{size:,} bytes"
    print(f"state after 50,000 activities: {size:,} bytes")


def test_a_baseline_saved_in_the_old_flat_layout_still_loads():
    hours = [0.0] * 24
    hours[10] = 40.0
    old = {
        "v": 1,
        "n": 40,
        "kind_total": {"post": 40},
        "kind_last": {"post": 40},
        "counters": {
            "kinds": {"w": {"post": 40}, "t": 40, "n": 1},
            "langs": {"w": {"fr": 40}, "t": 40, "n": 1},
            "amplify": {"w": {"mfa_home": 3}, "t": 3, "n": 1},
        },
        "hours": hours,
        "days": [8.0, 8, 8, 8, 8, 0, 0],
        "mass_peak": {"like": 2.0},
        "runs": {"like": [1400000000.0, 3.0]},  # a run saved before runs could be held
        "recent": [],
        "posts": {},
        "held": [],
        "exempt": ["kind:like"],
        "incidents": [],
    }
    book = ProfileBook()
    book.load("x", "ExampleEmbassy", old)
    summary = book.summary("x", "ExampleEmbassy")
    assert summary["activities"] == 40
    assert summary["languages"][0][0] == "fr"
    assert summary["usual_hours_utc"].startswith("10:00-10:59")
    state = book.state("x", "ExampleEmbassy")
    assert state["v"] == 2
    # not held (an alert's spree), and begun where it was last seen
    assert state["signals"]["mass"]["runs"]["like"] == [1400000000.0, 3.0, 0.0, 1400000000.0]


def test_a_restored_snapshot_puts_back_everything_a_rolled_back_poll_taught():
    """A poll that does not commit leaves the profile exactly as it was: every attribute comes back
    (a snapshot copies the attributes `account.PICKLED` names, so one missing there would survive the
    rollback), and the profile judges the next activity as if the poll had never happened."""
    book, last = trained()
    key = ("x", "ExampleEmbassy")
    attributes = _attributes(book.profiles[key])
    probe = act("post", workday_after(last, hour=3), text="A first post of a new kind entirely")
    expected = book.score(probe, meta).score
    snap = book.snapshot({key})
    for i in range(30):
        book.learn(act("post", workday_after(last, hour=3), text=f"A first post of a new kind entirely {i}"), meta)
    assert book.score(probe, meta).score != expected  # the poll taught it something
    book.restore(snap)
    assert _attributes(book.profiles[key]) == attributes
    assert book.score(probe, meta).score == expected


def _attributes(profile) -> set[str]:
    """The attributes a profile has set (compiled with mypyc, a profile has fixed fields and no __dict__)."""
    names = getattr(type(profile), "__mypyc_attrs__", None) or vars(profile)
    return {n for n in names if n != "__dict__" and hasattr(profile, n)}


def test_a_saved_baseline_still_knows_a_slip_was_posted_again_corrected():
    book, last = trained()
    at = workday_after(last)
    text = "The ambassador met the mayor to discuss trade and culture ties in the capital today"
    slip = act("post", at, ident="x:slip", client="Sprinklr", lang="en", text=text.replace("mayor", "myaor"))
    book.learn(slip, meta)
    book.learn(act("post", at + timedelta(minutes=2), ident="x:fixed", client="Sprinklr", lang="en", text=text), meta)
    copy = ProfileBook()
    copy.load("x", "ExampleEmbassy", json.loads(json.dumps(book.state("x", "ExampleEmbassy"))))
    verdict = copy.score(act("delete", at + timedelta(minutes=3), target={"id": "x:slip"}), meta)
    assert severity_for(verdict.score) is None, verdict.reasons
    assert not any("deleted its own post" in r for r in verdict.reasons)
