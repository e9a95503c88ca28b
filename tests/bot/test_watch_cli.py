"""`diplowatch watch add|remove|list|show|import|export`: the watch list without Discord, on the same
database and the same rules as /watch."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.__main__ import main
from bot.watchlist import COLUMNS, PLATFORMS, WatchError, check_account, dump_list, parse_list
from storage import watch as watch_store
from storage.db import Database

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "fixtures"
WEBHOOK = "https://discord.com/api/webhooks/123456789012345678/s3cret-Token_value"


def watched(db_path: Path):
    async def read():
        async with await Database.open(db_path) as db:
            return await watch_store.all_accounts(db)

    return asyncio.run(read())


def test_the_example_lists_import_the_same_accounts_and_twice_changes_nothing(tmp_path, capsys):
    csv_db, toml_db = tmp_path / "csv.db", tmp_path / "toml.db"
    assert main(["watch", "import", str(EXAMPLES / "watchlist.csv"), "--db", str(csv_db)]) == 0
    assert "7 added, 0 updated, 0 unchanged, 0 bad rows" in capsys.readouterr().out
    assert main(["watch", "import", str(EXAMPLES / "watchlist.toml"), "--db", str(toml_db)]) == 0
    capsys.readouterr()
    assert watched(csv_db) == watched(toml_db)
    before = watched(csv_db)
    assert main(["watch", "import", str(EXAMPLES / "watchlist.csv"), "--db", str(csv_db)]) == 0
    assert "0 added, 0 updated, 7 unchanged" in capsys.readouterr().out
    assert watched(csv_db) == before
    assert {a.handle for a in before} >= {
        "ChineseEmbinUS",
        "mfa.bsky.social",
        "EU_Commission@ec.social-network.europa.eu",
    }


def test_bad_rows_are_named_by_line_and_the_good_rows_are_still_added(tmp_path, capsys):
    listing = tmp_path / "list.csv"
    listing.write_text(
        "platform,handle,country,channel,webhook\n"
        "x,ChineseEmbinUS,cn,,\n"
        "x,bad handle!,CN,,\n"
        "\n"
        'bluesky,"mfa.bsky.social",China,,\n'
        "telegraph,someone,,,\n"
        "fixture,AmbLiuXiaoMing,CN,not-a-channel,\n"
        "fixture,realDonaldTrump,US,,https://evil.example/api/webhooks/1/leaked-token\n"
        f"fixture,dailyglobe.bits,CN,123456789012345678,{WEBHOOK}\n",
        encoding="utf-8",
    )
    db = tmp_path / "w.db"
    assert main(["watch", "import", str(listing), "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    assert "2 added, 0 updated, 0 unchanged, 5 bad rows" in out
    assert f'{listing}:3: "bad handle!" is not a x handle' in err
    assert f'{listing}:5: country "China" is not a two-letter country code' in err
    assert f'{listing}:6: "telegraph" is not a platform I know' in err
    assert f'{listing}:7: channel "not-a-channel" is not a Discord channel id' in err
    assert f"{listing}:8: webhook is not a Discord webhook URL" in err and "leaked-token" not in err
    accounts = {a.handle: a for a in watched(db)}
    assert set(accounts) >= {"ChineseEmbinUS", "dailyglobe.bits"}
    assert accounts["ChineseEmbinUS"].country == "CN"
    assert accounts["dailyglobe.bits"].channel_id == 123456789012345678
    assert accounts["dailyglobe.bits"].webhook_url == WEBHOOK


def test_a_row_listed_twice_is_reported_with_the_first_line():
    parsed = parse_list("platform,handle\nx,mfa\nx,@mfa\n", "csv")
    assert [a.handle for _, a in parsed.accounts] == ["mfa"]
    assert [str(b) for b in parsed.bad] == ["line 3: x:mfa is listed already on line 2"]


def test_toml_errors_name_the_line_of_the_table():
    text = (
        '[[account]]\nplatform = "x"\nhandle = "ok_one"\n\n'
        '[[account]]\nplatform = "x"\nhandle = "ok_two"\ncountry = [1]\n\n'
        '[[account]]\nplatform = "x"\nhandel = "typo"\n'
    )
    parsed = parse_list(text, "toml")
    assert [a.handle for _, a in parsed.accounts] == ["ok_one"]
    assert [b.line for b in parsed.bad] == [5, 10]
    assert "country must be text" in parsed.bad[0].reason and "unknown field 'handel'" in parsed.bad[1].reason
    broken = parse_list('[[account]]\nplatform = "x\n', "toml")
    assert broken.bad[0].line == 2 and "not valid TOML" in broken.bad[0].reason


def test_a_header_with_an_unknown_column_stops_before_any_row():
    parsed = parse_list("platform,handle,contry\nx,ok,CN\n", "csv")
    assert not parsed.accounts and "unknown column 'contry'" in parsed.bad[0].reason


def test_export_writes_what_import_reads_in_both_formats(tmp_path, capsys):
    first = tmp_path / "first.db"
    main(["watch", "import", str(EXAMPLES / "watchlist.csv"), "--db", str(first)])
    main(["watch", "add", "fixture", "dailyglobe.bits", "--channel", "<#42>", "--webhook", WEBHOOK, "--db", str(first)])
    for fmt in ("csv", "toml"):
        exported = tmp_path / f"out.{fmt}"
        assert main(["watch", "export", str(exported), "--db", str(first)]) == 0
        again = tmp_path / f"again-{fmt}.db"
        assert main(["watch", "import", str(exported), "--db", str(again)]) == 0
        assert [(a, a.webhook_url) for a in watched(again)] == [(a, a.webhook_url) for a in watched(first)]
    capsys.readouterr()


def test_add_remove_list_show_and_the_webhook_url_never_shown(tmp_path, capsys):
    db = ["--db", str(tmp_path / "w.db")]
    assert (
        main(
            [
                "watch",
                "add",
                "bluesky",
                "@MFA.bsky.social",
                "--country",
                "cn",
                "--role",
                "foreign ministry",
                "--webhook",
                WEBHOOK,
                *db,
            ]
        )
        == 0
    )
    assert "Now watching @mfa.bsky.social (bluesky)" in capsys.readouterr().out
    assert main(["watch", "add", "bluesky", "mfa.bsky.social", "--owner", "MFA", *db]) == 0
    assert "Updated" in capsys.readouterr().out
    assert main(["watch", "list", *db]) == 0
    listing = capsys.readouterr().out
    assert "@mfa.bsky.social (bluesky) · MFA · foreign ministry · CN" in listing
    assert "webhook 123456789012345678" in listing and "s3cret" not in listing
    assert main(["watch", "show", "mfa.bsky.social", *db]) == 0
    shown = capsys.readouterr().out
    assert "no activity stored yet" in shown and "s3cret" not in shown
    assert main(["watch", "remove", "mfa.bsky.socal", *db]) == 1
    assert "Did you mean @mfa.bsky.social" in capsys.readouterr().err
    assert main(["watch", "remove", "bluesky:mfa.bsky.social", *db]) == 0
    assert watched(tmp_path / "w.db") == []
    assert main(["watch", "add", "x", "ok", "--role", "r" * 61, *db]) == 2
    assert "role is 61 characters long; keep it to 60 or fewer" in capsys.readouterr().err


def test_the_rules_are_the_ones_slash_watch_uses():
    # cogs/watch.py calls the same function; its Discord test checks the same texts end to end.
    for kwargs, message in (
        (dict(platform="telegraph", handle="ok"), "not a platform I know"),
        (dict(platform="x", handle="ok", country="China"), "not a two-letter country code"),
        (dict(platform="x", handle="ok", webhook="http://example.com/x"), "not a Discord webhook"),
    ):
        try:
            check_account(**kwargs)
        except WatchError as exc:
            assert message in str(exc)
        else:
            raise AssertionError(f"{kwargs} was accepted")


cell = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.lists(cell, min_size=1, max_size=len(COLUMNS) + 2), max_size=6), st.sampled_from(["csv", "toml"]))
def test_any_file_gives_accounts_or_line_numbered_reasons_never_a_crash(rows, fmt):
    text = "\n".join(",".join(r) for r in rows) if fmt == "csv" else "\n".join("=".join(r) for r in rows)
    parsed = parse_list(text, fmt)
    last_line = len(text.splitlines()) + 2  # an upper bound whatever the line breaks
    assert all(1 <= b.line <= last_line and b.reason for b in parsed.bad)
    assert all(a.platform in PLATFORMS for _, a in parsed.accounts)


handles = st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True)
texts = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool),
)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(handles, texts, texts, st.one_of(st.none(), st.integers(1, 2**62))),
        max_size=5,
        unique_by=lambda t: t[0].lower(),  # one account per handle: x handles ignore case ("C" is "c")
    ),
    st.sampled_from(["csv", "toml"]),
)
def test_export_then_import_gives_back_the_same_accounts(entries, fmt):
    accounts = [check_account("x", h, role=r, owner=o, channel=c) for h, r, o, c in entries]
    parsed = parse_list(dump_list(accounts, fmt), fmt)
    assert parsed.bad == [] and [a for _, a in parsed.accounts] == accounts


def test_a_database_that_cannot_be_opened_is_one_line_not_a_traceback(tmp_path, capsys):
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    assert main(["watch", "list", "--db", str(tmp_path / "not-a-folder" / "w.db")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("diplowatch watch list: cannot use the database") and "Traceback" not in err


def test_a_time_zone_is_checked_kept_and_exported(tmp_path, capsys):
    listing = tmp_path / "zones.csv"
    listing.write_text(
        "platform,handle,tz\nfixture,ChineseEmbinUS,America/New_York\nfixture,AmbLiuXiaoMing,Europe/Londres\n",
        encoding="utf-8",
    )
    db = tmp_path / "z.db"
    assert main(["watch", "import", str(listing), "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    assert "1 added" in out and f'{listing}:3: tz "Europe/Londres" is not a time zone I know' in err
    [account] = watched(db)
    assert account.tz == "America/New_York"
    assert "America/New_York" in dump_list([account], "csv") and 'tz = "America/New_York"' in dump_list(
        [account], "toml"
    )
    assert main(["watch", "add", "fixture", "ChineseEmbinUS", "--tz", "Asia/Shanghai", "--db", str(db)]) == 0
    assert watched(db)[0].tz == "Asia/Shanghai"
    chart = tmp_path / "hours.png"
    assert main(["watch", "show", "ChineseEmbinUS", "--chart", str(chart), "--db", str(db)]) == 0
    assert chart.read_bytes().startswith(b"\x89PNG") and "wrote its usual-hours chart" in capsys.readouterr().err


def test_the_cli_has_its_own_watch_list_and_names_a_server_with_guild(tmp_path, capsys):
    """Without --guild the command line edits its own (headless) list, whose alerts `watch run` prints;
    --guild ID edits that Discord server's list, and never another's."""
    db = str(tmp_path / "g.db")
    assert main(["watch", "add", "x", "mfa_china", "--db", db, "--role", "ministry"]) == 0
    assert "the command line's watch list" in capsys.readouterr().out
    assert main(["watch", "add", "x", "mfa_china", "--db", db, "--guild", "111", "--role", "spokesperson"]) == 0
    assert "server 111's watch list" in capsys.readouterr().out
    assert main(["watch", "add", "x", "elysee", "--db", db, "--guild", "222"]) == 0
    capsys.readouterr()
    assert sorted((a.guild_id, a.handle, a.role) for a in watched(tmp_path / "g.db")) == [
        (0, "mfa_china", "ministry"),
        (111, "mfa_china", "spokesperson"),
        (222, "elysee", None),
    ]
    assert main(["watch", "list", "--db", db, "--guild", "111"]) == 0
    out = capsys.readouterr().out
    assert "mfa_china" in out and "elysee" not in out and "spokesperson" in out
    assert main(["watch", "remove", "elysee", "--db", db, "--guild", "111"]) == 1  # server 222's, not 111's
    assert "not on server 111's watch list" in capsys.readouterr().err
    assert main(["watch", "remove", "mfa_china", "--db", db]) == 0
    capsys.readouterr()
    assert sorted((a.guild_id, a.handle) for a in watched(tmp_path / "g.db")) == [(111, "mfa_china"), (222, "elysee")]
    with pytest.raises(SystemExit) as exited:
        main(["watch", "list", "--db", db, "--guild", "not-a-server"])
    assert exited.value.code == 2 and "is not a Discord server id" in capsys.readouterr().err


def test_a_time_zone_belongs_to_one_scope_in_add_import_and_export(tmp_path, capsys):
    """The tz of an account is a server's own setting like the rest of its entry: set with --guild, it
    changes that server's entry only; an import with --guild lands there, a changed zone in a file is an
    update (not "unchanged"), and each scope's export carries its own zone."""
    db = str(tmp_path / "tz.db")
    assert main(["watch", "add", "x", "mfa_china", "--db", db, "--tz", "Asia/Shanghai"]) == 0
    assert main(["watch", "add", "x", "mfa_china", "--db", db, "--guild", "111", "--tz", "Europe/Paris"]) == 0
    listing = tmp_path / "zones.csv"
    listing.write_text("platform,handle,tz\nx,mfa_china,America/New_York\n", encoding="utf-8")
    assert main(["watch", "import", str(listing), "--db", db, "--guild", "222"]) == 0
    capsys.readouterr()
    zones = {a.guild_id: a.tz for a in watched(tmp_path / "tz.db")}
    assert zones == {0: "Asia/Shanghai", 111: "Europe/Paris", 222: "America/New_York"}
    listing.write_text("platform,handle,tz\nx,mfa_china,Asia/Tokyo\n", encoding="utf-8")
    assert main(["watch", "import", str(listing), "--db", db, "--guild", "222"]) == 0
    assert "0 added, 1 updated, 0 unchanged" in capsys.readouterr().out
    zones = {a.guild_id: a.tz for a in watched(tmp_path / "tz.db")}
    assert zones == {0: "Asia/Shanghai", 111: "Europe/Paris", 222: "Asia/Tokyo"}
    for guild, zone in (("0", "Asia/Shanghai"), ("111", "Europe/Paris"), ("222", "Asia/Tokyo")):
        assert main(["watch", "export", "-", "--format", "csv", "--db", db, "--guild", guild]) == 0
        out = capsys.readouterr().out
        assert zone in out and all(
            other not in out for other in ("Asia/Shanghai", "Europe/Paris", "Asia/Tokyo") if other != zone
        )
