"""The real-time paths beside the polling schedule: Bluesky through one Jetstream subscription.

`Streams` runs a `JetstreamConsumer` on the poller's pipeline and write lock, so a streamed batch and
a poll never write at once. The watch list is followed without a restart: each watch-list refresh of
the poller (and each first poll of a new account, which resolves its DID) re-reads the watched DIDs
and tells the live subscription with an `options_update`.

Polling stays as the reconciliation path. While the subscription is up, a Bluesky account is polled
only every `reconcile_seconds` (its repo, read by the poller, wins over anything the stream missed);
while it is down, the normal interval applies again. A cursor older than Jetstream's replay window
makes every watched Bluesky account be polled at once, which fills the gap. Both paths name an item
with the same id, so nothing is stored twice.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.sources import REGISTRY
from bot.sources.jetstream import INSTANCES, JetstreamConsumer, instances_from
from bot.sources.settings import live_settings
from storage import watch as watch_store

if TYPE_CHECKING:
    from bot.scheduler import Poller

log = logging.getLogger(__name__)

PUBLIC_APPVIEW = "https://public.api.bsky.app"
DEFAULT_RECONCILE_SECONDS = 900.0


def jetstream_instances(setting: str, appview: str) -> tuple[str, ...]:
    """Where to stream from: the configured instances; `off` for none; when nothing is configured, the
    public instances, unless the AppView is not the public one (a self-hosted network or the mock feed
    server: the public Jetstream would not carry its accounts)."""
    if setting.strip().lower() in ("off", "none", "false", "0"):
        return ()
    if not setting.strip() and appview.rstrip("/") != PUBLIC_APPVIEW:
        return ()
    return instances_from(setting)


class Streams:
    """Owns the Jetstream consumer of a poller; inert when no instance is configured."""

    def __init__(
        self,
        poller: Poller,
        *,
        instances: tuple[str, ...] | list[str] | None = None,
        reconcile_seconds: float | None = None,
        **consumer_options,
    ):
        feed = live_settings(poller.settings)
        if instances is None:
            instances = jetstream_instances(feed.bluesky_jetstream, feed.bluesky_appview)
        self.poller = poller
        self.reconcile_seconds = feed.bluesky_reconcile_seconds if reconcile_seconds is None else reconcile_seconds
        self.consumer: JetstreamConsumer | None = None
        self.hydrator = None
        if instances:
            # A Bluesky source of its own (on the shared polite client) looks up what records point at.
            self.hydrator = REGISTRY["bluesky"]("jetstream", poller.settings)
            consumer_options.setdefault("hydrator", self.hydrator)
            self.consumer = JetstreamConsumer(
                poller.pipeline, instances=tuple(instances), on_gap=self.fill_gap, **consumer_options
            )
            poller.after_refresh.append(self.refresh)
            poller.spacing = self.spacing

    @property
    def enabled(self) -> bool:
        return self.consumer is not None

    @property
    def public(self) -> bool:
        return self.consumer is not None and set(self.consumer.instances) <= set(INSTANCES)

    def describe(self) -> str:
        """One line for the start-up banner."""
        if self.consumer is None:
            return "Bluesky: polling only (no Jetstream instance configured)"
        where = "the public Jetstream" if self.public else ", ".join(self.consumer.instances)
        return (
            f"Bluesky: {len(self.consumer.dids)} account(s) streamed in real time from {where}; "
            f"reconciliation poll every {self.reconcile_seconds:g} s"
        )

    async def refresh(self) -> None:
        if self.consumer is not None:
            await self.consumer.refresh()

    def start(self) -> None:
        if self.consumer is not None:
            self.consumer.start()

    async def stop(self) -> None:
        if self.consumer is not None:
            await self.consumer.stop()
        if self.hydrator is not None:
            await self.hydrator.aclose()
            self.hydrator = None

    def spacing(self, platform: str) -> float | None:
        """Seconds to leave between successful polls of one account of `platform` (None: the interval)."""
        consumer = self.consumer
        if platform != "bluesky" or consumer is None or not consumer.connected.is_set():
            return None
        return self.reconcile_seconds

    async def fill_gap(self) -> None:
        """The stream's cursor was older than the replay window: poll every watched Bluesky account now.
        Counted among the poller's work in flight, so stopping waits for it as for any poll."""
        await self.poller._quietly(self._gap_polls(), "jetstream gap poll")

    async def _gap_polls(self) -> None:
        accounts = [a for a in await watch_store.all_accounts(self.poller.db) if a.platform == "bluesky"]
        log.warning(
            "jetstream: resuming after more than the replay window; polling %d Bluesky account(s) to fill the gap",
            len(accounts),
        )
        for account in accounts:
            try:
                await self.poller.poll_account(account.platform, account.handle, force=True)
            except Exception:  # one account's failure must not keep the others' gap open
                log.exception("gap poll of bluesky:%s failed", account.handle)
