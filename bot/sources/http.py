"""The one shared HTTP client and the rules that keep polling polite.

Every live source goes through a `Fetcher`: one `httpx.AsyncClient` (timeouts, a clear User-Agent),
at most `per_host_connections` requests in flight per host, a request budget per host, cooldowns from
`Retry-After` and each platform's rate-limit headers, and conditional requests (ETag,
If-Modified-Since). Failures come out as `FeedError`s whose message is what a moderator reads in
`/watch status`; `bot.sources.health` turns them into backoff and pauses.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import httpx

from bot import __version__

log = logging.getLogger(__name__)

PROJECT_URL = "https://github.com/diplowatch/diplowatch"
USER_AGENT = f"diplowatch/{__version__} (+{PROJECT_URL})"
# Bodies bigger than this are refused: a feed that size is a mistake or an attack.
MAX_BODY_BYTES = 8 * 1024 * 1024
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class FeedError(Exception):
    """A poll that failed. `str(error)` is the reason shown to moderators; never contains secrets."""

    def __init__(self, reason: str, *, retry_after: float | None = None, counts_as_failure: bool = True):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        # A local budget deferral is politeness, not a broken source: it does not count towards a pause.
        self.counts_as_failure = counts_as_failure


class RateLimited(FeedError):
    pass


class ServerError(FeedError):
    pass


class FetchTimeout(FeedError):
    pass


class BadPayload(FeedError):
    pass


class ConfigError(ValueError):
    """A source that cannot be built as configured (missing token, bad base URL)."""


@dataclass
class HttpSettings:
    timeout: float = 15.0
    connect_timeout: float = 5.0
    per_host_connections: int = 4
    user_agent: str = USER_AGENT
    # host -> (requests, window seconds); hosts not listed get `default_budget`.
    budgets: dict[str, tuple[int, float]] = field(default_factory=dict)
    default_budget: tuple[int, float] = (300, 300.0)
    # Loopback hosts (the mock feed server, a local proxy); None: the same as any other host.
    loopback_budget: tuple[int, float] | None = None
    # A cooldown shorter than this is waited out; a longer one fails the poll fast with a retry time.
    max_wait: float = 2.0
    # Largest body read (after decompression); reading stops as soon as a body goes past it.
    max_body_bytes: int = MAX_BODY_BYTES


class PerHostTransport(httpx.AsyncBaseTransport):
    """One small connection pool per host inside the one client: at most `per_host` connections to
    any host, and a request only scans its own host's pool (httpcore's pool work grows with the
    number of connections in it, which matters with many hosts and a thousand feeds)."""

    def __init__(self, per_host: int, keepalive_expiry: float = 30.0):
        self.per_host = per_host
        self.keepalive_expiry = keepalive_expiry
        self.pools: dict[tuple[bytes, bytes, int | None], httpx.AsyncHTTPTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.raw_scheme, request.url.raw_host, request.url.port)
        pool = self.pools.get(key)
        if pool is None:
            pool = self.pools[key] = httpx.AsyncHTTPTransport(
                limits=httpx.Limits(
                    max_connections=self.per_host,
                    max_keepalive_connections=self.per_host,
                    keepalive_expiry=self.keepalive_expiry,
                )
            )
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        for pool in self.pools.values():
            await pool.aclose()
        self.pools.clear()


def make_client(
    settings: HttpSettings | None = None, *, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The one AsyncClient all sources share."""
    settings = settings or HttpSettings()
    return httpx.AsyncClient(
        timeout=httpx.Timeout(settings.timeout, connect=settings.connect_timeout),
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        follow_redirects=True,
        max_redirects=5,
        transport=transport or PerHostTransport(settings.per_host_connections),
    )


class Budget:
    """Token bucket: `limit` requests per `window` seconds, refilled continuously."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.rate = limit / window
        self.tokens = float(limit)
        self.clock = clock
        self.stamp = clock()

    def take(self) -> float:
        """Take one token; return 0, or the seconds until one is available (nothing taken)."""
        now = self.clock()
        self.tokens = min(self.limit, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


@dataclass
class HostState:
    gate: asyncio.Semaphore
    budget: Budget
    cooldown_until: float = 0.0  # monotonic time; set by Retry-After and rate-limit headers
    in_flight: int = 0
    max_in_flight: int = 0


@dataclass
class Validators:
    """What a conditional request needs to know about the last good response of one URL."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        # Empty values are left out: an empty If-None-Match can make a server answer 200 instead of 304.
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


