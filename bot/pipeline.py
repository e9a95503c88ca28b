"""Ingest activities end to end: store (once), score against the account's own baseline, alert.

Live polling, replay and the demo all go through `Pipeline.ingest`; only the source and the way out
differ. An activity already stored is skipped entirely, so the same feed twice alerts once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from dataclasses import dataclass, field, replace
from time import perf_counter, thread_time
from typing import Callable, Iterable, Sequence

from bot.activity import Activity, format_time, parse_time
from bot.alerts import SEVERITY_FLOOR, Alert, severity_for, severity_rank
from bot.profile import IN_CHARACTER, AccountMeta, ProfileBook, Verdict
from bot.profile.account import STORY_WINDOW
from bot.sources.base import Context
from bot.stages import Stages
from bot.watch import HEADLESS, WatchedAccount
from bot.watch_index import WatchIndex
from bot.webhook import destination as webhook_destination
from storage import activities as activity_store
from storage import alerts as alert_store
from storage import baselines as baseline_store
from storage import profile_verdicts as verdict_store
from storage.db import Database, Transaction

log = logging.getLogger(__name__)

# (activity, meta, alert) -> prior similar incidents, as dicts with id, title, date, score, url.
SimilarFinder = Callable[[Activity, AccountMeta, Alert], list[dict]]
# one scope's entry for the account (None when no scope watches it) -> that scope's destinations.
Router = Callable[[WatchedAccount | None], list[str]]

EXCERPT_LIMIT = 500
# A subject that vanished this soon after the watched account amplified it is worth an alert of its own.
SUBJECT_GONE_WINDOW = timedelta(hours=1)


@dataclass
class IngestStats:
    seen: int = 0
    stored: int = 0
    learned: int = 0
    scored: int = 0
    alerts: int = 0
    rejected: int = 0
    conflicts: int = 0  # duplicate ids with other content, kept aside (counted in `rejected` too)
    by_severity: dict[str, int] = field(default_factory=dict)


def _excerpt(activity: Activity) -> str | None:
    text = activity.text or (activity.target or {}).get("text")
    if activity.kind == "profile" and activity.profile:
        text = "; ".join(f"{k}: {v}" for k, v in activity.profile.items() if v)
    if not text:
        return None
    return text if len(text) <= EXCERPT_LIMIT else text[: EXCERPT_LIMIT - 1] + "…"


class Pipeline:
    def __init__(
        self,
        db: Database,
        book: ProfileBook | None = None,
        *,
        router: Router | None = None,
        similar: SimilarFinder | None = None,
        min_severity: str = "low",
        undo_learning: bool = True,
    ):
        self.db = db
        self.book = book or ProfileBook()
        self.router: Router = router or self.route
        self.similar = similar
        self.min_severity = min_severity  # the headless scope's threshold; each server has its own
        # Put the profiles back when a transaction rolls back. Only a caller that never goes on after a
        # failed transaction (replay stops; its next run reloads the baselines) may turn it off.
        self.undo_learning = undo_learning
        self.stats = IngestStats()
        self.stages: Stages | None = None  # seconds per stage, when asked (replay --timings, the benchmark)
        self.index = WatchIndex()  # the watch list: whose entries an activity's account has, its meta
        self.guilds: dict[int, dict] = {}  # guild id -> {alert_channel_id, min_severity}

    async def load_baselines(self) -> int:
        states = await baseline_store.load_all(self.db)
        for platform, account, state in states:
            self.book.load(platform, account, state)
        return len(states)

    def set_watch_list(self, accounts: Iterable[WatchedAccount], guilds: dict[int, dict] | None = None) -> None:
        """Every scope's entries (and, when given, each server's alerts channel and threshold)."""
        self.index = WatchIndex(accounts)
        if guilds is not None:
            self.guilds = guilds
        for a in self.index.described.values():
            self.book.watch(a.platform, a.handle, a.country)  # who the other officials are (signals/stranger.py)

    def entries_for(self, activity: Activity) -> list[WatchedAccount]:
        """Every scope's entry for the activity's account (none when nobody watches it)."""
        return self.index.entries_for(activity)

    def watched_for(self, activity: Activity) -> WatchedAccount | None:
        """The account as described for scoring; None when nobody watches it."""
        return self.index.watched_for(activity)

    def meta_for(self, activity: Activity) -> AccountMeta:
        return self.index.meta_for(activity)

    async def ingest(
        self,
        activities: list[Activity],
        *,
        learn_only: bool = False,
        tx: Transaction | None = None,
        context: Sequence[Context] = (),
        write_baselines: bool = True,
    ) -> list[Alert]:
        """Store what is new, then score (unless learning only) and learn each, in order.

        Everything it produces (activities, alerts, outbox rows, the baselines it changed) is written in
        `tx`, the caller's transaction (a poll's cursor goes in the same one), or in a transaction of its
        own. When that transaction does not commit, the profiles and the counts are put back as well.
        `write_baselines=False` leaves the changed baselines for the caller to write in `tx` before it
        commits (flush_baselines): a replay writes them once per transaction of many calls.
        """
        if tx is None:
            async with self.db.transaction() as own:
                return await self.ingest(activities, learn_only=learn_only, tx=own, context=context)
        self._undo_on_rollback(tx)
        stages = self.stages
        started = perf_counter()
        self.stats.seen += len(activities)
        conflicts: list[tuple[Activity, str]] = []
        fresh = await activity_store.store_new(tx, activities, conflicts)
        self.stats.stored += len(fresh)
        self.stats.rejected += len(conflicts)
        self.stats.conflicts += len(conflicts)
        for _, reason in conflicts:
            log.warning("kept aside %s", reason)
        if fresh and self.undo_learning:
            snap = self.book.snapshot({(a.platform, a.account) for a in fresh})
            tx.on_rollback(lambda: self.book.restore(snap))
        if stages is not None:
            stages.add("storing", perf_counter() - started)
        alerts: list[Alert] = []
        scoring = learning = scoring_cpu = learning_cpu = 0.0
        timed = stages is not None
        for activity in fresh:
            t0 = perf_counter()
            c0 = thread_time() if timed else 0.0
            meta = self.meta_for(activity)
            raised: list[Alert] = []
            if learn_only:
                self.stats.learned += 1
            else:
                self.stats.scored += 1
                raised = self._judge(activity, meta)
                alerts.extend(raised)
            t1 = perf_counter()
            c1 = thread_time() if timed else 0.0
            # an alerted activity is held out of the baseline until a moderator calls it a false alarm
            self.book.learn(activity, meta, alerted=bool(raised))
            scoring += t1 - t0
            learning += perf_counter() - t1
            if timed:
                scoring_cpu += c1 - c0
                learning_cpu += thread_time() - c1
        if not learn_only:
            for note in context:
                alerts.extend(await self.context_alerts(tx, note))
        t0 = perf_counter()
        for alert in alerts:
            entries = self.index.by_handle.get(alert.account.lower(), [])
            await self._place_in_story(tx, alert)
            await alert_store.save(tx, alert, self._destinations(alert, entries))
        t1 = perf_counter()
        if write_baselines:  # unless the caller writes them later in `tx` (replay: once per transaction)
            await self.flush_baselines(tx)  # the learning commits with the activities it came from
        if stages is not None:
            stages.add("scoring", scoring)
            stages.add("learning", learning)
            stages.add_cpu("scoring", scoring_cpu)
            stages.add_cpu("learning", learning_cpu)
            stages.add("alerts", t1 - t0)
            stages.add("baselines", perf_counter() - t1)
        return alerts

    async def context_alerts(self, tx: Transaction, note: Context) -> list[Alert]:
        """A follow-up alert when the subject of an item vanished (someone else deleted or deactivated it,
        not the watched account) and that matters: the item was alerted on (the follow-up goes where that
        alert went, at its severity), or the subject vanished within SUBJECT_GONE_WINDOW of the item (a
        low alert: an account amplified and gone right after is worth a look). Otherwise nothing: an old
        repost of an account that left later is not news. Its id comes from the item, so it is raised once."""
        earlier = await alert_store.for_activity(tx, note.platform, note.activity_id)
        item = await activity_store.get(tx.db, note.platform, note.activity_id)
        if earlier:
            top = max(earlier, key=lambda a: (severity_rank(a.severity), a.score))
            severity, score = top.severity, top.score
            why = f"a follow-up to alert {', '.join(a.id for a in earlier)} on this {item.kind if item else 'item'}"
        elif item is not None and item.at >= note.at - SUBJECT_GONE_WINDOW:
            severity, score = "low", SEVERITY_FLOOR["low"]
            minutes = max(1, round((note.at - item.at).total_seconds() / 60))
            why = f"gone {minutes} min after the watched account's {item.kind}"
        else:
            log.info(
                "context for %s:%s not alerted (no alert on it, not recent): %s",
                note.platform,
                note.activity_id,
                note.note,
            )
            return []
        alert = Alert(
            activity_id=note.activity_id,
            activity_ids=[note.activity_id + "#subject-gone"],
            account=note.account,
            platform=note.platform,
            kind=item.kind if item else "repost",
            at=format_time(note.at),
            score=score,
            severity=severity,
            reasons=[note.note, why],
            text=_excerpt(item) if item else None,
            url=(item.url or (item.target or {}).get("url")) if item else None,
            target_account=note.target_account,
        )
        self.stats.alerts += 1
        self.stats.by_severity[severity] = self.stats.by_severity.get(severity, 0) + 1
        return [alert]

    def _undo_on_rollback(self, tx: Transaction) -> None:
        """The counts of a transaction that does not commit are taken back (once per transaction)."""
        if ("stats", id(self)) not in tx.notes:
            tx.notes[("stats", id(self))] = before = replace(self.stats, by_severity=dict(self.stats.by_severity))
            tx.on_rollback(lambda: setattr(self, "stats", before))

    async def feedback(self, tx: Transaction, activity: Activity, verdict: str) -> None:
        """A moderator's verdict teaches the account's profile, in the transaction that stores it."""
        snap = self.book.snapshot({(activity.platform, activity.account)})
        tx.on_rollback(lambda: self.book.restore(snap))
        self.book.feedback(activity, self.meta_for(activity), verdict)
        await self.flush_baselines(tx)

    async def apply_recorded_verdicts(self, tx: Transaction, platform: str, handle: str) -> int:
        """With workers: the verdicts the gateway recorded for this account (storage/profile_verdicts.py)
        since the last one its stored baseline holds, taught as `feedback` does, and marked applied in
        `tx` with the baseline they changed. How many were applied."""
        waiting = await verdict_store.pending(tx, platform, handle)
        for recorded in waiting:
            activity = await activity_store.get(tx.db, recorded.activity_platform, recorded.activity_id)
            if activity is None:  # not stored (any more): nothing to teach
                log.warning("verdict %d on %s:%s: no such activity", recorded.seq, platform, recorded.activity_id)
                continue
            await self.feedback(tx, activity, recorded.verdict)
        if waiting:
            await verdict_store.applied(tx, platform, handle, waiting[-1].seq)
        return len(waiting)

    @staticmethod
    async def _place_in_story(tx: Transaction, alert: Alert) -> None:
        """An alert within STORY_WINDOW of the account's last one continues that alert's story, as the
        detector reads it (profile/account.py): a hijacker's seven likes in ten minutes are one story in
        seven alerts, and each later one names the first, so a journalist reads them together (and Discord
        shows them as replies to the first)."""
        until = parse_time(alert.at)
        since = format_time(until - timedelta(seconds=STORY_WINDOW))
        before = await alert_store.latest_on_account(tx, alert.platform, alert.account, since, alert.at)
        if before is None or before.id == alert.id:
            return
        alert.story_of = before.story_of or before.id
        alert.story_at = before.story_at or before.at
        alert.story_place = max(before.story_place, 1) + 1

    def _judge(self, activity: Activity, meta: AccountMeta) -> list[Alert]:
        verdict = self.book.score(activity, meta)
        group = self.book.coordination.observe(activity, verdict)
        if group is not None and group.worth_announcing():
            group.announced = len(group.accounts)  # in the tracker's state: a rolled-back poll puts it back
            # One grouped alert for the whole group; its id comes from all its activities. It says all
            # that the activity's own alert would (its reasons follow the group's), at the louder of the
            # two: one message for one post, not the post and then its group a second later.
            score = max(group.score, verdict.score)
            single = self._alert(activity, meta, verdict, severity_for(score) or "medium")
            return [
                replace(
                    single,
                    id="",
                    activity_ids=list(group.activity_ids),
                    accounts=list(group.accounts),
                    score=score,
                    reasons=[group.reason, *_own_reasons(activity, verdict, group.reason)],
                )
            ]
        severity = severity_for(verdict.score)
        return [self._alert(activity, meta, verdict, severity)] if severity else []

    def _alert(self, activity: Activity, meta: AccountMeta, verdict: Verdict, severity: str) -> Alert:
        reasons = list(verdict.reasons) or [f"score {verdict.score:.2f} for this account"]
        alert = Alert(
            activity_id=activity.id,
            account=activity.account,
            platform=activity.platform,
            kind=activity.kind,
            at=activity.at_iso,
            score=verdict.score,
            severity=severity,
            reasons=reasons,
            text=_excerpt(activity),
            url=activity.url or (activity.target or {}).get("url"),
            target_account=activity.target_account,
            baseline=verdict.baseline,
            owner=meta.owner,
            role=meta.role,
            country=meta.country,
            thin_baseline=verdict.thin,
        )
        if self.similar is not None:
            started, started_cpu = perf_counter(), thread_time()
            try:
                alert.similar = self.similar(activity, meta, alert)
            except Exception:  # a broken library must not cost us the alert itself
                log.exception("similar-incident lookup failed for %s", activity.id)
            if self.stages is not None:  # counted apart from the scoring it happens in
                spent, spent_cpu = perf_counter() - started, thread_time() - started_cpu
                self.stages.add("similar", spent)
                self.stages.add("scoring", -spent)
                self.stages.add_cpu("similar", spent_cpu)
                self.stages.add_cpu("scoring", -spent_cpu)
        self.stats.alerts += 1
        self.stats.by_severity[severity] = self.stats.by_severity.get(severity, 0) + 1
        return alert

    def _destinations(self, alert: Alert, entries: list[WatchedAccount]) -> list[tuple[str, int]]:
        """(destination, scope) for every scope watching the account: each with its own threshold, mute
        and routing. Below a threshold or muted, the alert is kept, just not delivered there."""
        now = datetime.now(timezone.utc)
        out: list[tuple[str, int]] = []
        scopes: list[WatchedAccount | None] = list(entries) or [None]  # nobody's: the headless scope's
        for entry in scopes:
            guild = HEADLESS if entry is None else entry.guild_id
            threshold = (
                self.min_severity if guild == HEADLESS else self.guilds.get(guild, {}).get("min_severity", "low")
            )
            if severity_rank(alert.severity) < severity_rank(threshold):
                continue
            if entry is not None and entry.muted_at(now):
                continue
            out += [(destination, guild) for destination in self.router(entry)]
        return out

    def route(self, entry: WatchedAccount | None) -> list[str]:
        """Where a scope's alerts go: the headless scope to the terminal (`watch run`); a server to the
        account's own channel there, else the server's alerts channel; either also to the account's
        channel webhook."""
        hooks = webhook_destination(entry)
        if entry is None or entry.guild_id == HEADLESS:
            return ["terminal", *hooks]
        channel = entry.channel_id or self.guilds.get(entry.guild_id, {}).get("alert_channel_id")
        if not channel:
            if not hooks:
                log.warning(
                    "alert kept but not posted in server %s: no alert channel set there (/alerts channel)",
                    entry.guild_id,
                )
            return hooks
        return [f"discord:{channel}", *hooks]

    async def flush_baselines(self, tx: Transaction) -> None:
        """Write every profile changed since the last flush, in `tx`."""
        dirty = self.book.dirty()
        if dirty:
            await baseline_store.save_many(tx, [(p, a, self.book.state(p, a)) for p, a in sorted(dirty)])
            self.book.clear_dirty()

    async def close(self) -> None:
        """Nothing waits to be written: every transaction wrote the baselines it changed."""
        if self.book.dirty():  # changed outside a transaction of ours (a test teaching the book directly)
            async with self.db.transaction() as tx:
                await self.flush_baselines(tx)


def _own_reasons(activity: Activity, verdict: Verdict, group_reason: str) -> list[str]:
    """What a grouped alert says of the activity that completed the group, besides the group: its own
    reasons, or that on its own it was nothing unusual (the group is the whole story)."""
    own = [r for r in verdict.reasons if r != group_reason]
    if own == [IN_CHARACTER]:
        return [f"on its own, @{activity.account}'s {activity.kind} is in character for it"]
    return own
