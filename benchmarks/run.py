"""Run every benchmarks/*_bench.py in turn (`--quick` for the short form CI runs) and print their figures."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    failed = []
    for script in sorted(HERE.glob("*_bench.py")):
        print(f"== {script.name} {' '.join(argv)}", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(script), *argv], cwd=HERE.parent)
        print(f"== {script.name}: exit {code} in {time.monotonic() - started:.1f}s", flush=True)
        if code:
            failed.append(script.name)
    if failed:
        print(f"benchmarks that failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