class Fetcher:
    """Polite GETs over one shared client. Keyed by (host, credential) so one token's limits don't
    slow another's, and one host's cooldown never delays other hosts."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: HttpSettings | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.client = client
        self.settings = settings or HttpSettings()
        self.clock = clock
        self.hosts: dict[str, HostState] = {}
        self.requests_sent = 0
        # Sources sharing this fetcher; the last one to close it closes an owned client.
        self.users = 0
        self.owns_client = False
        self.closed = False

    async def release(self) -> None:
        self.users = max(0, self.users - 1)
        if self.users == 0 and self.owns_client and not self.closed:
            self.closed = True
            await self.client.aclose()

    def host_key(self, url: str, headers: Mapping[str, str] | None) -> str:
        parts = urlsplit(url)
        key = parts.netloc.lower()
        auth = (headers or {}).get("Authorization")
        if auth:
            key += "#" + hashlib.sha256(auth.encode()).hexdigest()[:8]
        return key

    def _host(self, key: str) -> HostState:
        state = self.hosts.get(key)
        if state is None:
            host = key.split("#", 1)[0]
            budget = self.settings.default_budget
            if self.settings.loopback_budget and urlsplit(f"//{host}").hostname in LOOPBACK:
                budget = self.settings.loopback_budget
            limit, window = self.settings.budgets.get(host, budget)
            state = HostState(
                gate=asyncio.Semaphore(self.settings.per_host_connections),
                budget=Budget(limit, window, self.clock),
            )
            self.hosts[key] = state
        return state

    async def _admit(self, key: str, host: HostState, where: str) -> None:
        wait = host.cooldown_until - self.clock()
        if wait > self.settings.max_wait:
            raise RateLimited(
                f"{where}: {key.split('#')[0]} asked us to wait, retrying in {wait:.0f}s",
                retry_after=wait,
                counts_as_failure=False,
            )
        if wait > 0:
            await asyncio.sleep(wait)
        wait = host.budget.take()
        if wait > self.settings.max_wait:
            raise RateLimited(
                f"{where}: request budget for {key.split('#')[0]} used up, next slot in {wait:.0f}s",
                retry_after=wait,
                counts_as_failure=False,
            )
        if wait > 0:
            await asyncio.sleep(wait)
            host.budget.take()

    async def get(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        validators: Validators | None = None,
        where: str = "",
    ) -> httpx.Response:
        """GET with politeness. Returns 2xx, 304 and 4xx responses (the adapter reads platform errors);
        raises FeedError for 429, 5xx, timeouts, transport errors and oversized bodies."""
        where = where or urlsplit(url).path
        key = self.host_key(url, headers)
        host = self._host(key)
        request_headers = dict(headers or {})
        if validators:
            request_headers.update(validators.headers())
        await self._admit(key, host, where)
        async with host.gate:
            host.in_flight += 1
            host.max_in_flight = max(host.max_in_flight, host.in_flight)
            try:
                self.requests_sent += 1
                async with self.client.stream("GET", url, params=params, headers=request_headers) as streamed:
                    response = await _read_capped(streamed, where, self.settings.max_body_bytes)
            except httpx.DecodingError as exc:
                raise BadPayload(f"{where}: body cannot be decompressed ({exc})") from None
            except httpx.TimeoutException as exc:
                raise FetchTimeout(f"{where}: no answer in time ({type(exc).__name__})") from None
            except httpx.TransportError as exc:
                raise ServerError(f"{where}: connection failed ({type(exc).__name__}: {exc})") from None
            finally:
                host.in_flight -= 1
        self._learn_limits(host, response)
        status = response.status_code
        if status == 429:
            retry = retry_after_seconds(response.headers)
            raise RateLimited(
                f"{where}: rate limited (429)" + (f", retry after {retry:.0f}s" if retry else ""), retry_after=retry
            )
        if status >= 500:
            retry = retry_after_seconds(response.headers) if status == 503 else None
            raise ServerError(f"{where}: server error {status}{_html_hint(response)}", retry_after=retry)
        return response

    def _learn_limits(self, host: HostState, response: httpx.Response) -> None:
        until = None
        retry = retry_after_seconds(response.headers) if response.status_code in (429, 503) else None
        if retry is not None:
            until = self.clock() + retry
        else:
            remaining, reset = rate_limit_state(response.headers)
            if remaining is not None and remaining <= 0 and reset is not None:
                until = self.clock() + reset
        if until is not None and until > host.cooldown_until:
            host.cooldown_until = until

    def max_in_flight(self) -> dict[str, int]:
        return {key: state.max_in_flight for key, state in self.hosts.items()}


async def _read_capped(streamed: httpx.Response, where: str, limit: int) -> httpx.Response:
    """The streamed response read whole, but never more than `limit` bytes of (decompressed) body:
    a declared Content-Length over it is refused unread, and an endless or huge body is cut off."""
    declared = streamed.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise BadPayload(f"{where}: body of {int(declared):,} bytes is too large (limit {limit:,})")
    chunks, size = [], 0
    async for chunk in streamed.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise BadPayload(f"{where}: body is too large (stopped reading past {limit:,} bytes)")
        chunks.append(chunk)
    # The body is decoded already: the rebuilt response must not decode it again.
    headers = [
        (k, v)
        for k, v in streamed.headers.multi_items()
        if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
    ]
    return httpx.Response(streamed.status_code, headers=headers, content=b"".join(chunks), request=streamed.request)


def _html_hint(response: httpx.Response) -> str:
    return " (an HTML error page)" if looks_like_html(response) else ""


def looks_like_html(response: httpx.Response) -> bool:
    ctype = response.headers.get("content-type", "")
    head = response.content[:200].lstrip().lower()
    return "text/html" in ctype or head.startswith((b"<!doctype html", b"<html"))


def decode_json(response: httpx.Response, where: str) -> Any:
    """The body as JSON, or BadPayload naming what came instead."""
    if looks_like_html(response):
        raise BadPayload(f"{where}: got an HTML page (status {response.status_code}) instead of JSON")
    try:
        return json.loads(response.content)
    except RecursionError:
        raise BadPayload(f"{where}: JSON nested too deeply to read ({len(response.content)} bytes)") from None
    except (ValueError, UnicodeDecodeError) as exc:  # also an integer with more digits than Python reads
        size = len(response.content)
        raise BadPayload(f"{where}: malformed or truncated JSON ({size} bytes): {exc}") from None


def validators_of(response: httpx.Response) -> Validators:
    return Validators(
        etag=response.headers.get("ETag") or None, last_modified=response.headers.get("Last-Modified") or None
    )


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """`Retry-After` as delta-seconds or HTTP-date, else the platform reset header."""
    value = headers.get("Retry-After")
    if value:
        value = value.strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=timezone.utc)
                return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
    return rate_limit_state(headers)[1]


def rate_limit_state(headers: Mapping[str, str]) -> tuple[int | None, float | None]:
    """(remaining, seconds until reset) from the three header families in use:
    Bluesky `RateLimit-*` (reset = epoch seconds), Mastodon `X-RateLimit-*` (reset = ISO 8601),
    X `x-rate-limit-*` (reset = epoch seconds). httpx headers are case-insensitive."""
    remaining = None
    for name in ("RateLimit-Remaining", "X-RateLimit-Remaining", "x-rate-limit-remaining"):
        raw = headers.get(name)
        if raw is not None:
            try:
                remaining = int(float(raw))
            except ValueError:
                pass
            break
    reset = None
    for name in ("RateLimit-Reset", "X-RateLimit-Reset", "x-rate-limit-reset"):
        raw = headers.get(name)
        if raw:
            reset = _reset_seconds(raw.strip())
            break
    return remaining, reset


def _reset_seconds(raw: str) -> float | None:
    now = time.time()
    try:
        number = float(raw)
    except ValueError:
        text = raw[:-1] + "+00:00" if raw.endswith("Z") else raw
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, when.timestamp() - now)
    # Epoch seconds are large; a small number is the draft standard's delta-seconds.
    return max(0.0, number - now) if number > 1e9 else max(0.0, number)
