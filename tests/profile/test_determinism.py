"""The same activities give the same scores and reasons whatever Python's string hashing seed: two
processes with different PYTHONHASHSEED score the bundled real samples and must agree to the byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, sys
from pathlib import Path
from bot.activity import parse_activity
from bot.profile import AccountMeta, ProfileBook

acts = []
for path in sorted(Path("fixtures/samples").glob("*.jsonl")):
    for line in path.read_text(encoding="utf-8").splitlines():
        acts.append(parse_activity(json.loads(line)))
acts.sort(key=lambda a: (a.at, a.id))
book = ProfileBook()
for a in acts:
    meta = AccountMeta(platform=a.platform, handle=a.account)
    v = book.score(a, meta)
    book.learn(a, meta, alerted=v.severity is not None)
    sys.stdout.write(f"{a.id} {v.score!r} {v.reasons!r} {v.baseline}\n")
sys.stdout.write(json.dumps([book.state(p, h) for p, h in sorted(book.profiles)], sort_keys=True))
"""


def _run(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=True
    )
    return done.stdout


def test_scores_reasons_and_baselines_do_not_depend_on_the_hash_seed():
    one, two = _run("1"), _run("4242")
    assert one.count("\n") > 500, "the samples should give hundreds of scored activities"
    assert one == two
