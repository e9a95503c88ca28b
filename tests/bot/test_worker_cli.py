"""`diplowatch worker` says what is wrong before it starts: a SQLite file is one process's, and a
PostgreSQL password never reaches its messages."""

from __future__ import annotations

from bot.__main__ import main


def test_a_worker_needs_postgresql_not_a_sqlite_file(tmp_path, capsys):
    assert main(["worker", "--db", str(tmp_path / "one.db")]) == 2
    err = capsys.readouterr().err
    assert "needs PostgreSQL" in err and "watch run" in err and not (tmp_path / "one.db").exists()


def test_an_unreachable_database_is_one_line_without_its_password(tmp_path, capsys):
    url = f"postgresql://diplowatch:s3cret-pw@/nothing?host={tmp_path}&port=1"
    assert main(["worker", "--db", url, "--poll", "5"]) == 2
    err = capsys.readouterr().err
    assert "cannot use the database postgresql://diplowatch:***@" in err and "s3cret-pw" not in err
    assert "Traceback" not in err
