import argparse
import json

from bot.incidents import cli


def run(argv, capsys):
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_search_prints_matching_incidents_with_links(capsys):
    code, out, _ = run(["search", "embassy", "retweet", "China", "--k", "2"], capsys)
    assert code == 0
    assert out.splitlines()[0].startswith("S1 ")
    assert "https://www.theguardian.com/" in out


def test_search_json_is_one_object_per_line(capsys):
    code, out, _ = run(["search", "bitcoin", "--k", "3", "--format", "json"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 3
    assert all({"id", "title", "date", "score", "url", "outcome"} <= set(row) for row in rows)


def test_show_gives_the_whole_incident(capsys):
    code, out, _ = run(["show", "s3"], capsys)
    assert code == 0
    assert "Trump's personal account deactivated" in out
    assert "outcome: insider" in out and "status (deactivated)" in out


def test_unknown_id_and_missing_library_are_clear_errors(capsys, tmp_path):
    code, _, err = run(["show", "Z9"], capsys)
    assert code == 1 and "no incident with id 'Z9'" in err
    code, _, err = run(["search", "x", "--library", str(tmp_path / "none.jsonl")], capsys)
    assert code == 2 and "cannot read the incident library" in err


def test_malformed_library_line_is_reported_and_search_goes_on(capsys, tmp_path):
    path = tmp_path / "lib.jsonl"
    good = json.loads(cli.DEFAULT_LIBRARY.read_text(encoding="utf-8").splitlines()[0])
    path.write_text(json.dumps(good) + "\n" + '{"id": "B1"}\n', encoding="utf-8")
    code, out, err = run(["search", "embassy", "--library", str(path)], capsys)
    assert code == 0 and out.startswith("S1 ")
    assert f"{path}:2: title: is required" in err


def test_register_adds_the_incidents_command():
    parser = argparse.ArgumentParser(prog="diplowatch")
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["incidents", "search", "foo", "--k", "4"])
    assert args.func is cli.run and args.k == 4 and args.query == ["foo"]


def test_db_option_includes_confirmed_alerts(capsys, tmp_path):
    import asyncio

    from bot.alerts import Alert
    from storage.db import Database
    from storage.incidents import add_confirmed, open_library

    async def confirm():
        db = await Database.open(tmp_path / "d.db")
        await open_library(db)
        alert = Alert(
            activity_id="x:42",
            account="FreedoniaMFA",
            platform="x",
            kind="like",
            at="2026-01-05T02:00:00Z",
            score=0.9,
            severity="high",
            reasons=["first like in 800 activities"],
            role="foreign ministry",
            country="Freedonia",
            target_account="nightclips",
            url="https://x.com/FreedoniaMFA",
        )
        async with db.transaction() as tx:
            incident = await add_confirmed(tx, alert)
        await db.close()
        return incident

    incident = asyncio.run(confirm())
    code, out, _ = run(["search", "FreedoniaMFA", "--db", str(tmp_path / "d.db")], capsys)
    assert code == 0 and out.startswith(incident.id)
    code, out, _ = run(["show", incident.id, "--db", str(tmp_path / "d.db")], capsys)
    assert "source: https://x.com/FreedoniaMFA" in out and "discord.com" not in out
