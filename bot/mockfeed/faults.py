"""Faults the mock feed server can answer with, on request.

A rule is set through `POST /_admin/faults` (or `MockFeedServer.add_fault`), or for one request with
the query parameter `mockfault=<kind>`. Kinds:

- `429`: Too Many Requests with `Retry-After` (seconds, `retry_after`)
- `500`: Internal Server Error with a JSON body
- `html`: 502 Bad Gateway with an HTML error page (as a proxy or CDN sends)
- `html200`: 200 OK with an HTML page instead of the API's JSON or XML (a captive portal)
- `slow`: the normal answer after `delay` seconds (default 1)
- `timeout`: no answer for `delay` seconds (default 30): the client gives up first
- `truncated`: the normal body cut in half, with a matching Content-Length
- `disconnect`: the full Content-Length announced, half the body sent, then the connection closed
- `malformed`: 200 OK with a body that is not valid JSON or XML
- `empty`: 200 OK with an empty body
- `layout`: the normal answer with its HTML markup changed (Telegram's class names renamed), as when a
  scraped site changes its layout
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field

FAULTS = ("429", "500", "html", "html200", "slow", "timeout", "truncated", "disconnect", "malformed", "empty", "layout")

HTML_ERROR_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>"
    "<h1>502 Bad Gateway</h1><p>The upstream server is temporarily unavailable.</p>"
    "<hr><p>mockfeed-proxy</p></body></html>"
)


@dataclass
class FaultRule:
    fault: str
    count: int | None = None  # how many times to fire; None = until cleared
    match: str = ""  # substring of the request path and query
    service: str | None = None  # appview, pds, mastodon, x, rss (by port)
    probability: float = 1.0
    retry_after: float = 1.0
    delay: float | None = None
    fired: int = field(default=0)

    def __post_init__(self) -> None:
        if self.fault not in FAULTS:
            raise ValueError(f"unknown fault {self.fault!r}; known: {', '.join(FAULTS)}")
        if not 0 <= self.probability <= 1:
            raise ValueError(f"probability must be within 0..1, got {self.probability}")

    def applies(self, service: str, path_qs: str, rng: random.Random) -> bool:
        if self.count is not None and self.fired >= self.count:
            return False
        if self.service and self.service != service:
            return False
        if self.match and self.match not in path_qs:
            return False
        if self.probability < 1 and rng.random() >= self.probability:
            return False
        self.fired += 1
        return True

    def to_dict(self) -> dict:
        return asdict(self)
