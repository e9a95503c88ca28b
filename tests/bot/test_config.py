"""Settings: defaults, one clear line per bad setting, and a token that never reaches a log."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.logredact import REDACTED, install

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "MTE4.fake-but-long.token-value-1234567890"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in (
        "DISCORD_TOKEN",
        "DIPLOWATCH_DATABASE",
        "DIPLOWATCH_POLL_SECONDS",
        "DIPLOWATCH_FIXTURE_DIR",
        "DISCORD_GUILD_ID",
        "DISCORD_API_BASE",
        "DISCORD_GATEWAY_URL",
        "DIPLOWATCH_MODERATOR_ROLE_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_match_the_documentation():
    s = load_settings()
    assert s.database == Path("data/diplowatch.db")
    assert s.poll_seconds == 60
    assert s.fixture_dir == Path("fixtures/feeds")
    assert s.guild_id is None and s.discord_token is None


def test_environment_and_dotenv_are_read(monkeypatch, tmp_path):
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={TOKEN}\nDIPLOWATCH_POLL_SECONDS=5\n")
    monkeypatch.setenv("DISCORD_GUILD_ID", "123456789012345678")
    s = load_settings()
    assert s.token() == TOKEN and s.poll_seconds == 5 and s.guild_id == 123456789012345678
    assert TOKEN not in repr(s) and TOKEN not in str(s.model_dump())


@pytest.mark.parametrize(
    "name,value,expected",
    [
        ("DIPLOWATCH_POLL_SECONDS", "soon", "setting DIPLOWATCH_POLL_SECONDS: Input should be a valid number"),
        ("DIPLOWATCH_POLL_SECONDS", "0", "setting DIPLOWATCH_POLL_SECONDS: Input should be greater than 0"),
        ("DISCORD_GUILD_ID", "my-server", "setting DISCORD_GUILD_ID: Input should be a valid integer"),
        ("DISCORD_GATEWAY_URL", "https://gateway", "setting DISCORD_GATEWAY_URL: must start with ws:// or wss://"),
        ("DISCORD_API_BASE", "discord.com/api", "setting DISCORD_API_BASE: must start with http:// or https://"),
        (
            "DIPLOWATCH_ALLOWED_GUILDS",
            "123, newsroom",
            "setting DIPLOWATCH_ALLOWED_GUILDS: must be Discord "
            "server ids separated by commas; not a server id: newsroom",
        ),
    ],
)
def test_a_malformed_setting_is_one_line_naming_it(monkeypatch, name, value, expected):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as err:
        load_settings()
    message = str(err.value)
    assert message.startswith(expected) and "\n" not in message and repr(value) in message


def test_a_bad_token_is_named_but_never_shown(monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", "secret with spaces")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "DISCORD_TOKEN" in str(err.value) and "secret" not in str(err.value)


def test_missing_token_is_one_clear_line():
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        load_settings().token()


def test_token_is_redacted_from_every_log_record(caplog):
    logger = logging.getLogger("diplowatch.test")
    root = logging.getLogger()
    redactor = install(TOKEN, logger=root)
    caplog.handler.addFilter(redactor)
    try:
        logger.warning("login with %s failed", TOKEN)
        logger.warning(f"Authorization: Bot {TOKEN}")
        try:
            raise RuntimeError(f"bad token {TOKEN}")
        except RuntimeError:
            logger.exception("oops")
    finally:
        caplog.handler.removeFilter(redactor)
        for handler in root.handlers:
            handler.removeFilter(redactor)
    text = caplog.text
    assert TOKEN not in text and text.count(REDACTED) == 3  # two messages and the exception text


def test_run_without_token_prints_one_line_and_exits_2(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DIPLOWATCH_POLL_SECONDS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "DISCORD_TOKEN is not set" in done.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**env, "DISCORD_TOKEN": TOKEN, "DIPLOWATCH_POLL_SECONDS": "often"},
        timeout=60,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip() == (
        "diplowatch: setting DIPLOWATCH_POLL_SECONDS: Input should be a valid number, "
        "unable to parse string as a number (got 'often')"
    )


async def test_the_live_process_never_logs_the_token(tmp_path):
    """`diplowatch run` at DEBUG against the fake Discord: the token is in no log line."""
    import asyncio

    from tests.fakediscord.server import FakeDiscord

    fake = await FakeDiscord().start()
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "DISCORD_TOKEN": fake.token,
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "DIPLOWATCH_DATABASE": str(tmp_path / "t.db"),
        "DIPLOWATCH_LOG_LEVEL": "DEBUG",
        "DISCORD_GUILD_READY_TIMEOUT": "0.05",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE, limit=1 << 24
    )  # DEBUG lines are long
    lines = []
    try:
        while not any(b"ready in" in line for line in lines):
            line = await asyncio.wait_for(proc.stderr.readline(), 90)
            assert line, b"".join(lines).decode()
            lines.append(line)
    finally:
        proc.terminate()
        rest = await asyncio.wait_for(proc.stderr.read(), 90)
        await proc.wait()
        await fake.stop()
    log = (b"".join(lines) + rest).decode()
    assert "logging in using static token" in log  # DEBUG/INFO lines from discord.py were written
    assert fake.token not in log


async def test_sigterm_stops_the_live_process_cleanly(tmp_path):
    import asyncio
    import signal

    from tests.fakediscord.server import FakeDiscord

    fake = await FakeDiscord().start()
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "DISCORD_TOKEN": fake.token,
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "DIPLOWATCH_DATABASE": str(tmp_path / "t.db"),
        "DISCORD_GUILD_READY_TIMEOUT": "0.05",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        while b"ready in" not in (line := await asyncio.wait_for(proc.stderr.readline(), 90)):
            assert line
        proc.send_signal(signal.SIGTERM)
        rest = (await asyncio.wait_for(proc.stderr.read(), 90)).decode()
        assert await proc.wait() == 0
        assert "stopping" in rest and "Traceback" not in rest
    finally:
        if proc.returncode is None:
            proc.kill()
        await fake.stop()


@pytest.mark.parametrize(
    "problem,expected",
    [
        ("database", "diplowatch: cannot open the database"),
        ("unreachable", "diplowatch: cannot reach Discord at http://127.0.0.1:9/api/v10"),
    ],
)
def test_run_start_up_failures_are_one_line(tmp_path, problem, expected):
    (tmp_path / "a-file").write_text("not a folder")
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "DISCORD_TOKEN": TOKEN,
        "DIPLOWATCH_DATABASE": str(tmp_path / "a-file" / "x.db") if problem == "database" else str(tmp_path / "ok.db"),
        "DISCORD_API_BASE": "http://127.0.0.1:9/api/v10",
        "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9/",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode in (1, 2)
    assert "Traceback" not in done.stderr
    [line] = [x for x in done.stderr.splitlines() if x.startswith("diplowatch:")]
    assert line.startswith(expected), done.stderr


def test_allowed_guilds_are_read_as_server_ids(monkeypatch):
    monkeypatch.setenv("DIPLOWATCH_ALLOWED_GUILDS", " 111, 222;333 ")
    assert load_settings().allowed_guild_ids() == {111, 222, 333}
    monkeypatch.delenv("DIPLOWATCH_ALLOWED_GUILDS")
    assert load_settings().allowed_guild_ids() == set()
