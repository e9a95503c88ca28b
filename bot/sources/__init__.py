"""Sources: one module per platform, each turning its payloads into Activity records.

REGISTRY maps a platform name (as offered by `/watch add`) to a factory
`factory(handle, settings) -> Source`.
"""

from __future__ import annotations

from bot.sources.base import PollResult, Source, SourceSettings
from bot.sources.fixture import FixtureSource

REGISTRY = {
    "fixture": FixtureSource.create,
}

__all__ = ["REGISTRY", "PollResult", "Source", "SourceSettings", "FixtureSource"]
