"""How a long-running command stops: SIGINT (Ctrl-C) and SIGTERM (docker stop) both call the same callback,
so the command closes in order (the poll being written commits, baselines are flushed, the db closed)."""

from __future__ import annotations

import asyncio
import signal
from contextlib import suppress
from typing import Callable


def stop_on_signals(callback: Callable[[], object]) -> None:
    """SIGINT and SIGTERM call `callback` in the running loop, where the platform lets a loop take signal
    handlers (not on Windows, not off the main thread: there Ctrl-C raises KeyboardInterrupt as usual)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, callback)
