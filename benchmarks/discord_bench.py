"""Discord-side latency against the fake Discord on 127.0.0.1 (no network).

1. start-up to ready: database opened, cogs loaded, commands known (synced or unchanged), gateway READY;
   measured in-process (build -> ready) and as a cold `python -m bot run` process (spawn -> "ready" logged).
   Target: under 2 s.
2. append-to-alert: a line appended to a fixture feed until the alert message reaches Discord, at a
   1-second poll interval. Target: at most poll + 1 s.

    python benchmarks/discord_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from cogs.app import build_app  # noqa: E402
from tests.fakediscord.server import FakeDiscord  # noqa: E402

POLL = 1.0
HANDLE = "ChineseEmbinUS"


def settings_for(fake: FakeDiscord, folder: Path) -> Settings:
    (folder / "feeds").mkdir(exist_ok=True)
    return Settings(
        discord_token=fake.token,
        database=folder / "bench.db",
        poll_seconds=POLL,
        fixture_dir=folder / "feeds",
        api_base=fake.api_base,
        gateway_url=fake.gateway_url,
        retry_seconds=0.05,
        _env_file=None,
    )  # default guild wait, as a user gets it


async def startup_in_process(runs: int) -> list[float]:
    times = []
    fake = await FakeDiscord().start()
    folder = Path(tempfile.mkdtemp(prefix="dw-bench-"))
    try:
        for _ in range(runs):
            started = time.monotonic()
            app = await build_app(settings_for(fake, folder))
            app.started = started
            await app.start()
            times.append(await app.wait_until_ready(timeout=60))
            await app.close()
    finally:
        await fake.stop()
    return times


async def startup_cold(runs: int) -> list[float]:
    """Spawn `python -m bot run` and time it until the bot logs that it is ready."""
    times = []
    fake = await FakeDiscord().start()
    folder = Path(tempfile.mkdtemp(prefix="dw-bench-"))
    env = {
        **os.environ,
        "DISCORD_TOKEN": fake.token,
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "DIPLOWATCH_DATABASE": str(folder / "cold.db"),
        "DIPLOWATCH_FIXTURE_DIR": str(folder),
        "DIPLOWATCH_LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DISCORD_GUILD_READY_TIMEOUT", None)  # the default a user gets
    try:
        for _ in range(runs):
            started = time.monotonic()
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=folder, env=env, stderr=asyncio.subprocess.PIPE, limit=1 << 24
            )
            try:
                while True:
                    line = await asyncio.wait_for(proc.stderr.readline(), 20)  # type: ignore[union-attr]
                    if not line:
                        raise RuntimeError("diplowatch run exited before it was ready")
                    if b"diplowatch: ready in" in line:
                        times.append(time.monotonic() - started)
                        break
            finally:
                proc.terminate()
                await proc.wait()
    finally:
        await fake.stop()
    return times


def history_lines() -> list[str]:
    lines = (ROOT / "fixtures" / "feeds" / f"{HANDLE}.jsonl").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and json.loads(line)["at"] < "2020-12-09T20:26:52Z"]


def status_line(n: int) -> str:
    """A status change always alerts, so every sample measures a real alert."""
    return json.dumps(
        {
            "id": f"x:bench-{n}",
            "platform": "x",
            "account": HANDLE,
            "kind": "status",
            "status": "deactivated" if n % 2 == 0 else "active",
            "at": f"2020-12-10T{n // 60 % 24:02d}:{n % 60:02d}:00Z",
        }
    )


async def append_to_alert(samples: int) -> list[float]:
    fake = await FakeDiscord().start()
    folder = Path(tempfile.mkdtemp(prefix="dw-bench-"))
    settings = settings_for(fake, folder)
    feed = settings.fixture_dir / f"{HANDLE}.jsonl"
    feed.write_text("\n".join(history_lines()) + "\n", encoding="utf-8")
    app = await build_app(settings)
    latencies = []
    try:
        await app.start()
        await app.wait_until_ready(timeout=60)
        channel = fake.channel_id("alerts")
        await fake.slash("watch", "add", platform="fixture", handle=HANDLE, channel=channel)
        while True:  # the first poll learns the history; wait for it
            async with app.db.conn.execute("SELECT cursor FROM cursors WHERE handle = ?", (HANDLE,)) as cur:
                row = await cur.fetchone()
            if row and row["cursor"]:
                break
            await asyncio.sleep(0.05)
        for n in range(samples):
            before = len(fake.posted(channel))
            # Spread the appends over the poll cycle, as real posts arrive at any moment.
            await asyncio.sleep(POLL * ((n * 0.37) % 1.0))
            with feed.open("a", encoding="utf-8") as out:
                out.write(status_line(n) + "\n")
            appended = time.monotonic()
            await fake.wait_for_post(channel, count=before + 1, timeout=POLL + 60)
            latencies.append(time.monotonic() - appended)
    finally:
        await app.close()
        await fake.stop()
    return latencies


def describe(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"n={len(values)} median {statistics.median(values):.3f} s, p95 {p95:.3f} s, max {max(values):.3f} s"


async def main(quick: bool) -> int:
    logging.basicConfig(level=logging.ERROR)
    runs, samples = (3, 6) if quick else (10, 30)
    ready = await startup_in_process(runs)
    print(
        f"start-up to ready, in-process (db open, cogs, commands known, READY, default guild wait): {describe(ready)}"
        f"  [target < 2 s: {'met' if max(ready) < 2 else 'MISSED'}]"
    )
    cold = await startup_cold(max(2, runs // 2))
    print(
        f"start-up to ready, cold `python -m bot run` process (imports, default guild wait): {describe(cold)}"
        f"  [target < 2 s: {'met' if max(cold) < 2 else 'MISSED'}]"
    )
    latency = await append_to_alert(samples)
    print(
        f"append-to-alert at a {POLL:g} s poll: {describe(latency)}"
        f"  [target <= {POLL + 1:g} s: {'met' if max(latency) <= POLL + 1 else 'MISSED'}]"
    )
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs (CI)")
    sys.exit(asyncio.run(main(parser.parse_args().quick)))
