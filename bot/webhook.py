"""Discord channel webhooks as a way out: outbox rows for 'webhook:<id>' posted with plain HTTP, no bot.

The same outbox as the bot's channels, with the same rules: a destination's alerts go in order, each
posted with `?wait=true` so Discord answers with the message, whose id is stored in the row at once (a
restart skips it); `allowed_mentions` parses nothing, so no alert can ping anyone. 429 and 5xx and
network errors retry with backoff; 401/403/404 (webhook deleted) pause the destination; any other 4xx
is kept as failed with the reason.

Webhooks take no nonce, and a posted message cannot be looked up without its id, so an alert can be
posted twice: when the answer is lost after the request went out (a read timeout, a dropped connection:
Discord may have posted it; the alert is sent again, as losing it would be worse), or when the process
dies between Discord's answer and the write of its id. The first case is recorded in the row's error,
and a resend by the same process is logged as a possible duplicate.

A webhook URL is a secret: it lives only in the watched table; the outbox, the logs and every error
text name the webhook by its id.
"""

from __future__ import annotations

import json
import logging
import random
import re
from datetime import datetime, timedelta, timezone

import httpx

from bot.alert_chart import CHART_NAME, alert_chart
from bot.alerts import Alert, story_line
from bot.embed_rules import (
    AUTHOR_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    TITLE_MAX,
    TOTAL_MAX,
    clean_link,
    units,
)
from bot.logredact import redact_webhook_tokens
from bot.render_text import headline, plain
from bot.sources.http import USER_AGENT
from bot.watch import WatchedAccount
from bot.watchlist import webhook_id
from storage import alerts as alert_store
from storage import delivery as delivery_store
from storage import leases as lease_store
from storage.db import Database

log = logging.getLogger(__name__)

PREFIX = "webhook:"
CLAIM_MIN_SECONDS = 30.0
MAX_BACKOFF_SECONDS = 300.0
COLOURS = {"low": 0x3498DB, "medium": 0xF1C40F, "high": 0xE67E22, "critical": 0xE74C3C}
FOOTER_NOTE = "Confirm / False alarm / Mute need the diplowatch bot in this server"
_MARKDOWN = re.compile(r"([\\*_~`|>#\[\]()-])")
redact_webhook_tokens("httpx", "httpcore")  # httpx logs each request's URL at INFO


def destination(account: WatchedAccount | None) -> list[str]:
    """The outbox destination of an account's webhook, if it has one."""
    if account is None or not account.webhook_url:
        return []
    return [PREFIX + webhook_id(account.webhook_url)]


def _safe(text: str | None) -> str:
    """Feed text made inert: markdown escaped, mentions broken with a zero-width space."""
    if not text:
        return ""
    return _MARKDOWN.sub(r"\\\1", text).replace("@", "@\u200b")


def _link(url: str) -> str:
    """An alert's URL as a link only when it is a clean one; else as text that links nowhere (escaped, `://`
    and `<` broken), so `[Official statement](https://evil.example)` from a feed shows as typed."""
    if clean_link(url):
        return url
    return _safe(plain(url)).replace("://", ":\u200b//").replace("<", "<\u200b")


