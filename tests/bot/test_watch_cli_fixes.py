"""`diplowatch watch` as a user runs it: the database it uses, handles in another letter case, where an
updated account's alerts go (and unsetting them), `watch run --guild`, files it cannot write, and the
feed health `show` prints."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.watch import WatchedAccount
from storage import watch as watch_store
from storage.db import Database

WEBHOOK = "https://discord.com/api/webhooks/123456789012345678/s3cret-Token_value"


def watched(db_path: Path) -> list[WatchedAccount]:
    async def read():
        async with await Database.open(db_path) as db:
            return await watch_store.all_accounts(db)

    return asyncio.run(read())


def test_a_bad_setting_is_the_error_not_another_database(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIPLOWATCH_DATABASE", str(tmp_path / "x.db"))
    monkeypatch.setenv("DIPLOWATCH_POLL_SECONDS", "abc")
    assert main(["watch", "list"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("diplowatch watch list: setting DIPLOWATCH_POLL_SECONDS")
    assert not (tmp_path / "data").exists() and not (tmp_path / "x.db").exists()
    monkeypatch.setenv("DIPLOWATCH_POLL_SECONDS", "30")  # once readable, DIPLOWATCH_DATABASE is the one used
    assert main(["watch", "add", "x", "mfa_china"]) == 0
    assert [a.handle for a in watched(tmp_path / "x.db")] == ["mfa_china"] and not (tmp_path / "data").exists()


def test_handles_in_another_case_are_one_account_where_the_platform_ignores_case(tmp_path, capsys):
    db = tmp_path / "c.db"
    first, second = tmp_path / "one.csv", tmp_path / "two.csv"
    first.write_text("platform,handle\nx,Foo1\n", encoding="utf-8")
    second.write_text("platform,handle,role\nx,foo1,embassy\nfixture,Feed,\nfixture,feed,\n", encoding="utf-8")
    assert main(["watch", "import", str(first), "--db", str(db)]) == 0
    assert main(["watch", "import", str(second), "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert "2 added, 1 updated" in out.splitlines()[-1] and "@foo1 is the watched @Foo1" in err
    # fixture feeds are files: their names keep their case
    assert sorted((a.platform, a.handle, a.role) for a in watched(db)) == [
        ("fixture", "Feed", None),
        ("fixture", "feed", None),
        ("x", "Foo1", "embassy"),
    ]
    assert main(["watch", "add", "x", "FOO1", "--owner", "Embassy", "--db", str(db)]) == 0
    assert "kept in the spelling first stored" in capsys.readouterr().out
    assert [(a.handle, a.owner) for a in watched(db) if a.platform == "x"] == [("Foo1", "Embassy")]
    dupes = tmp_path / "dupes.csv"
    dupes.write_text("platform,handle\ntelegram,MID_Russia\ntelegram,mid_russia\n", encoding="utf-8")
    assert main(["watch", "import", str(dupes), "--db", str(db)]) == 1
    assert f"{dupes}:3: telegram:mid_russia is listed already on line 2" in capsys.readouterr().err
    assert main(["watch", "remove", "x:foo1", "--db", str(db)]) == 0
    assert main(["watch", "remove", "fixture:feed", "--db", str(db)]) == 0  # the exact spelling, not "say which"
    capsys.readouterr()
    assert [(a.platform, a.handle) for a in watched(db)] == [("fixture", "Feed"), ("telegram", "MID_Russia")]


def test_an_exact_spelling_is_preferred_when_a_scope_holds_both(tmp_path, capsys):
    db = tmp_path / "old.db"

    async def seed():  # two spellings stored before handles were compared without case
        async with await Database.open(db) as opened:
            async with opened.transaction() as tx:
                for handle in ("Foo1", "foo1"):
                    await watch_store.add(tx, WatchedAccount("x", handle))

    asyncio.run(seed())
    assert main(["watch", "remove", "x:FOO1", "--db", str(db)]) == 1
    assert "watched as x:Foo1, x:foo1; say which" in capsys.readouterr().err
    assert main(["watch", "remove", "x:Foo1", "--db", str(db)]) == 0
    capsys.readouterr()
    assert [a.handle for a in watched(db)] == ["foo1"]


def test_an_update_says_where_alerts_go_as_stored_and_can_unset_them(tmp_path, capsys):
    db = ["--db", str(tmp_path / "w.db")]
    assert main(["watch", "add", "x", "SomeOne", "--channel", "123", "--webhook", WEBHOOK, *db]) == 0
    capsys.readouterr()
    assert main(["watch", "add", "x", "SomeOne", "--role", "", *db]) == 0
    out = capsys.readouterr().out
    assert "alerts go to channel 123, webhook 123456789012345678." in out and "terminal" not in out
    assert main(["watch", "add", "x", "SomeOne", "--no-webhook", *db]) == 0
    assert "alerts go to channel 123." in capsys.readouterr().out
    [account] = watched(tmp_path / "w.db")
    assert account.webhook_url is None and account.channel_id == 123
    assert main(["watch", "add", "x", "SomeOne", "--no-channel", *db]) == 0
    assert "alerts go to the terminal (watch run)." in capsys.readouterr().out
    assert watched(tmp_path / "w.db")[0].channel_id is None
    with pytest.raises(SystemExit) as exited:
        main(["watch", "add", "x", "SomeOne", "--webhook", WEBHOOK, "--no-webhook", *db])
    assert exited.value.code == 2 and "not allowed with argument" in capsys.readouterr().err


def test_run_refuses_a_server_list_it_would_not_watch(tmp_path, monkeypatch, capsys):
    from bot import headless

    served: list[tuple] = []

    async def serve(*args) -> int:  # the live loop would run until stopped
        served.append(args)
        return 0

    monkeypatch.setattr(headless, "serve", serve)
    db = str(tmp_path / "r.db")
    assert main(["watch", "run", "--guild", "111", "--db", db]) == 2
    assert "--guild is for add, remove, list, show, import and export" in capsys.readouterr().err
    assert served == [] and not Path(db).exists()
    assert main(["watch", "run", "--guild", "0", "--db", db]) == 0 and len(served) == 1


def test_a_file_that_cannot_be_written_is_named_and_the_export_is_private(tmp_path, capsys):
    db = ["--db", str(tmp_path / "w.db")]
    assert main(["watch", "add", "fixture", "ChineseEmbinUS", "--webhook", WEBHOOK, *db]) == 0
    capsys.readouterr()
    missing = tmp_path / "nodir"
    assert main(["watch", "export", str(missing / "out.csv"), *db]) == 2
    err = capsys.readouterr().err
    assert f"cannot write {missing / 'out.csv'}: No such file or directory" in err and "database" not in err
    assert main(["watch", "show", "ChineseEmbinUS", "--chart", str(missing / "c.png"), *db]) == 2
    err = capsys.readouterr().err
    assert f"cannot write {missing / 'c.png'}: No such file or directory" in err and "database" not in err
    out = tmp_path / "out.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    fresh = tmp_path / "fresh.toml"
    for path in (out, fresh):
        assert main(["watch", "export", str(path), *db]) == 0
        assert stat.S_IMODE(path.stat().st_mode) == 0o600 and WEBHOOK in path.read_text(encoding="utf-8")


def test_show_prints_the_feed_health_as_watch_status_does(tmp_path, capsys):
    db = tmp_path / "h.db"
    assert main(["watch", "add", "x", "mfa_china", "--db", str(db)]) == 0
    assert main(["watch", "show", "mfa_china", "--db", str(db)]) == 0
    assert "feed: not polled yet" in capsys.readouterr().out

    async def failing():
        async with await Database.open(db) as opened:
            async with opened.transaction() as tx:
                await watch_store.save_cursor(
                    tx,
                    "x",
                    "mfa_china",
                    last_poll_at="2024-05-01T10:00:00Z",
                    last_error="server error 503",
                    failures=6,
                    paused_until="2099-01-01T00:00:00Z",
                )

    asyncio.run(failing())
    assert main(["watch", "show", "mfa_china", "--db", str(db)]) == 0
    assert (
        "feed: paused after 6 failure(s): server error 503; next try 2099-01-01T00:00:00Z, "
        "last poll 2024-05-01T10:00:00Z" in capsys.readouterr().out
    )
