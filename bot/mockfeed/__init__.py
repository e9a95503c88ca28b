"""A mock feed server speaking Bluesky, Mastodon, X API v2 and RSS/Atom on 127.0.0.1, for offline runs,
demos and tests; it releases recorded activity on an accelerated clock and can misbehave on request."""

from bot.mockfeed.faults import FAULTS, FaultRule
from bot.mockfeed.server import MockFeedServer
from bot.mockfeed.world import Clock, World

__all__ = ["FAULTS", "Clock", "FaultRule", "MockFeedServer", "World"]
