"""The detector compiled with mypyc (`make compiled`) finds exactly what the pure Python one finds, and a
build that no longer matches its sources is never run.

The build test compiles the real detector (about a minute of one core), then replays the bundled feeds
with each: the same alerts, byte for byte, and the same stored rows and baselines. The compiled run reads
ahead in a second process, so the reader's pickled observations cross between compiled modules too; the
profile tests that take and restore snapshots, and the structural checks, run on the build as well."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from bot import compiled
from tests.bot.fixture_replay import FEEDS, ROOT, child_env, replay_fixtures


def _tree(root: Path) -> None:
    for rel in ("bot/profile/a.py", "bot/profile/signals/b.py"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f"X = {rel!r}\n", encoding="utf-8")
    (root / "bot/profile/__init__.py").write_text("", encoding="utf-8")  # never compiled: not in the manifest


def _manifest(root: Path, build: Path, python: str | None = None) -> None:
    build.mkdir(parents=True, exist_ok=True)
    sources = {p.relative_to(root).as_posix(): compiled._hash(p) for p in compiled.sources(root)}
    manifest = {"python": python or compiled._tag(), "sources": sources, "modules": {}}
    (build / compiled.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def test_a_build_is_used_only_while_every_source_it_was_made_from_is_unchanged(tmp_path):
    root, build = tmp_path / "src", tmp_path / "build"
    _tree(root)
    assert compiled.stale(build, root) == "not built"
    _manifest(root, build)
    assert compiled.stale(build, root) is None

    (root / "bot/profile/a.py").write_text("X = 'edited'\n", encoding="utf-8")
    assert compiled.stale(build, root) == "bot/profile/a.py changed since the build"
    _manifest(root, build)

    (root / "bot/profile/signals/c.py").write_text("Y = 1\n", encoding="utf-8")
    assert compiled.stale(build, root) == "bot/profile/signals/c.py is new since the build"
    (root / "bot/profile/signals/c.py").unlink()
    (root / "bot/profile/signals/b.py").unlink()
    assert compiled.stale(build, root) == "bot/profile/signals/b.py is gone since the build"


def test_a_stale_build_is_set_aside_with_a_warning_naming_what_changed(tmp_path, monkeypatch, caplog):
    root, build = tmp_path / "src", tmp_path / "build"
    _tree(root)
    _manifest(root, build)
    (root / "bot/profile/signals/b.py").write_text("X = 'edited'\n", encoding="utf-8")
    monkeypatch.setenv(compiled.SWITCH, str(build))
    monkeypatch.setattr(compiled, "_active", False)  # as in a new process, whichever detector this one runs
    finders = list(sys.meta_path)
    assert compiled.install(build, root) is False
    assert sys.meta_path == finders
    assert "bot/profile/signals/b.py changed since the build" in caplog.text
    assert "make compiled" in caplog.text


def test_a_build_for_another_python_or_with_a_broken_manifest_is_not_used(tmp_path):
    root, build = tmp_path / "src", tmp_path / "build"
    _tree(root)
    _manifest(root, build, python="cpython-399 .so")
    assert compiled.stale(build, root) == f"built for cpython-399 .so, this is {compiled._tag()}"
    (build / compiled.MANIFEST).write_text("{half", encoding="utf-8")
    assert "unreadable" in (compiled.stale(build, root) or "")


def _compiler_missing() -> bool:
    """No C compiler, or no headers of this Python to compile against (a distribution's python3 without
    its -dev package)."""
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return (shutil.which("cc") is None and shutil.which("gcc") is None) or not headers.exists()


def _rows(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {
            name: conn.execute(f"SELECT {columns} FROM {name} ORDER BY 1, 2").fetchall()
            for name, columns in (
                ("activities", "platform, id, record"),
                ("alerts", "id, body"),
                ("baselines", "platform, account, state"),
            )
        }


@pytest.mark.skipif(
    _compiler_missing(), reason="no C compiler or Python headers on this machine: nothing can be compiled"
)
def test_the_compiled_detector_finds_and_stores_exactly_what_the_pure_python_one_does(tmp_path):
    build = tmp_path / "mypyc"
    names = compiled.build(build)
    assert "bot.profile.book" in names and "bot.profile.signals.lang" in names
    assert compiled.stale(build) is None

    used = subprocess.run(
        [sys.executable, "-c", "import bot.profile, bot.compiled; print(bot.compiled.active())"],
        capture_output=True,
        text=True,
        env=child_env(DIPLOWATCH_COMPILED=str(build)),
        check=True,
    )
    assert used.stdout.strip() == "True"

    pure = replay_fixtures(tmp_path, FEEDS, tmp_path / "pure.db", env={"DIPLOWATCH_COMPILED": "0"})
    fast = replay_fixtures(
        tmp_path, FEEDS, tmp_path / "fast.db", "--read-ahead", "yes", env={"DIPLOWATCH_COMPILED": str(build)}
    )
    assert pure.returncode == 0 and fast.returncode == 0, pure.stderr + fast.stderr
    assert pure.stdout.count("\n") >= 4  # the founding incidents at least
    assert fast.stdout == pure.stdout
    assert _rows(tmp_path / "fast.db") == _rows(tmp_path / "pure.db")

    # snapshots of compiled profiles: taken, rolled back, restored twice; and the structural checks'
    # small histories, whose deletions of known items the bundled feeds lack (a float assigned to a
    # variable mypyc had typed an int crashed only there)
    suite = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/profile/test_coordination.py",
            "tests/profile/test_structural.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=child_env(DIPLOWATCH_COMPILED=str(build)),
        timeout=600,
    )
    assert suite.returncode == 0, suite.stdout[-3000:]