def _clip(text: str, limit: int) -> str:
    """At most `limit` UTF-16 units (what Discord counts), ending in an ellipsis when cut."""
    if units(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit - 1:
            break
        out.append(ch)
    cut = "".join(out)
    while cut.endswith("\\") and not cut.endswith("\\\\"):  # a lone backslash would escape the ellipsis
        cut = cut[:-1]
    return cut + "…"


def payload(alert: Alert, *, chart: bool = False) -> dict:
    """The webhook message: one embed within Discord's limits, pinging no one (with `chart`, the embed
    shows the attached usual-hours chart)."""
    fields = [
        {
            "name": "Why it is unusual",
            "value": _clip(
                "\n".join(f"• {_safe(r)}" for r in alert.reasons) or "• (no reason recorded)", FIELD_VALUE_MAX
            ),
        },
        {"name": "Baseline", "value": _clip(_safe(alert.baseline) or "no baseline yet", FIELD_VALUE_MAX)},
    ]
    story = story_line(alert)
    if story:  # a webhook cannot reply to the story's first message: it says which one it follows
        fields.insert(0, {"name": "Same story", "value": _clip(_safe(story[0].upper() + story[1:]), FIELD_VALUE_MAX)})
    if alert.similar:
        lines = [
            f"• {_safe(str(m.get('date', '')))} {_safe(str(m.get('title', m.get('id', ''))))}"
            for m in alert.similar[:3]
        ]
        fields.append({"name": "Prior similar incidents", "value": _clip("\n".join(lines), FIELD_VALUE_MAX)})
    if alert.url:
        fields.append({"name": "Original", "value": _clip(_link(alert.url), FIELD_VALUE_MAX)})
    embed: dict = {
        "title": _clip(f"{alert.severity.upper()}: {_safe(headline(alert))}", TITLE_MAX),
        "color": COLOURS.get(alert.severity, 0x95A5A6),
        "fields": fields[:FIELDS_MAX],
        "footer": {"text": f"alert {alert.id} · score {alert.score:.2f} · {alert.severity} · {FOOTER_NOTE}"},
        "timestamp": alert.at,
    }
    who = " · ".join(x for x in (alert.owner, alert.role, alert.country) if x)
    if who:
        embed["author"] = {"name": _clip(who, AUTHOR_MAX)}
    if alert.text:
        embed["description"] = _clip("\n".join("> " + line for line in _safe(alert.text).splitlines()), 1500)
    if clean_link(alert.url):
        embed["url"] = alert.url
    message: dict = {"embeds": [_fit(embed)], "allowed_mentions": {"parse": []}}
    if chart:
        embed["image"] = {"url": f"attachment://{CHART_NAME}"}
        message["attachments"] = [{"id": 0, "filename": CHART_NAME}]
    return message


def _texts(embed: dict) -> list[tuple[dict, str]]:
    """Where the embed's counted text lives, as (dict, key), the title left out: it is never shortened."""
    parts = [(f, k) for f in embed["fields"] for k in ("name", "value")]
    parts += [(embed, "description")] if "description" in embed else []
    parts += [(embed[k], sub) for k, sub in (("footer", "text"), ("author", "name")) if k in embed]
    return parts


def _fit(embed: dict) -> dict:
    """The embed within Discord's total of 6000 units, which each part within its own limit can still
    pass (then Discord answers 400 and the alert never arrives): the longest part shrinks first, as in
    cogs/render.py's fit(); a part keeps its beginning (the reasons field its first reasons)."""
    while (over := units(embed["title"]) + sum(units(d[k]) for d, k in _texts(embed)) - TOTAL_MAX) > 0:
        where, key = max(_texts(embed), key=lambda p: units(p[0][p[1]]))
        size = units(where[key])
        if size <= 1:
            break
        where[key] = _clip(where[key], max(1, size - over))
    return embed


def backoff(attempts: int, base: float) -> float:
    ceiling = min(MAX_BACKOFF_SECONDS, base * (2 ** min(attempts, 12)))
    return random.uniform(ceiling / 2, ceiling)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class WebhookSender:
    """Delivers the outbox's webhook rows; each outcome is written in a transaction of its own, never
    held open across an HTTP call."""

    def __init__(
        self,
        db: Database,
        *,
        client: httpx.AsyncClient | None = None,
        retry_seconds: float = 2.0,
        claims: tuple[str, float] | None = None,
    ):
        self.db = db
        # Several workers on one database (bot/worker.py): (worker name, claim seconds). Each row is claimed
        # before it is posted (storage/leases.py), so one worker posts it; a post never outlives its claim.
        # A claim lasts at least CLAIM_MIN_SECONDS however short the leases: a busy worker's event loop
        # (a poll's scoring) may hold a posted row's answer for seconds, and a claim lapsing meanwhile
        # would let another worker post it again. A dead worker's row waits that long for another.
        if claims is not None:
            claims = (claims[0], max(claims[1], CLAIM_MIN_SECONDS))
        self.claims = claims
        timeout = 15.0 if claims is None else min(15.0, claims[1] / 2)
        # the worker's name in its requests, so a receiver's log tells which process posted
        headers = {"User-Agent": f"{USER_AGENT} worker/{claims[0]}"} if claims is not None else None
        self.client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)), headers=headers
        )
        self.base = retry_seconds
        self.delivered = 0

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _urls(self) -> dict[str, str]:
        async with self.db.conn.execute("SELECT webhook_url FROM watched WHERE webhook_url IS NOT NULL") as cur:
            return {PREFIX + webhook_id(row[0]): row[0] for row in await cur.fetchall()}

    async def deliver_due(self) -> int:
        """Send everything due now, each webhook's alerts in order; how many were sent."""
        before = self.delivered
        waiting: set[str] = set()
        while True:
            due = await self._due(_iso(datetime.now(timezone.utc)))
            heads = [r for r in due if r["destination"] not in waiting]
            for row in due:
                if row["destination"] in waiting:
                    await self._unclaim(row)
            if not heads:
                return self.delivered - before
            urls = await self._urls()
            for row in heads:
                try:
                    if not await self.deliver(row, urls.get(row["destination"])):
                        waiting.add(row["destination"])
                finally:
                    await self._unclaim(row)

    async def _due(self, now: str) -> list[dict]:
        if self.claims is None:
            async with self.db.committed():  # never post an alert whose poll may still roll back
                return await delivery_store.due(self.db, PREFIX, now)
        worker, seconds = self.claims  # committed rows only: another process's open poll is invisible
        return await lease_store.claim_outbox(self.db, worker, PREFIX, now, seconds)

    async def _unclaim(self, row: dict) -> None:
        if self.claims is not None:
            async with self.db.transaction() as tx:
                await lease_store.unclaim(tx, row["seq"], self.claims[0])

    async def deliver(self, row: dict, url: str | None) -> bool:
        """One outbox row; False when its webhook must wait (nothing newer may overtake it)."""
        name = row["destination"]
        if url is None:
            async with self.db.transaction() as tx:
                await delivery_store.give_up(tx, row["seq"], "no watched account uses this webhook any more")
            return True
        png = await alert_chart(self.db, row["alert"], row.get("guild_id"))
        if png is None:
            request: dict = {"json": payload(row["alert"])}
        else:  # multipart: the message as payload_json, the chart as files[0]
            request = {
                "data": {"payload_json": json.dumps(payload(row["alert"], chart=True))},
                "files": {"files[0]": (CHART_NAME, png, "image/png")},
            }
        if self.claims is not None and not await lease_store.renew_claim(self.db, row["seq"], *self.claims):
            log.warning(
                "alert %s to %s: its claim lapsed before its turn; left to whoever holds it", row["alert_id"], name
            )
            return False
        try:
            # the claim now runs for claims[1] seconds, and the client's timeout is half of it
            response = await self.client.post(url, params={"wait": "true"}, **request)
        except httpx.HTTPError as exc:
            # httpx's messages may carry the URL; say only what kind of failure it was.
            error = f"cannot reach Discord: {type(exc).__name__}"
            lost = isinstance(exc, _ANSWER_LOST)  # sent, answer lost: it may be posted, and is sent again
            if lost:
                error += "; Discord may have posted it, so the retry may post it twice"
            await self._later(row, error, maybe_posted=lost)
            return False
        status = response.status_code
        if status == 200:
            try:
                message_id = str(response.json()["id"])
            except (ValueError, KeyError, TypeError):
                message_id = "unknown"  # posted (200) all the same: never send it again
            async with self.db.transaction() as tx:
                await alert_store.mark_sent(tx, row["seq"], message_id)
            self.delivered += 1
            if row.get("maybe_posted"):  # on the row: told after a restart, or by another worker, too
                log.warning(
                    "alert %s posted to %s as message %s, possibly a duplicate: an earlier attempt's answer was lost",
                    row["alert_id"],
                    name,
                    message_id,
                )
            else:
                log.info("alert %s posted to %s as message %s", row["alert_id"], name, message_id)
            return True
        detail = _error_text(response)
        if status == 429:
            await self._later(row, f"rate limited: {detail}", _retry_after(response))
        elif status >= 500:
            await self._later(row, f"Discord {status}: {detail}")
        elif status in (401, 403, 404):
            reason = f"{status} {detail}: the webhook was deleted or its URL is wrong; add it again"
            async with self.db.transaction() as tx:
                await delivery_store.pause(tx, name, reason)
                await delivery_store.retry_later(tx, row["seq"], reason, None)
            log.warning("paused %s: %s", name, reason)
        else:
            async with self.db.transaction() as tx:
                await delivery_store.give_up(tx, row["seq"], f"Discord refused it: {status} {detail}")
            log.error("alert %s refused by %s (%s %s); kept as failed", row["alert_id"], name, status, detail)
            return True
        return False

    async def _later(self, row: dict, error: str, at_least: float = 0.0, maybe_posted: bool = False) -> None:
        wait = max(at_least, backoff(row["attempts"], self.base))
        async with self.db.transaction() as tx:
            await delivery_store.retry_later(
                tx, row["seq"], error, _iso(datetime.now(timezone.utc) + timedelta(seconds=wait)), maybe_posted
            )
        log.warning("alert %s to %s: %s; retry in %.1f s", row["alert_id"], row["destination"], error, wait)


# The request went out and its answer was lost. Connect and pool errors are not here: nothing was sent.
_ANSWER_LOST = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)


def _error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
        return str(body.get("message") or body)[:200]
    except ValueError:
        return response.reason_phrase or "no detail"


def _retry_after(response: httpx.Response) -> float:
    try:
        return float(response.json().get("retry_after", 0))
    except (ValueError, AttributeError):
        try:
            return float(response.headers.get("retry-after", 0))
        except ValueError:
            return 0.0
