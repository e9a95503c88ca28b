"""Long work shows progress to a person at a terminal (counts and a rate, on stderr), and prints nothing
extra when stderr is a pipe or a file, or with --quiet. The terminal case runs the real command on a
pseudo-terminal, as a person's shell would."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

from tests.bot.fixture_replay import ROOT, child_env

SAMPLE = ROOT / "fixtures" / "samples" / "Elysee.jsonl"  # 400 real activities
TIMELINES = ROOT / "fixtures" / "timelines"
WATCHLIST = ROOT / "fixtures" / "watchlist.csv"
TIMEOUT = 240


def env() -> dict[str, str]:
    return child_env(PATH=os.environ.get("PATH", "/usr/bin:/bin"), TERM="xterm")


def on_terminal(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run `diplowatch ARGS` with stderr on a pseudo-terminal (100 columns); (exit code, stdout, screen)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    screen = bytearray()
    while True:  # read until the child closes the terminal (EIO on Linux)
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    os.close(master)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    return proc.wait(timeout=TIMEOUT), out, screen.decode(errors="replace")


def piped(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def replay_args(tmp_path: Path, *extra: str) -> list[str]:
    return [
        "replay",
        str(SAMPLE),
        "--learn-until",
        "2016-12-01T00:00:00Z",
        "--format",
        "json",
        "--db",
        str(tmp_path / "r.db"),
        *extra,
    ]


def assert_no_bar(stderr: str) -> None:
    assert "\r" not in stderr and "/s]" not in stderr and "it/s" not in stderr, stderr


def test_replay_shows_counts_and_a_rate_on_a_terminal(tmp_path):
    code, out, screen = on_terminal(replay_args(tmp_path), tmp_path)
    assert code == 0, screen
    assert "replay" in screen and "400/400" in screen and "activities/s" in screen, screen
    assert "alerts" in screen
    assert "replay: 400 activities" in screen  # the summary still ends the run
    # stdout is not the terminal: the alert lines stay clean JSON, one a line, without bar fragments.
    assert all(line.startswith("{") for line in out.splitlines()), out[:500]


def test_replay_prints_nothing_extra_off_a_terminal_or_when_quiet(tmp_path):
    result = piped(replay_args(tmp_path), tmp_path)
    assert result.returncode == 0, result.stderr
    assert_no_bar(result.stderr)
    assert [line for line in result.stderr.splitlines() if line.strip()] == [
        line for line in result.stderr.splitlines() if line.startswith("replay: ")
    ]  # the summary alone
    quiet = tmp_path / "quiet"
    quiet.mkdir()
    code, _, screen = on_terminal(replay_args(quiet, "--quiet"), quiet)
    assert code == 0 and "replay: 400 activities" in screen, screen
    assert "activities/s" not in screen and not re.search("\r(?!\n)", screen), screen  # the terminal ends lines \r\n


def test_eval_shows_progress_on_a_terminal_and_says_which_data(tmp_path):
    args = ["eval", "--data", str(TIMELINES), "--quick", "--out", str(tmp_path / "r.json")]
    code, out, screen = on_terminal(args, tmp_path)
    assert code == 0, screen
    assert "eval tune seed 1" in screen and "eval heldout seed 1001" in screen and "activities/s" in screen, screen
    assert "recall by type" in out
    result = piped(args, tmp_path)
    assert result.returncode == 0 and "recall by type" in result.stdout
    assert_no_bar(result.stderr)


def test_eval_falls_back_to_the_bundled_sample_with_its_licence():
    """A clone without ../shared evaluates on fixtures/timelines (real timelines, MIT licence kept)."""
    from bot.eval import DEFAULT_DATA, load_timelines

    assert DEFAULT_DATA == TIMELINES
    timelines, rejected = load_timelines(DEFAULT_DATA)
    assert len(timelines) >= 5 and rejected == 0
    assert (TIMELINES / "LICENSE-world-leader-vis").read_text().startswith("MIT License")


def test_import_shows_progress_on_a_terminal_only(tmp_path):
    args = ["watch", "import", str(WATCHLIST), "--db", str(tmp_path / "w.db")]
    code, out, screen = on_terminal(args, tmp_path)
    assert code == 0, screen
    assert "import" in screen and "accounts/s" in screen, screen
    assert "added" in out
    again = piped(args, tmp_path)
    assert again.returncode == 0 and "unchanged" in again.stdout
    assert_no_bar(again.stderr)
